/* lx_call.c — calls: creation, deadlines, cancellation, and answers from any
 * thread. An answer given on the loop thread goes straight into the
 * connection's output; one given elsewhere is encoded there, queued, and
 * written by the loop after uv_async_send wakes it.
 *
 * A call is freed when its last reference goes: one held by its connection
 * while the call is in flight, one by the handler until lx_call_finish has
 * been processed, one by its deadline timer until the timer is closed.
 * References change only on the loop thread. */
#include <stdlib.h>
#include <string.h>

#include "lx_internal.h"

static void put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

size_t lx__clip_message(const char *msg, size_t max) {
    size_t n = strlen(msg);
    if (n <= max) return n;
    /* Do not cut a UTF-8 sequence in half. */
    while (max > 0 && ((unsigned char)msg[max] & 0xC0) == 0x80) max--;
    return max;
}

size_t lx__response_size(size_t msg_len, size_t body_len) {
    return LX_FRAME_HEADER_LEN + 4 + msg_len + body_len;
}

size_t lx__put_response(uint8_t *out, uint32_t call_id, int status, const char *msg, size_t msg_len,
                        const uint8_t *body, size_t body_len) {
    lx_frame_put_header(out, LX_FRAME_RESPONSE, 0, call_id, (uint32_t)(4 + msg_len + body_len));
    uint8_t *p = out + LX_FRAME_HEADER_LEN;
    p[0] = (uint8_t)status;
    p[1] = 0;
    put_u16(p + 2, (uint16_t)msg_len);
    if (msg_len) memcpy(p + 4, msg, msg_len);
    if (body_len) memcpy(p + 4 + msg_len, body, body_len);
    return lx__response_size(msg_len, body_len);
}

static void free_call(lx_call_t *call) { free(call); }

void lx__call_release(lx_call_t *call) {
    if (--call->refs == 0) free_call(call);
}

static void on_deadline_closed(uv_handle_t *h) {
    lx_call_t *call = h->data;
    free(h);
    lx__call_release(call);
}

static void on_deadline(uv_timer_t *t) {
    lx_call_t *call = t->data;
    lx_conn_t *c = call->conn;
    if (!c) return;
    lx_server_t *s = c->server;
    LX_STAT_INC(s, calls_deadline_exceeded);
    char msg[96];
    snprintf(msg, sizeof msg, "deadline of %u ms exceeded", call->timeout_ms);
    lx__conn_append_response(c, call->id, LX_STATUS_DEADLINE_EXCEEDED, msg, NULL, 0);
    lx__call_detach(call);
    lx__flush_pending(s);
}

lx_call_t *lx__call_new(lx_conn_t *c, uint32_t id, uint32_t timeout_ms) {
    lx_server_t *s = c->server;
    if (c->ncalls == c->capcalls) {
        uint32_t ncap = c->capcalls ? c->capcalls * 2 : 8;
        lx_call_t **n = realloc(c->calls, ncap * sizeof *n);
        if (!n) return NULL;
        c->calls = n;
        c->capcalls = ncap;
    }
    lx_call_t *call = calloc(1, sizeof *call);
    if (!call) return NULL;
    call->server = s;
    call->conn = c;
    call->id = id;
    call->timeout_ms = timeout_ms;
    call->refs = 2; /* connection + handler */
    if (timeout_ms > 0) {
        call->deadline = malloc(sizeof *call->deadline);
        if (!call->deadline) {
            free(call);
            return NULL;
        }
        uv_timer_init(&s->loop, call->deadline);
        call->deadline->data = call;
        call->refs++;
        uv_timer_start(call->deadline, on_deadline, timeout_ms, 0);
    }
    call->index = c->ncalls;
    c->calls[c->ncalls++] = call;
    s->calls_held++;
    LX_STAT_INC(s, calls_started);
    LX_STAT_INC(s, calls_in_flight);
    return call;
}

/* The call is over for the client: remove it from its connection. */
void lx__call_detach(lx_call_t *call) {
    lx_conn_t *c = call->conn;
    if (!c) return;
    uint32_t i = call->index;
    c->calls[i] = c->calls[--c->ncalls];
    c->calls[i]->index = i;
    call->conn = NULL;
    __atomic_store_n(&call->over, 1, __ATOMIC_RELEASE);
    LX_STAT_DEC(call->server, calls_in_flight);
    if (call->deadline) {
        uv_timer_stop(call->deadline);
        uv_close((uv_handle_t *)call->deadline, on_deadline_closed);
        call->deadline = NULL;
    }
    lx__call_release(call); /* the connection's reference */
    lx__conn_call_over(c);
}

static void handler_done(lx_call_t *call) {
    lx_server_t *s = call->server;
    s->calls_held--;
    lx__call_release(call);
    lx__maybe_stop(s);
}

