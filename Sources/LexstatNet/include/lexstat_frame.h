/* lexstat_frame.h — the Lexstat wire format: preface, frames, request and
 * response headers. Pure functions and a buffered decoder; no I/O, no libuv.
 * Shared by the server (lx_server_*) and by clients. Proto/PROTOCOL.md is
 * the specification this code implements.
 *
 * Ownership: an lx_decoder_t owns its buffer (lx_decoder_free releases it).
 * Pointers in an lx_frame_t returned by lx_decoder_next point into that
 * buffer and stay valid until the next call to lx_decoder_reserve,
 * lx_decoder_feed or lx_decoder_free on the same decoder.
 */
#ifndef LEXSTAT_FRAME_H
#define LEXSTAT_FRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- Errors: 0 or a negative code; lx_strerror() names each. --- */
#define LX_OK 0
#define LX_ENOMEM (-1)          /* allocation failed */
#define LX_EINVAL (-2)          /* bad argument from the caller */
#define LX_EBADPREFACE (-3)     /* the first bytes are not the Lexstat magic */
#define LX_EVERSION (-4)        /* magic right, protocol version not spoken */
#define LX_ETOOBIG (-5)         /* a frame declares a payload over the limit */
#define LX_EBADFRAME (-6)       /* a frame violates the protocol */
#define LX_EBADREQUEST (-7)     /* a request header is malformed */
#define LX_ECLOSED (-8)         /* the call or connection is gone */
#define LX_ESTATE (-9)          /* not allowed in the current state */
#define LX_EIO (-10)            /* a libuv or system error; see the log */

/** A static, human-readable name for an error code. */
const char *lx_strerror(int err);

/* --- Preface --- */
#define LX_PREFACE_LEN 8
#define LX_PROTOCOL_VERSION 1
/** Writes the 8-byte preface "LXST" 0x01 0 0 0 into out. */
void lx_preface_put(uint8_t out[LX_PREFACE_LEN]);
/** Checks a complete preface: LX_OK, LX_EBADPREFACE or LX_EVERSION. */
int lx_preface_check(const uint8_t in[LX_PREFACE_LEN]);

/* --- Frames --- */
#define LX_FRAME_HEADER_LEN 12
#define LX_DEFAULT_MAX_FRAME (4u * 1024u * 1024u) /* gRPC's default */

enum lx_frame_type {
    LX_FRAME_REQUEST = 0x1,  /* client -> server: request header + message */
    LX_FRAME_RESPONSE = 0x2, /* server -> client: status trailer + message; ends the call */
    LX_FRAME_MESSAGE = 0x3,  /* server -> client: one message of a server stream */
    LX_FRAME_CANCEL = 0x4,   /* client -> server: abandon a call */
    LX_FRAME_PING = 0x5,     /* either way; answered with LX_FLAG_ACK */
    LX_FRAME_GOAWAY = 0x6,   /* server -> client: no new calls; closing */
    LX_FRAME_REQUEST_DATA = 0x7 /* client -> server: next part of a request begun with LX_FLAG_MORE */
};

#define LX_FLAG_ACK 0x1  /* PING: the answer */
#define LX_FLAG_MORE 0x2 /* REQUEST, REQUEST_DATA: more of this request follows */
#define LX_DEFAULT_MAX_REQUEST (16u * 1024u * 1024u) /* a request, all its frames joined */

typedef struct lx_frame_s {
    uint8_t type;
    uint8_t flags;
    uint32_t call_id;
    const uint8_t *payload;
    uint32_t payload_len;
} lx_frame_t;

/** Writes a 12-byte frame header. */
void lx_frame_put_header(uint8_t out[LX_FRAME_HEADER_LEN], uint8_t type, uint8_t flags,
                         uint32_t call_id, uint32_t payload_len);

/* --- Buffered decoder: three states, complete / need more / error --- */
typedef struct lx_decoder_s {
    uint8_t *buf;
    size_t cap;
    size_t len;          /* bytes held */
    size_t pos;          /* bytes consumed */
    uint32_t max_payload;
    int want_preface;    /* 1 until the peer's preface has been read */
    int error;           /* sticky: the first error next() returned, else 0 */
} lx_decoder_t;

/** Initialises a decoder; expect_preface says whether the peer's preface comes first. */
void lx_decoder_init(lx_decoder_t *d, uint32_t max_payload, int expect_preface);
void lx_decoder_free(lx_decoder_t *d);
/**
 * Gives room for at least `hint` more bytes (more when a declared frame needs
 * it, never more than the limit allows). Compacts consumed bytes away, so
 * earlier frame pointers become invalid.
 * Returns LX_OK or LX_ENOMEM.
 */
