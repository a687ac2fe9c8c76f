/* Internal: formatting of last-error messages. */
#ifndef AXON_ERRBUF_H
#define AXON_ERRBUF_H

#include "axon/error.h"

/* Writes the formatted message into buf (AXON_ERRMSG_LEN bytes, may be NULL) and returns
 * status, so callers can `return axon_errf(err, AXON_ERR_RANGE, "...", ...);`. */
int axon_errf(char *buf, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
