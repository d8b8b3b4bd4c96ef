#!/usr/bin/env python3
"""`make bench`: issue 7's figures in one run, written to bench/results.json.

lexstatd on synthetic national data (GetSeries, Compare within a province,
Rollup of a province, Health at 1 and 32 connections x 1 and 8 calls in
flight), the same GetSeries served by grpc-swift-2 (Bench/GRPCSeries, loaded
by h2load), the ceiling (lexstat-ceiling: same framing, canned answers), and
the scale figures: start to SERVING, resident memory, Compare over every
county, Rollup of a province, durable ingest, extraction speed.

Servers run on one core and clients on the other (taskset), so the two do
not fight for a core. Each run also records the server's CPU seconds, so a
figure taken while other work shares the machine can be read per CPU-second.

Environment: BENCH_SECONDS (per run, default 5), BENCH_WARMUP (1),
BENCH_SEED (20261122), BENCH_SKIP_GRPC=1, BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1),
BENCH_REPORTS (ingest, default 150).
"""
import json
import os
import re
import resource
import shutil
import statistics
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
GRPC_PKG = os.path.join(ROOT, "Bench", "GRPCSeries")
GRPC_BIN = os.path.join(GRPC_PKG, ".build", "release")
VAR = os.path.join(ROOT, "var", "bench")
OUT = os.path.join(ROOT, "bench")

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))
SEED = os.environ.get("BENCH_SEED", "20261122")
SERVER_CPU = os.environ.get("BENCH_SERVER_CPU", "0")
CLIENT_CPU = os.environ.get("BENCH_CLIENT_CPU", "1")
REPORTS = int(os.environ.get("BENCH_REPORTS", "150"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
STARTS = int(os.environ.get("BENCH_STARTS", "3"))
LX_PORT, CEIL_PORT, GRPC_PORT, INGEST_PORT = 7531, 7532, 7534, 7536
TICK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_avg():
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pinned(cpu, argv):
    return ["taskset", "-c", cpu] + argv


def start(argv, name):
    logf = open(os.path.join(VAR, f"{name}.log"), "w")
    return subprocess.Popen(pinned(SERVER_CPU, argv), stdout=logf, stderr=subprocess.STDOUT)


def stop(p):
    if p and p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def wait_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False


def load(port, mix, conns, depth, extra=(), seconds=SECONDS, warmup=WARMUP, server=None):
    argv = [os.path.join(BIN, "lexstat-load"), "--port", str(port), "--mix", mix, "-c", str(conns), "-d", str(depth),
            "-t", str(seconds), "--warmup", str(warmup), "--seed", SEED] + list(extra)
    before = cpu_seconds(server.pid) if server else None
    la = load_avg()
    out = subprocess.run(pinned(CLIENT_CPU, argv), capture_output=True, text=True, timeout=seconds + warmup + 600)
    if out.returncode != 0:
        raise RuntimeError(f"lexstat-load {' '.join(argv[1:])} failed: {out.stderr.strip()}")
    r = json.loads(out.stdout)
    r["load_avg"] = la
    if server:
        # Warm-up included: an estimate of the server's CPU share during the run.
        used = cpu_seconds(server.pid) - before
        r["server_cpu_s"] = round(used, 3)
        calls = r["total"]["all"]["calls"]
        r["calls_per_server_cpu_s"] = round(calls / (used * seconds / (seconds + warmup)), 1) if used > 0 else None
    return r


def summary(r, method):
    m = r["methods"][method]
    return {"connections": r["connections"], "depth": r["depth"], "calls_per_s": m["calls_per_s"],
            "p50_us": m["latency_us"]["p50"], "p99_us": m["latency_us"]["p99"], "p999_us": m["latency_us"]["p999"],
            "errors": m["errors"], "avg_reply_bytes": m["avg_reply_bytes"],
            "calls_per_server_cpu_s": r.get("calls_per_server_cpu_s"), "load_avg": r["load_avg"]}


def h2load(body, conns, depth):
    argv = ["h2load", "-c", str(conns), "-m", str(depth), "-t", "1", "-D", f"{int(SECONDS * 1000)}ms", "--warm-up-time", f"{int(WARMUP * 1000)}ms",
            "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", body,
            f"http://127.0.0.1:{GRPC_PORT}/lexstat.v1.Lexstat/GetSeries"]
    la = load_avg()
    out = subprocess.run(pinned(CLIENT_CPU, argv), capture_output=True, text=True, timeout=SECONDS + WARMUP + 120)
    text = out.stdout
    rps = re.search(r"finished in [^,]+, ([\d.]+) req/s", text)
    reqs = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", text)
    lat = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", text)

    def us(s):
        m = re.match(r"([\d.]+)(us|ms|s)", s)
        return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)] if m else None

    return {"connections": conns, "depth": depth, "calls_per_s": float(rps.group(1)) if rps else 0.0,
            "succeeded": int(reqs.group(4)) if reqs else 0, "failed": int(reqs.group(5)) if reqs else 0,
            "mean_us": us(lat.group(3)) if lat else None, "max_us": us(lat.group(2)) if lat else None,
            "client": "h2load", "load_avg": la}