/* Loop thread: write a complete frame for the call, if it is still in flight. */
static int deliver(lx_call_t *call, const uint8_t *frame, size_t len, int final) {
    lx_conn_t *c = call->conn;
    int rc = LX_ECLOSED;
    if (c) {
        rc = len ? lx__conn_append(c, frame, len) : LX_OK;
        if (final && call->conn) lx__call_detach(call);
    }
    if (final) handler_done(call);
    return rc == LX_OK ? LX_OK : LX_ECLOSED;
}

void lx__process_queue(lx_server_t *s) {
    pthread_mutex_lock(&s->lock);
    lx_rec_t *r = s->qhead;
    s->qhead = s->qtail = NULL;
    pthread_mutex_unlock(&s->lock);
    while (r) {
        lx_rec_t *next = r->next;
        deliver(r->call, r->bytes, r->len, r->final);
        free(r);
        r = next;
    }
    lx__flush_pending(s);
}

static int enqueue(lx_call_t *call, lx_rec_t *r) {
    lx_server_t *s = call->server;
    r->call = call;
    r->next = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->qtail) s->qtail->next = r;
    else s->qhead = r;
    s->qtail = r;
    pthread_mutex_unlock(&s->lock);
    uv_async_send(&s->async);
    return LX_OK;
}

int lx_call_send(lx_call_t *call, const uint8_t *body, size_t len) {
    if (__atomic_load_n(&call->finish_called, __ATOMIC_ACQUIRE)) return LX_ESTATE;
    if (__atomic_load_n(&call->over, __ATOMIC_ACQUIRE)) return LX_ECLOSED;
    lx_server_t *s = call->server;
    if (len > s->limits.max_frame_bytes) return LX_EINVAL;
    size_t flen = LX_FRAME_HEADER_LEN + len;
    if (lx__on_loop_thread(s)) {
        lx_conn_t *c = call->conn;
        if (!c) return LX_ECLOSED;
        if (lx__out_reserve(&c->out, flen)) return LX_ENOMEM;
        lx_frame_put_header(c->out.data + c->out.len, LX_FRAME_MESSAGE, 0, call->id, (uint32_t)len);
        if (len) memcpy(c->out.data + c->out.len + LX_FRAME_HEADER_LEN, body, len);
        c->out.len += flen;
        lx__conn_want_flush(c);
        return LX_OK;
    }
    lx_rec_t *r = malloc(sizeof *r + flen);
    if (!r) return LX_ENOMEM;
    r->final = 0;
    r->len = flen;
    lx_frame_put_header(r->bytes, LX_FRAME_MESSAGE, 0, call->id, (uint32_t)len);
    if (len) memcpy(r->bytes + LX_FRAME_HEADER_LEN, body, len);
    return enqueue(call, r);
}

int lx_call_finish(lx_call_t *call, int status, const char *message, const uint8_t *body, size_t len) {
    if (__atomic_exchange_n(&call->finish_called, 1, __ATOMIC_ACQ_REL)) return LX_ESTATE;
    lx_server_t *s = call->server;
    char tmp[160];
    if (status < 0 || status > 16) status = LX_STATUS_UNKNOWN;
    if (!body) len = 0;
    size_t mlen = message ? lx__clip_message(message, LX_MAX_STATUS_MESSAGE) : 0;
    if (4 + mlen + len > s->limits.max_frame_bytes) {
        /* An answer the client could not accept: say so instead. */
        snprintf(tmp, sizeof tmp, "response of %zu bytes exceeds the frame limit of %u bytes", len,
                 s->limits.max_frame_bytes);
        status = LX_STATUS_RESOURCE_EXHAUSTED;
        message = tmp;
        mlen = strlen(tmp);
        body = NULL;
        len = 0;
    }
    if (lx__on_loop_thread(s)) {
        int rc = LX_ECLOSED;
        lx_conn_t *c = call->conn;
        if (c) {
            rc = lx__conn_append_response(c, call->id, status, message, body, len);
            if (call->conn) lx__call_detach(call);
        }
        handler_done(call);
        return rc == LX_OK ? LX_OK : LX_ECLOSED;
    }
    int over = __atomic_load_n(&call->over, __ATOMIC_ACQUIRE);
    size_t flen = over ? 0 : lx__response_size(mlen, len);
    lx_rec_t *r = malloc(sizeof *r + flen);
    if (!r) {
        /* Hand the call back without an answer; the client sees its deadline. */
        r = malloc(sizeof *r);
        if (!r) return LX_ENOMEM; /* the call leaks: the process is out of memory */
        flen = 0;
    }
    r->final = 1;
    r->len = flen;
    if (flen) lx__put_response(r->bytes, call->id, status, message, mlen, body, len);
    enqueue(call, r);
    return over ? LX_ECLOSED : LX_OK;
}

int lx_call_is_cancelled(const lx_call_t *call) { return __atomic_load_n(&call->over, __ATOMIC_ACQUIRE); }

lx_server_t *lx_call_server(const lx_call_t *call) { return call->server; }
