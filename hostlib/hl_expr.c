/* A small, safe expression compiler and evaluator (Python semantics for the subset PyNN
 * distance expressions use).
 *
 * Grammar (loosest binding first, as in Python):
 *   or_expr   := and_expr ('or' and_expr)*
 *   and_expr  := not_expr ('and' not_expr)*
 *   not_expr  := 'not' not_expr | comparison
 *   comparison:= arith (('<' | '<=' | '>' | '>=' | '==' | '!=') arith)*   (chained: a<b<c)
 *   arith     := term (('+' | '-') term)*
 *   term      := unary (('*' | '/' | '//' | '%') unary)*
 *   unary     := ('-' | '+') unary | power
 *   power     := primary (('**' | '^') unary)?                             (right assoc.)
 *   primary   := number | name | name '(' args ')' | '(' or_expr ')'
 *
 * Values are doubles; comparisons and 'not' give 1.0 or 0.0; 'a and b' is b if a is
 * non-zero else a, 'a or b' is a if a is non-zero else b (Python's rules; NaN is "true").
 * Division by zero, log of negatives etc. give IEEE inf/NaN (numpy's behaviour) and are
 * the caller's to check.
 *
 * The parser emits postfix code for a stack machine (with constant folding); evaluation is
 * a loop over it, so its cost is independent of how the expression nests. Nesting (brackets,
 * unary operators, powers, function arguments) is limited to HL_EXPR_MAX_DEPTH levels so
 * that hostile input cannot exhaust the C stack. */
#include "hl_expr.h"

#include "errbuf.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HL_EXPR_MAX_DEPTH 100
#define HL_EXPR_STACK 512

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_E
#define M_E 2.7182818284590452354
#endif

enum op {
    OP_CONST,
    OP_VAR,
    OP_NEG,
    OP_NOT,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_FLOORDIV,
    OP_MOD,
    OP_POW,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_AND,
    OP_OR,
    OP_CALL1, /* arg: function index */
    OP_CALL2,
    OP_CMPF,  /* first link of a chained comparison: [x y] -> [x op y, y]; arg: OP_LT.. */
    OP_CMPC,  /* next links: [acc x y] -> [acc && (x op y), y] */
    OP_POP
};

typedef struct ins {
    int32_t op;
    int32_t arg;
    double val;
} ins;

struct hl_expr {
    ins *code;
    size_t n;
    int constant; /* the whole expression folded to code[0].val */
};

/* ------------------------------------------------------------------ functions */
static double f_abs(double x) { return fabs(x); }
static double f_pow(double x, double y) { return pow(x, y); }
static double f_min(double x, double y) { return isnan(x) || x <= y ? x : y; }
static double f_max(double x, double y) { return isnan(x) || x >= y ? x : y; }
static double f_log2args(double x, double b) { return log(x) / log(b); }

typedef struct fn {
    const char *name;
    int n_args; /* 1, 2, or -2: two or more (folded pairwise) */
    double (*f1)(double);
    double (*f2)(double, double);
} fn;

static const fn fns[] = {
    {"exp", 1, exp, NULL},        {"log", 1, log, f_log2args}, /* log(x) or log(x, base) */
    {"log10", 1, log10, NULL},    {"sqrt", 1, sqrt, NULL},
    {"sin", 1, sin, NULL},        {"cos", 1, cos, NULL},
    {"tan", 1, tan, NULL},        {"abs", 1, f_abs, NULL},
    {"fabs", 1, f_abs, NULL},     {"floor", 1, floor, NULL},
    {"ceil", 1, ceil, NULL},      {"asin", 1, asin, NULL},
    {"acos", 1, acos, NULL},      {"atan", 1, atan, NULL},
    {"arcsin", 1, asin, NULL},    {"arccos", 1, acos, NULL},
    {"arctan", 1, atan, NULL},    {"sinh", 1, sinh, NULL},
    {"cosh", 1, cosh, NULL},      {"tanh", 1, tanh, NULL},
    {"pow", 2, NULL, f_pow},      {"power", 2, NULL, f_pow},
    {"atan2", 2, NULL, atan2},    {"arctan2", 2, NULL, atan2},
    {"hypot", 2, NULL, hypot},    {"fmod", 2, NULL, fmod},
    {"min", -2, NULL, f_min},     {"max", -2, NULL, f_max},
    {"minimum", 2, NULL, f_min},  {"maximum", 2, NULL, f_max},
};
#define N_FNS (sizeof fns / sizeof fns[0])

