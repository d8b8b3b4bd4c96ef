/* load.h — lexstat-load's parts: latency histogram, blocking setup client,
 * request plans, report texts. Internal to the tool. */
#ifndef LEXSTAT_LOAD_H
#define LEXSTAT_LOAD_H

#include <stddef.h>
#include <stdint.h>

/* --- Log-linear latency histogram (HdrHistogram-style): 64 linear
 * sub-buckets per power of two of nanoseconds, so any value is kept within
 * 1/64 (1.6 %) of itself, from 64 ns to about 4.6 hours. --- */
#define HIST_SUB 64
#define HIST_EXP 44
typedef struct hist_s {
    uint64_t counts[HIST_EXP][HIST_SUB];
    uint64_t total;
    uint64_t max_ns;
    double sum_ns;
} hist_t;

void hist_reset(hist_t *h);
void hist_record(hist_t *h, uint64_t ns);
void hist_merge(hist_t *into, const hist_t *from);
/** The value at quantile q (0..1), in nanoseconds: the middle of its bucket. */
uint64_t hist_quantile(const hist_t *h, double q);

/* --- A growable byte buffer --- */
typedef struct buf_s {
    uint8_t *p;
    size_t len, cap;
} buf_t;
int buf_reserve(buf_t *b, size_t more);
int buf_append(buf_t *b, const void *data, size_t n);

/* --- Blocking client for set-up calls (catalog, regions, health) --- */
typedef struct sync_client_s {
    int fd;
    uint32_t next_id;
    void *decoder; /* lx_decoder_t */
} sync_client_t;

/** Connects to host:port and exchanges prefaces. 0 or -1 (message on stderr unless quiet). */
int sync_connect(sync_client_t *c, const char *host, int port, int quiet);
void sync_close(sync_client_t *c);
/**
 * One unary call. On return 0, *status holds the call's status and body/len
 * a malloc'd copy of the response message (free it). -1 on I/O failure.
 */
int sync_call(sync_client_t *c, const char *method, const uint8_t *req, size_t req_len,
              int *status, uint8_t **body, size_t *len);

/* --- Methods the load generator knows --- */
enum method_id { M_SERIES = 0, M_COMPARE, M_ROLLUP, M_HEALTH, M_COMPARE_ALL, M_INGEST, M_COUNT };
extern const char *const method_names[M_COUNT];   /* short names: series, compare, ... */
extern const char *const method_paths[M_COUNT];   /* lexstat.v1.Lexstat/GetSeries, ... */

/* A ready request frame (header with call id 0, request header, message). */
typedef struct frame_s {
    uint8_t *bytes;
    size_t len;
} frame_t;

typedef struct plan_s {
    frame_t *frames[M_COUNT];
    size_t n_frames[M_COUNT];
    size_t payload_bytes[M_COUNT]; /* message bytes over all frames, for MB/s */
} plan_t;

/** Fills the pools of the methods flagged in want[] from the server's catalog and regions. 0 or -1. */
int plan_build(plan_t *p, sync_client_t *c, const int want[M_COUNT], size_t pool, uint64_t seed,
               size_t report_bytes, int n_indicators);
/** Frames one request: header (call id 0) + request header + message. */
int frame_request(frame_t *f, const char *method, const uint8_t *msg, size_t msg_len, uint32_t timeout_ms);

/** Writes a report-like text of about `bytes` bytes of UTF-8 into b; deterministic from rng. */
void report_text(buf_t *b, size_t bytes, uint64_t *rng, const char *region_name, int year,
                 char **ind_names, size_t n_ind, uint32_t serial);

uint64_t rng_next(uint64_t *s);

#endif
