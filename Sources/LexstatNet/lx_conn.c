/* lx_conn.c — one client connection: accept, read and decode frames,
 * dispatch calls, coalesce and write output, back-pressure, timers, close.
 * Everything here runs on the loop thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lx_internal.h"

static void put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int lx__out_reserve(lx_outbuf_t *b, size_t extra) {
    if (b->off == b->len) b->off = b->len = 0;
    if (b->cap - b->len >= extra) return LX_OK;
    if (b->off > 0 && b->cap - (b->len - b->off) >= extra) {
        memmove(b->data, b->data + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        return LX_OK;
    }
    size_t ncap = b->cap ? b->cap : 16 * 1024;
    while (ncap - b->len < extra) ncap *= 2;
    uint8_t *n = realloc(b->data, ncap);
    if (!n) return LX_ENOMEM;
    b->data = n;
    b->cap = ncap;
    return LX_OK;
}

static size_t unsent(const lx_conn_t *c) { return lx__out_pending(&c->out) + c->writing; }

static uint32_t get_u32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* Forgets the request being assembled and frees what was kept of it. */
static void asm_drop(lx_conn_t *c) {
    free(c->asm_buf);
    c->asm_buf = NULL;
    c->asm_len = c->asm_cap = 0;
    c->asm_id = 0;
    c->asm_discard = 0;
}

/* --- close --- */

static void on_handle_closed(uv_handle_t *h) {
    lx_conn_t *c = h->data;
    if (--c->open_handles > 0) return;
    lx_server_t *s = c->server;
    lx_decoder_free(&c->dec);
    free(c->asm_buf); /* lx__conn_close dropped it already; defensive */
    free(c->out.data);
    free(c->wbuf);
    free(c->spare);
    free(c->calls);
    free(c);
    lx__maybe_stop(s);
}

