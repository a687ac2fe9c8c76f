/* Axon status codes shared by every library in the project.
 *
 * Every fallible call returns AXON_OK (0) or a negative axon_status. The context the call
 * worked on (engine, image, network...) keeps a human-readable message naming the item and
 * value at fault; axon_strerror() gives the generic text of a code. */
#ifndef AXON_ERROR_H
#define AXON_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum axon_status {
    AXON_OK = 0,
    AXON_ERR_INVALID_ARG = -1,  /* a parameter is out of range, NaN, NULL... */
    AXON_ERR_NO_MEMORY = -2,    /* allocation failed */
    AXON_ERR_IO = -3,           /* a file could not be opened, read or written */
    AXON_ERR_FORMAT = -4,       /* bad magic, version or structure in an image/file */
    AXON_ERR_RANGE = -5,        /* a value does not fit its fixed-point or field width */
    AXON_ERR_UNSUPPORTED = -6,  /* unknown model id, kind or feature */
    AXON_ERR_STATE = -7,        /* call not valid in the current state (e.g. run before load) */
    AXON_ERR_CAPACITY = -8,     /* network too large for the machine or a table */
    AXON_ERR_NOT_FOUND = -9,    /* no such item (population, parameter, board...) */
    AXON_ERR_PARSE = -10,       /* syntax error in a file or expression */
    AXON_ERR_TIMEOUT = -11,     /* a deadline passed */
    AXON_ERR_TRANSPORT = -12,   /* transport failure (USB, protocol) */
    AXON_ERR_INTERNAL = -13     /* a broken invariant: always a bug, please report */
} axon_status;

/* Generic text for a status code ("invalid argument"...). Never NULL. */
const char *axon_strerror(int status);

/* Size of every last-error message buffer in the project. */
#define AXON_ERRMSG_LEN 512

#ifdef __cplusplus
}
#endif
#endif