int lx_decoder_reserve(lx_decoder_t *d, size_t hint, uint8_t **space, size_t *avail);
/** Records that n bytes were written into the space lx_decoder_reserve gave. */
void lx_decoder_commit(lx_decoder_t *d, size_t n);
/** Copies bytes in (reserve + memcpy + commit). LX_OK or LX_ENOMEM. */
int lx_decoder_feed(lx_decoder_t *d, const void *data, size_t n);
/**
 * Takes the next complete frame.
 * Returns 1 with *out filled, 0 when more bytes are needed, or a negative
 * error: LX_EBADPREFACE, LX_EVERSION, LX_ETOOBIG. After an error the decoder
 * stays in error (every later call returns the same code).
 */
int lx_decoder_next(lx_decoder_t *d, lx_frame_t *out);
/** Bytes of a begun but incomplete preface or frame (0 when between frames). */
size_t lx_decoder_partial(const lx_decoder_t *d);

/* --- Request header (payload of LX_FRAME_REQUEST) ---
 *   u32 timeout_ms | u16 method_len | method | u16 metadata_len | metadata | message
 * metadata: repeated { u8 key_len | key | u16 value_len | value }
 */
#define LX_MAX_METHOD_LEN 255
#define LX_MAX_METADATA_LEN 8192

typedef struct lx_request_s {
    uint32_t call_id;
    uint32_t timeout_ms;       /* 0: no deadline */
    const char *method;        /* not NUL-terminated */
    size_t method_len;
    const uint8_t *metadata;
    size_t metadata_len;
    const uint8_t *body;
    size_t body_len;
    const char *peer;          /* NUL-terminated, e.g. "127.0.0.1:51234" or "unix" */
} lx_request_t;

/**
 * Parses a request payload. On error returns LX_EBADREQUEST and points
 * *reason at a static description of the rule broken.
 */
int lx_request_parse(const uint8_t *payload, size_t len, lx_request_t *out, const char **reason);
/**
 * Length of the request header (timeout through metadata) at the start of a
 * payload, if the whole header and well-formed metadata lie within len
 * bytes: LX_OK with *header_len set, else LX_EBADREQUEST with *reason set.
 * Used on the first frame of a request in several frames.
 */
int lx_request_header_len(const uint8_t *payload, size_t len, size_t *header_len, const char **reason);
/** Size of a request payload with these parts. */
size_t lx_request_size(size_t method_len, size_t metadata_len, size_t body_len);
/** Writes a request payload; out must hold lx_request_size(...) bytes. */
void lx_request_put(uint8_t *out, uint32_t timeout_ms, const char *method, size_t method_len,
                    const uint8_t *metadata, size_t metadata_len, const uint8_t *body, size_t body_len);
/** Checks that metadata is a well-formed sequence of entries. LX_OK or LX_EBADREQUEST. */
int lx_metadata_validate(const uint8_t *md, size_t len);
/** Finds a key (exact bytes). Returns 1 with val and val_len set, or 0. */
int lx_metadata_get(const uint8_t *md, size_t len, const char *key, const uint8_t **val, size_t *val_len);

/* --- Response / GOAWAY trailers ---
 * RESPONSE payload: u8 status | u8 0 | u16 message_len | message | body
 * GOAWAY payload:   u32 last_call_id | u8 status | u8 0 | u16 message_len | message
 */
#define LX_MAX_STATUS_MESSAGE 4096
/** Parses a RESPONSE payload. LX_OK or LX_EBADFRAME. */
int lx_response_parse(const uint8_t *payload, size_t len, uint8_t *status, const char **msg,
                      size_t *msg_len, const uint8_t **body, size_t *body_len);
/** Parses a GOAWAY payload. LX_OK or LX_EBADFRAME. */
int lx_goaway_parse(const uint8_t *payload, size_t len, uint32_t *last_call_id, uint8_t *status,
                    const char **msg, size_t *msg_len);

/* --- Status codes: gRPC's 17 --- */
enum lx_status {
    LX_STATUS_OK = 0,
    LX_STATUS_CANCELLED = 1,
    LX_STATUS_UNKNOWN = 2,
    LX_STATUS_INVALID_ARGUMENT = 3,
    LX_STATUS_DEADLINE_EXCEEDED = 4,
    LX_STATUS_NOT_FOUND = 5,
    LX_STATUS_ALREADY_EXISTS = 6,
    LX_STATUS_PERMISSION_DENIED = 7,
    LX_STATUS_RESOURCE_EXHAUSTED = 8,
    LX_STATUS_FAILED_PRECONDITION = 9,
    LX_STATUS_ABORTED = 10,
    LX_STATUS_OUT_OF_RANGE = 11,
    LX_STATUS_UNIMPLEMENTED = 12,
    LX_STATUS_INTERNAL = 13,
    LX_STATUS_UNAVAILABLE = 14,
    LX_STATUS_DATA_LOSS = 15,
    LX_STATUS_UNAUTHENTICATED = 16
};
/** "OK", "CANCELLED", … "UNAUTHENTICATED"; "UNKNOWN" for other values. */
const char *lx_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
