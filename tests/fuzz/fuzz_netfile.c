/* libFuzzer target for the network file loader (hostlib/netfile.c): any byte string must
 * load or fail with a negative status and a bounded message that starts with the file name;
 * a failed load clears the run descriptor; the context stays usable (a valid file loads
 * right after every input). Built with clang and -DAXON_FUZZ=ON as fuzz_netfile;
 * fuzz_driver.c runs the same function over tests/fuzz/corpus_netfile with any compiler.
 *
 * Inputs whose building would be slow rather than wrong are skipped: any integral number
 * above FUZZ_MAX_INT in magnitude (population sizes, connection counts...) and FromFile
 * connectors (the fuzzer must not read arbitrary files). */
#include "axon/netfile.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INT 64.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int too_costly(const json_t *j, int depth)
{
    if (depth > 64)
        return 1;
    if (json_is_number(j)) {
        double x = json_number_value(j);
        return x == floor(x) && fabs(x) > FUZZ_MAX_INT;
    }
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            if (too_costly(json_array_get(j, i), depth + 1))
                return 1;
        return 0;
    }
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v)
        {
            if (!strcmp(k, "file") || too_costly(v, depth + 1))
                return 1;
        }
    }
    if (json_is_string(j) && strstr(json_string_value(j), "FromFile"))
        return 1;
    return 0;
}

static void check_terminated(const char *s, size_t cap)
{
    if (!s || !memchr(s, 0, cap))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static axon_ctx *ctx;
    if (!ctx && axon_create(&ctx) != AXON_OK)
        abort();
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (doc) {
        int skip = too_costly(doc, 0);
        json_decref(doc);
        if (skip)
            return 0;
    }
    axon_netfile_run run;
    memset(&run, 0x5a, sizeof run);
    int rc = axon_load_network_string(ctx, (const char *)data, size, "fuzz.json", &run);
    const char *msg = axon_last_error(ctx);
    check_terminated(msg, AXON_ERRMSG_LEN);
    check_terminated(run.output, sizeof run.output);
    check_terminated(run.backend, sizeof run.backend);
    if (rc > 0)
        abort();
    if (rc < 0) {
        if (strncmp(msg, "fuzz.json: ", 11) != 0 || strlen(msg) <= 11)
            abort();
        if (run.duration_ms != 0 || run.output[0] || run.backend[0])
            abort();
    } else {
        if (!(run.duration_ms >= 0 && isfinite(run.duration_ms)))
            abort();
        for (uint32_t p = 0; p < axon_pop_count(ctx); p++)
            if (axon_pop_size(ctx, (axon_pop)p) == 0 || !axon_pop_label(ctx, (axon_pop)p))
                abort();
        for (uint32_t p = 0; p < axon_proj_count(ctx); p++) {
            size_t n;
            if (axon_proj_connections(ctx, (axon_proj)p, &n, NULL, NULL, NULL, NULL, 0))
                abort();
        }
    }
    static const char good[] = "{\"populations\": [{\"label\": \"a\", \"size\": 2, "
                               "\"celltype\": \"IF_curr_exp\"}]}";
    if (axon_load_network_string(ctx, good, sizeof good - 1, "good.json", NULL) != AXON_OK ||
        axon_pop_count(ctx) != 1)
        abort();
    return 0;
}
