/* Expression compiler and evaluator (hostlib/hl_expr.c): values against C math, Python
 * precedence and semantics, parse errors with their column, and hostile input (deep nesting,
 * very long expressions, random bytes) that must neither crash nor blow the stack. */
#include "hl_expr.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const D[] = {"d"};

static double eval_d(const char *src, double d)
{
    hl_expr *e = NULL;
    char err[AXON_ERRMSG_LEN] = "";
    int rc = hl_expr_compile(src, D, 1, &e, err);
    cr_assert_eq(rc, AXON_OK, "'%s' failed to compile: %s", src, err);
    cr_assert_not_null(e);
    double v = hl_expr_eval(e, &d);
    hl_expr_free(e);
    return v;
}

static void expect(const char *src, double d, double want)
{
    double got = eval_d(src, d);
    if (isnan(want)) {
        cr_assert(isnan(got), "'%s' (d = %g) = %.17g, expected nan", src, d, got);
        return;
    }
    double tol = 1e-12 * fmax(1.0, fabs(want));
    cr_assert(got == want || fabs(got - want) <= tol, "'%s' (d = %g) = %.17g, expected %.17g",
              src, d, got, want);
}

Test(expr, pynn_distance_expressions)
{
    const double ds[] = {0, 0.5, 1, 2.5, 3, 4.999, 5, 7.25, 100};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        double d = ds[i];
        expect("exp(-d/5.0)", d, exp(-d / 5.0));
        expect("d<5", d, d < 5);
        expect("0.5 + 0.01*d", d, 0.5 + 0.01 * d);
        expect("d < 3 and d > 1", d, d < 3 && d > 1);
        expect("2 * exp(-d**2 / (2*3**2))", d, 2 * exp(-pow(d, 2) / (2 * pow(3, 2))));
        expect("exp(-abs(d))", d, exp(-fabs(d)));
        expect("0.1*exp(-d/2.0) + 0.05", d, 0.1 * exp(-d / 2.0) + 0.05);
        expect("(d < 3) * 0.8", d, (d < 3) * 0.8);
        expect("1/(1+d)", d, 1 / (1 + d));
        expect("sqrt(d)*sin(d) + cos(d)*tan(d/100)", d, sqrt(d) * sin(d) + cos(d) * tan(d / 100));
        expect("pow(d, 1.5) + d^2", d, pow(d, 1.5) + pow(d, 2));
        expect("min(d, 3) + max(d, 2, 1)", d, fmin(d, 3) + fmax(d, 2));
        expect("floor(d) + ceil(d/3)", d, floor(d) + ceil(d / 3));
        expect("log(1 + d) + log10(1+d)", d, log(1 + d) + log10(1 + d));
        expect("not d < 3", d, !(d < 3));
        expect("d > 3 or d < 1", d, d > 3 || d < 1);
        expect("d == 5", d, d == 5);
        expect("d != 5", d, d != 5);
        expect("d >= 3", d, d >= 3);
        expect("d <= 3", d, d <= 3);
        expect("1 < d < 5", d, 1 < d && d < 5);
        expect("0 <= d <= 3 < 4", d, 0 <= d && d <= 3);
        expect("-d**2", d, -(d * d));
        expect("hypot(d, 1) + atan2(d, 2) + fmod(d, 2)", d, hypot(d, 1) + atan2(d, 2) + fmod(d, 2));
    }
}

Test(expr, precedence_and_associativity)
{
    expect("1 + 2 * 3", 0, 7);
    expect("(1 + 2) * 3", 0, 9);
    expect("10 - 4 - 3", 0, 3);
    expect("2 / 4 / 2", 0, 0.25);
    expect("2 ** 3 ** 2", 0, 512);
    expect("2 ^ 3 ^ 2", 0, 512);
    expect("-2 ** 2", 0, -4);
    expect("2 ** -1", 0, 0.5);
    expect("- - 3", 0, 3);
    expect("+3 - -3", 0, 6);
    expect("2 * -3", 0, -6);
    expect("1 + 2 < 4", 0, 1);
    expect("1 < 2 == 1", 0, 0); /* chained: 1 < 2 and 2 == 1 */
    expect("3 > 2 > 1", 0, 1);
    expect("3 > 2 > 2", 0, 0);
    expect("not 1 + 1 == 3", 0, 1);
    expect("1 or 0 and 0", 0, 1); /* and binds tighter */
    expect("(1 or 0) and 0", 0, 0);
    expect("7 % 3", 0, 1);
    expect("-7 % 3", 0, 2); /* Python's modulo */
    expect("7 % -3", 0, -2);
    expect("7 // 2", 0, 3);
    expect("-7 // 2", 0, -4);
    expect("2 * 3 % 4", 0, 2);
}

