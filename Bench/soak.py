#!/usr/bin/env python3
"""`make soak`: a long run of mixed calls against a release lexstatd (issue 8).

lexstatd serves the synthetic national data (the same as `make bench`, made
afresh in a temporary directory), and lexstat-load sends it a mix of GetSeries,
Compare within a province, Rollup, Health and the odd Compare over every county
from 32 connections for SOAK_SECONDS (default 600). Meanwhile the daemon's
resident memory (VmRSS) and open file descriptors are sampled from /proc. At
the end it prints the figures and exits 1 if a check failed:

- every call was answered OK: no error status, no call lost (a connection dropped or
  sent away with GOAWAY), no connection refused, and none but OK in the daemon's
  access log (on, as by default; its lines are counted here, not written to disk);
- resident memory at the end is at most 5 % above what it was after the
  warm-up (10 % of the run, at least 20 s and at most 60 s);
- the daemon has as many file descriptors open once the load's connections
  are closed as it had before the load.

Environment: SOAK_SECONDS (600), SOAK_CONNS (32), SOAK_DEPTH (calls in flight
per connection, 4), SOAK_MIX (lexstat-load --mix), SOAK_SEED (BENCH_SEED's
default), SOAK_SAMPLE (seconds between samples, 2), SOAK_PROGRESS (seconds
between progress lines, 30). The server and the load are pinned to cores as
in `make bench` (BENCH_SERVER_CPU, BENCH_CLIENT_CPU).
"""
import collections
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (its helpers: starting, stopping, pinning, /proc readings, running lexstat-load)

SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
CONNS = int(os.environ.get("SOAK_CONNS", "32"))
DEPTH = int(os.environ.get("SOAK_DEPTH", "4"))
# Compare over every county costs ~150 GetSeries and answers ~375 KB: one in 64 calls.
MIX = os.environ.get("SOAK_MIX", "series=40,compare=8,rollup=8,health=7,compare_all=1")
SEED = os.environ.get("SOAK_SEED", bench.SEED)
SAMPLE = float(os.environ.get("SOAK_SAMPLE", "2"))
PROGRESS = float(os.environ.get("SOAK_PROGRESS", "30"))
MAX_GROWTH_PCT = 5.0
SETTLE_S = 1.0  # after the load's connections close, before counting descriptors
SETTLE_MAX_S = 6.0  # keep looking this long for the count to come back, then judge
ACCESS_LINE = " lexstatd.access: call "
ACCESS_STATUS = re.compile(r" status=(\S+)")
log = bench.log


def warmup_seconds(total):
    w = max(20.0, min(60.0, total * 0.1))
    return w if w < total else total / 2


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_serving(port, timeout=120):
    argv = [os.path.join(bench.BIN, "lexstat-load"), "--port", str(port), "--wait-serving", str(timeout)]
    return subprocess.run(bench.pinned(bench.CLIENT_CPU, argv), capture_output=True, text=True).returncode == 0


