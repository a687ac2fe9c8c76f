/* The declarative network file (JSON; docs/network_file.md): everything a PyNN script
 * says, as data. axon_load_network() calls axon_setup() and builds the network in ctx. */
#ifndef AXON_NETFILE_H
#define AXON_NETFILE_H

#include "axon/axon.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_netfile_run {
    double duration_ms;   /* "run": {"duration": ...}; 0 if absent */
    char output[4096];    /* "output": "results.h5"; empty if absent */
    char backend[16];     /* "backend": "ref"; empty if absent */
} axon_netfile_run;

/* Parse and build. On error the context's last error names the JSON path and value, e.g.
 * "network.json: populations[1].parameters.tau_m: -5 must be positive" or a syntax error
 * with line and column; the context stays usable. run may be NULL. */
int axon_load_network(axon_ctx *ctx, const char *path, axon_netfile_run *run);
int axon_load_network_string(axon_ctx *ctx, const char *json, size_t len, const char *name,
                             axon_netfile_run *run);

#ifdef __cplusplus
}
#endif
#endif