void lx__conn_close(lx_conn_t *c) {
    if (c->closing) return;
    c->closing = 1;
    lx_server_t *s = c->server;
    asm_drop(c);
    while (c->ncalls) lx__call_detach(c->calls[c->ncalls - 1]);
    if (c->prev) c->prev->next = c->next;
    else s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    if (!c->refused) {
        s->nconns--;
        LX_STAT_DEC(s, connections_open);
    }
    uv_read_stop(&c->h.stream);
    uv_close(&c->h.handle, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
    (void)status;
    lx__conn_close(req->data);
}

/* Closes once everything queued has been written. */
static void close_after_flush(lx_conn_t *c) {
    c->close_after_flush = 1;
    if (c->reading) {
        uv_read_stop(&c->h.stream);
        c->reading = 0;
    }
    lx__conn_want_flush(c);
}

/* --- output --- */

int lx__conn_append(lx_conn_t *c, const uint8_t *bytes, size_t len) {
    if (c->closing || c->shutting_down) return LX_ECLOSED;
    if (lx__out_reserve(&c->out, len)) {
        lx__log(c->server, LX_LOG_ERROR, "%s: out of memory for %zu output bytes", c->peer, len);
        lx__conn_close(c);
        return LX_ENOMEM;
    }
    memcpy(c->out.data + c->out.len, bytes, len);
    c->out.len += len;
    lx__conn_want_flush(c);
    return LX_OK;
}

int lx__conn_append_response(lx_conn_t *c, uint32_t call_id, int status, const char *msg,
                             const uint8_t *body, size_t body_len) {
    if (c->closing || c->shutting_down) return LX_ECLOSED;
    size_t mlen = msg ? lx__clip_message(msg, LX_MAX_STATUS_MESSAGE) : 0;
    size_t need = lx__response_size(mlen, body_len);
    if (lx__out_reserve(&c->out, need)) {
        lx__conn_close(c);
        return LX_ENOMEM;
    }
    c->out.len += lx__put_response(c->out.data + c->out.len, call_id, status, msg, mlen, body, body_len);
    lx__conn_want_flush(c);
    return LX_OK;
}

void lx__conn_goaway(lx_conn_t *c, int status, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t mlen = strlen(msg);
    uint8_t frame[LX_FRAME_HEADER_LEN + 8 + sizeof msg];
    lx_frame_put_header(frame, LX_FRAME_GOAWAY, 0, 0, (uint32_t)(8 + mlen));
    uint8_t *p = frame + LX_FRAME_HEADER_LEN;
    put_u32(p, c->last_call_id);
    p[4] = (uint8_t)status;
    p[5] = 0;
    p[6] = (uint8_t)(mlen >> 8);
    p[7] = (uint8_t)mlen;
    memcpy(p + 8, msg, mlen);
    c->goaway_sent = 1;
    lx__conn_append(c, frame, LX_FRAME_HEADER_LEN + 8 + mlen);
}

static void conn_flush(lx_conn_t *c);

static void on_write(uv_write_t *req, int status) {
    lx_conn_t *c = req->data;
    lx_server_t *s = c->server;
    LX_STAT_ADD(s, bytes_out, c->writing);
    c->writing = 0;
    if (!c->spare && c->wbuf_cap <= 1024 * 1024) {
        c->spare = c->wbuf; /* keep one buffer for the next hand-off */
        c->spare_cap = c->wbuf_cap;
    } else {
        free(c->wbuf);
    }
    c->wbuf = NULL;
    c->wbuf_cap = 0;
    if (c->closing) return;
    if (status < 0) {
        lx__log(s, LX_LOG_DEBUG, "%s: write failed: %s", c->peer, uv_strerror(status));
        lx__conn_close(c);
        return;
    }
    c->stall_since = uv_now(&s->loop);
    conn_flush(c);
}

static void resume_reading(lx_conn_t *c);

static void conn_flush(lx_conn_t *c) {
    lx_server_t *s = c->server;
    if (c->closing || c->writing) return;
    size_t n = lx__out_pending(&c->out);
    if (n > 0) {
        uv_buf_t buf = uv_buf_init((char *)c->out.data + c->out.off, (unsigned)n);
        int w = uv_try_write(&c->h.stream, &buf, 1);
        if (w == UV_EAGAIN || w == UV_ENOSYS) w = 0;
        if (w < 0) {
            lx__log(s, LX_LOG_DEBUG, "%s: write failed: %s", c->peer, uv_strerror(w));
            lx__conn_close(c);
            return;
        }
        if (w > 0) {
            LX_STAT_ADD(s, bytes_out, (uint64_t)w);
            c->stall_since = uv_now(&s->loop);
        }
        c->out.off += (size_t)w;
        n -= (size_t)w;
        if (n > 0) {
            /* Hand the buffer to an asynchronous write; continue in a spare one. */
            buf = uv_buf_init((char *)c->out.data + c->out.off, (unsigned)n);
            c->wbuf = c->out.data;
            c->wbuf_cap = c->out.cap;
            c->writing = n;
            c->out.data = c->spare;
            c->out.cap = c->spare_cap;
            c->spare = NULL;
            c->spare_cap = 0;
            c->out.off = c->out.len = 0;
            c->wreq.data = c;
            int rc = uv_write(&c->wreq, &c->h.stream, &buf, 1, on_write);
            if (rc < 0) {
                c->writing = 0;
                lx__conn_close(c);
                return;
            }
        } else {
            c->out.off = c->out.len = 0;
        }
    }
    if (c->close_after_flush && !c->writing && lx__out_pending(&c->out) == 0 && !c->shutting_down) {
        c->shutting_down = 1;
        c->sreq.data = c;
        if (uv_shutdown(&c->sreq, &c->h.stream, on_shutdown) != 0) lx__conn_close(c);
        return;
    }
    resume_reading(c);
}

void lx__conn_want_flush(lx_conn_t *c) {
    if (c->flush_queued || c->closing) return;
    c->flush_queued = 1;
    c->flush_next = c->server->flush_head;
    c->server->flush_head = c;
}

void lx__flush_pending(lx_server_t *s) {
    while (s->flush_head) {
        lx_conn_t *c = s->flush_head;
        s->flush_head = c->flush_next;
        c->flush_queued = 0;
        c->flush_next = NULL;
        conn_flush(c);
    }
}

/* --- input --- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    lx_conn_t *c = h->data;
    uint8_t *space;
    size_t avail;
    (void)suggested; /* the decoder sizes reads itself */
    if (lx_decoder_reserve(&c->dec, 0, &space, &avail) != LX_OK) {
        buf->base = NULL;
        buf->len = 0; /* libuv reports UV_ENOBUFS */
        return;
    }
    buf->base = (char *)space;
    buf->len = avail;
}

