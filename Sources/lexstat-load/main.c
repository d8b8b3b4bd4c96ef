/* lexstat-load — a load generator for the Lexstat wire protocol (Proto/PROTOCOL.md).
 *
 *   lexstat-load [--host 127.0.0.1] [--port 7433] [-c CONNS] [-d DEPTH] [-t SECONDS] [--warmup SECONDS]
 *                [--mix series=1,compare=1,rollup=1,health=1] [--pool N] [--seed N] [--label TEXT]
 *   --plan-port P: build the requests from the lexstatd on port P, send them to --port (the ceiling)
 *   lexstat-load --mix ingest=1 --reports N [--report-bytes 15000] ...   each report sent once
 *   lexstat-load --write-reports DIR --reports N --catalog indicators.tsv   texts for lexstat-extract --bench
 *   lexstat-load --wait-serving SECONDS                                  poll Health until SERVING
 *
 * N connections, each with DEPTH calls in flight, for SECONDS after a warm-up.
 * Requests come from pools built from the server's own catalog and regions.
 * Prints one JSON object: calls/s, latency percentiles from a log-linear
 * histogram, errors by status, per method. One libuv loop on one thread: pin
 * it to another core than the server's (taskset). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <uv.h>
#include "lexstat_frame.h"
#include "load.h"

typedef struct opts_s {
    const char *host;
    int port, plan_port, conns, depth;
    double seconds, warmup;
    int weight[M_COUNT];
    size_t pool, reports, report_bytes;
    uint64_t seed;
    const char *label, *write_reports, *catalog;
    double wait_serving;
} opts_t;

typedef struct slot_s {
    uint64_t start_ns;
    int method;
    int busy;
} slot_t;

struct run_s;

typedef struct conn_s {
    uv_tcp_t tcp;
    uv_connect_t creq;
    uv_write_t wreq;
    struct run_s *run;
    lx_decoder_t dec;
    buf_t out;      /* bytes waiting to be written */
    buf_t inflight; /* bytes handed to uv_write */
    int writing, closed, connected;
    slot_t *slots;
    int busy;
} conn_t;

typedef struct stats_s {
    hist_t hist;
    uint64_t calls, errors[17], other_errors, bytes_in;
} stats_t;

typedef struct run_s {
    uv_loop_t *loop;
    opts_t *o;
    plan_t plan;
    conn_t *conns;
    int methods[64]; /* weighted method wheel */
    int n_methods;
    uint64_t rng;
    int measuring, stopping;
    size_t next_ingest;
    uint64_t t_start, t_end;
    stats_t total, per[M_COUNT];
    uv_timer_t warm_timer, end_timer, grace_timer;
    int open_conns, conn_failures;
} run_t;

static uint64_t now_ns(void) { return uv_hrtime(); }

static void die(const char *msg) {
    fprintf(stderr, "lexstat-load: %s\n", msg);
    exit(2);
}

/* --- sending --- */

static void flush(conn_t *c);

static void on_write(uv_write_t *req, int status) {
    conn_t *c = req->data;
    c->writing = 0;
    c->inflight.len = 0;
    if (status < 0) return;
    if (c->out.len > 0 && !c->closed) flush(c);
}

static void flush(conn_t *c) {
    if (c->writing || c->out.len == 0 || c->closed) return;
    uv_buf_t b = uv_buf_init((char *)c->out.p, (unsigned)c->out.len);
    int w = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (w == UV_EAGAIN) w = 0;
    if (w < 0) return;
    if ((size_t)w == c->out.len) { c->out.len = 0; return; }
    /* Hand the rest to uv_write from a second buffer, so out can keep filling. */
    buf_t t = c->inflight;
    c->inflight = c->out;
    c->out = t;
    c->out.len = 0;
    c->inflight.len -= (size_t)w;
    memmove(c->inflight.p, c->inflight.p + w, c->inflight.len);
    b = uv_buf_init((char *)c->inflight.p, (unsigned)c->inflight.len);
    c->writing = 1;
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) c->writing = 0;
}

