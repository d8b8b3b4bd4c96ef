/* libFuzzer harness for the frame reader: the preface, frame headers, the
 * buffered decoder fed in chunks the input chooses, and every payload
 * parser. Built by `make fuzz` with AddressSanitizer and UBSan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lexstat_frame.h"

static void parse_payloads(const lx_frame_t *f) {
    lx_request_t req;
    const char *reason = NULL;
    if (lx_request_parse(f->payload, f->payload_len, &req, &reason) == LX_OK) {
        const uint8_t *v;
        size_t vlen;
        (void)lx_metadata_get(req.metadata, req.metadata_len, "authorization", &v, &vlen);
        (void)lx_metadata_get(req.metadata, req.metadata_len, "request-id", &v, &vlen);
        /* Touch every byte the parser said is ours. */
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < req.method_len; i++) sink ^= (uint8_t)req.method[i];
        for (size_t i = 0; i < req.body_len; i++) sink ^= req.body[i];
        (void)sink;
    }
    /* The first frame of a request in several frames (REQUEST with
     * LX_FLAG_MORE) must hold the whole header; REQUEST_DATA payloads are
     * opaque parts of a request and are joined by the server, not parsed. */
    size_t hlen = 0;
    if (lx_request_header_len(f->payload, f->payload_len, &hlen, &reason) == LX_OK && hlen > f->payload_len) abort();
    uint8_t status;
    const char *msg;
    size_t mlen, blen;
    const uint8_t *body;
    uint32_t last;
    (void)lx_response_parse(f->payload, f->payload_len, &status, &msg, &mlen, &body, &blen);
    (void)lx_goaway_parse(f->payload, f->payload_len, &last, &status, &msg, &mlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    /* First byte: chunk size; second: preface or not, and the frame limit. */
    size_t chunk = (size_t)data[0] + 1;
    int preface = data[1] & 1;
    uint32_t limit = (data[1] & 2) ? 64 : 1u << 20;
    data += 2;
    size -= 2;
    lx_decoder_t d;
    lx_decoder_init(&d, limit, preface);
    size_t i = 0;
    while (i < size) {
        size_t n = size - i < chunk ? size - i : chunk;
        uint8_t *space;
        size_t avail;
        if (lx_decoder_reserve(&d, n, &space, &avail) != LX_OK) break;
        if (n > avail) n = avail;
        memcpy(space, data + i, n);
        lx_decoder_commit(&d, n);
        i += n;
        lx_frame_t f;
        int rc;
        while ((rc = lx_decoder_next(&d, &f)) == 1) {
            if (f.payload_len > limit) abort(); /* the limit must hold */
            parse_payloads(&f);
        }
        if (rc < 0) break;
        if (lx_decoder_partial(&d) > (size_t)LX_FRAME_HEADER_LEN + limit + 64 * 1024) abort();
    }
    lx_decoder_free(&d);
    return 0;
}