static void protocol_error(lx_conn_t *c, int status, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void protocol_error(lx_conn_t *c, int status, const char *what, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lx__log(c->server, LX_LOG_WARN, "%s: %s: %s; closing", c->peer, what, msg);
    asm_drop(c); /* no more frames are read: it can never complete */
    if (!c->closing && !c->shutting_down) lx__conn_goaway(c, status, "%s", msg);
    close_after_flush(c);
}

static lx_call_t *find_call(lx_conn_t *c, uint32_t id) {
    for (uint32_t i = 0; i < c->ncalls; i++)
        if (c->calls[i]->id == id) return c->calls[i];
    return NULL;
}

/* --- requests in several frames --- */

/* First capacity of an assembly buffer; it doubles from there up to its limit. */
#define LX_ASM_MIN (64u * 1024u)

/* Calls in flight, counting a request being assembled (not one already answered). */
static uint32_t calls_counted(const lx_conn_t *c) {
    return c->ncalls + (c->asm_id && !c->asm_discard ? 1u : 0u);
}

/* Answers the request being assembled now; its remaining parts are dropped
 * as they come, up to the one without LX_FLAG_MORE (or a CANCEL). */
static void asm_reject(lx_conn_t *c, int status, const char *msg) {
    lx__conn_append_response(c, c->asm_id, status, msg, NULL, 0);
    free(c->asm_buf);
    c->asm_buf = NULL;
    c->asm_len = c->asm_cap = 0;
    c->asm_discard = 1;
}

/* Appends a part, or rejects the request when it would pass its limit or
 * memory runs out. Invariant: asm_len ≤ asm_cap ≤ asm_limit. */
static void asm_append(lx_conn_t *c, const uint8_t *p, size_t n) {
    lx_server_t *s = c->server;
    if (c->asm_discard || n == 0) return;
    if (c->asm_len > c->asm_limit || n > (size_t)c->asm_limit - c->asm_len) {
        LX_STAT_INC(s, rejected_too_big);
        char msg[128];
        snprintf(msg, sizeof msg, "request of more than %u bytes exceeds the request limit", c->asm_limit);
        lx__log(s, LX_LOG_WARN, "%s: call %u: %s", c->peer, c->asm_id, msg);
        asm_reject(c, LX_STATUS_RESOURCE_EXHAUSTED, msg);
        return;
    }
    size_t need = c->asm_len + n; /* ≤ asm_limit: cannot overflow */
    if (need > c->asm_cap) {
        size_t ncap = c->asm_cap ? c->asm_cap : LX_ASM_MIN;
        while (ncap < need) {
            if (ncap > SIZE_MAX / 2) {
                ncap = need;
                break;
            }
            ncap *= 2;
        }
        if (ncap > c->asm_limit) ncap = c->asm_limit; /* still ≥ need */
        uint8_t *nbuf = realloc(c->asm_buf, ncap);
        if (!nbuf) {
            lx__log(s, LX_LOG_ERROR, "%s: call %u: out of memory for a request of %zu bytes", c->peer, c->asm_id, need);
            asm_reject(c, LX_STATUS_RESOURCE_EXHAUSTED, "server out of memory");
            return;
        }
        c->asm_buf = nbuf;
        c->asm_cap = ncap;
    }
    memcpy(c->asm_buf + c->asm_len, p, n);
    c->asm_len = need;
}

/* A REQUEST with LX_FLAG_MORE: the call is in flight from here. Its header
 * must lie wholly in this frame. */
static void asm_begin(lx_conn_t *c, const lx_frame_t *f) {
    lx_server_t *s = c->server;
    c->asm_id = f->call_id;
    c->asm_discard = 0;
    c->asm_len = c->asm_cap = 0;
    c->asm_limit = s->limits.max_request_bytes;
    c->asm_started = uv_now(&s->loop);
    c->asm_paused = 0;
    c->asm_timeout_ms = 0;
    size_t hlen = 0;
    const char *reason = NULL;
    if (lx_request_header_len(f->payload, f->payload_len, &hlen, &reason) != LX_OK) {
        LX_STAT_INC(s, rejected_bad_request);
        char msg[200];
        snprintf(msg, sizeof msg, "%s (the request header must lie wholly in the first frame)", reason);
        asm_reject(c, LX_STATUS_INVALID_ARGUMENT, msg);
        return;
    }
    if (s->draining || c->goaway_sent) {
        asm_reject(c, LX_STATUS_UNAVAILABLE, "server is shutting down; retry on a new connection");
        return;
    }
    if (c->ncalls >= s->limits.max_calls_per_conn) {
        LX_STAT_INC(s, rejected_too_many_calls);
        char msg[128];
        snprintf(msg, sizeof msg, "too many calls in flight on this connection (limit %u)",
                 s->limits.max_calls_per_conn);
        asm_reject(c, LX_STATUS_RESOURCE_EXHAUSTED, msg);
        return;
    }
    if (f->call_id > c->last_call_id) c->last_call_id = f->call_id;
    c->asm_timeout_ms = get_u32(f->payload); /* hlen ≥ 4: checked above */
    asm_append(c, f->payload, f->payload_len);
}

/* The part without LX_FLAG_MORE has arrived: hand the joined request to the
 * callback. The connection lets go of the buffer first, so nothing the
 * callback does (closing the connection) frees it under the callback. */
static void asm_complete(lx_conn_t *c) {
    lx_server_t *s = c->server;
    uint32_t id = c->asm_id;
    if (c->asm_discard) {
        asm_drop(c);
        lx__conn_call_over(c);
        return;
    }
    uint8_t *buf = c->asm_buf;
    size_t len = c->asm_len;
    uint32_t timeout = c->asm_timeout_ms;
    uint64_t elapsed = uv_now(&s->loop) - c->asm_started;
    c->asm_buf = NULL;
    c->asm_len = c->asm_cap = 0;
    c->asm_id = 0;
    lx_request_t req;
    const char *reason = NULL;
    if (!buf || lx_request_parse(buf, len, &req, &reason) != LX_OK) {
        /* Not expected: the header was checked in the first frame. */
        LX_STAT_INC(s, rejected_bad_request);
        lx__conn_append_response(c, id, LX_STATUS_INVALID_ARGUMENT, reason ? reason : "empty request", NULL, 0);
        free(buf);
        lx__conn_call_over(c);
        return;
    }
    if (timeout > 0 && elapsed >= timeout) {
        LX_STAT_INC(s, calls_deadline_exceeded);
        char msg[96];
        snprintf(msg, sizeof msg, "deadline of %u ms exceeded", timeout);
        lx__conn_append_response(c, id, LX_STATUS_DEADLINE_EXCEEDED, msg, NULL, 0);
        free(buf);
        lx__conn_call_over(c);
        return;
    }
    /* The deadline runs from the first frame: what is left of it. */
    lx_call_t *call = lx__call_new(c, id, timeout ? (uint32_t)(timeout - elapsed) : 0);
    if (!call) {
        lx__conn_append_response(c, id, LX_STATUS_RESOURCE_EXHAUSTED, "server out of memory", NULL, 0);
        free(buf);
        lx__conn_call_over(c);
        return;
    }
    call->timeout_ms = timeout; /* named in a DEADLINE_EXCEEDED answer */
    req.call_id = id;
    req.peer = c->peer;
    s->config.on_request(s, call, &req);
    free(buf);
}

static void handle_request(lx_conn_t *c, const lx_frame_t *f) {
    lx_server_t *s = c->server;
    if (f->call_id == 0) {
        LX_STAT_INC(s, rejected_bad_frame);
        protocol_error(c, LX_STATUS_INTERNAL, "protocol error", "call id 0 is reserved for the connection");
        return;
    }
    if (find_call(c, f->call_id)) {
        LX_STAT_INC(s, rejected_bad_frame);
        protocol_error(c, LX_STATUS_INTERNAL, "protocol error", "call id %u is already in flight", f->call_id);
        return;
    }
    if (f->flags & LX_FLAG_MORE) {
        if (c->asm_id) {
            LX_STAT_INC(s, rejected_bad_frame);
            protocol_error(c, LX_STATUS_INTERNAL, "protocol error",
                           "call %u began a request in several frames while call %u is still being assembled "
                           "(one at a time per connection)", f->call_id, c->asm_id);
            return;
        }
        asm_begin(c, f);
        return;
    }
    if (f->payload_len > s->limits.max_request_bytes) {
        LX_STAT_INC(s, rejected_too_big);
        char msg[128];
        snprintf(msg, sizeof msg, "request of more than %u bytes exceeds the request limit", s->limits.max_request_bytes);
        lx__conn_append_response(c, f->call_id, LX_STATUS_RESOURCE_EXHAUSTED, msg, NULL, 0);
        return;
    }
    lx_request_t req;
    const char *reason = NULL;
    if (lx_request_parse(f->payload, f->payload_len, &req, &reason) != LX_OK) {
        LX_STAT_INC(s, rejected_bad_request);
        lx__conn_append_response(c, f->call_id, LX_STATUS_INVALID_ARGUMENT, reason, NULL, 0);
        return;
    }
    if (s->draining || c->goaway_sent) {
        lx__conn_append_response(c, f->call_id, LX_STATUS_UNAVAILABLE,
                                 "server is shutting down; retry on a new connection", NULL, 0);
        return;
    }
    if (calls_counted(c) >= s->limits.max_calls_per_conn) {
        LX_STAT_INC(s, rejected_too_many_calls);
        char msg[128];
        snprintf(msg, sizeof msg, "too many calls in flight on this connection (limit %u)",
                 s->limits.max_calls_per_conn);
        lx__conn_append_response(c, f->call_id, LX_STATUS_RESOURCE_EXHAUSTED, msg, NULL, 0);
        return;
    }
    lx_call_t *call = lx__call_new(c, f->call_id, req.timeout_ms);
    if (!call) {
        lx__conn_append_response(c, f->call_id, LX_STATUS_RESOURCE_EXHAUSTED, "server out of memory", NULL, 0);
        return;
    }
    if (f->call_id > c->last_call_id) c->last_call_id = f->call_id;
    req.call_id = f->call_id;
    req.peer = c->peer;
    s->config.on_request(s, call, &req);
}

static void handle_frame(lx_conn_t *c, const lx_frame_t *f) {
    lx_server_t *s = c->server;
    if (c->asm_id && f->call_id == c->asm_id && f->type != LX_FRAME_REQUEST_DATA && f->type != LX_FRAME_CANCEL) {
        LX_STAT_INC(s, rejected_bad_frame);
        protocol_error(c, LX_STATUS_INTERNAL, "protocol error",
                       "frame type %u for call %u while its request is being assembled "
                       "(only REQUEST_DATA or CANCEL may follow)", f->type, f->call_id);
        return;
    }
    switch (f->type) {
    case LX_FRAME_REQUEST:
        handle_request(c, f);
        break;
    case LX_FRAME_REQUEST_DATA:
        if (!c->asm_id || f->call_id != c->asm_id) {
            LX_STAT_INC(s, rejected_bad_frame);
            protocol_error(c, LX_STATUS_INTERNAL, "protocol error",
                           "REQUEST_DATA for call %u, which has no request being assembled", f->call_id);
            break;
        }
        asm_append(c, f->payload, f->payload_len);
        if (!(f->flags & LX_FLAG_MORE)) asm_complete(c);
        break;
    case LX_FRAME_CANCEL: {
        if (c->asm_id && f->call_id == c->asm_id) {
            if (!c->asm_discard) LX_STAT_INC(s, calls_cancelled);
            asm_drop(c);
            lx__conn_call_over(c);
            break;
        }
        lx_call_t *call = find_call(c, f->call_id);
        if (call) {
            LX_STAT_INC(s, calls_cancelled);
            lx__call_detach(call);
        }
        break;
    }
    case LX_FRAME_PING:
        if (f->payload_len != 8) {
            LX_STAT_INC(s, rejected_bad_frame);
            protocol_error(c, LX_STATUS_INTERNAL, "protocol error", "PING payload must be 8 bytes, got %u",
                           f->payload_len);
            break;
        }
        if (!(f->flags & LX_FLAG_ACK)) {
            uint8_t frame[LX_FRAME_HEADER_LEN + 8];
            lx_frame_put_header(frame, LX_FRAME_PING, LX_FLAG_ACK, 0, 8);
            memcpy(frame + LX_FRAME_HEADER_LEN, f->payload, 8);
            lx__conn_append(c, frame, sizeof frame);
        }
        break;
    case LX_FRAME_GOAWAY:
        /* The client announces it is leaving: finish what is in flight, then close. */
        c->peer_eof = 1;
        lx__conn_call_over(c);
        break;
    case LX_FRAME_RESPONSE:
    case LX_FRAME_MESSAGE:
        LX_STAT_INC(s, rejected_bad_frame);
        protocol_error(c, LX_STATUS_INTERNAL, "protocol error", "frame type %u is sent only by servers", f->type);
        break;
    default:
        break; /* unknown frame types are ignored, for later extensions */
    }
}

/* Back-pressure: the client is not reading its answers; stop reading its requests. */
static void pause_reading(lx_conn_t *c, uint64_t now) {
    if (c->reading) {
        uv_read_stop(&c->h.stream);
        c->reading = 0;
        c->paused_at = now;
    }
    c->stall_since = now;
}

/* Handles the complete frames the decoder holds. Stops, leaving the rest
 * buffered, once the connection's unsent output is over the limit: a client
 * that pipelines requests without reading gets at most one answer past it. */
static void handle_frames(lx_conn_t *c) {
    lx_server_t *s = c->server;
    uint64_t now = uv_now(&s->loop);
    int completed = 0;
    c->held = 0;
    c->in_frames = 1;
    for (;;) {
        if (c->closing || c->close_after_flush) break;
        if (unsent(c) > s->limits.max_output_bytes) {
            conn_flush(c); /* the socket may take it all */
            if (c->closing) break;
            if (unsent(c) > s->limits.max_output_bytes) {
                /* What is still buffered waits for resume_reading. */
                c->held = lx_decoder_partial(&c->dec) > 0;
                pause_reading(c, now);
                break;
            }
        }
        lx_frame_t f;
        int rc = lx_decoder_next(&c->dec, &f);
        if (rc == 0) break;
        if (rc < 0) {
            if (rc == LX_EBADPREFACE) {
                LX_STAT_INC(s, rejected_bad_preface);
                protocol_error(c, LX_STATUS_INVALID_ARGUMENT, "bad preface",
                               "expected the Lexstat preface \"LXST\" 1 0 0 0 (see Proto/PROTOCOL.md)");
            } else if (rc == LX_EVERSION) {
                LX_STAT_INC(s, rejected_bad_preface);
                protocol_error(c, LX_STATUS_UNIMPLEMENTED, "bad preface",
                               "protocol version not supported; this server speaks version %d", LX_PROTOCOL_VERSION);
            } else {
                LX_STAT_INC(s, rejected_too_big);
                const uint8_t *h = c->dec.buf + c->dec.pos;
                uint32_t declared = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
                protocol_error(c, LX_STATUS_RESOURCE_EXHAUSTED, "frame too big",
                               "frame of %u bytes exceeds the limit of %u bytes", declared, c->dec.max_payload);
            }
            break;
        }
        completed = 1;
        handle_frame(c, &f);
    }
    c->in_frames = 0;
    if (!c->closing) {
        if (lx_decoder_partial(&c->dec) > 0) {
            if (completed || c->frame_started == 0) c->frame_started = now;
        } else {
            c->frame_started = 0;
        }
    }
    lx__flush_pending(s);
    if (!c->closing && c->reading && unsent(c) > s->limits.max_output_bytes) pause_reading(c, now);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
    (void)buf;
    lx_conn_t *c = stream->data;
    lx_server_t *s = c->server;
    if (nread == 0) return;
    if (nread < 0) {
        if (nread == UV_EOF) {
            c->peer_eof = 1;
            uv_read_stop(stream);
            c->reading = 0;
            asm_drop(c); /* its last part can no longer come */
            if (c->ncalls == 0) close_after_flush(c);
            lx__flush_pending(s);
        } else {
            lx__log(s, LX_LOG_DEBUG, "%s: read failed: %s", c->peer, uv_strerror((int)nread));
            lx__conn_close(c);
        }
        return;
    }
    lx_decoder_commit(&c->dec, (size_t)nread);
    LX_STAT_ADD(s, bytes_in, (uint64_t)nread);
    c->last_activity = uv_now(&s->loop);
    handle_frames(c);
}

static void resume_reading(lx_conn_t *c) {
    if (c->reading || c->in_frames || c->closing || c->peer_eof || c->close_after_flush || c->refused) return;
    if (unsent(c) > c->server->limits.max_output_bytes / 2) return;
    if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0) {
        c->reading = 1;
        /* The frame clock restarts, and the request clock stops for the pause: it was ours. */
        uint64_t now = uv_now(&c->server->loop);
        if (c->frame_started) c->frame_started = now;
        if (c->asm_id && c->paused_at) {
            uint64_t from = c->paused_at > c->asm_started ? c->paused_at : c->asm_started;
            if (now > from) c->asm_paused += now - from;
        }
        c->paused_at = 0;
        /* Frames held back by the pause may all be here already: no read would come for them. */
        if (c->held) handle_frames(c);
    }
}