def sparkline(values, width=60):
    """The values as one line of block characters, each the highest of its share of the run."""
    if not values:
        return ""
    n = min(width, len(values))
    cols = [max(values[i * len(values) // n:(i + 1) * len(values) // n]) for i in range(n)]
    lo, hi = min(values), max(values)
    bars = "▁▂▃▄▅▆▇█"
    if hi - lo < 1e-9:
        return bars[0] * n
    return "".join(bars[min(7, int((v - lo) / (hi - lo) * 8))] for v in cols)


def tail(path, lines=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def start_daemon(argv, logpath):
    """lexstatd on the server's core (as bench.start), its output read by a thread: the access log
    (on by default, ~130 bytes a call) is counted by status, not kept; other lines go to logpath."""
    p = subprocess.Popen(bench.pinned(bench.SERVER_CPU, argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    p.statuses = collections.Counter()

    def drain():
        with open(logpath, "w") as logf:
            for line in p.stdout:
                if ACCESS_LINE in line:
                    m = ACCESS_STATUS.search(line)
                    p.statuses[m.group(1) if m else "?"] += 1
                else:
                    logf.write(line)
                    logf.flush()

    threading.Thread(target=drain, daemon=True).start()
    return p


def soak(tmp):
    lexstatd = os.path.join(bench.BIN, "lexstatd")
    db = os.path.join(tmp, f"synthetic-{SEED}.db")
    port = free_port()
    # Metrics on a port of its own, so that another lexstatd on the default one does not stop this one.
    common = ["--db", db, "--listen", f"127.0.0.1:{port}", "--metrics-listen", f"127.0.0.1:{free_port()}",
              "--log-level", "warning"]

    # The synthetic data, written by one lexstatd and served by a fresh one, as after a restart.
    t = time.time()
    log(f"soak: writing synthetic data (seed {SEED}) to {db}")
    fill = start_daemon([lexstatd, "--synthetic", SEED] + common, os.path.join(tmp, "fill.log"))
    try:
        if not wait_serving(port):
            log(f"soak: lexstatd --synthetic did not come up:\n{tail(os.path.join(tmp, 'fill.log'))}")
            return 1
    finally:
        bench.stop(fill)
    log(f"soak: data written in {time.time() - t:.1f} s")

    server = start_daemon([lexstatd] + common, os.path.join(tmp, "lexstatd.log"))
    try:
        return run(server, port)
    finally:
        bench.stop(server)
        if server.returncode != 0:
            log(f"soak: lexstatd exited with {server.returncode}; its log:\n{tail(os.path.join(tmp, 'lexstatd.log'))}")


def run(server, port):
    if not wait_serving(port):
        log("soak: lexstatd did not serve")
        return 1
    pid = server.pid
    warm = warmup_seconds(SECONDS)
    fds_before = fd_count(pid)
    rss_start = bench.rss_mb(pid)
    la_start = bench.load_avg()
    log(f"soak: {SECONDS:.0f} s of --mix {MIX} at {CONNS} connections × {DEPTH} in flight against lexstatd "
        f"(pid {pid}, {rss_start:.1f} MB resident, {fds_before} fds); warm-up {warm:.0f} s")

    # No warm-up in lexstat-load: every call of the run counts, the first ones too. Its
    # complaints (connection lost, GOAWAY) go straight to the terminal.
    argv = [os.path.join(bench.BIN, "lexstat-load"), "--port", str(port), "--mix", MIX, "-c", str(CONNS),
            "-d", str(DEPTH), "-t", str(SECONDS), "--warmup", "0", "--seed", SEED, "--label", "soak"]
    logged_before = sum(server.statuses.values())
    statuses_before = collections.Counter(server.statuses)
    cpu_before = bench.cpu_seconds(pid)
    samples = []  # (elapsed s, RSS MB, fds)
    t0 = time.monotonic()
    load = subprocess.Popen(bench.pinned(bench.CLIENT_CPU, argv), stdout=subprocess.PIPE, text=True)
    try:
        next_progress = PROGRESS
        while load.poll() is None and server.poll() is None:
            elapsed = time.monotonic() - t0
            samples.append((elapsed, bench.rss_mb(pid), fd_count(pid)))
            if elapsed >= next_progress:
                _, rss, fds = samples[-1]
                calls = sum(server.statuses.values()) - logged_before
                log(f"soak: {elapsed:4.0f} / {SECONDS:.0f} s  RSS {rss:6.1f} MB  fds {fds}  "
                    f"{calls:,} calls answered  load {bench.load_avg()[0]}")
                next_progress += PROGRESS
            if elapsed > SECONDS + 120:
                log("soak: lexstat-load did not finish in time")
                break
            try:
                load.wait(SAMPLE)
            except subprocess.TimeoutExpired:
                pass
        daemon_alive = server.poll() is None
        if not daemon_alive:
            log(f"soak: lexstatd died during the load (exit {server.returncode})")
        try:
            out, _ = load.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            out = ""
    finally:
        bench.stop(load)
    wall = time.monotonic() - t0
    cpu_used = bench.cpu_seconds(pid) - cpu_before if daemon_alive else None

    # Descriptors once the load's connections are gone: a second to settle, a few more if they are still closing.
    fds_after = None
    if daemon_alive:
        time.sleep(SETTLE_S)
        deadline = time.monotonic() + SETTLE_MAX_S - SETTLE_S
        fds_after = fd_count(pid)
        while fds_after != fds_before and time.monotonic() < deadline:
            time.sleep(0.25)
            fds_after = fd_count(pid)
    rss_idle = bench.rss_mb(pid) if daemon_alive else None
    server_statuses = collections.Counter(server.statuses)
    server_statuses.subtract(statuses_before)
    server_statuses = {k: v for k, v in server_statuses.items() if v}
    try:
        r = json.loads(out) if load.returncode == 0 else None
    except ValueError:
        r = None
    if r is not None:
        r["load_avg"] = la_start  # as bench.load adds it, for bench.summary

    # Memory: the sample at the end of the warm-up, and the last one taken while the load ran.
    during = [s for s in samples if s[0] <= SECONDS] or samples
    baseline = next((s for s in samples if s[0] >= warm), during[-1] if during else None)
    final = during[-1] if during else None
    peak = max(samples, key=lambda s: s[1]) if samples else None
    growth = (final[1] - baseline[1]) / baseline[1] * 100 if baseline and final and baseline[1] > 0 else None

    checks = []
    server_bad = {k: v for k, v in server_statuses.items() if k != "OK"}
    if r is None:
        checks.append(("every call answered OK", False, f"lexstat-load failed (exit {load.returncode})"))
    else:
        tot = r["total"]["all"]
        bad = {k: v for k, v in tot["errors"].items() if v}
        ok = (tot["calls"] > 0 and tot["ok"] == tot["calls"] and not bad and r["connect_failures"] == 0
              and not server_bad and daemon_alive)
        detail = f"{tot['ok']:,} of {tot['calls']:,} calls OK"
        if bad:
            detail += ", errors " + ", ".join(f"{k} {v:,}" for k, v in sorted(bad.items()))
        if r["connect_failures"]:
            detail += f", {r['connect_failures']} connections failed"
        if server_bad:
            detail += ", the server logged " + ", ".join(f"{k} {v:,}" for k, v in sorted(server_bad.items()))
        if not daemon_alive:
            detail += ", lexstatd died"
        checks.append(("every call answered OK", ok, detail))
    if growth is None:
        checks.append((f"RSS growth after warm-up ≤ {MAX_GROWTH_PCT:g} %", False, "no samples"))
    else:
        checks.append((f"RSS growth after warm-up ≤ {MAX_GROWTH_PCT:g} %", growth <= MAX_GROWTH_PCT,
                       f"{baseline[1]:.1f} MB at {baseline[0]:.0f} s → {final[1]:.1f} MB at {final[0]:.0f} s: {growth:+.2f} %"))
    checks.append(("file descriptors after = before", fds_after == fds_before,
                   f"{fds_before} before the load, {fds_after if fds_after is not None else '-'} after"))

    print(f"\nLexstat soak: {SECONDS:.0f} s, --mix {MIX}, {CONNS} connections × {DEPTH} in flight, "
          f"seed {SEED}, load average {la_start} → {bench.load_avg()}")
    if r is not None:
        calls = r["total"]["all"]["calls"]
        cpu = (f"; lexstatd used {cpu_used:.1f} CPU-s in {wall:.0f} s, {calls / cpu_used:,.0f} calls per CPU-second"
               if cpu_used else "")
        print(f"calls: {calls:,} in {r['seconds']:.1f} s = {r['total']['all']['calls_per_s']:,.0f} calls/s{cpu}")
        print(f"  {'method':<12} {'calls':>10} {'calls/s':>9} {'p50 µs':>9} {'p99 µs':>9} {'p99.9 µs':>9} {'max µs':>9}  errors")
        rows = {**r, "methods": {**r["methods"], "all": r["total"]["all"]}}
        for name, m in rows["methods"].items():
            s = bench.summary(rows, name)
            print(f"  {name:<12} {m['calls']:>10,} {s['calls_per_s']:>9,.0f} {s['p50_us']:>9} {s['p99_us']:>9} "
                  f"{s['p999_us']:>9} {m['latency_us']['max']:>9}  {s['errors'] or 'none'}")
    if samples:
        print(f"RSS: {rss_start:.1f} MB at start, baseline {baseline[1]:.1f} MB (end of warm-up, {baseline[0]:.0f} s), "
              f"peak {peak[1]:.1f} MB ({peak[0]:.0f} s), final {final[1]:.1f} MB ({final[0]:.0f} s), "
              f"growth {growth:+.2f} %" + (f"; {rss_idle:.1f} MB once idle" if rss_idle is not None else ""))
        after = [s[1] for s in samples if s[0] >= baseline[0]]
        print(f"RSS after the warm-up, every {SAMPLE:g} s ({min(after):.1f}–{max(after):.1f} MB): {sparkline(after)}")
    print(f"server's access log during the load: {sum(server_statuses.values()):,} calls, "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(server_statuses.items())))
    print(f"fds: {fds_before} before the load, {fds_after if fds_after is not None else '-'} after it "
          f"(peak {max((s[2] for s in samples), default='-')} during)")
    print("checks:")
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'}  {name}: {detail}")
    return 0 if all(ok for _, ok, _ in checks) else 1


def main():
    if not all(os.access(os.path.join(bench.BIN, b), os.X_OK) for b in ["lexstatd", "lexstat-load"]):
        sys.exit(f"soak: no lexstatd or lexstat-load in {bench.BIN}: run `swift build -c release` (make soak does)")
    # A SIGTERM (make interrupted, a CI timeout) unwinds like Ctrl-C, so the daemon is stopped and the files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="lexstat-soak-")
    try:
        sys.exit(soak(tmp))
    except KeyboardInterrupt:
        log("soak: interrupted")
        sys.exit(130)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
