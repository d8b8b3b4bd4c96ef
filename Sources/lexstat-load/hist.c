/* hist.c — log-linear latency histogram. */
#include <string.h>
#include "load.h"

void hist_reset(hist_t *h) { memset(h, 0, sizeof *h); }

static void locate(uint64_t v, int *e, int *s) {
    if (v < HIST_SUB) { *e = 0; *s = (int)v; return; }
    int msb = 63 - __builtin_clzll(v);         /* >= 6 */
    int exp = msb - 5;                          /* 1.. */
    if (exp >= HIST_EXP) { *e = HIST_EXP - 1; *s = HIST_SUB - 1; return; }
    *e = exp;
    *s = (int)((v >> (msb - 6)) & (HIST_SUB - 1)); /* the 6 bits below the top one */
}

void hist_record(hist_t *h, uint64_t ns) {
    int e, s;
    locate(ns, &e, &s);
    h->counts[e][s]++;
    h->total++;
    h->sum_ns += (double)ns;
    if (ns > h->max_ns) h->max_ns = ns;
}

void hist_merge(hist_t *into, const hist_t *from) {
    for (int e = 0; e < HIST_EXP; e++)
        for (int s = 0; s < HIST_SUB; s++) into->counts[e][s] += from->counts[e][s];
    into->total += from->total;
    into->sum_ns += from->sum_ns;
    if (from->max_ns > into->max_ns) into->max_ns = from->max_ns;
}

/* Bucket e>0, s covers [(64+s) << (e-1), (65+s) << (e-1)). */
static uint64_t bucket_mid(int e, int s) {
    if (e == 0) return (uint64_t)s;
    uint64_t lo = (uint64_t)(HIST_SUB + s) << (e - 1);
    uint64_t width = (uint64_t)1 << (e - 1);
    return lo + width / 2;
}

uint64_t hist_quantile(const hist_t *h, double q) {
    if (h->total == 0) return 0;
    uint64_t rank = (uint64_t)(q * (double)h->total);
    if (rank >= h->total) rank = h->total - 1;
    uint64_t seen = 0;
    for (int e = 0; e < HIST_EXP; e++)
        for (int s = 0; s < HIST_SUB; s++) {
            seen += h->counts[e][s];
            if (seen > rank) {
                uint64_t m = bucket_mid(e, s);
                return m > h->max_ns ? h->max_ns : m;
            }
        }
    return h->max_ns;
}