/* Called when a call ends: a connection winding down closes when idle. */
void lx__conn_call_over(lx_conn_t *c) {
    if (c->closing || c->ncalls > 0 || c->asm_id) return;
    if (c->server->draining || c->peer_eof) close_after_flush(c);
}

/* --- timers: frame, idle, stall --- */

static void on_timer(uv_timer_t *t) {
    lx_conn_t *c = t->data;
    lx_server_t *s = c->server;
    if (c->closing) return;
    uint64_t now = uv_now(&s->loop);
    const lx_limits_t *L = &s->limits;
    /* A partial frame only counts while we read: back-pressure is our pause, not the client's. */
    if (c->reading && c->frame_started && now - c->frame_started >= L->frame_timeout_ms && !c->close_after_flush) {
        LX_STAT_INC(s, closed_frame_timeout);
        protocol_error(c, LX_STATUS_DEADLINE_EXCEEDED, "frame timeout",
                       "frame not completed within %u ms", L->frame_timeout_ms);
        lx__flush_pending(s);
        return;
    }
    if (c->reading && c->asm_id && now - c->asm_started - c->asm_paused >= L->frame_timeout_ms && !c->close_after_flush) {
        LX_STAT_INC(s, closed_frame_timeout);
        protocol_error(c, LX_STATUS_DEADLINE_EXCEEDED, "request timeout",
                       "request in several frames not completed within %u ms", L->frame_timeout_ms);
        lx__flush_pending(s);
        return;
    }
    if (!c->reading && c->writing && unsent(c) > L->max_output_bytes && now - c->stall_since >= L->stall_timeout_ms) {
        LX_STAT_INC(s, closed_stalled);
        lx__log(s, LX_LOG_WARN, "%s: not reading its answers (%zu bytes unsent for %u ms); closing", c->peer,
                unsent(c), L->stall_timeout_ms);
        lx__conn_close(c);
        return;
    }
    if (c->shutting_down && now - c->stall_since >= L->stall_timeout_ms) {
        lx__conn_close(c);
        return;
    }
    if (c->ncalls == 0 && !c->asm_id && unsent(c) == 0 && !c->close_after_flush && now - c->last_activity >= L->idle_timeout_ms) {
        LX_STAT_INC(s, closed_idle);
        lx__log(s, LX_LOG_DEBUG, "%s: idle for %u ms; closing", c->peer, L->idle_timeout_ms);
        lx__conn_goaway(c, LX_STATUS_OK, "idle for %u ms", L->idle_timeout_ms);
        close_after_flush(c);
        lx__flush_pending(s);
    }
}

