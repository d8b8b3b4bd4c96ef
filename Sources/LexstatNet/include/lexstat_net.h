/* lexstat_net.h — LexstatNet: the Lexstat server core on libuv.
 *
 * Sockets, framing, limits, timers, back-pressure and drain. It knows nothing
 * of the domain: a request is a method name, metadata and bytes; an answer is
 * a status, a message and bytes.
 *
 * Threads. One loop thread runs lx_server_run(). The request callback runs on
 * that thread. Everything else in this header must be called on that thread
 * too, except where marked THREAD-SAFE.
 *
 * Ownership.
 * - lx_server_t: created by lx_server_new, freed by lx_server_free after
 *   lx_server_run has returned (or if it was never run).
 * - lx_call_t: owned by the server. The request callback receives a call and
 *   must end it exactly once with lx_call_finish, now or later, from any
 *   thread. Until then the call stays valid even if its connection closes,
 *   its deadline passes or the client cancels it (the answer is then
 *   dropped). After lx_call_finish the pointer must not be used.
 * - The lx_request_t passed to the callback and everything it points to live
 *   only for the duration of the callback: copy what a later answer needs.
 * - Buffers passed to lx_call_send and lx_call_finish are copied before the
 *   function returns; the caller keeps ownership of its memory.
 * - lx_server_run returns only after every call has been finished.
 * - A request in several frames (REQUEST with LX_FLAG_MORE, then
 *   REQUEST_DATA) is joined in a buffer owned by its connection: at most one
 *   per connection, at most max_request_bytes, grown with checked
 *   arithmetic. The buffer is freed when the request is rejected (the rest
 *   of its frames are then counted, not stored), cancelled, timed out, or
 *   the connection closes; when the request completes, the connection lets
 *   go of it before the request callback runs and frees it when the callback
 *   returns, so the lx_request_t the callback sees points into it and follows
 *   the rule above.
 */
#ifndef LEXSTAT_NET_H
#define LEXSTAT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "lexstat_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lx_server_s lx_server_t;
typedef struct lx_call_s lx_call_t;

/** Limits on everything a client controls. 0 in a field means the default. */
typedef struct lx_limits_s {
    uint32_t max_frame_bytes;         /* payload of one frame; default 4 MiB */
    uint32_t max_calls_per_conn;      /* calls in flight per connection; default 100 */
    uint32_t max_connections;         /* default 1024 */
    uint32_t frame_timeout_ms;        /* to receive a frame (or the preface) once begun; default 10000 */
    uint32_t idle_timeout_ms;         /* no call in flight and no frame; default 300000 */
    uint32_t max_output_bytes;        /* unsent bytes before reading stops; default 4 MiB */
    uint32_t stall_timeout_ms;        /* output over the limit with no progress; default 30000 */
    uint32_t drain_timeout_ms;        /* longest graceful drain; default 30000 */
    uint32_t max_request_bytes;       /* a request, all its frames joined; default 16 MiB */
} lx_limits_t;

/** Fills in defaults for the zero fields. */
void lx_limits_defaults(lx_limits_t *l);

enum lx_log_level { LX_LOG_DEBUG = 0, LX_LOG_INFO = 1, LX_LOG_WARN = 2, LX_LOG_ERROR = 3 };

/** Called on the loop thread for every request. */
typedef void (*lx_request_cb)(lx_server_t *server, lx_call_t *call, const lx_request_t *req);
/** Where the library reports; it never prints. msg is NUL-terminated. */
typedef void (*lx_log_cb)(void *data, int level, const char *msg);

typedef struct lx_config_s {
    lx_limits_t limits;
    lx_request_cb on_request;  /* required */
    lx_log_cb on_log;          /* optional */
    void *data;                /* for the caller; see lx_server_data */
} lx_config_t;

/** Counters, read with lx_server_stats. THREAD-SAFE to read. */
typedef struct lx_stats_s {
    uint64_t connections_accepted;
    uint64_t connections_open;
    uint64_t connections_refused;   /* over max_connections */
    uint64_t calls_started;
    uint64_t calls_in_flight;
    uint64_t calls_deadline_exceeded;
    uint64_t calls_cancelled;
    uint64_t rejected_bad_preface;
    uint64_t rejected_too_big;
    uint64_t rejected_bad_frame;
    uint64_t rejected_bad_request;
    uint64_t rejected_too_many_calls;
    uint64_t closed_frame_timeout;
    uint64_t closed_idle;
    uint64_t closed_stalled;
    uint64_t bytes_in;
    uint64_t bytes_out;
} lx_stats_t;

