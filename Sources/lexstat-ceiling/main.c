/* lexstat-ceiling — the loopback ceiling for `make bench`: a plain libuv
 * server with Lexstat's framing (preface, 12-byte frames) that answers every
 * REQUEST with a canned RESPONSE of --reply-bytes bytes, without decoding the
 * request header or the message and without looking anything up. It writes
 * answers the way LexstatNet does (all answers of one read in one
 * uv_try_write, uv_write for the rest), so the gap between it and lexstatd is
 * what decoding, the handler and encoding cost.
 *
 *   lexstat-ceiling [--host 127.0.0.1] [--port 7435] [--reply-bytes 600]
 *
 * Limits: frames over 4 MiB close the connection; a client that lets more
 * than 16 MiB of answers pile up is closed. SIGINT/SIGTERM stop it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>
#include "lexstat_frame.h"

#define MAX_PENDING (16u * 1024u * 1024u)

typedef struct out_s {
    uint8_t *p;
    size_t len, cap;
} out_t;

typedef struct conn_s {
    uv_tcp_t tcp;
    uv_write_t wreq;
    lx_decoder_t dec;
    out_t out, inflight;
    int writing, closing;
} conn_t;

static uv_loop_t *loop;
static uv_tcp_t server;
static uv_signal_t sigint, sigterm;
static uint8_t *reply;       /* RESPONSE payload: status 0, message length 0, body */
static uint32_t reply_len;

static int out_reserve(out_t *o, size_t more) {
    if (o->len + more <= o->cap) return 0;
    size_t cap = o->cap ? o->cap : 16384;
    while (cap < o->len + more) cap *= 2;
    uint8_t *p = realloc(o->p, cap);
    if (!p) return -1;
    o->p = p;
    o->cap = cap;
    return 0;
}

static void on_closed(uv_handle_t *h) {
    conn_t *c = h->data;
    lx_decoder_free(&c->dec);
    free(c->out.p);
    free(c->inflight.p);
    free(c);
}

static void close_conn(conn_t *c) {
    if (c->closing) return;
    c->closing = 1;
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void flush(conn_t *c);

static void on_write(uv_write_t *req, int status) {
    conn_t *c = req->data;
    c->writing = 0;
    c->inflight.len = 0;
    if (status < 0) { close_conn(c); return; }
    flush(c);
}

static void flush(conn_t *c) {
    if (c->writing || c->out.len == 0 || c->closing) return;
    uv_buf_t b = uv_buf_init((char *)c->out.p, (unsigned)c->out.len);
    int w = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (w == UV_EAGAIN) w = 0;
    if (w < 0) { close_conn(c); return; }
    if ((size_t)w == c->out.len) { c->out.len = 0; return; }
    out_t t = c->inflight;
    c->inflight = c->out;
    c->out = t;
    c->out.len = 0;
    c->inflight.len -= (size_t)w;
    memmove(c->inflight.p, c->inflight.p + w, c->inflight.len);
    b = uv_buf_init((char *)c->inflight.p, (unsigned)c->inflight.len);
    c->writing = 1;
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) { c->writing = 0; close_conn(c); }
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
    conn_t *c = h->data;
    uint8_t *space;
    size_t avail;
    if (lx_decoder_reserve(&c->dec, 16384, &space, &avail) != LX_OK) { *buf = uv_buf_init(NULL, 0); return; }
    *buf = uv_buf_init((char *)space, (unsigned)(avail > 65536 ? 65536 : avail));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    conn_t *c = s->data;
    if (nread < 0) { close_conn(c); return; }
    if (nread == 0) return;
    lx_decoder_commit(&c->dec, (size_t)nread);
    lx_frame_t f;
    int n;
    while ((n = lx_decoder_next(&c->dec, &f)) == 1) {
        if (f.type == LX_FRAME_REQUEST) {
            if (out_reserve(&c->out, LX_FRAME_HEADER_LEN + reply_len) != 0) { close_conn(c); return; }
            lx_frame_put_header(c->out.p + c->out.len, LX_FRAME_RESPONSE, 0, f.call_id, reply_len);
            memcpy(c->out.p + c->out.len + LX_FRAME_HEADER_LEN, reply, reply_len);
            c->out.len += LX_FRAME_HEADER_LEN + reply_len;
        } else if (f.type == LX_FRAME_PING && !(f.flags & LX_FLAG_ACK)) {
            if (out_reserve(&c->out, LX_FRAME_HEADER_LEN + f.payload_len) != 0) { close_conn(c); return; }
            lx_frame_put_header(c->out.p + c->out.len, LX_FRAME_PING, LX_FLAG_ACK, 0, f.payload_len);
            memcpy(c->out.p + c->out.len + LX_FRAME_HEADER_LEN, f.payload, f.payload_len);
            c->out.len += LX_FRAME_HEADER_LEN + f.payload_len;
        }
    }
    if (n < 0) { close_conn(c); return; }
    if (c->out.len + c->inflight.len > MAX_PENDING) { close_conn(c); return; }
    flush(c);
}

static void on_connection(uv_stream_t *srv, int status) {
    if (status < 0) return;
    conn_t *c = calloc(1, sizeof *c);
    if (!c) return;
    uv_tcp_init(loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(srv, (uv_stream_t *)&c->tcp) != 0) { close_conn(c); return; }
    uv_tcp_nodelay(&c->tcp, 1);
    lx_decoder_init(&c->dec, LX_DEFAULT_MAX_FRAME, 1);
    if (out_reserve(&c->out, LX_PREFACE_LEN) != 0) { close_conn(c); return; }
    lx_preface_put(c->out.p);
    c->out.len = LX_PREFACE_LEN;
    flush(c);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void close_walk(uv_handle_t *h, void *arg) {
    if (uv_is_closing(h)) return;
    if (h->type == UV_TCP && h != (uv_handle_t *)&server) close_conn(h->data);
    else uv_close(h, NULL);
}

static void on_signal(uv_signal_t *s, int signum) { uv_walk(loop, close_walk, NULL); }

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 7435;
    long body = 600;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--host")) host = argv[i + 1];
        else if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--reply-bytes")) body = atol(argv[i + 1]);
        else { fprintf(stderr, "usage: lexstat-ceiling [--host H] [--port P] [--reply-bytes N]\n"); return 2; }
    }
    if (body < 0 || body > 1 << 20) { fprintf(stderr, "lexstat-ceiling: --reply-bytes 0…1048576\n"); return 2; }
    reply_len = 4 + (uint32_t)body;
    reply = calloc(1, reply_len);
    if (!reply) return 1;
    for (long i = 0; i < body; i++) reply[4 + i] = (uint8_t)(0x20 + i % 64);
    signal(SIGPIPE, SIG_IGN);
    loop = uv_default_loop();
    struct sockaddr_in sa;
    if (uv_ip4_addr(host, port, &sa) != 0) { fprintf(stderr, "lexstat-ceiling: bad --host\n"); return 2; }
    uv_tcp_init(loop, &server);
    int rc = uv_tcp_bind(&server, (const struct sockaddr *)&sa, 0);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&server, 1024, on_connection);
    if (rc != 0) { fprintf(stderr, "lexstat-ceiling: cannot listen on %s:%d: %s\n", host, port, uv_strerror(rc)); return 1; }
    uv_signal_init(loop, &sigint);
    uv_signal_init(loop, &sigterm);
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    fprintf(stderr, "lexstat-ceiling: listening on %s:%d, %ld-byte answers\n", host, port, body);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    free(reply);
    return 0;
}
