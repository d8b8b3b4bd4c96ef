#include "lexstat_net.h"
int lx_version(void) { return 1; }
