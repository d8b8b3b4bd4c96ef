/* lx_server.c — the server: loop, listeners, the cross-thread queue, limits,
 * drain and counters. Connections are in lx_conn.c, calls in lx_call.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lx_internal.h"

void lx_limits_defaults(lx_limits_t *l) {
    if (!l->max_frame_bytes) l->max_frame_bytes = LX_DEFAULT_MAX_FRAME;
    if (!l->max_calls_per_conn) l->max_calls_per_conn = 100;
    if (!l->max_connections) l->max_connections = 1024;
    if (!l->frame_timeout_ms) l->frame_timeout_ms = 10000;
    if (!l->idle_timeout_ms) l->idle_timeout_ms = 300000;
    if (!l->max_output_bytes) l->max_output_bytes = 4u * 1024u * 1024u;
    if (!l->stall_timeout_ms) l->stall_timeout_ms = 30000;
    if (!l->drain_timeout_ms) l->drain_timeout_ms = 30000;
    if (!l->max_request_bytes) l->max_request_bytes = LX_DEFAULT_MAX_REQUEST;
}

void lx__log(lx_server_t *s, int level, const char *fmt, ...) {
    if (!s->config.on_log) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->config.on_log(s->config.data, level, msg);
}

int lx__on_loop_thread(const lx_server_t *s) {
    return s->running && pthread_equal(pthread_self(), s->loop_thread);
}

static void on_async(uv_async_t *a);

int lx_server_new(lx_server_t **out, const lx_config_t *config) {
    *out = NULL;
    if (!config || !config->on_request) return LX_EINVAL;
    lx_server_t *s = calloc(1, sizeof *s);
    if (!s) return LX_ENOMEM;
    s->config = *config;
    s->limits = config->limits;
    lx_limits_defaults(&s->limits);
    if (uv_loop_init(&s->loop) != 0) {
        free(s);
        return LX_EIO;
    }
    if (uv_async_init(&s->loop, &s->async, on_async) != 0) {
        uv_loop_close(&s->loop);
        free(s);
        return LX_EIO;
    }
    s->async.data = s;
    uv_timer_init(&s->loop, &s->drain_timer);
    s->drain_timer.data = s;
    uv_timer_init(&s->loop, &s->tick_timer);
    s->tick_timer.data = s;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        uv_close((uv_handle_t *)&s->async, NULL);
        uv_close((uv_handle_t *)&s->drain_timer, NULL);
        uv_close((uv_handle_t *)&s->tick_timer, NULL);
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        free(s);
        return LX_EIO;
    }
    *out = s;
    return LX_OK;
}

void *lx_server_data(lx_server_t *s) { return s->config.data; }

static void on_connection(uv_stream_t *stream, int status) {
    lx_listener_t *l = stream->data;
    if (status < 0) {
        lx__log(l->server, LX_LOG_WARN, "accept failed: %s", uv_strerror(status));
        return;
    }
    lx__conn_accept(l);
}

/* Keeps why a listen failed, for lx_server_listen_error, and logs it with what and where. */
static void listen_failed(lx_server_t *s, const char *what, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void listen_failed(lx_server_t *s, const char *what, const char *where, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->listen_error, sizeof s->listen_error, fmt, ap);
    va_end(ap);
    lx__log(s, LX_LOG_ERROR, "cannot %s %s: %s", what, where, s->listen_error);
}

const char *lx_server_listen_error(const lx_server_t *s) { return s->listen_error; }

static int add_listener(lx_server_t *s, const char *where, lx_listener_t **out) {
    if (s->nlisteners >= LX_MAX_LISTENERS) {
        listen_failed(s, "listen on", where, "more than %d listeners", LX_MAX_LISTENERS);
        return LX_EINVAL;
    }
    lx_listener_t *l = calloc(1, sizeof *l);
    if (!l) {
        listen_failed(s, "listen on", where, "out of memory");
        return LX_ENOMEM;
    }
    l->server = s;
    l->h.handle.data = l;
    *out = l;
    return LX_OK;
}