void lx__conn_reset_timer(lx_conn_t *c) {
    const lx_limits_t *L = &c->server->limits;
    uint32_t t = L->frame_timeout_ms;
    if (L->idle_timeout_ms < t) t = L->idle_timeout_ms;
    if (L->stall_timeout_ms < t) t = L->stall_timeout_ms;
    t /= 4;
    if (t < 5) t = 5;
    uv_timer_start(&c->timer, on_timer, t, t);
}

/* --- accept --- */

static void describe_peer(lx_conn_t *c, int kind) {
    if (kind != LX_LISTEN_TCP) {
        snprintf(c->peer, sizeof c->peer, "unix");
        return;
    }
    struct sockaddr_storage sa;
    int len = sizeof sa;
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (uv_tcp_getpeername(&c->h.tcp, (struct sockaddr *)&sa, &len) == 0) {
        if (sa.ss_family == AF_INET6) {
            uv_ip6_name((struct sockaddr_in6 *)&sa, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
        } else {
            uv_ip4_name((struct sockaddr_in *)&sa, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
        }
    }
    snprintf(c->peer, sizeof c->peer, "%s:%d", ip, port);
}

void lx__conn_accept(lx_listener_t *l) {
    lx_server_t *s = l->server;
    lx_conn_t *c = calloc(1, sizeof *c);
    if (!c) {
        lx__log(s, LX_LOG_ERROR, "out of memory accepting a connection");
        return;
    }
    c->server = s;
    int rc = l->kind == LX_LISTEN_TCP ? uv_tcp_init(&s->loop, &c->h.tcp) : uv_pipe_init(&s->loop, &c->h.pipe, 0);
    if (rc != 0) {
        free(c);
        return;
    }
    c->h.handle.data = c;
    c->open_handles = 1;
    uv_timer_init(&s->loop, &c->timer);
    c->timer.data = c;
    c->open_handles = 2;
    /* Link first so that every close path unlinks. */
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    int refused = s->nconns >= s->limits.max_connections;
    c->refused = refused;
    if (!refused) {
        s->nconns++;
        LX_STAT_INC(s, connections_open);
    }
    if (uv_accept(&l->h.stream, &c->h.stream) != 0) {
        lx__conn_close(c);
        return;
    }
    LX_STAT_INC(s, connections_accepted);
    if (l->kind == LX_LISTEN_TCP) uv_tcp_nodelay(&c->h.tcp, 1);
    describe_peer(c, l->kind);
    uint64_t now = uv_now(&s->loop);
    c->last_activity = c->stall_since = now;
    lx_decoder_init(&c->dec, s->limits.max_frame_bytes, 1);
    uint8_t preface[LX_PREFACE_LEN];
    lx_preface_put(preface);
    lx__conn_append(c, preface, sizeof preface);
    lx__conn_reset_timer(c);
    if (refused) {
        LX_STAT_INC(s, connections_refused);
        lx__log(s, LX_LOG_WARN, "%s: refused: %u connections open (limit %u)", c->peer, s->nconns,
                s->limits.max_connections);
        lx__conn_goaway(c, LX_STATUS_RESOURCE_EXHAUSTED, "too many connections (limit %u)", s->limits.max_connections);
        close_after_flush(c);
    } else if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0) {
        c->reading = 1;
    } else {
        lx__conn_close(c);
        return;
    }
    lx__flush_pending(s);
}
