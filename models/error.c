#include "axon/error.h"

#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>

const char *axon_strerror(int status)
{
    switch (status) {
    case AXON_OK: return "success";
    case AXON_ERR_INVALID_ARG: return "invalid argument";
    case AXON_ERR_NO_MEMORY: return "out of memory";
    case AXON_ERR_IO: return "input/output error";
    case AXON_ERR_FORMAT: return "malformed data";
    case AXON_ERR_RANGE: return "value out of range";
    case AXON_ERR_UNSUPPORTED: return "unsupported";
    case AXON_ERR_STATE: return "invalid state for this call";
    case AXON_ERR_CAPACITY: return "capacity exceeded";
    case AXON_ERR_NOT_FOUND: return "not found";
    case AXON_ERR_PARSE: return "parse error";
    case AXON_ERR_TIMEOUT: return "timed out";
    case AXON_ERR_TRANSPORT: return "transport error";
    case AXON_ERR_INTERNAL: return "internal error";
    default: return "unknown error";
    }
}

int axon_errf(char *buf, int status, const char *fmt, ...)
{
    if (buf) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, AXON_ERRMSG_LEN, fmt, ap);
        va_end(ap);
    }
    return status;
}