Test(expr, python_boolean_values)
{
    expect("0 and 5", 0, 0);
    expect("2 and 5", 0, 5);
    expect("0 or 5", 0, 5);
    expect("2 or 5", 0, 2);
    expect("not 0", 0, 1);
    expect("not 3.5", 0, 0);
    expect("True + False", 0, 1);
    expect("d and 1/d", 0, 0); /* 0 and ... -> 0 */
}

Test(expr, numbers_constants_and_functions)
{
    expect("pi", 0, M_PI);
    expect("e", 0, M_E);
    expect("1e3", 0, 1000);
    expect("2.5E-2", 0, 0.025);
    expect(".5", 0, 0.5);
    expect("1.", 0, 1);
    expect("1_000.5", 0, 1000.5);
    expect("abs(-2) + fabs(-3)", 0, 5);
    expect("log(8, 2)", 0, 3);
    expect("sin(pi / 2)", 0, 1);
    expect("acos(0) + asin(1) + atan(1) + arctan(1)", 0, M_PI / 2 + M_PI / 2 + M_PI / 2);
    expect("sinh(1) + cosh(1) + tanh(1)", 0, sinh(1) + cosh(1) + tanh(1));
    expect("max(1, 5, 3, 2)", 0, 5);
    expect("min(4, 5, -3, 2)", 0, -3);
    expect("minimum(1, 2) + maximum(1, 2) + power(2, 10)", 0, 1027);
    expect("  \t 1 +\n 2  ", 0, 3);
}

Test(expr, ieee_results_do_not_trap)
{
    expect("log(-1)", 0, NAN);
    expect("0/0", 0, NAN);
    expect("sqrt(d)", -1, NAN);
    double v = eval_d("1/d", 0);
    cr_assert(isinf(v) && v > 0);
    v = eval_d("exp(d)", 1000);
    cr_assert(isinf(v));
    expect("d < 1", NAN, 0);
    expect("d != d", NAN, 1);
    /* NaN is "true" in Python: nan and 5 -> 5, not nan -> False */
    expect("d and 5", NAN, 5);
    expect("not d", NAN, 0);
}

Test(expr, several_variables)
{
    const char *vars[] = {"x", "y", "dist_2"};
    hl_expr *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(hl_expr_compile("x*y + dist_2 - x", vars, 3, &e, err), AXON_OK, "%s", err);
    double v[] = {2, 3, 10};
    cr_assert_float_eq(hl_expr_eval(e, v), 14.0, 1e-12);
    v[0] = -1;
    cr_assert_float_eq(hl_expr_eval(e, v), 8.0, 1e-12);
    hl_expr_free(e);
    /* a variable shadows a constant of the same name */
    const char *ve[] = {"e"};
    cr_assert_eq(hl_expr_compile("e * 2", ve, 1, &e, err), AXON_OK);
    double x = 4;
    cr_assert_float_eq(hl_expr_eval(e, &x), 8.0, 1e-12);
    hl_expr_free(e);
}

static void expect_error(const char *src, unsigned col, const char *needle)
{
    hl_expr *e = (hl_expr *)(uintptr_t)1;
    char err[AXON_ERRMSG_LEN] = "";
    int rc = hl_expr_compile(src, D, 1, &e, err);
    cr_assert_eq(rc, AXON_ERR_PARSE, "'%s': expected a parse error, got %d (%s)", src, rc, err);
    cr_assert_null(e, "'%s': output not cleared", src);
    char at[48];
    snprintf(at, sizeof at, "at column %u:", col);
    cr_assert(strstr(err, at) != NULL, "'%s': message '%s' lacks '%s'", src, err, at);
    cr_assert(strstr(err, needle) != NULL, "'%s': message '%s' lacks '%s'", src, err, needle);
}