/* Queues the next request of slot i; 0 when there is nothing more to send. */
static int issue(conn_t *c, int i) {
    run_t *r = c->run;
    if (r->stopping) return 0;
    int m = r->methods[rng_next(&r->rng) % (uint64_t)r->n_methods];
    frame_t *f;
    if (m == M_INGEST) {
        if (r->next_ingest >= r->plan.n_frames[M_INGEST]) return 0;
        f = &r->plan.frames[M_INGEST][r->next_ingest++];
    } else {
        f = &r->plan.frames[m][rng_next(&r->rng) % r->plan.n_frames[m]];
    }
    if (buf_reserve(&c->out, f->len) != 0) die("out of memory");
    uint8_t *p = c->out.p + c->out.len;
    memcpy(p, f->bytes, f->len);
    uint32_t id = (uint32_t)i + 1;
    p[8] = (uint8_t)(id >> 24); p[9] = (uint8_t)(id >> 16); p[10] = (uint8_t)(id >> 8); p[11] = (uint8_t)id;
    c->out.len += f->len;
    c->slots[i].start_ns = now_ns();
    c->slots[i].method = m;
    c->slots[i].busy = 1;
    c->busy++;
    return 1;
}

static void maybe_finish(run_t *r);

static void on_close(uv_handle_t *h) {
    conn_t *c = h->data;
    c->run->open_conns--;
    maybe_finish(c->run);
}

static void close_conn(conn_t *c) {
    if (c->closed) return;
    c->closed = 1;
    uv_close((uv_handle_t *)&c->tcp, on_close);
}

/* --- receiving --- */

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
    conn_t *c = h->data;
    uint8_t *space;
    size_t avail;
    if (lx_decoder_reserve(&c->dec, 65536, &space, &avail) != LX_OK) { *buf = uv_buf_init(NULL, 0); return; }
    *buf = uv_buf_init((char *)space, (unsigned)(avail > 1u << 20 ? 1u << 20 : avail));
}

static void record(run_t *r, int m, int status, uint64_t ns, size_t bytes) {
    if (!r->measuring) return;
    stats_t *s[2] = {&r->total, &r->per[m]};
    for (int k = 0; k < 2; k++) {
        s[k]->calls++;
        s[k]->bytes_in += bytes;
        if (status == 0) hist_record(&s[k]->hist, ns);
        else if (status > 0 && status < 17) s[k]->errors[status]++;
        else s[k]->other_errors++;
    }
}

/* Closes a connection the server has given up on: its calls in flight count as LOST. */
static void lose_conn(conn_t *c) {
    run_t *r = c->run;
    for (int i = 0; i < r->o->depth; i++)
        if (c->slots[i].busy) { record(r, c->slots[i].method, -1, 0, 0); c->slots[i].busy = 0; c->busy--; }
    close_conn(c);
}

static void on_goaway(conn_t *c, const lx_frame_t *f) {
    uint32_t last;
    uint8_t status = 0;
    const char *msg = "";
    size_t mlen = 0;
    if (!c->run->stopping && lx_goaway_parse(f->payload, f->payload_len, &last, &status, &msg, &mlen) == LX_OK)
        fprintf(stderr, "lexstat-load: GOAWAY %s: %.*s\n", lx_status_name(status), (int)mlen, msg);
    lose_conn(c);
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf) {
    conn_t *c = st->data;
    run_t *r = c->run;
    if (nread < 0) {
        if (!r->stopping) fprintf(stderr, "lexstat-load: connection lost: %s\n", uv_strerror((int)nread));
        lose_conn(c);
        return;
    }
    if (nread == 0) return;
    lx_decoder_commit(&c->dec, (size_t)nread);
    uint64_t t = now_ns();
    lx_frame_t f;
    int n;
    while ((n = lx_decoder_next(&c->dec, &f)) == 1) {
        if (f.type == LX_FRAME_GOAWAY) { on_goaway(c, &f); return; }
        if (f.type != LX_FRAME_RESPONSE) continue;
        int i = (int)f.call_id - 1;
        if (i < 0 || i >= r->o->depth || !c->slots[i].busy) continue;
        int status = f.payload_len > 0 ? f.payload[0] : -1;
        record(r, c->slots[i].method, status, t - c->slots[i].start_ns, f.payload_len);
        c->slots[i].busy = 0;
        c->busy--;
        issue(c, i);
    }
    if (n < 0) { fprintf(stderr, "lexstat-load: bad frame: %s\n", lx_strerror(n)); close_conn(c); return; }
    flush(c);
    /* No call in flight means issue() had nothing more to send: stopping, or every report sent. */
    if (c->busy == 0) close_conn(c);
}

