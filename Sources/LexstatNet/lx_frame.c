/* lx_frame.c — preface, frame headers, the buffered decoder, request and
 * response headers. Every length a peer declares is checked against the
 * payload that carries it and against a configured maximum before anything
 * is buffered or allocated for it. */
#include <stdlib.h>
#include <string.h>

#include "lexstat_frame.h"

static const uint8_t magic[4] = {'L', 'X', 'S', 'T'};

static uint32_t get_u32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(((uint16_t)p[0] << 8) | p[1]); }

static void put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

const char *lx_strerror(int err) {
    switch (err) {
    case LX_OK: return "ok";
    case LX_ENOMEM: return "out of memory";
    case LX_EINVAL: return "invalid argument";
    case LX_EBADPREFACE: return "not a Lexstat connection preface";
    case LX_EVERSION: return "unsupported protocol version";
    case LX_ETOOBIG: return "frame larger than the limit";
    case LX_EBADFRAME: return "malformed frame";
    case LX_EBADREQUEST: return "malformed request header";
    case LX_ECLOSED: return "call or connection closed";
    case LX_ESTATE: return "operation not allowed in this state";
    case LX_EIO: return "I/O error";
    default: return "unknown error";
    }
}

const char *lx_status_name(int status) {
    static const char *names[] = {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED"};
    if (status < 0 || status > 16) return "UNKNOWN";
    return names[status];
}

void lx_preface_put(uint8_t out[LX_PREFACE_LEN]) {
    memcpy(out, magic, 4);
    out[4] = LX_PROTOCOL_VERSION;
    out[5] = out[6] = out[7] = 0;
}

int lx_preface_check(const uint8_t in[LX_PREFACE_LEN]) {
    if (memcmp(in, magic, 4) != 0) return LX_EBADPREFACE;
    if (in[4] != LX_PROTOCOL_VERSION || in[5] || in[6] || in[7]) return LX_EVERSION;
    return LX_OK;
}

void lx_frame_put_header(uint8_t out[LX_FRAME_HEADER_LEN], uint8_t type, uint8_t flags,
                         uint32_t call_id, uint32_t payload_len) {
    put_u32(out, payload_len);
    out[4] = type;
    out[5] = flags;
    out[6] = out[7] = 0;
    put_u32(out + 8, call_id);
}

/* --- decoder --- */

/* Read room per connection: small, since most connections idle; a declared
 * frame grows the buffer to its size (up to the limit) and it shrinks back. */
#define LX_READ_CHUNK (16u * 1024u)

void lx_decoder_init(lx_decoder_t *d, uint32_t max_payload, int expect_preface) {
    memset(d, 0, sizeof(*d));
    d->max_payload = max_payload ? max_payload : LX_DEFAULT_MAX_FRAME;
    d->want_preface = expect_preface ? 1 : 0;
}

void lx_decoder_free(lx_decoder_t *d) {
    free(d->buf);
    d->buf = NULL;
    d->cap = d->len = d->pos = 0;
}

static int decoder_fail(lx_decoder_t *d, int err) {
    d->error = err;
    return err;
}

/* How many bytes the frame (or preface) at pos needs in all, if known and valid. */
static size_t needed_for_current(const lx_decoder_t *d) {
    size_t avail = d->len - d->pos;
    if (d->want_preface == 1) return LX_PREFACE_LEN;
    if (avail < LX_FRAME_HEADER_LEN) return LX_FRAME_HEADER_LEN;
    uint32_t plen = get_u32(d->buf + d->pos);
    if (plen > d->max_payload) return LX_FRAME_HEADER_LEN; /* next() reports the error */
    return LX_FRAME_HEADER_LEN + (size_t)plen;
}

int lx_decoder_reserve(lx_decoder_t *d, size_t hint, uint8_t **space, size_t *avail) {
    if (d->pos > 0) {
        size_t rest = d->len - d->pos;
        if (rest) memmove(d->buf, d->buf + d->pos, rest);
        d->len = rest;
        d->pos = 0;
    }
    size_t need = needed_for_current(d);
    size_t want = hint < LX_READ_CHUNK ? LX_READ_CHUNK : hint;
    if (need > d->len && need - d->len > want) want = need - d->len;
    /* Never hold more than one maximal frame plus one read chunk. */
    size_t ceiling = (size_t)LX_FRAME_HEADER_LEN + d->max_payload + LX_READ_CHUNK;
    if (d->len + want > ceiling) want = ceiling > d->len ? ceiling - d->len : 0;
    if (want == 0) want = 1; /* the peer is over the limit; next() will say so */
    if (d->cap - d->len < want) {
        size_t ncap = d->cap ? d->cap : LX_READ_CHUNK;
        while (ncap - d->len < want) ncap *= 2;
        uint8_t *nbuf = realloc(d->buf, ncap);
        if (!nbuf) return LX_ENOMEM;
        d->buf = nbuf;
        d->cap = ncap;
    } else if (d->len == 0 && d->cap > 4 * LX_READ_CHUNK && want <= LX_READ_CHUNK) {
        /* Give back the memory of a past large frame. */
        uint8_t *nbuf = realloc(d->buf, LX_READ_CHUNK);
        if (nbuf) {
            d->buf = nbuf;
            d->cap = LX_READ_CHUNK;
        }
    }
    *space = d->buf + d->len;
    *avail = d->cap - d->len;
    return LX_OK;
}

void lx_decoder_commit(lx_decoder_t *d, size_t n) {
    if (n > d->cap - d->len) n = d->cap - d->len; /* defensive: never past the buffer */
    d->len += n;
}

int lx_decoder_feed(lx_decoder_t *d, const void *data, size_t n) {
    const uint8_t *p = data;
    while (n > 0) {
        uint8_t *space;
        size_t avail;
        int rc = lx_decoder_reserve(d, n, &space, &avail);
        if (rc) return rc;
        size_t k = n < avail ? n : avail;
        memcpy(space, p, k);
        lx_decoder_commit(d, k);
        p += k;
        n -= k;
    }
    return LX_OK;
}

int lx_decoder_next(lx_decoder_t *d, lx_frame_t *out) {
    if (d->error) return d->error;
    size_t avail = d->len - d->pos;
    if (d->want_preface == 1) {
        /* Reject a wrong magic as soon as the bytes disagree, not after 8. */
        size_t k = avail < 4 ? avail : 4;
        if (memcmp(d->buf + d->pos, magic, k) != 0) return decoder_fail(d, LX_EBADPREFACE);
        if (avail < LX_PREFACE_LEN) return 0;
        int rc = lx_preface_check(d->buf + d->pos);
        if (rc) return decoder_fail(d, rc);
        d->pos += LX_PREFACE_LEN;
        d->want_preface = 0;
        avail -= LX_PREFACE_LEN;
    }
    if (avail < LX_FRAME_HEADER_LEN) return 0;
    const uint8_t *h = d->buf + d->pos;
    uint32_t plen = get_u32(h);
    if (plen > d->max_payload) return decoder_fail(d, LX_ETOOBIG);
    if (avail < LX_FRAME_HEADER_LEN + (size_t)plen) return 0;
    out->type = h[4];
    out->flags = h[5];
    out->call_id = get_u32(h + 8);
    out->payload = h + LX_FRAME_HEADER_LEN;
    out->payload_len = plen;
    d->pos += LX_FRAME_HEADER_LEN + (size_t)plen;
    return 1;
}

size_t lx_decoder_partial(const lx_decoder_t *d) { return d->len - d->pos; }

/* --- request header --- */

int lx_metadata_validate(const uint8_t *md, size_t len) {
    size_t i = 0;
    while (i < len) {
        size_t klen = md[i++];
        if (klen == 0 || klen > len - i) return LX_EBADREQUEST;
        i += klen;
        if (len - i < 2) return LX_EBADREQUEST;
        size_t vlen = get_u16(md + i);
        i += 2;
        if (vlen > len - i) return LX_EBADREQUEST;
        i += vlen;
    }
    return LX_OK;
}

int lx_metadata_get(const uint8_t *md, size_t len, const char *key, const uint8_t **val, size_t *val_len) {
    size_t want = strlen(key);
    size_t i = 0;
    while (i < len) {
        size_t klen = md[i++];
        if (klen > len - i) return 0;
        const uint8_t *k = md + i;
        i += klen;
        if (len - i < 2) return 0;
        size_t vlen = get_u16(md + i);
        i += 2;
        if (vlen > len - i) return 0;
        if (klen == want && memcmp(k, key, want) == 0) {
            *val = md + i;
            *val_len = vlen;
            return 1;
        }
        i += vlen;
    }
    return 0;
}

int lx_request_parse(const uint8_t *p, size_t len, lx_request_t *out, const char **reason) {
    static const char *r_short = "request header shorter than its fixed fields";
    static const char *r_method = "method name empty, longer than 255 bytes, or past the payload";
    static const char *r_mdlen = "metadata longer than 8192 bytes or past the payload";
    static const char *r_md = "metadata entries malformed";
    const char *why = NULL;
    size_t i = 0;
    if (len < 4 + 2) { why = r_short; goto bad; }
    out->timeout_ms = get_u32(p);
    i = 4;
    size_t mlen = get_u16(p + i);
    i += 2;
    if (mlen == 0 || mlen > LX_MAX_METHOD_LEN || mlen > len - i) { why = r_method; goto bad; }
    out->method = (const char *)(p + i);
    out->method_len = mlen;
    i += mlen;
    if (len - i < 2) { why = r_short; goto bad; }
    size_t mdlen = get_u16(p + i);
    i += 2;
    if (mdlen > LX_MAX_METADATA_LEN || mdlen > len - i) { why = r_mdlen; goto bad; }
    if (lx_metadata_validate(p + i, mdlen) != LX_OK) { why = r_md; goto bad; }
    out->metadata = p + i;
    out->metadata_len = mdlen;
    i += mdlen;
    out->body = p + i;
    out->body_len = len - i;
    return LX_OK;
bad:
    if (reason) *reason = why;
    return LX_EBADREQUEST;
}

int lx_request_header_len(const uint8_t *p, size_t len, size_t *header_len, const char **reason) {
    lx_request_t req;
    if (lx_request_parse(p, len, &req, reason) != LX_OK) return LX_EBADREQUEST;
    *header_len = len - req.body_len;
    return LX_OK;
}

size_t lx_request_size(size_t method_len, size_t metadata_len, size_t body_len) {
    return 4 + 2 + method_len + 2 + metadata_len + body_len;
}

void lx_request_put(uint8_t *out, uint32_t timeout_ms, const char *method, size_t method_len,
                    const uint8_t *metadata, size_t metadata_len, const uint8_t *body, size_t body_len) {
    put_u32(out, timeout_ms);
    put_u16(out + 4, (uint16_t)method_len);
    memcpy(out + 6, method, method_len);
    size_t i = 6 + method_len;
    put_u16(out + i, (uint16_t)metadata_len);
    i += 2;
    if (metadata_len) memcpy(out + i, metadata, metadata_len);
    i += metadata_len;
    if (body_len) memcpy(out + i, body, body_len);
}

int lx_response_parse(const uint8_t *p, size_t len, uint8_t *status, const char **msg,
                      size_t *msg_len, const uint8_t **body, size_t *body_len) {
    if (len < 4) return LX_EBADFRAME;
    size_t mlen = get_u16(p + 2);
    if (mlen > len - 4) return LX_EBADFRAME;
    *status = p[0];
    *msg = (const char *)(p + 4);
    *msg_len = mlen;
    *body = p + 4 + mlen;
    *body_len = len - 4 - mlen;
    return LX_OK;
}

int lx_goaway_parse(const uint8_t *p, size_t len, uint32_t *last_call_id, uint8_t *status,
                    const char **msg, size_t *msg_len) {
    if (len < 8) return LX_EBADFRAME;
    size_t mlen = get_u16(p + 6);
    if (mlen != len - 8) return LX_EBADFRAME;
    *last_call_id = get_u32(p);
    *status = p[4];
    *msg = (const char *)(p + 8);
    *msg_len = mlen;
    return LX_OK;
}
