/* sync_client.c — a blocking client for lexstat-load's set-up calls. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lexstat_frame.h"
#include "load.h"

#define SYNC_MAX_FRAME (64u * 1024u * 1024u)

int buf_reserve(buf_t *b, size_t more) {
    if (b->len + more <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

int buf_append(buf_t *b, const void *data, size_t n) {
    if (buf_reserve(b, n) != 0) return -1;
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int sync_connect(sync_client_t *c, const char *host, int port, int quiet) {
    memset(c, 0, sizeof *c);
    c->fd = -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        if (!quiet) fprintf(stderr, "lexstat-load: %s is not an IPv4 address\n", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (!quiet) fprintf(stderr, "lexstat-load: cannot connect to %s:%d: %s\n", host, port, strerror(errno));
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    uint8_t pre[LX_PREFACE_LEN];
    lx_preface_put(pre);
    if (write_all(fd, pre, sizeof pre) != 0) { close(fd); return -1; }
    lx_decoder_t *d = malloc(sizeof *d);
    if (!d) { close(fd); return -1; }
    lx_decoder_init(d, SYNC_MAX_FRAME, 1);
    c->fd = fd;
    c->decoder = d;
    c->next_id = 1;
    return 0;
}

void sync_close(sync_client_t *c) {
    if (c->decoder) {
        lx_decoder_free(c->decoder);
        free(c->decoder);
        c->decoder = NULL;
    }
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}

int sync_call(sync_client_t *c, const char *method, const uint8_t *req, size_t req_len,
              int *status, uint8_t **body, size_t *len) {
    frame_t f;
    if (frame_request(&f, method, req, req_len, 60000) != 0) return -1;
    uint32_t id = c->next_id++;
    f.bytes[8] = (uint8_t)(id >> 24); f.bytes[9] = (uint8_t)(id >> 16);
    f.bytes[10] = (uint8_t)(id >> 8); f.bytes[11] = (uint8_t)id;
    int rc = write_all(c->fd, f.bytes, f.len);
    free(f.bytes);
    if (rc != 0) return -1;
    lx_decoder_t *d = c->decoder;
    for (;;) {
        lx_frame_t fr;
        int n = lx_decoder_next(d, &fr);
        if (n < 0) return -1;
        if (n == 1) {
            if (fr.type == LX_FRAME_GOAWAY) return -1;
            if (fr.type != LX_FRAME_RESPONSE || fr.call_id != id) continue;
            uint8_t st;
            const char *msg;
            size_t msg_len;
            const uint8_t *b;
            size_t b_len;
            if (lx_response_parse(fr.payload, fr.payload_len, &st, &msg, &msg_len, &b, &b_len) != LX_OK) return -1;
            *status = st;
            if (st != 0 && msg_len > 0) fprintf(stderr, "lexstat-load: %s: %s: %.*s\n", method, lx_status_name(st), (int)msg_len, msg);
            *len = b_len;
            *body = malloc(b_len ? b_len : 1);
            if (!*body) return -1;
            memcpy(*body, b, b_len);
            return 0;
        }
        uint8_t *space;
        size_t avail;
        if (lx_decoder_reserve(d, 65536, &space, &avail) != LX_OK) return -1;
        ssize_t r = read(c->fd, space, avail);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        lx_decoder_commit(d, (size_t)r);
    }
}

int frame_request(frame_t *f, const char *method, const uint8_t *msg, size_t msg_len, uint32_t timeout_ms) {
    size_t mlen = strlen(method);
    size_t payload = lx_request_size(mlen, 0, msg_len);
    if (payload > LX_DEFAULT_MAX_FRAME) return -1;
    f->len = LX_FRAME_HEADER_LEN + payload;
    f->bytes = malloc(f->len);
    if (!f->bytes) return -1;
    lx_frame_put_header(f->bytes, LX_FRAME_REQUEST, 0, 0, (uint32_t)payload);
    lx_request_put(f->bytes + LX_FRAME_HEADER_LEN, timeout_ms, method, mlen, NULL, 0, msg, msg_len);
    return 0;
}
