/* lx_internal.h — LexstatNet's private structures. Not installed, not for
 * callers. Names with a double prefix (lx__) are internal but not static. */
#ifndef LX_INTERNAL_H
#define LX_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <uv.h>

#include "lexstat_net.h"

#define LX_STAT_INC(s, field) __atomic_fetch_add(&(s)->stats.field, 1, __ATOMIC_RELAXED)
#define LX_STAT_ADD(s, field, n) __atomic_fetch_add(&(s)->stats.field, (n), __ATOMIC_RELAXED)
#define LX_STAT_DEC(s, field) __atomic_fetch_sub(&(s)->stats.field, 1, __ATOMIC_RELAXED)

/* Output bytes: [off, len) are unsent. */
typedef struct lx_outbuf_s {
    uint8_t *data;
    size_t off;
    size_t len;
    size_t cap;
} lx_outbuf_t;

int lx__out_reserve(lx_outbuf_t *b, size_t extra);
static inline size_t lx__out_pending(const lx_outbuf_t *b) { return b->len - b->off; }

typedef struct lx_conn_s lx_conn_t;

enum { LX_LISTEN_TCP = 1, LX_LISTEN_PIPE = 2 };

typedef struct lx_listener_s {
    union {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
        uv_handle_t handle;
        uv_stream_t stream;
    } h;
    int kind;
    int port;        /* TCP: bound port */
    char *path;      /* Unix socket we created and must unlink; NULL otherwise */
    lx_server_t *server;
} lx_listener_t;

struct lx_conn_s {
    union {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
        uv_handle_t handle;
        uv_stream_t stream;
    } h;
    uv_timer_t timer;
    uv_write_t wreq;
    uv_shutdown_t sreq;
    lx_server_t *server;
    lx_decoder_t dec;
    lx_outbuf_t out;
    uint8_t *wbuf;          /* buffer of the write in flight */
    size_t wbuf_cap;
    size_t writing;         /* bytes of the write in flight */
    uint8_t *spare;         /* a buffer kept for reuse */
    size_t spare_cap;
    lx_call_t **calls;      /* calls in flight */
    uint32_t ncalls;
    uint32_t capcalls;
    uint32_t last_call_id;  /* highest call id accepted */
    char peer[64];
    uint64_t last_activity;
    uint64_t frame_started; /* 0 when between frames */
    uint64_t stall_since;
    int reading;
    int held;               /* frames left in the decoder while output is over the limit */
    int in_frames;          /* handling frames now: resume_reading must not re-enter */
    int peer_eof;
    int refused;            /* over max_connections: answered GOAWAY only */
    int goaway_sent;
    int close_after_flush;
    int shutting_down;
    int closing;
    int open_handles;
    int flush_queued;
    /* The request in several frames being joined, if any (one at a time).
     * asm_buf is owned here: freed on completion (after the request
     * callback), cancel, rejection, error and close. */
    uint32_t asm_id;        /* its call id; 0 when none */
    int asm_discard;        /* answered already (refused, over the limit): parts are dropped until the last */
    uint8_t *asm_buf;       /* the payloads so far; NULL while discarding */
    size_t asm_len;         /* ≤ asm_limit */
    size_t asm_cap;         /* ≤ asm_limit */
    uint32_t asm_limit;     /* max_request_bytes when it began */
    uint32_t asm_timeout_ms; /* the request's deadline, 0 for none */
    uint64_t asm_started;   /* when its first frame was handled */
    uint64_t asm_paused;    /* ms reading was paused by us since (back-pressure) */
    uint64_t paused_at;     /* when reading was last paused for back-pressure */
    lx_conn_t *flush_next;
    lx_conn_t *prev, *next;
};

struct lx_call_s {
    lx_server_t *server;
    lx_conn_t *conn;        /* loop thread only; NULL once the call is over for the client */
    uint32_t id;
    uint32_t index;         /* position in conn->calls */
    uint32_t timeout_ms;
    int refs;               /* loop thread only: conn, handler, deadline timer */
    int over;               /* atomic: over for the client */
    int finish_called;      /* atomic: lx_call_finish was called */
    uv_timer_t *deadline;
};

/* A message or answer produced off the loop thread, queued for it. */
typedef struct lx_rec_s {
    struct lx_rec_s *next;
    lx_call_t *call;
    int final;
    size_t len;
    uint8_t bytes[]; /* one complete frame */
} lx_rec_t;

#define LX_MAX_LISTENERS 16

struct lx_server_s {
    uv_loop_t loop;
    uv_async_t async;
    uv_timer_t drain_timer;
    uv_timer_t tick_timer;          /* lx_server_every; closed with the loop */
    lx_tick_cb tick_cb;
    void *tick_data;
    lx_config_t config;
    lx_limits_t limits;             /* loop thread */
    lx_listener_t *listeners[LX_MAX_LISTENERS];
    int nlisteners;
    lx_conn_t *conns;               /* every open connection */
    uint32_t nconns;                /* served (not refused) connections */
    lx_conn_t *flush_head;
    pthread_t loop_thread;
    int running;
    int draining;
    int stopping;
    uint64_t calls_held;            /* calls the handler has not finished */
    char listen_error[160];         /* why the last listen or adopt failed */

    pthread_mutex_t lock;           /* guards the fields below */
    lx_rec_t *qhead, *qtail;
    int drain_requested;
    int limits_pending;
    lx_limits_t new_limits;

    lx_stats_t stats;               /* atomics */
};

void lx__log(lx_server_t *s, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int lx__on_loop_thread(const lx_server_t *s);
void lx__maybe_stop(lx_server_t *s);

/* connections (lx_conn.c) */
void lx__conn_accept(lx_listener_t *l);
void lx__conn_close(lx_conn_t *c);
void lx__conn_goaway(lx_conn_t *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int lx__conn_append(lx_conn_t *c, const uint8_t *bytes, size_t len);
int lx__conn_append_response(lx_conn_t *c, uint32_t call_id, int status, const char *msg,
                             const uint8_t *body, size_t body_len);
void lx__conn_want_flush(lx_conn_t *c);
void lx__flush_pending(lx_server_t *s);
void lx__conn_call_over(lx_conn_t *c);
void lx__conn_reset_timer(lx_conn_t *c);

/* calls (lx_call.c) */
lx_call_t *lx__call_new(lx_conn_t *c, uint32_t id, uint32_t timeout_ms);
void lx__call_detach(lx_call_t *call);
void lx__call_release(lx_call_t *call);
void lx__process_queue(lx_server_t *s);
size_t lx__response_size(size_t msg_len, size_t body_len);
size_t lx__put_response(uint8_t *out, uint32_t call_id, int status, const char *msg, size_t msg_len,
                        const uint8_t *body, size_t body_len);
size_t lx__clip_message(const char *msg, size_t max);

#endif
