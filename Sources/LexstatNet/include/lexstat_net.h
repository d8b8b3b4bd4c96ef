#ifndef LEXSTAT_NET_H
#define LEXSTAT_NET_H
int lx_version(void);
#endif