/* ------------------------------------------------------------------ arithmetic */
static double py_mod(double a, double b)
{
    double r = fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

static double binop(int op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_FLOORDIV: return floor(a / b);
    case OP_MOD: return py_mod(a, b);
    case OP_POW: return pow(a, b);
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_AND: return a != 0 ? b : a;
    case OP_OR: return a != 0 ? a : b;
    default: return NAN;
    }
}

/* ------------------------------------------------------------------ parser */
enum tok { T_END, T_NUM, T_NAME, T_OP, T_LP, T_RP, T_COMMA, T_BAD };

typedef struct parser {
    const char *src;
    size_t pos;      /* start of the current token */
    size_t next;     /* just after it */
    enum tok tok;
    char opstr[3];   /* T_OP: "+", "**", "<=", ... */
    double num;
    const char *const *vars;
    unsigned n_vars;
    ins *code;
    size_t n, cap;
    int depth;
    int rc;
    char *err;
} parser;

/* The expression as quoted in messages: at most 60 characters, non-printables as '?'. */
static void quote_src(const char *src, char *out, size_t cap)
{
    size_t len = strlen(src), k = 0;
    size_t lim = len > 60 ? 57 : len;
    for (size_t i = 0; i < lim && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)src[i];
        out[k++] = (c >= 32 && c < 127) ? (char)c : '?';
    }
    if (len > lim)
        for (int i = 0; i < 3 && k + 1 < cap; i++)
            out[k++] = '.';
    out[k] = 0;
}

static int perr(parser *p, size_t at, const char *what)
{
    if (p->rc)
        return p->rc;
    char q[64];
    quote_src(p->src, q, sizeof q);
    p->rc = axon_errf(p->err, AXON_ERR_PARSE, "expression '%s' at column %zu: %s", q, at + 1,
                      what);
    return p->rc;
}

static int is_name_start(int c) { return isalpha(c) || c == '_'; }
static int is_name_char(int c) { return isalnum(c) || c == '_'; }

static void lex(parser *p)
{
    const char *s = p->src;
    size_t i = p->next;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
           s[i] == '\v')
        i++;
    p->pos = i;
    unsigned char c = (unsigned char)s[i];
    if (c == 0) {
        p->tok = T_END;
        p->next = i;
        return;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
        /* [digits][.digits][(e|E)[+-]digits], '_' allowed between digits as in Python */
        char buf[128];
        size_t k = 0, j = i;
        int ok = 1;
        while (isdigit((unsigned char)s[j]) || s[j] == '_' || s[j] == '.') {
            if (s[j] == '_') {
                if (!isdigit((unsigned char)s[j + 1]) || j == i || !isdigit((unsigned char)s[j - 1]))
                    ok = 0;
            } else if (k + 1 < sizeof buf) {
                buf[k++] = s[j];
            } else {
                ok = 0;
            }
            j++;
        }
        if (s[j] == 'e' || s[j] == 'E') {
            size_t e = j + 1;
            if (s[e] == '+' || s[e] == '-')
                e++;
            if (isdigit((unsigned char)s[e])) {
                if (k + 1 < sizeof buf)
                    buf[k++] = 'e';
                for (size_t t = j + 1; t < e; t++)
                    if (k + 1 < sizeof buf)
                        buf[k++] = s[t];
                while (isdigit((unsigned char)s[e])) {
                    if (k + 1 < sizeof buf)
                        buf[k++] = s[e];
                    else
                        ok = 0;
                    e++;
                }
                j = e;
            }
        }
        buf[k] = 0;
        /* exactly one '.' at most */
        if (strchr(buf, '.') != strrchr(buf, '.'))
            ok = 0;
        char *end = NULL;
        double v = ok ? strtod(buf, &end) : 0;
        if (!ok || !end || *end || is_name_char((unsigned char)s[j])) {
            p->tok = T_BAD;
            p->next = j;
            return;
        }
        p->tok = T_NUM;
        p->num = v;
        p->next = j;
        return;
    }
    if (is_name_start(c)) {
        size_t j = i + 1;
        while (is_name_char((unsigned char)s[j]))
            j++;
        p->tok = T_NAME;
        p->next = j;
        return;
    }
    p->next = i + 1;
    switch (c) {
    case '(': p->tok = T_LP; return;
    case ')': p->tok = T_RP; return;
    case ',': p->tok = T_COMMA; return;
    case '+': case '-': case '^': case '%':
        p->tok = T_OP;
        p->opstr[0] = (char)c;
        p->opstr[1] = 0;
        return;
    case '*': case '/': case '<': case '>': case '=': case '!': {
        char c2 = s[i + 1];
        int two = (c == '*' && c2 == '*') || (c == '/' && c2 == '/') ||
                  ((c == '<' || c == '>' || c == '=' || c == '!') && c2 == '=');
        if (!two && (c == '=' || c == '!')) {
            p->tok = T_BAD;
            return;
        }
        p->tok = T_OP;
        p->opstr[0] = (char)c;
        p->opstr[1] = two ? c2 : 0;
        p->opstr[2] = 0;
        p->next = i + (two ? 2 : 1);
        return;
    }
    default:
        p->tok = T_BAD;
        return;
    }
}