static void free_listener_cb(uv_handle_t *h) {
    lx_listener_t *l = h->data;
    free(l->path);
    free(l);
}

static int fail_listener(lx_server_t *s, lx_listener_t *l, int initialised, int err, const char *what,
                         const char *where) {
    listen_failed(s, what, where, "%s (%s)", uv_strerror(err), uv_err_name(err));
    if (initialised) {
        uv_close(&l->h.handle, free_listener_cb);
        uv_run(&s->loop, UV_RUN_NOWAIT);
    } else {
        free(l);
    }
    return LX_EIO;
}

int lx_server_listen_tcp(lx_server_t *s, const char *host, int port) {
    s->listen_error[0] = 0;
    if (!host || port < 0 || port > 65535) {
        snprintf(s->listen_error, sizeof s->listen_error, "no host, or a port outside 0-65535");
        return LX_EINVAL;
    }
    char where[128];
    snprintf(where, sizeof where, "%s:%d", host, port);
    struct sockaddr_storage addr;
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr) != 0) {
        listen_failed(s, "listen on", where, "%s is not an IP address", host);
        return LX_EINVAL;
    }
    lx_listener_t *l;
    int rc = add_listener(s, where, &l);
    if (rc) return rc;
    l->kind = LX_LISTEN_TCP;
    if ((rc = uv_tcp_init(&s->loop, &l->h.tcp)) != 0) return fail_listener(s, l, 0, rc, "listen on", where);
    l->h.handle.data = l;
    if ((rc = uv_tcp_bind(&l->h.tcp, (struct sockaddr *)&addr, 0)) != 0 ||
        (rc = uv_listen(&l->h.stream, 511, on_connection)) != 0)
        return fail_listener(s, l, 1, rc, "listen on", where);
    struct sockaddr_storage bound;
    int blen = sizeof bound;
    if (uv_tcp_getsockname(&l->h.tcp, (struct sockaddr *)&bound, &blen) == 0)
        l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port);
    s->listeners[s->nlisteners++] = l;
    return LX_OK;
}

