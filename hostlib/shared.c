/* libaxon.so: the host library (axon_host + axon_models, linked whole) as one shared object
 * for foreign-function callers such as the PyNN backend (python/pyNN/axon, docs/pynn.md).
 *
 * Callers that mirror the public structures (ctypes) check their layouts against this
 * function before the first call, so a change to include/axon/axon.h that is not carried
 * over is an error at import rather than memory corruption. */
#include "axon/axon.h"

#include <string.h>

/* sizeof of a public structure by its C name (0 if unknown). */
size_t axon_abi_sizeof(const char *type);

size_t axon_abi_sizeof(const char *type)
{
    static const struct {
        const char *name;
        size_t size;
    } t[] = {
        {"axon_dist", sizeof(axon_dist)},
        {"axon_value", sizeof(axon_value)},
        {"axon_structure", sizeof(axon_structure)},
        {"axon_space", sizeof(axon_space)},
        {"axon_view", sizeof(axon_view)},
        {"axon_connector", sizeof(axon_connector)},
        {"axon_synapse", sizeof(axon_synapse)},
        {"axon_machine_opts", sizeof(axon_machine_opts)},
        {"axon_stdp", sizeof(axon_stdp)},
        {"axon_run_stats", sizeof(axon_run_stats)},
        {"axon_mapping_report", sizeof(axon_mapping_report)},
        {"axon_param_info", sizeof(axon_param_info)},
        {"axon_model_info", sizeof(axon_model_info)},
    };
    for (size_t i = 0; type && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(type, t[i].name))
            return t[i].size;
    return 0;
}