static int tok_is_op(const parser *p, const char *op)
{
    return p->tok == T_OP && strcmp(p->opstr, op) == 0;
}

static int tok_is_word(const parser *p, const char *w)
{
    size_t len = p->next - p->pos;
    return p->tok == T_NAME && strlen(w) == len && memcmp(p->src + p->pos, w, len) == 0;
}

static int tok_error(parser *p, const char *expected)
{
    char what[160];
    if (p->tok == T_END) {
        snprintf(what, sizeof what, "expected %s, found the end of the expression", expected);
    } else if (p->tok == T_BAD) {
        unsigned char c = (unsigned char)p->src[p->pos];
        if (isdigit(c) || (c == '.' && isdigit((unsigned char)p->src[p->pos + 1])))
            snprintf(what, sizeof what, "malformed number");
        else if (c >= 32 && c < 127)
            snprintf(what, sizeof what, "unexpected character '%c'", c);
        else
            snprintf(what, sizeof what, "unexpected byte 0x%02x", c);
    } else {
        int len = (int)(p->next - p->pos);
        if (len > 40)
            len = 40;
        snprintf(what, sizeof what, "expected %s, found '%.*s'", expected, len, p->src + p->pos);
    }
    return perr(p, p->pos, what);
}

static int emit(parser *p, int op, int arg, double val)
{
    if (p->rc)
        return p->rc;
    if (p->n == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 16;
        ins *c = realloc(p->code, nc * sizeof *c);
        if (!c) {
            p->rc = axon_errf(p->err, AXON_ERR_NO_MEMORY, "expression: out of memory");
            return p->rc;
        }
        p->code = c;
        p->cap = nc;
    }
    p->code[p->n++] = (ins){op, arg, val};
    return 0;
}

/* Emit an operator, folding it when its operands are constants. */
static int emit_op(parser *p, int op, int arg)
{
    if (p->rc)
        return p->rc;
    int arity;
    switch (op) {
    case OP_NEG: case OP_NOT: case OP_CALL1: arity = 1; break;
    case OP_CMPF: case OP_CMPC: case OP_POP: arity = 0; break; /* never folded */
    default: arity = 2; break;
    }
    if (arity == 1 && p->n >= 1 && p->code[p->n - 1].op == OP_CONST) {
        double a = p->code[p->n - 1].val;
        p->code[p->n - 1].val = op == OP_NEG ? -a : op == OP_NOT ? (double)(a == 0) : fns[arg].f1(a);
        return 0;
    }
    if (arity == 2 && p->n >= 2 && p->code[p->n - 1].op == OP_CONST &&
        p->code[p->n - 2].op == OP_CONST) {
        double a = p->code[p->n - 2].val, b = p->code[p->n - 1].val;
        p->n--;
        p->code[p->n - 1].val = op == OP_CALL2 ? fns[arg].f2(a, b) : binop(op, a, b);
        return 0;
    }
    return emit(p, op, arg, 0);
}