def in_turn(name, other, server, digits):
    """The ratio targets at 32 connections: the cached lexstatd (on LX_PORT) and
    another server loaded in turn, ROUNDS times a depth, both servers up; the
    round with the median ratio stands for both (a shared machine drifts over the
    minutes between two sweeps). `other(depth)` loads the other server and returns
    its summary. Returns lexstatd's and the other's summaries of the standing
    rounds, and every round's ratio, by key (series_32x1, series_32x8)."""
    mine, theirs, ratios = {}, {}, {}
    for depth in [1, 8]:
        k = f"series_32x{depth}"
        rounds = []
        for i in range(ROUNDS):
            log(f"bench: lexstatd and {name} 32x{depth}, round {i + 1} of {ROUNDS}")
            a = summary(load(LX_PORT, "series=1", 32, depth, server=server), "series")
            b = other(depth)
            ratio = round(a["calls_per_s"] / b["calls_per_s"], digits) if b["calls_per_s"] > 0 else 0.0
            rounds.append((ratio, a, b))
        _, mine[k], theirs[k] = sorted(rounds, key=lambda x: x[0])[len(rounds) // 2]
        ratios[k] = [x[0] for x in rounds]
    return mine, theirs, ratios


def main():
    os.makedirs(VAR, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    results = {"machine": {"cores": os.cpu_count(), "server_cpu": SERVER_CPU, "client_cpu": CLIENT_CPU,
                           "load_avg_at_start": load_avg()},
               "settings": {"seconds": SECONDS, "warmup": WARMUP, "seed": SEED},
               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    db = os.path.join(VAR, f"synthetic-{SEED}.db")
    lexstatd = os.path.join(BIN, "lexstatd")

    # 1. The synthetic database, made once per seed.
    if not os.path.exists(db):
        log(f"bench: writing synthetic data (seed {SEED}) to {db}")
        p = start([lexstatd, "--db", db, "--synthetic", SEED, "--listen", f"127.0.0.1:{LX_PORT}", "--log-level", "warning"], "fill")
        t = time.time()
        ok = wait_port(LX_PORT, 600)
        results["synthetic_fill_s"] = round(time.time() - t, 2)
        stop(p)
        if not ok:
            sys.exit("bench: lexstatd --synthetic did not come up; see var/bench/fill.log")

    # 2. Start to SERVING, resident memory: the median of three starts (the
    # machine is shared; one start right after a build read a second slower).
    starts = []
    for i in range(STARTS):
        t0 = time.time() * 1000
        # No access log: one line per call is the default for operators, and at
        # half a million calls a second its writer thread would take the core the
        # client runs on. The ceiling logs nothing either.
        server = start([lexstatd, "--db", db, "--listen", f"127.0.0.1:{LX_PORT}", "--log-level", "warning", "--no-access-log"],
                       "lexstatd")
        w = subprocess.run(pinned(CLIENT_CPU, [os.path.join(BIN, "lexstat-load"), "--port", str(LX_PORT), "--wait-serving", "60"]),
                           capture_output=True, text=True)
        if w.returncode != 0:
            stop(server)
            sys.exit("bench: lexstatd did not serve; see var/bench/lexstatd.log")
        starts.append(round(json.loads(w.stdout)["serving_at_ms"] - t0, 1))
        if i < STARTS - 1:
            stop(server)
    scale = {"start_to_serving_ms": statistics.median(starts), "start_to_serving_runs_ms": starts,
             "rss_after_start_mb": round(rss_mb(server.pid), 1), "load_avg": load_avg()}
    log(f"bench: SERVING after {starts} ms (median {scale['start_to_serving_ms']}), {scale['rss_after_start_mb']} MB resident")

    # 3. lexstatd: every method at 1 and 32 connections x 1 and 8 in flight.
    lex = {}
    for method in ["series", "compare", "rollup", "health"]:
        for conns in [1, 32]:
            for depth in [1, 8]:
                log(f"bench: lexstatd {method} {conns}x{depth}")
                r = load(LX_PORT, f"{method}=1", conns, depth, server=server)
                lex[f"{method}_{conns}x{depth}"] = summary(r, method)
    scale["rss_after_load_mb"] = round(rss_mb(server.pid), 1)
    results["lexstatd"] = lex
    reply = lex["series_32x8"]["avg_reply_bytes"]

    # 4. The ceiling, answering with as many bytes as GetSeries did.
    ceiling = start([os.path.join(BIN, "lexstat-ceiling"), "--port", str(CEIL_PORT), "--reply-bytes", str(max(0, int(reply) - 4))], "ceiling")
    wait_port(CEIL_PORT)
    def ceiling_run(conns, depth):
        return summary(load(CEIL_PORT, "series=1", conns, depth, extra=["--plan-port", str(LX_PORT)], server=ceiling), "series")

    ceil = {}
    for conns, depth in [(1, 1), (1, 8)]:
        log(f"bench: ceiling {conns}x{depth}")
        ceil[f"series_{conns}x{depth}"] = ceiling_run(conns, depth)
    mine, theirs, paired = in_turn("ceiling", lambda depth: ceiling_run(32, depth), server, digits=3)
    lex.update(mine)
    ceil.update(theirs)
    stop(ceiling)
    results["ceiling"] = ceil
    results["lexstatd"] = lex
    results["paired_rounds_ratio"] = paired

    # 5. gRPC: the same GetSeries over HTTP/2, loaded by h2load, with the cached
    # lexstatd still up: at 32 connections the two are loaded in turn, ROUNDS
    # times, and the round with the median ratio stands (as for the ceiling).
    grpc = {}
    lex_beside_grpc = {}
    grpc_server = os.path.join(GRPC_BIN, "grpc-series-server")
    if os.environ.get("BENCH_SKIP_GRPC") == "1" or not os.path.exists(grpc_server) or shutil.which("h2load") is None:
        grpc["skipped"] = "BENCH_SKIP_GRPC=1, or Bench/GRPCSeries not built, or h2load missing"
    else:
        gs = start([grpc_server, "--db", db, "--port", str(GRPC_PORT)], "grpc")
        if wait_port(GRPC_PORT, 120):
            body = os.path.join(VAR, "grpc-getseries.bin")
            chk = subprocess.run([os.path.join(GRPC_BIN, "grpc-series-client"), "--port", str(GRPC_PORT),
                                  "--indicator", "coord.inspections", "--region", "510104", "--h2load-body", body],
                                 capture_output=True, text=True)
            grpc["check"] = json.loads(chk.stdout) if chk.returncode == 0 else {"error": chk.stderr.strip()[-300:]}

            def grpc_run(conns, depth):
                before = cpu_seconds(gs.pid)
                g = h2load(body, conns, depth)
                used = cpu_seconds(gs.pid) - before
                g["calls_per_server_cpu_s"] = round(g["succeeded"] / used, 1) if used > 0 else None
                return g

            for conns, depth in [(1, 1), (1, 8)]:
                log(f"bench: grpc {conns}x{depth}")
                grpc[f"series_{conns}x{depth}"] = grpc_run(conns, depth)
            lex_beside_grpc, theirs, rounds_g = in_turn("grpc", lambda depth: grpc_run(32, depth), server, digits=1)
            grpc.update(theirs)
            results["paired_rounds_ratio_grpc"] = rounds_g
        stop(gs)
    results["grpc"] = grpc
    results["lexstatd_beside_grpc"] = lex_beside_grpc
    scale["rss_after_load_mb"] = max(scale["rss_after_load_mb"], round(rss_mb(server.pid), 1))
    stop(server)

    # 4b. lexstatd without its response cache (--cache-bytes 0): every call
    # computed afresh. The figures above answer repeated questions from the
    # cache (the load's pool of 4,096 requests fits in it); these are what a
    # question never asked before costs. The scale targets use these.
    server = start([lexstatd, "--db", db, "--listen", f"127.0.0.1:{LX_PORT}", "--log-level", "warning", "--no-access-log",
                    "--cache-bytes", "0"], "lexstatd-uncached")
    subprocess.run([os.path.join(BIN, "lexstat-load"), "--port", str(LX_PORT), "--wait-serving", "60"], capture_output=True)
    unc = {}
    for method, conns, depth in [("series", 32, 1), ("series", 32, 8), ("compare", 1, 1), ("rollup", 1, 1)]:
        log(f"bench: lexstatd uncached {method} {conns}x{depth}")
        r = load(LX_PORT, f"{method}=1", conns, depth, server=server)
        unc[f"{method}_{conns}x{depth}"] = summary(r, method)
    log("bench: lexstatd uncached compare over every county 1x1")
    r = load(LX_PORT, "compare_all=1", 1, 1, server=server)
    scale["compare_all_counties"] = summary(r, "compare_all")
    results["lexstatd_uncached"] = unc
    stop(server)

    # 6. Durable ingest of ~15 KB report-like texts, into a copy of the synthetic database.
    idb = os.path.join(VAR, "ingest.db")
    for suffix in ["", "-wal", "-shm"]:
        if os.path.exists(idb + suffix):
            os.remove(idb + suffix)
    shutil.copy(db, idb)
    # Reports go in over TCP, as the load generator speaks it: a bench server without tokens.
    isrv = start([lexstatd, "--db", idb, "--listen", f"127.0.0.1:{INGEST_PORT}", "--log-level", "warning",
                  "--tcp-writes-without-token"], "ingest")
    subprocess.run([os.path.join(BIN, "lexstat-load"), "--port", str(INGEST_PORT), "--wait-serving", "60"], capture_output=True)
    log(f"bench: ingest {REPORTS} reports")
    r = load(INGEST_PORT, "ingest=1", 2, 1, extra=["--reports", str(REPORTS), "--report-bytes", "15000"],
             seconds=600, warmup=0, server=isrv)
    stop(isrv)
    scale["ingest"] = {"reports": REPORTS, "reports_per_s": r["reports_per_s"], "mb_per_s": r["mb_per_s"],
                       "report_bytes_avg": r["report_bytes_avg"], "p50_ms": r["methods"]["ingest"]["latency_us"]["p50"] / 1000,
                       "errors": r["methods"]["ingest"]["errors"], "durability": "synchronous=FULL, one transaction per report",
                       "load_avg": r["load_avg"]}

    # 7. Extraction speed, one core, CPU time.
    rdir = os.path.join(VAR, "reports")
    shutil.rmtree(rdir, ignore_errors=True)
    subprocess.run([os.path.join(BIN, "lexstat-load"), "--write-reports", rdir, "--reports", "40", "--seed", SEED,
                    "--catalog", os.path.join(ROOT, "Sources", "LexstatCore", "Resources", "indicators.tsv")],
                   check=True, capture_output=True)
    files = sorted(os.path.join(rdir, f) for f in os.listdir(rdir))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ex = subprocess.run(pinned(CLIENT_CPU, [os.path.join(BIN, "lexstat-extract"), "--bench", str(SECONDS)] + files),
                        capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    m = re.search(r"([\d.]+) MB in ([\d.]+) s", ex.stdout)
    mb, wall = (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
    scale["extract"] = {"mb_per_s_wall": round(mb / wall, 2) if wall > 0 else None, "mb_per_cpu_s": round(mb / cpu, 2) if cpu > 0 else None,
                        "output": ex.stdout.strip(), "load_avg": load_avg()}
    results["scale"] = scale

    # 8. Ratios, from this run.
    ratios = {}
    for d in [1, 8]:
        k = f"series_32x{d}"
        ratios[f"lexstat_over_ceiling_32x{d}"] = round(lex[k]["calls_per_s"] / ceil[k]["calls_per_s"], 3)
        beside = results.get("lexstatd_beside_grpc", {}).get(k, lex[k])
        if k in grpc and grpc[k]["calls_per_s"] > 0:
            ratios[f"lexstat_over_grpc_32x{d}"] = round(beside["calls_per_s"] / grpc[k]["calls_per_s"], 1)
        u = results["lexstatd_uncached"][k]["calls_per_s"]
        ratios[f"uncached_lexstat_over_ceiling_32x{d}"] = round(u / ceil[k]["calls_per_s"], 3)
        if k in grpc and grpc[k]["calls_per_s"] > 0:
            ratios[f"uncached_lexstat_over_grpc_32x{d}"] = round(u / grpc[k]["calls_per_s"], 1)
        # The same ratios per CPU-second of each server: steadier while other work shares the machine.
        if lex[k].get("calls_per_server_cpu_s") and ceil[k].get("calls_per_server_cpu_s"):
            ratios[f"per_cpu_lexstat_over_ceiling_32x{d}"] = round(lex[k]["calls_per_server_cpu_s"] / ceil[k]["calls_per_server_cpu_s"], 3)
        if k in grpc and grpc[k].get("calls_per_server_cpu_s") and beside.get("calls_per_server_cpu_s"):
            ratios[f"per_cpu_lexstat_over_grpc_32x{d}"] = round(beside["calls_per_server_cpu_s"] / grpc[k]["calls_per_server_cpu_s"], 1)
    results["ratios"] = {"lexstat_over_grpc": {f"32x{d}": ratios.get(f"lexstat_over_grpc_32x{d}") for d in [1, 8]},
                         "lexstat_over_ceiling": {f"32x{d}": ratios.get(f"lexstat_over_ceiling_32x{d}") for d in [1, 8]},
                         "per_server_cpu_second": {k: v for k, v in ratios.items() if k.startswith("per_cpu")},
                         "without_cache": {
                             "lexstat_over_grpc": {f"32x{d}": ratios.get(f"uncached_lexstat_over_grpc_32x{d}") for d in [1, 8]},
                             "lexstat_over_ceiling": {f"32x{d}": ratios.get(f"uncached_lexstat_over_ceiling_32x{d}") for d in [1, 8]}}}
    results["targets"] = targets(results)
    results["machine"]["load_avg_at_end"] = load_avg()
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)
    table(results)


def targets(r):
    lex, scale, rat = r["lexstatd"], r["scale"], r["ratios"]
    t = {}
    for d in ["32x1", "32x8"]:
        c = rat["lexstat_over_ceiling"][d]
        g = rat["lexstat_over_grpc"][d]
        t[f"ceiling_{d} >= 0.70"] = c is not None and c >= 0.70
        t[f"grpc_{d} >= 80x"] = None if g is None else g >= 80
    t["series p99 at 32x1 <= 1 ms"] = lex["series_32x1"]["p99_us"] <= 1000
    t["start to SERVING <= 3 s"] = scale["start_to_serving_ms"] <= 3000
    t["RSS <= 600 MB"] = scale["rss_after_load_mb"] <= 600
    t["Compare all counties p50 <= 2 ms (uncached)"] = scale["compare_all_counties"]["p50_us"] <= 2000
    t["Rollup of a province p50 <= 1 ms (uncached)"] = r["lexstatd_uncached"]["rollup_1x1"]["p50_us"] <= 1000
    t["ingest >= 50 reports/s"] = scale["ingest"]["reports_per_s"] >= 50
    return t


def table(r):
    def row(*cols):
        print("  ".join(str(c).rjust(w) for c, w in zip(cols, [22, 8, 12, 10, 10, 10, 14])))
    print(f"\nLexstat benchmarks ({r['started']}, load average {r['machine']['load_avg_at_start']} → {r['machine']['load_avg_at_end']})")
    row("server / method", "conns×d", "calls/s", "p50 µs", "p99 µs", "p99.9 µs", "calls/CPU-s")
    for name, group in [("lexstatd", r["lexstatd"]), ("uncached", r["lexstatd_uncached"]), ("ceiling", r["ceiling"]),
                        ("grpc-swift-2", r["grpc"])]:
        for k, v in group.items():
            if not isinstance(v, dict) or "calls_per_s" not in v:
                continue
            meth, cd = k.rsplit("_", 1)
            row(f"{name} {meth}", cd, f"{v['calls_per_s']:.0f}", v.get("p50_us", "-"), v.get("p99_us", "-"),
                v.get("p999_us", "-"), v.get("calls_per_server_cpu_s") or "-")
    print("\nratios (GetSeries, 32 connections):", json.dumps(r["ratios"], ensure_ascii=False))
    print("lexstatd / ceiling in each round, lexstatd and the ceiling in turn (the median round stands):",
          json.dumps(r.get("paired_rounds_ratio", {})))
    print("lexstatd / grpc-swift-2 in each round, loaded in turn (the median round stands):",
          json.dumps(r.get("paired_rounds_ratio_grpc", {})))
    s = r["scale"]
    print(f"start to SERVING {s['start_to_serving_ms']} ms (median of {s.get('start_to_serving_runs_ms')}); RSS {s['rss_after_start_mb']} MB after start, {s['rss_after_load_mb']} MB after load")
    print(f"Compare over every county p50 {s['compare_all_counties']['p50_us']} µs; "
          f"Rollup of a province p50 {r['lexstatd_uncached']['rollup_1x1']['p50_us']} µs (both uncached)")
    print(f"ingest {s['ingest']['reports_per_s']} reports/s, {s['ingest']['mb_per_s']} MB/s (durable); "
          f"extract {s['extract']['mb_per_cpu_s']} MB per CPU-second")
    print("targets:")
    for k, v in r["targets"].items():
        print(f"  {'met ' if v else ('n/a ' if v is None else 'MISS')}  {k}")


if __name__ == "__main__":
    main()
