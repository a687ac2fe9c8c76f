/* Internal: a small, safe expression evaluator for distance-dependent values and
 * probabilities (docs/hostlib.md#expressions). Grammar: numbers, variables, + - * / ** ^,
 * unary -, comparisons < <= > >= == != (1.0 or 0.0), and/or/not, parentheses,
 * functions exp log sqrt sin cos tan abs pow min max floor ceil, constants pi e. */
#ifndef AXON_HL_EXPR_H
#define AXON_HL_EXPR_H

#include "axon/error.h"

typedef struct hl_expr hl_expr;

/* Compile src with variables vars[0..n_vars-1]. A parse error returns AXON_ERR_PARSE with
 * a message giving the position and what was expected, e.g.
 * "expression 'exp(-d' at column 7: expected ')'". */
int hl_expr_compile(const char *src, const char *const *vars, unsigned n_vars, hl_expr **out,
                    char *err);
double hl_expr_eval(const hl_expr *e, const double *vars);
void hl_expr_free(hl_expr *e);

#endif