static int enter(parser *p)
{
    if (++p->depth > HL_EXPR_MAX_DEPTH) {
        char what[96];
        snprintf(what, sizeof what, "nested too deeply (more than %d levels)", HL_EXPR_MAX_DEPTH);
        return perr(p, p->pos, what);
    }
    return 0;
}

static void leave(parser *p) { p->depth--; }

static int parse_or(parser *p);
static int parse_unary(parser *p);

static int parse_call(parser *p, const fn *f, size_t name_pos)
{
    int idx = (int)(f - fns);
    lex(p); /* '(' */
    if (enter(p))
        return p->rc;
    unsigned n = 0;
    if (p->tok == T_RP) {
        char what[96];
        snprintf(what, sizeof what, "%s() needs arguments", f->name);
        return perr(p, p->pos, what);
    }
    for (;;) {
        if (parse_or(p))
            return p->rc;
        n++;
        if (f->n_args == -2 && n >= 2)
            emit_op(p, OP_CALL2, idx);
        if (p->tok == T_COMMA) {
            lex(p);
            continue;
        }
        if (p->tok != T_RP)
            return tok_error(p, n == 1 && f->n_args == 1 && !f->f2 ? "')'" : "',' or ')'");
        break;
    }
    int ok = f->n_args == -2 ? n >= 2 : (n == (unsigned)f->n_args || (f->f1 && f->f2 && n <= 2));
    if (!ok) {
        char what[128];
        const char *want = f->n_args == -2 ? "at least 2"
                           : f->f1 && f->f2 ? "1 or 2"
                           : f->n_args == 1 ? "1"
                                            : "2";
        snprintf(what, sizeof what, "%s() takes %s argument%s, got %u", f->name, want,
                 f->n_args == 1 && !f->f2 ? "" : "s", n);
        return perr(p, name_pos, what);
    }
    if (f->n_args != -2)
        emit_op(p, n == 1 ? OP_CALL1 : OP_CALL2, idx);
    lex(p); /* ')' */
    leave(p);
    return p->rc;
}

static int parse_primary(parser *p)
{
    if (p->tok == T_NUM) {
        emit(p, OP_CONST, 0, p->num);
        lex(p);
        return p->rc;
    }
    if (p->tok == T_LP) {
        if (enter(p))
            return p->rc;
        lex(p);
        if (parse_or(p))
            return p->rc;
        if (p->tok != T_RP)
            return tok_error(p, "')'");
        lex(p);
        leave(p);
        return p->rc;
    }
    if (p->tok == T_NAME) {
        const char *name = p->src + p->pos;
        size_t len = p->next - p->pos, name_pos = p->pos;
        for (unsigned v = 0; v < p->n_vars; v++)
            if (p->vars[v] && strlen(p->vars[v]) == len && memcmp(p->vars[v], name, len) == 0) {
                emit(p, OP_VAR, (int)v, 0);
                lex(p);
                return p->rc;
            }
        for (size_t f = 0; f < N_FNS; f++)
            if (strlen(fns[f].name) == len && memcmp(fns[f].name, name, len) == 0) {
                lex(p);
                if (p->tok != T_LP) {
                    char what[96];
                    snprintf(what, sizeof what, "expected '(' after the function name '%s'",
                             fns[f].name);
                    return perr(p, p->pos, what);
                }
                return parse_call(p, &fns[f], name_pos);
            }
        static const struct { const char *n; double v; } consts[] = {
            {"pi", M_PI}, {"e", M_E}, {"True", 1.0}, {"False", 0.0}};
        for (size_t c = 0; c < sizeof consts / sizeof consts[0]; c++)
            if (strlen(consts[c].n) == len && memcmp(consts[c].n, name, len) == 0) {
                emit(p, OP_CONST, 0, consts[c].v);
                lex(p);
                return p->rc;
            }
        char what[192], vl[96] = "";
        size_t k = 0;
        for (unsigned v = 0; v < p->n_vars && k + 24 < sizeof vl; v++)
            k += (size_t)snprintf(vl + k, sizeof vl - k, "%s%.20s", v ? ", " : "",
                                  p->vars[v] ? p->vars[v] : "");
        if (tok_is_word(p, "and") || tok_is_word(p, "or") || tok_is_word(p, "not"))
            snprintf(what, sizeof what, "expected a value before '%.*s'", (int)len, name);
        else
            snprintf(what, sizeof what, "unknown name '%.*s' (variables: %s)",
                     (int)(len > 40 ? 40 : len), name, p->n_vars ? vl : "none");
        return perr(p, name_pos, what);
    }
    return tok_error(p, "a number, a name or '('");
}

