/* plan.c — request pools built from the server's own catalog and regions,
 * so every call asks for figures the synthetic data set holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexstat/v1/catalog.pb-c.h"
#include "lexstat/v1/extraction.pb-c.h"
#include "lexstat/v1/health.pb-c.h"
#include "lexstat/v1/reports.pb-c.h"
#include "load.h"

const char *const method_names[M_COUNT] = {"series", "compare", "rollup", "health", "compare_all", "ingest"};
const char *const method_paths[M_COUNT] = {
    "lexstat.v1.Lexstat/GetSeries", "lexstat.v1.Lexstat/Compare", "lexstat.v1.Lexstat/Rollup",
    "lexstat.v1.Lexstat/Health",    "lexstat.v1.Lexstat/Compare", "lexstat.v1.Lexstat/Ingest"};

#define FIRST_YEAR 2015
#define YEARS 10

uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct strs_s {
    char **v;
    size_t n, cap;
} strs_t;

static int strs_push(strs_t *s, const char *x) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n] = strdup(x);
    return s->v[s->n++] ? 0 : -1;
}

static void strs_free(strs_t *s) {
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int call_packed(sync_client_t *c, const char *method, const ProtobufCMessage *req, uint8_t **body, size_t *len) {
    size_t n = protobuf_c_message_get_packed_size(req);
    uint8_t *p = malloc(n ? n : 1);
    if (!p) return -1;
    protobuf_c_message_pack(req, p);
    int status = -1;
    int rc = sync_call(c, method, p, n, &status, body, len);
    free(p);
    if (rc != 0 || status != 0) {
        if (rc == 0) free(*body);
        fprintf(stderr, "lexstat-load: set-up call %s failed (status %d)\n", method, status);
        return -1;
    }
    return 0;
}

/* Regions of one level, all pages. */
static int list_regions(sync_client_t *c, Lexstat__V1__RegionLevel level, strs_t *codes, strs_t *names) {
    char *token = strdup("");
    for (;;) {
        Lexstat__V1__ListRegionsRequest req;
        lexstat__v1__list_regions_request__init(&req);
        req.level = level;
        req.page_size = 10000;
        req.page_token = token;
        uint8_t *body;
        size_t len;
        if (call_packed(c, "lexstat.v1.Lexstat/ListRegions", &req.base, &body, &len) != 0) { free(token); return -1; }
        Lexstat__V1__ListRegionsResponse *r = lexstat__v1__list_regions_response__unpack(NULL, len, body);
        free(body);
        free(token);
        if (!r) return -1;
        for (size_t i = 0; i < r->n_regions; i++) {
            if (strs_push(codes, r->regions[i]->code) != 0 || strs_push(names, r->regions[i]->full_name) != 0) {
                lexstat__v1__list_regions_response__free_unpacked(r, NULL);
                return -1;
            }
        }
        token = strdup(r->next_page_token ? r->next_page_token : "");
        lexstat__v1__list_regions_response__free_unpacked(r, NULL);
        if (!token) return -1;
        if (token[0] == 0) { free(token); return 0; }
    }
}

static int add_frame(plan_t *p, int m, const char *path, const ProtobufCMessage *msg) {
    size_t n = protobuf_c_message_get_packed_size(msg);
    uint8_t *b = malloc(n ? n : 1);
    if (!b) return -1;
    protobuf_c_message_pack(msg, b);
    frame_t f;
    int rc = frame_request(&f, path, b, n, 0);
    free(b);
    if (rc != 0) return -1;
    p->frames[m][p->n_frames[m]++] = f;
    p->payload_bytes[m] += n;
    return 0;
}