/* A socket file left by a process that is gone is replaced; a live one is not. */
static int unlink_stale_socket(lx_server_t *s, const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return LX_OK;
    if (!S_ISSOCK(st.st_mode)) {
        listen_failed(s, "listen on", path, "it exists and is not a socket");
        return LX_EINVAL;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        listen_failed(s, "listen on", path, "socket: %s", strerror(errno));
        return LX_EIO;
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int live = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    if (live) {
        listen_failed(s, "listen on", path, "another server is listening there");
        return LX_EINVAL;
    }
    unlink(path);
    return LX_OK;
}

int lx_server_listen_unix(lx_server_t *s, const char *path, int mode) {
    s->listen_error[0] = 0;
    if (!path || !*path) {
        snprintf(s->listen_error, sizeof s->listen_error, "no socket path");
        return LX_EINVAL;
    }
    if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        listen_failed(s, "listen on", path, "the path is longer than %zu bytes",
                      sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
        return LX_EINVAL;
    }
    int rc = unlink_stale_socket(s, path);
    if (rc) return rc;
    lx_listener_t *l;
    if ((rc = add_listener(s, path, &l))) return rc;
    l->kind = LX_LISTEN_PIPE;
    if ((rc = uv_pipe_init(&s->loop, &l->h.pipe, 0)) != 0) return fail_listener(s, l, 0, rc, "listen on", path);
    l->h.handle.data = l;
    if ((rc = uv_pipe_bind(&l->h.pipe, path)) != 0) return fail_listener(s, l, 1, rc, "bind", path);
    l->path = strdup(path);
    if (!l->path) {
        listen_failed(s, "listen on", path, "out of memory");
        unlink(path);
        uv_close(&l->h.handle, free_listener_cb);
        return LX_ENOMEM;
    }
    if (chmod(path, (mode_t)mode) != 0) {
        listen_failed(s, "chmod", path, "%s", strerror(errno));
        unlink(path);
        uv_close(&l->h.handle, free_listener_cb);
        uv_run(&s->loop, UV_RUN_NOWAIT);
        return LX_EIO;
    }
    if ((rc = uv_listen(&l->h.stream, 511, on_connection)) != 0) {
        unlink(path);
        return fail_listener(s, l, 1, rc, "listen on", path);
    }
    s->listeners[s->nlisteners++] = l;
    return LX_OK;
}

int lx_server_adopt_fd(lx_server_t *s, int fd) {
    s->listen_error[0] = 0;
    char where[32];
    snprintf(where, sizeof where, "fd %d", fd);
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        listen_failed(s, "adopt", where, "not a socket: %s", fd < 0 ? "negative descriptor" : strerror(errno));
        return LX_EINVAL;
    }
    lx_listener_t *l;
    int rc = add_listener(s, where, &l);
    if (rc) return rc;
    if (sa.ss_family == AF_UNIX) {
        l->kind = LX_LISTEN_PIPE;
        if ((rc = uv_pipe_init(&s->loop, &l->h.pipe, 0)) != 0) return fail_listener(s, l, 0, rc, "adopt", where);
        l->h.handle.data = l;
        if ((rc = uv_pipe_open(&l->h.pipe, fd)) != 0) return fail_listener(s, l, 1, rc, "adopt", where);
    } else {
        l->kind = LX_LISTEN_TCP;
        if ((rc = uv_tcp_init(&s->loop, &l->h.tcp)) != 0) return fail_listener(s, l, 0, rc, "adopt", where);
        l->h.handle.data = l;
        if ((rc = uv_tcp_open(&l->h.tcp, fd)) != 0) return fail_listener(s, l, 1, rc, "adopt", where);
        struct sockaddr_storage bound;
        int blen = sizeof bound;
        if (uv_tcp_getsockname(&l->h.tcp, (struct sockaddr *)&bound, &blen) == 0)
            l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                        : ((struct sockaddr_in *)&bound)->sin_port);
    }
    if ((rc = uv_listen(&l->h.stream, 511, on_connection)) != 0) return fail_listener(s, l, 1, rc, "listen on", where);
    s->listeners[s->nlisteners++] = l;
    return LX_OK;
}

int lx_server_tcp_port(lx_server_t *s, int n) {
    for (int i = 0; i < s->nlisteners; i++) {
        if (s->listeners[i]->kind != LX_LISTEN_TCP) continue;
        if (n-- == 0) return s->listeners[i]->port;
    }
    return LX_EINVAL;
}

/* --- drain and stop --- */

static void close_listeners(lx_server_t *s) {
    for (int i = 0; i < s->nlisteners; i++) {
        lx_listener_t *l = s->listeners[i];
        if (l->path) unlink(l->path);
        uv_close(&l->h.handle, free_listener_cb);
    }
    s->nlisteners = 0;
}

static void on_drain_timeout(uv_timer_t *t) {
    lx_server_t *s = t->data;
    uint32_t n = 0;
    for (lx_conn_t *c = s->conns; c; c = c->next) n++;
    if (n) lx__log(s, LX_LOG_WARN, "drain timeout: closing %u connection%s with calls in flight", n, n == 1 ? "" : "s");
    lx_conn_t *c = s->conns;
    while (c) {
        lx_conn_t *next = c->next;
        lx__conn_close(c);
        c = next;
    }
    lx__maybe_stop(s);
}

static void start_drain(lx_server_t *s) {
    if (s->draining) return;
    s->draining = 1;
    lx__log(s, LX_LOG_INFO, "draining: %u connection%s, %llu call%s in flight", s->nconns, s->nconns == 1 ? "" : "s",
            (unsigned long long)s->calls_held, s->calls_held == 1 ? "" : "s");
    close_listeners(s);
    for (lx_conn_t *c = s->conns; c; c = c->next) {
        if (!c->goaway_sent) lx__conn_goaway(c, LX_STATUS_UNAVAILABLE, "server is shutting down");
        lx__conn_call_over(c); /* closes once its calls are done */
    }
    lx__flush_pending(s);
    uv_timer_start(&s->drain_timer, on_drain_timeout, s->limits.drain_timeout_ms, 0);
    lx__maybe_stop(s);
}