static int parse_power(parser *p)
{
    if (parse_primary(p))
        return p->rc;
    if (tok_is_op(p, "**") || tok_is_op(p, "^")) {
        lex(p);
        if (enter(p) || parse_unary(p))
            return p->rc;
        leave(p);
        emit_op(p, OP_POW, 0);
    }
    return p->rc;
}

static int parse_unary(parser *p)
{
    if (tok_is_op(p, "-") || tok_is_op(p, "+")) {
        int neg = p->opstr[0] == '-';
        lex(p);
        if (enter(p) || parse_unary(p))
            return p->rc;
        leave(p);
        if (neg)
            emit_op(p, OP_NEG, 0);
        return p->rc;
    }
    return parse_power(p);
}

static int parse_term(parser *p)
{
    if (parse_unary(p))
        return p->rc;
    for (;;) {
        int op = tok_is_op(p, "*")    ? OP_MUL
                 : tok_is_op(p, "/")  ? OP_DIV
                 : tok_is_op(p, "//") ? OP_FLOORDIV
                 : tok_is_op(p, "%")  ? OP_MOD
                                      : -1;
        if (op < 0)
            return p->rc;
        lex(p);
        if (parse_unary(p))
            return p->rc;
        emit_op(p, op, 0);
    }
}

static int parse_arith(parser *p)
{
    if (parse_term(p))
        return p->rc;
    for (;;) {
        int op = tok_is_op(p, "+") ? OP_ADD : tok_is_op(p, "-") ? OP_SUB : -1;
        if (op < 0)
            return p->rc;
        lex(p);
        if (parse_term(p))
            return p->rc;
        emit_op(p, op, 0);
    }
}

static int cmp_op(const parser *p)
{
    if (p->tok != T_OP)
        return -1;
    static const struct { const char *s; int op; } t[] = {
        {"<", OP_LT}, {"<=", OP_LE}, {">", OP_GT}, {">=", OP_GE}, {"==", OP_EQ}, {"!=", OP_NE}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(p->opstr, t[i].s) == 0)
            return t[i].op;
    return -1;
}

static int parse_cmp(parser *p)
{
    if (parse_arith(p))
        return p->rc;
    int op = cmp_op(p);
    if (op < 0)
        return p->rc;
    lex(p);
    if (parse_arith(p))
        return p->rc;
    int op2 = cmp_op(p);
    if (op2 < 0)
        return emit_op(p, op, 0);
    /* chained comparison a < b < c: each middle operand is evaluated once */
    emit(p, OP_CMPF, op, 0);
    while (op2 >= 0) {
        lex(p);
        if (parse_arith(p))
            return p->rc;
        emit(p, OP_CMPC, op2, 0);
        op2 = cmp_op(p);
    }
    return emit(p, OP_POP, 0, 0);
}

static int parse_not(parser *p)
{
    if (tok_is_word(p, "not")) {
        lex(p);
        if (enter(p) || parse_not(p))
            return p->rc;
        leave(p);
        return emit_op(p, OP_NOT, 0);
    }
    return parse_cmp(p);
}

static int parse_and(parser *p)
{
    if (parse_not(p))
        return p->rc;
    while (tok_is_word(p, "and")) {
        lex(p);
        if (parse_not(p))
            return p->rc;
        emit_op(p, OP_AND, 0);
    }
    return p->rc;
}

static int parse_or(parser *p)
{
    if (parse_and(p))
        return p->rc;
    while (tok_is_word(p, "or")) {
        lex(p);
        if (parse_and(p))
            return p->rc;
        emit_op(p, OP_OR, 0);
    }
    return p->rc;
}