int plan_build(plan_t *p, sync_client_t *c, const int want[M_COUNT], size_t pool, uint64_t seed,
               size_t report_bytes, int n_indicators) {
    memset(p, 0, sizeof *p);
    int rc = -1;
    strs_t ind = {0}, ind_sum = {0}, ind_names = {0}, county = {0}, county_names = {0}, prov = {0}, prov_names = {0}, prov_ok = {0};
    uint8_t *body = NULL;
    size_t len;

    Lexstat__V1__ListIndicatorsRequest li;
    lexstat__v1__list_indicators_request__init(&li);
    if (call_packed(c, "lexstat.v1.Lexstat/ListIndicators", &li.base, &body, &len) != 0) goto out;
    Lexstat__V1__ListIndicatorsResponse *lr = lexstat__v1__list_indicators_response__unpack(NULL, len, body);
    free(body);
    body = NULL;
    if (!lr) goto out;
    for (size_t i = 0; i < lr->n_indicators && (int)i < n_indicators; i++) {
        Lexstat__V1__Indicator *x = lr->indicators[i];
        strs_push(&ind, x->code);
        strs_push(&ind_names, x->name);
        if (x->aggregation == LEXSTAT__V1__AGGREGATION__AGGREGATION_SUM) strs_push(&ind_sum, x->code);
    }
    lexstat__v1__list_indicators_response__free_unpacked(lr, NULL);
    if (list_regions(c, LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY, &county, &county_names) != 0) goto out;
    if (list_regions(c, LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE, &prov, &prov_names) != 0) goto out;
    /* Provinces with counties under them (GB/T 2260: the first two digits name the province). */
    for (size_t i = 0; i < prov.n; i++) {
        for (size_t k = 0; k < county.n; k++)
            if (strncmp(prov.v[i], county.v[k], 2) == 0) { strs_push(&prov_ok, prov.v[i]); break; }
    }
    if (ind.n == 0 || ind_sum.n == 0 || county.n == 0 || prov_ok.n == 0) {
        fprintf(stderr, "lexstat-load: the server has no indicators or regions to ask about\n");
        goto out;
    }
    uint64_t rng = seed;
    char period[8];
    for (int m = 0; m < M_COUNT; m++) {
        if (!want[m]) continue;
        size_t n = m == M_HEALTH ? 1 : pool;
        p->frames[m] = calloc(n, sizeof(frame_t));
        if (!p->frames[m]) goto out;
        for (size_t i = 0; i < n; i++) {
            const char *indicator = ind.v[rng_next(&rng) % ind.n];
            snprintf(period, sizeof period, "%d", FIRST_YEAR + (int)(rng_next(&rng) % YEARS));
            int r = 0;
            switch (m) {
            case M_SERIES: {
                Lexstat__V1__GetSeriesRequest q;
                lexstat__v1__get_series_request__init(&q);
                q.indicator = (char *)indicator;
                q.region = county.v[rng_next(&rng) % county.n];
                r = add_frame(p, m, method_paths[m], &q.base);
                break;
            }
            case M_COMPARE:
            case M_COMPARE_ALL: {
                Lexstat__V1__CompareRequest q;
                lexstat__v1__compare_request__init(&q);
                q.indicator = (char *)indicator;
                q.period = period;
                q.level = LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY;
                if (m == M_COMPARE) q.within = prov_ok.v[rng_next(&rng) % prov_ok.n];
                r = add_frame(p, m, method_paths[m], &q.base);
                break;
            }
            case M_ROLLUP: {
                Lexstat__V1__RollupRequest q;
                lexstat__v1__rollup_request__init(&q);
                q.indicator = ind_sum.v[rng_next(&rng) % ind_sum.n];
                q.region = prov_ok.v[rng_next(&rng) % prov_ok.n];
                q.period = period;
                r = add_frame(p, m, method_paths[m], &q.base);
                break;
            }
            case M_HEALTH: {
                Lexstat__V1__HealthRequest q;
                lexstat__v1__health_request__init(&q);
                r = add_frame(p, m, method_paths[m], &q.base);
                break;
            }
            case M_INGEST: {
                size_t k = rng_next(&rng) % county.n;
                int year = FIRST_YEAR + (int)(rng_next(&rng) % YEARS);
                buf_t text = {0};
                report_text(&text, report_bytes, &rng, county_names.v[k], year, ind_names.v, ind_names.n, (uint32_t)i);
                char title[256];
                snprintf(title, sizeof title, "%s司法局%d年工作总结（合成，第%zu号）", county_names.v[k], year, i + 1);
                Lexstat__V1__IngestRequest q;
                lexstat__v1__ingest_request__init(&q);
                q.content.data = text.p;
                q.content.len = text.len;
                q.region = county.v[k];
                q.year = year;
                q.title = title;
                q.kind = LEXSTAT__V1__REPORT_KIND__REPORT_KIND_ANNUAL_SUMMARY;
                q.publisher = "司法局";
                q.source = "lexstat-load synthetic report";
                r = add_frame(p, m, method_paths[m], &q.base);
                free(text.p);
                break;
            }
            }
            if (r != 0) goto out;
        }
    }
    rc = 0;
out:
    strs_free(&ind); strs_free(&ind_sum); strs_free(&ind_names); strs_free(&county); strs_free(&county_names);
    strs_free(&prov); strs_free(&prov_names); strs_free(&prov_ok);
    return rc;
}