void lx__maybe_stop(lx_server_t *s) {
    if (!s->draining || s->stopping || s->conns || s->calls_held) return;
    s->stopping = 1;
    uv_close((uv_handle_t *)&s->drain_timer, NULL);
    uv_close((uv_handle_t *)&s->tick_timer, NULL);
    uv_close((uv_handle_t *)&s->async, NULL);
}

static void on_async(uv_async_t *a) {
    lx_server_t *s = a->data;
    pthread_mutex_lock(&s->lock);
    int drain = s->drain_requested;
    int limits = s->limits_pending;
    lx_limits_t nl = s->new_limits;
    s->limits_pending = 0;
    pthread_mutex_unlock(&s->lock);
    if (limits) {
        s->limits = nl;
        for (lx_conn_t *c = s->conns; c; c = c->next) {
            c->dec.max_payload = nl.max_frame_bytes;
            lx__conn_reset_timer(c);
        }
    }
    lx__process_queue(s);
    if (drain && !s->draining) start_drain(s);
}

void lx_server_drain(lx_server_t *s) {
    pthread_mutex_lock(&s->lock);
    s->drain_requested = 1;
    pthread_mutex_unlock(&s->lock);
    uv_async_send(&s->async);
}

void lx_server_set_limits(lx_server_t *s, const lx_limits_t *limits) {
    lx_limits_t l = *limits;
    lx_limits_defaults(&l);
    pthread_mutex_lock(&s->lock);
    s->new_limits = l;
    s->limits_pending = 1;
    pthread_mutex_unlock(&s->lock);
    uv_async_send(&s->async);
}

static void on_tick(uv_timer_t *t) {
    lx_server_t *s = t->data;
    if (s->tick_cb && !s->stopping) s->tick_cb(s, s->tick_data);
}

int lx_server_every(lx_server_t *s, uint32_t ms, lx_tick_cb cb, void *data) {
    if (!s) return LX_EINVAL;
    if (s->running && !lx__on_loop_thread(s)) return LX_EINVAL;
    if (s->stopping) return LX_ESTATE;
    uv_timer_stop(&s->tick_timer);
    s->tick_cb = ms && cb ? cb : NULL;
    s->tick_data = s->tick_cb ? data : NULL;
    if (s->tick_cb) uv_timer_start(&s->tick_timer, on_tick, ms, ms);
    return LX_OK;
}

int lx_server_run(lx_server_t *s) {
    s->loop_thread = pthread_self();
    s->running = 1;
    on_async(&s->async); /* a drain or limits requested before the loop ran */
    int rc = uv_run(&s->loop, UV_RUN_DEFAULT);
    (void)rc;
    s->running = 0;
    return LX_OK;
}

void lx_server_stats(lx_server_t *s, lx_stats_t *out) {
    const uint64_t *src = (const uint64_t *)&s->stats;
    uint64_t *dst = (uint64_t *)out;
    for (size_t i = 0; i < sizeof(lx_stats_t) / sizeof(uint64_t); i++)
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void lx_server_free(lx_server_t *s) {
    if (!s) return;
    if (!s->stopping) {
        /* Never ran, or run returned early: close what is open. */
        close_listeners(s);
        lx_conn_t *c = s->conns;
        while (c) {
            lx_conn_t *next = c->next;
            lx__conn_close(c);
            c = next;
        }
        uv_close((uv_handle_t *)&s->drain_timer, NULL);
        uv_close((uv_handle_t *)&s->tick_timer, NULL);
        uv_close((uv_handle_t *)&s->async, NULL);
        s->stopping = 1;
    }
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
    lx_rec_t *r = s->qhead;
    while (r) {
        lx_rec_t *next = r->next;
        free(r);
        r = next;
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}