/* Stack effect check: the code must leave exactly one value and never need more than
 * HL_EXPR_STACK entries. */
static int stack_depth(const ins *code, size_t n, int *max)
{
    int sp = 0, mx = 0;
    for (size_t i = 0; i < n; i++) {
        switch (code[i].op) {
        case OP_CONST: case OP_VAR: sp++; break;
        case OP_NEG: case OP_NOT: case OP_CALL1: case OP_CMPF: break;
        case OP_CMPC: case OP_POP: default: sp--; break;
        }
        if (code[i].op == OP_CMPF && sp < 2)
            return -1;
        if (code[i].op == OP_CMPC && sp < 2)
            return -1;
        if (sp < 1)
            return -1;
        if (sp > mx)
            mx = sp;
    }
    *max = mx;
    return sp;
}

int hl_expr_compile(const char *src, const char *const *vars, unsigned n_vars, hl_expr **out,
                    char *err)
{
    if (out)
        *out = NULL;
    if (!src || !out)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "expression: NULL %s",
                         src ? "output" : "source");
    if (n_vars && !vars)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "expression: NULL variable names");
    parser p = {.src = src, .vars = vars, .n_vars = n_vars, .err = err};
    lex(&p);
    if (p.tok == T_END) {
        perr(&p, p.pos, "empty expression");
    } else if (!parse_or(&p) && p.tok != T_END) {
        tok_error(&p, "an operator or the end of the expression");
    }
    int mx = 0;
    if (!p.rc) {
        int sp = stack_depth(p.code, p.n, &mx);
        if (sp != 1)
            p.rc = axon_errf(err, AXON_ERR_INTERNAL, "expression: compiler stack error (%d)", sp);
        else if (mx > HL_EXPR_STACK)
            perr(&p, 0, "too complex (evaluation stack overflow)");
    }
    if (p.rc) {
        free(p.code);
        return p.rc;
    }
    hl_expr *e = malloc(sizeof *e);
    if (!e) {
        free(p.code);
        return axon_errf(err, AXON_ERR_NO_MEMORY, "expression: out of memory");
    }
    e->code = p.code;
    e->n = p.n;
    e->constant = p.n == 1 && p.code[0].op == OP_CONST;
    *out = e;
    return AXON_OK;
}

double hl_expr_eval(const hl_expr *e, const double *vars)
{
    if (!e)
        return NAN;
    if (e->constant)
        return e->code[0].val;
    double st[HL_EXPR_STACK];
    int sp = -1; /* index of the top */
    const ins *c = e->code, *end = c + e->n;
    for (; c < end; c++) {
        switch (c->op) {
        case OP_CONST: st[++sp] = c->val; break;
        case OP_VAR: st[++sp] = vars[c->arg]; break;
        case OP_NEG: st[sp] = -st[sp]; break;
        case OP_NOT: st[sp] = st[sp] == 0; break;
        case OP_ADD: sp--; st[sp] += st[sp + 1]; break;
        case OP_SUB: sp--; st[sp] -= st[sp + 1]; break;
        case OP_MUL: sp--; st[sp] *= st[sp + 1]; break;
        case OP_DIV: sp--; st[sp] /= st[sp + 1]; break;
        case OP_CALL1: st[sp] = fns[c->arg].f1(st[sp]); break;
        case OP_CALL2: sp--; st[sp] = fns[c->arg].f2(st[sp], st[sp + 1]); break;
        case OP_CMPF: st[sp - 1] = binop(c->arg, st[sp - 1], st[sp]); break;
        case OP_CMPC:
            st[sp - 2] = (st[sp - 2] != 0 && binop(c->arg, st[sp - 1], st[sp]) != 0);
            st[sp - 1] = st[sp];
            sp--;
            break;
        case OP_POP: sp--; break;
        default: sp--; st[sp] = binop(c->op, st[sp], st[sp + 1]); break;
        }
    }
    /* the compiler checked that every program leaves exactly one value */
    // cppcheck-suppress uninitvar
    return st[0];
}

void hl_expr_free(hl_expr *e)
{
    if (!e)
        return;
    free(e->code);
    free(e);
}
