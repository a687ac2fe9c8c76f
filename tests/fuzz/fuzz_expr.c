/* libFuzzer target for the expression compiler and evaluator (hostlib/hl_expr.c): any byte
 * string must compile or fail with a parse error and a bounded message, and a compiled
 * expression must evaluate without crashing (NaN and infinities are fine). Built with clang
 * and -DAXON_FUZZ=ON as fuzz_expr; fuzz_driver.c runs the same function over a corpus with
 * any compiler. */
#include "hl_expr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = 0;
    static const char *const vars[] = {"d", "x"};
    hl_expr *e = NULL;
    char err[AXON_ERRMSG_LEN];
    memset(err, 0x55, sizeof err);
    int rc = hl_expr_compile(src, vars, 2, &e, err);
    if (rc == AXON_OK) {
        static const double pts[][2] = {{0, 0}, {1, -1}, {2.5, 1e300}, {-0.0, 3}, {1e-310, 7}};
        for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++)
            (void)hl_expr_eval(e, pts[i]);
        hl_expr_free(e);
    } else {
        /* only syntax errors (or memory) are possible, with a terminated message */
        if ((rc != AXON_ERR_PARSE && rc != AXON_ERR_NO_MEMORY) || e != NULL ||
            memchr(err, 0, sizeof err) == NULL || err[0] == 0)
            abort();
    }
    free(src);
    return 0;
}