static void on_connect(uv_connect_t *req, int status) {
    conn_t *c = req->data;
    run_t *r = c->run;
    if (status < 0) {
        fprintf(stderr, "lexstat-load: connect: %s\n", uv_strerror(status));
        r->conn_failures++;
        close_conn(c);
        return;
    }
    c->connected = 1;
    uv_tcp_nodelay(&c->tcp, 1);
    uint8_t pre[LX_PREFACE_LEN];
    lx_preface_put(pre);
    buf_append(&c->out, pre, sizeof pre);
    for (int i = 0; i < r->o->depth; i++) issue(c, i);
    flush(c);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* --- timing --- */

static void on_grace(uv_timer_t *t) {
    run_t *r = t->data;
    for (int i = 0; i < r->o->conns; i++) close_conn(&r->conns[i]);
}

static void stop_issuing(run_t *r) {
    if (r->stopping) return;
    r->stopping = 1;
    r->measuring = 0;
    r->t_end = now_ns();
    uv_timer_stop(&r->end_timer);
    for (int i = 0; i < r->o->conns; i++)
        if (r->conns[i].busy == 0) close_conn(&r->conns[i]);
    uv_timer_start(&r->grace_timer, on_grace, 5000, 0);
}

static void on_end(uv_timer_t *t) { stop_issuing(t->data); }

static void on_warm(uv_timer_t *t) {
    run_t *r = t->data;
    r->measuring = 1;
    r->t_start = now_ns();
}

static void maybe_finish(run_t *r) {
    if (r->open_conns == 0) {
        uv_close((uv_handle_t *)&r->warm_timer, NULL);
        uv_close((uv_handle_t *)&r->end_timer, NULL);
        uv_close((uv_handle_t *)&r->grace_timer, NULL);
        if (!r->stopping) { r->stopping = 1; r->t_end = now_ns(); }
    }
}

/* --- output --- */

static void print_stats(const char *name, const stats_t *s, double secs, int last) {
    printf("    \"%s\": {\"calls\": %llu, \"calls_per_s\": %.1f, \"ok\": %llu, ", name, (unsigned long long)s->calls,
           secs > 0 ? (double)s->calls / secs : 0.0, (unsigned long long)s->hist.total);
    printf("\"latency_us\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"p999\": %.1f, \"max\": %.1f, \"mean\": %.1f}, ",
           hist_quantile(&s->hist, 0.50) / 1e3, hist_quantile(&s->hist, 0.90) / 1e3, hist_quantile(&s->hist, 0.99) / 1e3,
           hist_quantile(&s->hist, 0.999) / 1e3, s->hist.max_ns / 1e3, s->hist.total ? s->hist.sum_ns / (double)s->hist.total / 1e3 : 0.0);
    printf("\"avg_reply_bytes\": %.1f, \"errors\": {", s->calls ? (double)s->bytes_in / (double)s->calls : 0.0);
    int first = 1;
    for (int k = 1; k < 17; k++)
        if (s->errors[k]) { printf("%s\"%s\": %llu", first ? "" : ", ", lx_status_name(k), (unsigned long long)s->errors[k]); first = 0; }
    if (s->other_errors) printf("%s\"LOST\": %llu", first ? "" : ", ", (unsigned long long)s->other_errors);
    printf("}}%s\n", last ? "" : ",");
}

/* --- modes --- */

static int wait_serving(opts_t *o) {
    uint64_t deadline = now_ns() + (uint64_t)(o->wait_serving * 1e9);
    for (;;) {
        sync_client_t c;
        if (sync_connect(&c, o->host, o->port, 1) == 0) {
            int status = -1;
            uint8_t *body = NULL;
            size_t len = 0;
            /* HealthResponse field 1 (status) = SERVING (1): bytes 08 01. */
            if (sync_call(&c, "lexstat.v1.Lexstat/Health", NULL, 0, &status, &body, &len) == 0 && status == 0 &&
                len >= 2 && body[0] == 0x08 && body[1] == 0x01) {
                free(body);
                sync_close(&c);
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                printf("{\"serving_at_ms\": %.3f}\n", ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
                return 0;
            }
            free(body);
            sync_close(&c);
        }
        if (now_ns() > deadline) { fprintf(stderr, "lexstat-load: not SERVING in time\n"); return 1; }
        struct timespec nap = {0, 2 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
}

static int write_reports(opts_t *o) {
    mkdir(o->write_reports, 0755);
    uint64_t rng = o->seed;
    /* Indicator names from the catalog file (column 2), so the texts mention real indicators. */
    char *names[256];
    size_t n_names = 0;
    FILE *cat = o->catalog ? fopen(o->catalog, "r") : NULL;
    if (!cat) die("--write-reports needs --catalog indicators.tsv");
    char line[4096];
    while (fgets(line, sizeof line, cat) && n_names < 256) {
        char *tab1 = strchr(line, '\t');
        if (!tab1 || line[0] == '#' || strncmp(line, "code\t", 5) == 0) continue;
        char *tab2 = strchr(tab1 + 1, '\t');
        if (!tab2) continue;
        *tab2 = 0;
        names[n_names++] = strdup(tab1 + 1);
    }
    fclose(cat);
    if (n_names == 0) die("--catalog: no indicators");
    size_t total = 0;
    for (size_t i = 0; i < o->reports; i++) {
        buf_t b = {0};
        report_text(&b, o->report_bytes, &rng, "某某县", 2015 + (int)(i % 10), names, n_names, (uint32_t)i);
        char path[4096];
        snprintf(path, sizeof path, "%s/report-%04zu.txt", o->write_reports, i + 1);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(b.p, 1, b.len, f) != b.len) die("cannot write a report file");
        fclose(f);
        total += b.len;
        free(b.p);
    }
    printf("{\"reports\": %zu, \"bytes\": %zu}\n", o->reports, total);
    return 0;
}

static void parse_mix(opts_t *o, const char *spec) {
    memset(o->weight, 0, sizeof o->weight);
    char *s = strdup(spec), *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        int w = eq ? atoi(eq + 1) : 1;
        if (eq) *eq = 0;
        int found = 0;
        for (int m = 0; m < M_COUNT; m++)
            if (strcmp(tok, method_names[m]) == 0) { o->weight[m] = w; found = 1; }
        if (!found) die("--mix: methods are series, compare, rollup, health, compare_all, ingest");
    }
    free(s);
}

int main(int argc, char **argv) {
    opts_t o = {.host = "127.0.0.1", .port = 7433, .conns = 1, .depth = 1, .seconds = 5, .warmup = 1,
                .pool = 4096, .reports = 0, .report_bytes = 15000, .seed = 1, .label = ""};
    parse_mix(&o, "series=1,compare=1,rollup=1,health=1");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDV() do { if (!v) die("an option needs a value"); i++; } while (0)
        if (!strcmp(a, "--host")) { NEEDV(); o.host = v; }
        else if (!strcmp(a, "--port")) { NEEDV(); o.port = atoi(v); }
        else if (!strcmp(a, "-c") || !strcmp(a, "--connections")) { NEEDV(); o.conns = atoi(v); }
        else if (!strcmp(a, "-d") || !strcmp(a, "--depth")) { NEEDV(); o.depth = atoi(v); }
        else if (!strcmp(a, "-t") || !strcmp(a, "--seconds")) { NEEDV(); o.seconds = atof(v); }
        else if (!strcmp(a, "--warmup")) { NEEDV(); o.warmup = atof(v); }
        else if (!strcmp(a, "--mix")) { NEEDV(); parse_mix(&o, v); }
        else if (!strcmp(a, "--pool")) { NEEDV(); o.pool = (size_t)atol(v); }
        else if (!strcmp(a, "--seed")) { NEEDV(); o.seed = strtoull(v, NULL, 10); }
        else if (!strcmp(a, "--reports")) { NEEDV(); o.reports = (size_t)atol(v); }
        else if (!strcmp(a, "--report-bytes")) { NEEDV(); o.report_bytes = (size_t)atol(v); }
        else if (!strcmp(a, "--label")) { NEEDV(); o.label = v; }
        else if (!strcmp(a, "--write-reports")) { NEEDV(); o.write_reports = v; }
        else if (!strcmp(a, "--plan-port")) { NEEDV(); o.plan_port = atoi(v); }
        else if (!strcmp(a, "--catalog")) { NEEDV(); o.catalog = v; }
        else if (!strcmp(a, "--wait-serving")) { NEEDV(); o.wait_serving = atof(v); }
        else die("unknown option; see the comment at the top of Sources/lexstat-load/main.c");
    }
    if (o.conns < 1 || o.conns > 10000 || o.depth < 1 || o.depth > 1000 || o.pool < 1 || o.seconds <= 0 || o.warmup < 0)
        die("--connections 1…10000, --depth 1…1000, --pool ≥ 1, --seconds > 0, --warmup ≥ 0");
    if (o.wait_serving > 0) return wait_serving(&o);
    if (o.write_reports) {
        if (o.reports == 0) die("--write-reports needs --reports N");
        return write_reports(&o);
    }
    static run_t r;
    r.o = &o;
    r.rng = o.seed * 7919 + 1;
    for (int m = 0; m < M_COUNT; m++)
        for (int k = 0; k < o.weight[m] && r.n_methods < 64; k++) r.methods[r.n_methods++] = m;
    if (r.n_methods == 0) die("--mix: no method has a weight");
    int want[M_COUNT];
    for (int m = 0; m < M_COUNT; m++) want[m] = o.weight[m] > 0;
    if (want[M_INGEST] && o.reports == 0) die("ingest needs --reports N (each report is sent once)");
    sync_client_t sc;
    if (sync_connect(&sc, o.host, o.plan_port ? o.plan_port : o.port, 0) != 0) return 1;
    if (plan_build(&r.plan, &sc, want, want[M_INGEST] ? o.reports : o.pool, o.seed, o.report_bytes, 60) != 0) return 1;
    sync_close(&sc);

    r.loop = uv_default_loop();
    r.conns = calloc((size_t)o.conns, sizeof(conn_t));
    if (!r.conns) die("out of memory");
    struct sockaddr_in sa;
    if (uv_ip4_addr(o.host, o.port, &sa) != 0) die("--host: not an IPv4 address");
    uv_timer_init(r.loop, &r.warm_timer);
    uv_timer_init(r.loop, &r.end_timer);
    uv_timer_init(r.loop, &r.grace_timer);
    r.warm_timer.data = r.end_timer.data = r.grace_timer.data = &r;
    for (int i = 0; i < o.conns; i++) {
        conn_t *c = &r.conns[i];
        c->run = &r;
        c->slots = calloc((size_t)o.depth, sizeof(slot_t));
        if (!c->slots) die("out of memory");
        lx_decoder_init(&c->dec, 64u * 1024u * 1024u, 1);
        uv_tcp_init(r.loop, &c->tcp);
        c->tcp.data = c;
        c->creq.data = c;
        r.open_conns++;
        if (uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&sa, on_connect) != 0) die("connect failed");
    }
    uint64_t t0 = now_ns();
    if (o.warmup > 0) uv_timer_start(&r.warm_timer, on_warm, (uint64_t)(o.warmup * 1000), 0);
    else { r.measuring = 1; r.t_start = t0; }
    /* Ingest runs until every report is answered (or the time is up). */
    uv_timer_start(&r.end_timer, on_end, (uint64_t)((o.warmup + o.seconds) * 1000), 0);
    uv_run(r.loop, UV_RUN_DEFAULT);
    if (r.t_end == 0) r.t_end = now_ns();
    double secs = r.t_start ? (double)(r.t_end - r.t_start) / 1e9 : 0;

    printf("{\n  \"label\": \"%s\", \"connections\": %d, \"depth\": %d, \"seconds\": %.3f, \"connect_failures\": %d,\n",
           o.label, o.conns, o.depth, secs, r.conn_failures);
    if (want[M_INGEST]) {
        double mb = (double)r.plan.payload_bytes[M_INGEST] / 1e6 * ((double)r.per[M_INGEST].hist.total / (double)(o.reports ? o.reports : 1));
        printf("  \"reports_per_s\": %.2f, \"mb_per_s\": %.3f, \"report_bytes_avg\": %.0f,\n",
               secs > 0 ? (double)r.per[M_INGEST].hist.total / secs : 0.0, secs > 0 ? mb / secs : 0.0,
               (double)r.plan.payload_bytes[M_INGEST] / (double)(o.reports ? o.reports : 1));
    }
    printf("  \"methods\": {\n");
    int shown = 0, n_shown = 0;
    for (int m = 0; m < M_COUNT; m++) n_shown += want[m];
    for (int m = 0; m < M_COUNT; m++)
        if (want[m]) print_stats(method_names[m], &r.per[m], secs, ++shown == n_shown);
    printf("  },\n  \"total\": {\n");
    print_stats("all", &r.total, secs, 1);
    printf("  }\n}\n");
    return 0;
}