Test(expr, parse_errors_give_the_column)
{
    char err[AXON_ERRMSG_LEN];
    hl_expr *e;
    cr_assert_eq(hl_expr_compile("exp(-d", D, 1, &e, err), AXON_ERR_PARSE);
    cr_assert_str_eq(err, "expression 'exp(-d' at column 7: expected ')', found the end of the "
                          "expression");
    expect_error("d +", 4, "found the end of the expression");
    expect_error("2 $ 3", 3, "unexpected character '$'");
    expect_error("foo(d)", 1, "unknown name 'foo' (variables: d)");
    expect_error("x + 1", 1, "unknown name 'x'");
    expect_error("exp d", 5, "expected '(' after the function name 'exp'");
    expect_error("1 2", 3, "expected an operator or the end of the expression, found '2'");
    expect_error("", 1, "empty expression");
    expect_error("   ", 4, "empty expression");
    expect_error("pow(1)", 1, "pow() takes 2 arguments, got 1");
    expect_error("exp(1, 2)", 1, "exp() takes 1 argument, got 2");
    expect_error("min(1)", 1, "min() takes at least 2 arguments, got 1");
    expect_error("sqrt()", 6, "sqrt() needs arguments");
    expect_error("d = 3", 3, "unexpected character '='");
    expect_error("1..2", 1, "malformed number");
    expect_error("2d", 1, "malformed number");
    expect_error("1e", 1, "malformed number");
    expect_error("(d", 3, "expected ')'");
    expect_error("d)", 2, "found ')'");
    expect_error("d < < 3", 5, "expected a number, a name or '('");
    expect_error("and d", 1, "expected a value before 'and'");
    expect_error("d and", 6, "found the end");
    expect_error("d.x", 2, "unexpected character '.'");
    expect_error("d \x01", 3, "unexpected byte 0x01");
    expect_error("max(1,)", 7, "expected a number, a name or '('");
}

static char *repeat(const char *head, size_t n, const char *mid, const char *tail, size_t m)
{
    size_t lh = strlen(head), lm = strlen(mid), lt = strlen(tail);
    char *s = malloc(lh * n + lm + lt * m + 1), *p = s;
    for (size_t i = 0; i < n; i++, p += lh)
        memcpy(p, head, lh);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < m; i++, p += lt)
        memcpy(p, tail, lt);
    *p = 0;
    return s;
}

static void expect_deep_error(char *src)
{
    hl_expr *e;
    char err[AXON_ERRMSG_LEN] = "";
    int rc = hl_expr_compile(src, D, 1, &e, err);
    cr_assert_eq(rc, AXON_ERR_PARSE, "deep input: %d (%s)", rc, err);
    cr_assert(strstr(err, "nested too deeply") != NULL, "message: %s", err);
    cr_assert(strlen(err) < 200, "the message quotes a bounded part of the input: %s", err);
    free(src);
}

Test(expr, hostile_nesting_is_rejected_not_crashing)
{
    expect_deep_error(repeat("(", 10000, "d", ")", 10000));
    expect_deep_error(repeat("-", 100000, "1", "", 0));
    expect_deep_error(repeat("not ", 10000, "1", "", 0));
    expect_deep_error(repeat("2**", 10000, "2", "", 0));
    expect_deep_error(repeat("exp(", 10000, "d", ")", 10000));
    expect_deep_error(repeat("(", 100000, "", "", 0)); /* unbalanced */
    /* moderate nesting is fine */
    char *s = repeat("(", 50, "d + 1", ")", 50);
    expect(s, 2, 3);
    free(s);
    s = repeat("-", 60, "d", "", 0);
    expect(s, 2, 2);
    free(s);
}

Test(expr, long_flat_expressions_evaluate_iteratively)
{
    /* 200000 terms: left-associative chains need no recursion in parser or evaluator */
    char *s = repeat("d+", 200000, "d", "", 0);
    expect(s, 1, 200001);
    free(s);
    s = repeat("1*", 100000, "d", "", 0);
    expect(s, 3, 3);
    free(s);
    s = repeat("d < ", 10000, "d", "", 0); /* chained comparison, all false */
    expect(s, 1, 0);
    free(s);
    s = repeat("d <= ", 10000, "d", "", 0);
    expect(s, 1, 1);
    free(s);
}

