/* LexstatWire: the protobuf-c code generated from Proto/ by `make proto`.
 * Everything under lexstat/ is generated; never edit it by hand. */
#ifndef LEXSTAT_WIRE_H
#define LEXSTAT_WIRE_H
#include "lexstat/v1/model.pb-c.h"
#include "lexstat/v1/health.pb-c.h"
#include "lexstat/v1/catalog.pb-c.h"
#include "lexstat/v1/reports.pb-c.h"
#include "lexstat/v1/extraction.pb-c.h"
#include "lexstat/v1/assessment.pb-c.h"
#include "lexstat/v1/service.pb-c.h"
#endif