/** Creates a server. LX_OK, LX_EINVAL (no on_request), LX_ENOMEM or LX_EIO. */
int lx_server_new(lx_server_t **out, const lx_config_t *config);
void *lx_server_data(lx_server_t *server);

/** Binds and listens on host:port (IPv4 or IPv6 literal; port 0 picks one). */
int lx_server_listen_tcp(lx_server_t *server, const char *host, int port);
/** Binds and listens on a Unix socket path (a stale socket file is replaced) with mode (e.g. 0660). */
int lx_server_listen_unix(lx_server_t *server, const char *path, int mode);
/** Adopts an already listening socket (systemd socket activation). */
int lx_server_adopt_fd(lx_server_t *server, int fd);
/**
 * Why the last lx_server_listen_tcp, lx_server_listen_unix or
 * lx_server_adopt_fd failed, for people: "address already in use
 * (EADDRINUSE)", "… exists and is not a socket". "" when none has failed.
 * Valid until the next of those calls; loop thread (or before the loop runs).
 */
const char *lx_server_listen_error(const lx_server_t *server);
/** The port the n-th TCP listener is bound to, or a negative error. */
int lx_server_tcp_port(lx_server_t *server, int n);

/** Called on the loop thread by lx_server_every. */
typedef void (*lx_tick_cb)(lx_server_t *server, void *data);
/**
 * Calls cb(server, data) on the loop thread every ms milliseconds, first ms
 * after the loop starts, until the loop stops (the timer never keeps a
 * drained server alive). For liveness signals: a blocked loop stops them
 * (e.g. systemd's WATCHDOG=1). One callback per server: a second call
 * replaces the first; ms == 0 or cb == NULL stops it. Call before
 * lx_server_run, or on the loop thread. data stays the caller's: it must
 * outlive the loop (lx_server_run returning). LX_OK, LX_EINVAL, LX_ESTATE
 * once the server is stopping.
 */
int lx_server_every(lx_server_t *server, uint32_t ms, lx_tick_cb cb, void *data);

/** Runs the loop until the server has drained. LX_OK or LX_EIO. */
int lx_server_run(lx_server_t *server);
/**
 * THREAD-SAFE, idempotent. Starts a graceful drain: stop accepting, send
 * GOAWAY, answer new calls UNAVAILABLE, finish calls in flight, close each
 * connection once idle; after drain_timeout_ms the rest are closed.
 */
void lx_server_drain(lx_server_t *server);
/** THREAD-SAFE. Replaces the limits for new work (frame size, timeouts…). */
void lx_server_set_limits(lx_server_t *server, const lx_limits_t *limits);
/** THREAD-SAFE. Copies the counters. */
void lx_server_stats(lx_server_t *server, lx_stats_t *out);
void lx_server_free(lx_server_t *server);

/**
 * THREAD-SAFE. Sends one message of a server stream. LX_OK, LX_ECLOSED when
 * the call is already over (deadline, cancel, disconnect), LX_ESTATE after
 * lx_call_finish, LX_ENOMEM.
 */
int lx_call_send(lx_call_t *call, const uint8_t *body, size_t len);
/**
 * THREAD-SAFE. Ends the call with a status, a message (may be NULL) and,
 * for OK answers, a body (may be NULL). Exactly once per call. Returns LX_OK,
 * or LX_ECLOSED when the answer was dropped because the call was already over.
 */
int lx_call_finish(lx_call_t *call, int status, const char *message, const uint8_t *body, size_t len);
/** THREAD-SAFE. 1 once the call is over for the client (deadline, cancel, disconnect, drain). */
int lx_call_is_cancelled(const lx_call_t *call);
/** THREAD-SAFE. The server the call belongs to. */
lx_server_t *lx_call_server(const lx_call_t *call);

#ifdef __cplusplus
}
#endif
#endif