/* xorshift for reproducible garbage */
static uint64_t xs(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

Test(expr, random_bytes_and_token_soup_do_not_crash)
{
    static const char *const toks[] = {"d", "1", "2.5", "(", ")", "+", "-", "*", "/", "**",
                                       "^", "<", "<=", "==", "!=", "and", "or", "not", "exp(",
                                       "min(", ",", "pi", " ", "1e308", "%", "//", "log("};
    uint64_t st = 0x9E3779B97F4A7C15ull;
    char buf[256];
    int ok = 0, bad = 0;
    for (int it = 0; it < 20000; it++) {
        size_t len = xs(&st) % 80, k = 0;
        if (it % 2) {
            for (size_t i = 0; i < len; i++) {
                char c = (char)(xs(&st) % 255 + 1);
                buf[k++] = c;
            }
        } else {
            while (k < len) {
                const char *t = toks[xs(&st) % (sizeof toks / sizeof toks[0])];
                size_t l = strlen(t);
                if (k + l >= sizeof buf - 1)
                    break;
                memcpy(buf + k, t, l);
                k += l;
            }
        }
        buf[k] = 0;
        hl_expr *e;
        char err[AXON_ERRMSG_LEN];
        err[0] = 0;
        int rc = hl_expr_compile(buf, D, 1, &e, err);
        if (rc == AXON_OK) {
            ok++;
            double d = (double)(xs(&st) % 100) / 7.0;
            (void)hl_expr_eval(e, &d);
            hl_expr_free(e);
        } else {
            bad++;
            cr_assert_eq(rc, AXON_ERR_PARSE, "'%s': %d", buf, rc);
            cr_assert(err[0] != 0 && strlen(err) < AXON_ERRMSG_LEN);
        }
    }
    cr_assert(ok > 50 && bad > 1000, "ok %d, bad %d", ok, bad);
}

/* random well-formed expressions: must compile, and evaluate like a direct evaluation */
typedef struct gen {
    char buf[4096];
    size_t n;
    uint64_t st;
} gen;

static void put(gen *g, const char *s)
{
    size_t l = strlen(s);
    if (g->n + l < sizeof g->buf) {
        memcpy(g->buf + g->n, s, l);
        g->n += l;
        g->buf[g->n] = 0;
    }
}

static double gen_expr(gen *g, int depth, double d)
{
    int k = depth > 6 ? (int)(xs(&g->st) % 2) : (int)(xs(&g->st) % 10);
    char num[32];
    double a, b;
    switch (k) {
    case 0: {
        double v = (double)(xs(&g->st) % 1000) / 8.0;
        snprintf(num, sizeof num, "%.3f", v);
        put(g, num);
        return v;
    }
    case 1: put(g, "d"); return d;
    case 2: put(g, "("); a = gen_expr(g, depth + 1, d); put(g, ")"); return a;
    case 3: put(g, "("); a = gen_expr(g, depth + 1, d); put(g, " + "); b = gen_expr(g, depth + 1, d);
        put(g, ")"); return a + b;
    case 4: put(g, "("); a = gen_expr(g, depth + 1, d); put(g, " * "); b = gen_expr(g, depth + 1, d);
        put(g, ")"); return a * b;
    case 5: put(g, "-("); a = gen_expr(g, depth + 1, d); put(g, ")"); return -a;
    case 6: put(g, "exp(-abs("); a = gen_expr(g, depth + 1, d); put(g, "))"); return exp(-fabs(a));
    case 7:
        put(g, "min(");
        a = gen_expr(g, depth + 1, d);
        put(g, ", ");
        b = gen_expr(g, depth + 1, d);
        put(g, ")");
        return fmin(a, b);
    case 8: put(g, "("); a = gen_expr(g, depth + 1, d); put(g, " < "); b = gen_expr(g, depth + 1, d);
        put(g, ")"); return a < b;
    default: put(g, "(not "); a = gen_expr(g, depth + 1, d); put(g, ")"); return a == 0;
    }
}

Test(expr, random_well_formed_expressions)
{
    gen g = {.st = 12345};
    for (int it = 0; it < 3000; it++) {
        g.n = 0;
        g.buf[0] = 0;
        double d = (double)(it % 17) / 3.0;
        double want = gen_expr(&g, 0, d);
        if (g.n + 16 >= sizeof g.buf) /* truncated: skip */
            continue;
        double got = eval_d(g.buf, d);
        cr_assert(got == want || fabs(got - want) <= 1e-9 * fmax(1, fabs(want)) ||
                      (isnan(got) && isnan(want)),
                  "'%s' (d = %g) = %.17g, expected %.17g", g.buf, d, got, want);
    }
}

Test(expr, argument_checks)
{
    hl_expr *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(hl_expr_compile(NULL, D, 1, &e, err), AXON_ERR_INVALID_ARG);
    cr_assert_eq(hl_expr_compile("d", D, 1, NULL, err), AXON_ERR_INVALID_ARG);
    cr_assert_eq(hl_expr_compile("d", NULL, 1, &e, NULL), AXON_ERR_INVALID_ARG);
    cr_assert_eq(hl_expr_compile("1 + 2", NULL, 0, &e, NULL), AXON_OK); /* no variables */
    cr_assert_float_eq(hl_expr_eval(e, NULL), 3.0, 0);
    hl_expr_free(e);
    hl_expr_free(NULL);
    cr_assert(isnan(hl_expr_eval(NULL, NULL)));
}
