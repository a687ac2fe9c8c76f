/* The golden model against vectors from an independent Python reference of the spec
 * (tests/ref/axon_ref.py, written from docs/spec only; tests/ref/gen_vectors.py writes the
 * files). Every comparison is exact, bit for bit.
 *
 * The vectors directory comes from AXON_SPEC_VECTORS_DIR (ctest sets it; the fixture
 * spec_vectors_gen writes it):
 *   /usr/bin/python3 tests/ref/gen_vectors.py OUTDIR
 *   AXON_SPEC_VECTORS_DIR=OUTDIR build/tests/test_spec_vectors --verbose
 *
 *   fixed       fixed.h operations and s16.15 / u0.32 conversions
 *   kiss        axon_kiss_next, axon_kiss_seed_valid, axon_kiss_derive_seed
 *   poisson     Poisson count draws of a SpikeSourcePoisson core on the engine
 *   convert     PyNN defaults, axon_model_convert, axon_time_to_step, axon_weight_to_fixed,
 *               axon_poisson_convert
 *   <model>     SpikeSourceArray -> neuron core scenarios: every step's v/gsyn words, spikes,
 *               final state words, core and router counters
 *   wrap        the same with weight shifts 11..15 (the datapath wraps)
 *   probe       raw states outside the PyNN conversion's range (readings of the pseudo-code) */
#include "axon/engine.h"
#include "axon/fixed.h"
#include "axon/image.h"
#include "axon/kiss.h"
#include "axon/models.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORT 12 /* mismatches printed per test */

/* ------------------------------------------------------------------ token reader */
typedef struct tok {
    char *buf;
    char *p;
    char path[1024];
    unsigned line;
} tok;

static const char *vec_dir(void)
{
    const char *d = getenv("AXON_SPEC_VECTORS_DIR");
    cr_assert(d && *d, "AXON_SPEC_VECTORS_DIR is not set (run through ctest, or generate with "
                       "/usr/bin/python3 tests/ref/gen_vectors.py DIR)");
    return d;
}

static void tok_open(tok *t, const char *name)
{
    snprintf(t->path, sizeof t->path, "%s/%s", vec_dir(), name);
    FILE *f = fopen(t->path, "rb");
    cr_assert(f, "cannot open %s: %s", t->path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    t->buf = malloc((size_t)n + 1);
    cr_assert(t->buf);
    cr_assert_eq(fread(t->buf, 1, (size_t)n, f), (size_t)n, "short read of %s", t->path);
    t->buf[n] = 0;
    fclose(f);
    t->p = t->buf;
    t->line = 1;
}

static void tok_close(tok *t)
{
    free(t->buf);
    t->buf = t->p = NULL;
}

/* Next whitespace-separated token ('#' comments skipped), or NULL at the end. */
static const char *tok_next(tok *t)
{
    for (;;) {
        while (*t->p == ' ' || *t->p == '\t' || *t->p == '\r' || *t->p == '\n') {
            if (*t->p == '\n')
                t->line++;
            t->p++;
        }
        if (*t->p == '#') {
            while (*t->p && *t->p != '\n')
                t->p++;
            continue;
        }
        break;
    }
    if (!*t->p)
        return NULL;
    char *s = t->p;
    while (*t->p && *t->p != ' ' && *t->p != '\t' && *t->p != '\r' && *t->p != '\n')
        t->p++;
    if (*t->p) {
        if (*t->p == '\n')
            t->line++;
        *t->p++ = 0;
    }
    return s;
}

static const char *tok_str(tok *t)
{
    const char *s = tok_next(t);
    cr_assert(s, "%s:%u: unexpected end of file", t->path, t->line);
    return s;
}

static void tok_expect(tok *t, const char *word)
{
    const char *s = tok_str(t);
    cr_assert(strcmp(s, word) == 0, "%s:%u: expected '%s', found '%s'", t->path, t->line, word,
              s);
}

static long long tok_ll(tok *t)
{
    const char *s = tok_str(t);
    char *e;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    cr_assert(!*e && !errno, "%s:%u: bad integer '%s'", t->path, t->line, s);
    return v;
}

static unsigned long long tok_ull(tok *t)
{
    const char *s = tok_str(t);
    char *e;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    cr_assert(!*e && !errno && s[0] != '-', "%s:%u: bad unsigned '%s'", t->path, t->line, s);
    return v;
}

static uint32_t tok_u32(tok *t)
{
    unsigned long long v = tok_ull(t);
    cr_assert(v <= UINT32_MAX, "%s:%u: %llu does not fit 32 bits", t->path, t->line, v);
    return (uint32_t)v;
}

static int32_t tok_s32(tok *t)
{
    long long v = tok_ll(t);
    cr_assert(v >= INT32_MIN && v <= INT32_MAX, "%s:%u: %lld does not fit int32", t->path,
              t->line, v);
    return (int32_t)v;
}

/* doubles are written with Python's float.hex ("0x1.8p+3", "inf", "-inf", "nan") */
static double tok_dbl(tok *t)
{
    const char *s = tok_str(t);
    char *e;
    double v = strtod(s, &e);
    cr_assert(!*e, "%s:%u: bad double '%s'", t->path, t->line, s);
    return v;
}

typedef struct tally {
    unsigned checked, bad;
    int gap; /* vectors where the spec is silent: differences are logged, not failed */
} tally;

#define MISMATCH(ty, ...)                                                                      \
    do {                                                                                       \
        if ((ty)->bad++ < MAX_REPORT) {                                                        \
            if ((ty)->gap) /* (cr_log_warn would make Criterion exit with 1) */                \
                cr_log_info("spec gap, C differs from the reference: " __VA_ARGS__);           \
            else                                                                               \
                cr_log_error(__VA_ARGS__);                                                     \
        }                                                                                      \
    } while (0)

/* ------------------------------------------------------------------ a) fixed point */
Test(spec_vectors, fixed)
{
    tok t;
    tok_open(&t, "fixed.txt");
    tally ty = {0, 0, 0};
    const char *op;
    while ((op = tok_next(&t)) && strcmp(op, "end") != 0) {
        unsigned ln = t.line;
        ty.checked++;
        if (!strcmp(op, "mul") || !strcmp(op, "add") || !strcmp(op, "sub")) {
            int32_t a = tok_s32(&t), b = tok_s32(&t), want = tok_s32(&t);
            int32_t got = !strcmp(op, "mul")   ? axon_mul(a, b)
                          : !strcmp(op, "add") ? axon_add(a, b)
                                               : axon_sub(a, b);
            if (got != want)
                MISMATCH(&ty, "fixed.txt:%u: %s(%d, %d) = %d, reference %d", ln, op, a, b, got,
                         want);
        } else if (!strcmp(op, "mulu")) {
            int32_t a = tok_s32(&t);
            uint32_t d = tok_u32(&t);
            int32_t want = tok_s32(&t), got = axon_mul_u032(a, d);
            if (got != want)
                MISMATCH(&ty, "fixed.txt:%u: mulu(%d, %u) = %d, reference %d", ln, a, d, got,
                         want);
        } else if (!strcmp(op, "muluu")) {
            uint32_t a = tok_u32(&t), b = tok_u32(&t), want = tok_u32(&t);
            uint32_t got = axon_mul_uu032(a, b);
            if (got != want)
                MISMATCH(&ty, "fixed.txt:%u: muluu(%u, %u) = %u, reference %u", ln, a, b, got,
                         want);
        } else if (!strcmp(op, "half")) {
            int32_t a = tok_s32(&t), want = tok_s32(&t), got = axon_half(a);
            if (got != want)
                MISMATCH(&ty, "fixed.txt:%u: half(%d) = %d, reference %d", ln, a, got, want);
        } else if (!strcmp(op, "s1615")) {
            double v = tok_dbl(&t);
            int want_rc = (int)tok_ll(&t);
            int32_t want = tok_s32(&t), got = 0x5A5A5A5A;
            int rc = axon_s1615_from_double(v, &got);
            if (rc != want_rc || (rc == 0 && got != want))
                MISMATCH(&ty, "fixed.txt:%u: axon_s1615_from_double(%.17g = %a) rc %d raw %d, "
                              "reference rc %d raw %d", ln, v, v, rc, rc ? 0 : got, want_rc,
                         want);
            else if (rc != 0 && got != 0x5A5A5A5A)
                MISMATCH(&ty, "fixed.txt:%u: axon_s1615_from_double(%a) wrote *out on error",
                         ln, v);
        } else if (!strcmp(op, "u032")) {
            double v = tok_dbl(&t);
            int want_rc = (int)tok_ll(&t);
            uint32_t want = tok_u32(&t), got = 0x5A5A5A5A;
            int rc = axon_u032_from_double(v, &got);
            if (rc != want_rc || (rc == 0 && got != want))
                MISMATCH(&ty, "fixed.txt:%u: axon_u032_from_double(%.17g = %a) rc %d raw %u, "
                              "reference rc %d raw %u", ln, v, v, rc, rc ? 0 : got, want_rc,
                         want);
            else if (rc != 0 && got != 0x5A5A5A5A)
                MISMATCH(&ty, "fixed.txt:%u: axon_u032_from_double(%a) wrote *out on error",
                         ln, v);
        } else {
            cr_assert_fail("fixed.txt:%u: unknown op '%s'", ln, op);
        }
    }
    cr_assert(op, "fixed.txt: missing 'end' (truncated file)");
    tok_close(&t);
    cr_log_info("fixed: %u vectors, %u mismatches", ty.checked, ty.bad);
    cr_expect(ty.checked > 1000);
    cr_assert_eq(ty.bad, 0, "%u of %u fixed-point vectors differ from the reference", ty.bad,
                 ty.checked);
}

/* ------------------------------------------------------------------ b) KISS */
Test(spec_vectors, kiss)
{
    tok t;
    tok_open(&t, "kiss.txt");
    tally ty = {0, 0, 0};
    const char *op;
    while ((op = tok_next(&t)) && strcmp(op, "end") != 0) {
        unsigned ln = t.line;
        if (!strcmp(op, "kiss")) {
            uint32_t s[4];
            for (int i = 0; i < 4; i++)
                s[i] = tok_u32(&t);
            axon_kiss k = {s[0], s[1], s[2], s[3]};
            uint32_t n = tok_u32(&t);
            int reported = 0;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t want = tok_u32(&t), got = axon_kiss_next(&k);
                ty.checked++;
                if (got != want && !reported) {
                    reported = 1;
                    MISMATCH(&ty, "kiss.txt:%u: seed {%u, %u, %u, %u}: output %u is %u, "
                                  "reference %u", ln, s[0], s[1], s[2], s[3], i, got, want);
                }
            }
        } else if (!strcmp(op, "valid")) {
            uint32_t s[4];
            for (int i = 0; i < 4; i++)
                s[i] = tok_u32(&t);
            int want = (int)tok_ll(&t), got = axon_kiss_seed_valid(s) != 0;
            ty.checked++;
            if (got != want)
                MISMATCH(&ty, "kiss.txt:%u: axon_kiss_seed_valid({%u, %u, %u, %u}) = %d, "
                              "reference %d", ln, s[0], s[1], s[2], s[3], got, want);
        } else if (!strcmp(op, "derive")) {
            uint64_t user = tok_ull(&t);
            uint32_t g = tok_u32(&t), want[4], got[4];
            for (int i = 0; i < 4; i++)
                want[i] = tok_u32(&t);
            axon_kiss_derive_seed(user, g, got);
            ty.checked++;
            if (memcmp(got, want, sizeof got) != 0)
                MISMATCH(&ty, "kiss.txt:%u: axon_kiss_derive_seed(%llu, %u) = {%u, %u, %u, %u}, "
                              "reference {%u, %u, %u, %u}", ln, (unsigned long long)user, g,
                         got[0], got[1], got[2], got[3], want[0], want[1], want[2], want[3]);
        } else {
            cr_assert_fail("kiss.txt:%u: unknown op '%s'", ln, op);
        }
    }
    cr_assert(op, "kiss.txt: missing 'end'");
    tok_close(&t);
    cr_log_info("kiss: %u vectors, %u mismatches", ty.checked, ty.bad);
    cr_assert_eq(ty.bad, 0, "%u KISS vectors differ from the reference", ty.bad);
}

/* ------------------------------------------------------------------ b) Poisson on the engine */
static axon_engine *engine_of(axon_image *img)
{
    axon_engine *e = NULL;
    char err[AXON_ERRMSG_LEN] = "";
    axon_engine_opts o = {AXON_ARITH_FIXED, 1};
    int rc = axon_engine_create(&e, img, &o, err);
    cr_assert_eq(rc, AXON_OK, "axon_engine_create: %s", err);
    return e;
}

Test(spec_vectors, poisson)
{
    tok t;
    tok_open(&t, "poisson.txt");
    tally ty = {0, 0, 0};
    const char *op;
    unsigned n_cases = 0;
    while ((op = tok_next(&t)) && strcmp(op, "end") != 0) {
        cr_assert(!strcmp(op, "poisson"), "poisson.txt:%u: unexpected '%s'", t.line, op);
        uint32_t n = tok_u32(&t), n_steps = tok_u32(&t), seed[4];
        for (int i = 0; i < 4; i++)
            seed[i] = tok_u32(&t);
        uint32_t rec_flags = tok_u32(&t);
        tok_expect(&t, "params");
        uint32_t *params = malloc(sizeof(uint32_t) * 3 * n);
        for (uint32_t i = 0; i < 3 * n; i++)
            params[i] = tok_u32(&t);
        tok_expect(&t, "counts");
        uint32_t nc = tok_u32(&t);
        /* expected count per (step, source) */
        uint32_t *want = calloc((size_t)n_steps * n, sizeof *want);
        uint32_t *got = calloc((size_t)n_steps * n, sizeof *got);
        for (uint32_t k = 0; k < nc; k++) {
            uint32_t st = tok_u32(&t), i = tok_u32(&t), c = tok_u32(&t);
            cr_assert(st < n_steps && i < n);
            want[(size_t)st * n + i] = c;
        }
        tok_expect(&t, "capped");
        uint64_t want_capped = tok_ull(&t);
        tok_expect(&t, "spikes_out");
        uint64_t want_out = tok_ull(&t);

        axon_core_desc d = {.kind = AXON_KIND_SOURCE_POISSON, .n_neurons = n,
                            .key_base = 0x10000, .flags = AXON_CORE_FLAG_EMIT,
                            .rec_flags = rec_flags, .rec_interval = 1, .params = params,
                            .param_words = AXON_P_POISSON_WORDS};
        memcpy(d.seed, seed, sizeof d.seed);
        uint32_t *words, nw;
        cr_assert_eq(axon_core_assemble(&d, &words, &nw), AXON_OK);
        axon_image *img;
        cr_assert_eq(axon_image_create(&img, 1, 1, 1, 0, 1000), AXON_OK);
        cr_assert_eq(axon_image_set_core(img, 0, 0, 0, words, nw), AXON_OK);
        free(words);
        axon_engine *e = engine_of(img);
        axon_image_destroy(img);
        cr_assert_eq(axon_engine_run(e, n_steps), AXON_OK);
        const uint32_t *rw;
        size_t rn, pos = 0;
        axon_rec_block b;
        cr_assert_eq(axon_engine_recording(e, 0, 0, 0, &rw, &rn), AXON_OK);
        int r;
        while ((r = axon_rec_next(rw, rn, &pos, 0, &b)) == 1) {
            cr_assert(b.step < n_steps);
            for (uint32_t k = 0; k < b.n_spikes; k++) {
                uint32_t i = axon_rec_spike(&b, k);
                cr_assert(i < n, "recorded source %u >= %u", i, n);
                got[(size_t)b.step * n + i]++;
            }
        }
        cr_assert_eq(r, 0, "recording stream malformed");
        for (uint32_t st = 0; st < n_steps; st++)
            for (uint32_t i = 0; i < n; i++) {
                ty.checked++;
                size_t j = (size_t)st * n + i;
                if (got[j] != want[j]) {
                    MISMATCH(&ty, "poisson case %u: step %u source %u (L %u, steps [%u, %u)): "
                                  "%u spikes, reference %u (first divergence)", n_cases, st, i,
                             params[3 * i], params[3 * i + 1], params[3 * i + 2], got[j], want[j]);
                    st = n_steps; /* the generator's sequence diverges from here */
                    break;
                }
            }
        uint64_t cnt[AXON_CNT_CORE_N];
        cr_assert_eq(axon_engine_core_counters(e, 0, 0, 0, cnt), AXON_OK);
        ty.checked += 2;
        if (cnt[AXON_CNT_CORE_POISSON_CAPPED] != want_capped)
            MISMATCH(&ty, "poisson case %u: poisson_capped %llu, reference %llu", n_cases,
                     (unsigned long long)cnt[AXON_CNT_CORE_POISSON_CAPPED],
                     (unsigned long long)want_capped);
        if (cnt[AXON_CNT_CORE_SPIKES_OUT] != want_out)
            MISMATCH(&ty, "poisson case %u: spikes_out %llu, reference %llu (total count)",
                     n_cases, (unsigned long long)cnt[AXON_CNT_CORE_SPIKES_OUT],
                     (unsigned long long)want_out);
        axon_engine_destroy(e);
        free(params);
        free(want);
        free(got);
        n_cases++;
    }
    cr_assert(op, "poisson.txt: missing 'end'");
    tok_close(&t);
    cr_log_info("poisson: %u cases, %u checks, %u mismatches", n_cases, ty.checked, ty.bad);
    cr_assert(n_cases >= 1);
    cr_assert_eq(ty.bad, 0, "%u Poisson checks differ from the reference", ty.bad);
}

/* ------------------------------------------------------------------ c) conversions */
static const axon_model_info *model_or_fail(const char *name, const tok *t)
{
    const axon_model_info *m = axon_model_find(name);
    cr_assert(m, "%s:%u: unknown model %s", t->path, t->line, name);
    return m;
}

static void fmt_words(char *buf, size_t cap, const uint32_t *w, uint32_t n)
{
    size_t at = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < n && at + 12 < cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, "%s%u", i ? " " : "", w[i]);
}

Test(spec_vectors, convert)
{
    tok t;
    tok_open(&t, "convert.txt");
    tally ty = {0, 0, 0}, gap = {0, 0, 1};
    const char *op;
    while ((op = tok_next(&t)) && strcmp(op, "end") != 0) {
        unsigned ln = t.line;
        /* "gap" prefix: the spec does not decide this vector; the reference takes the most
         * natural reading and a difference is logged, not failed */
        tally *tt = &ty;
        if (!strcmp(op, "gap")) {
            tt = &gap;
            op = tok_str(&t);
        }
        if (!strcmp(op, "defaults")) {
            const axon_model_info *m = model_or_fail(tok_str(&t), &t);
            for (int part = 0; part < 2; part++) {
                uint32_t n = tok_u32(&t);
                uint32_t have = part ? m->n_inits : m->n_params;
                tt->checked++;
                if (n != have)
                    MISMATCH(tt, "convert.txt:%u: %s has %u %s, PyNN reference %u", ln,
                             m->name, have, part ? "initial values" : "parameters", n);
                for (uint32_t k = 0; k < n; k++) {
                    const char *name = tok_str(&t);
                    double def = tok_dbl(&t);
                    int j = part ? axon_model_init_index(m, name) : axon_model_param_index(m, name);
                    tt->checked++;
                    if (j < 0) {
                        MISMATCH(tt, "convert.txt:%u: %s has no %s '%s'", ln, m->name,
                                 part ? "initial value" : "parameter", name);
                        continue;
                    }
                    double have_def = part ? m->inits[j].def : m->params[j].def;
                    if (have_def != def)
                        MISMATCH(tt, "convert.txt:%u: %s default %s = %.17g, PyNN %.17g", ln,
                                 m->name, name, have_def, def);
                }
            }
        } else if (!strcmp(op, "conv")) {
            const axon_model_info *m = model_or_fail(tok_str(&t), &t);
            double dt = tok_dbl(&t);
            double p[64], in[64];
            char desc[1024];
            size_t at = (size_t)snprintf(desc, sizeof desc, "%s dt=%g", m->name, dt);
            cr_assert(m->n_params <= 64 && m->n_inits <= 64);
            for (uint32_t k = 0; k < m->n_params; k++)
                p[k] = m->params[k].def;
            for (uint32_t k = 0; k < m->n_inits; k++)
                in[k] = m->inits[k].def;
            int names_ok = 1;
            for (int part = 0; part < 2; part++) {
                uint32_t n = tok_u32(&t);
                for (uint32_t k = 0; k < n; k++) {
                    const char *name = tok_str(&t);
                    double v = tok_dbl(&t);
                    int j = part ? axon_model_init_index(m, name) : axon_model_param_index(m, name);
                    if (j < 0) {
                        names_ok = 0;
                        continue;
                    }
                    (part ? in : p)[j] = v;
                    if (at < sizeof desc - 64)
                        at += (size_t)snprintf(desc + at, sizeof desc - at, " %s=%.17g", name, v);
                }
            }
            const char *res = tok_str(&t);
            uint32_t wp[64], ws[64], gp[64], gs[64];
            uint32_t np = 0, ns = 0;
            int want_ok = !strcmp(res, "ok");
            if (want_ok) {
                np = tok_u32(&t);
                cr_assert(np <= 64);
                for (uint32_t k = 0; k < np; k++)
                    wp[k] = tok_u32(&t);
                ns = tok_u32(&t);
                cr_assert(ns <= 64);
                for (uint32_t k = 0; k < ns; k++)
                    ws[k] = tok_u32(&t);
            } else {
                cr_assert(!strcmp(res, "err"), "convert.txt:%u: bad result '%s'", ln, res);
            }
            tt->checked++;
            if (!names_ok) {
                MISMATCH(tt, "convert.txt:%u: %s: a PyNN parameter name is unknown to the "
                              "C model", ln, desc);
                continue;
            }
            char err[AXON_ERRMSG_LEN] = "";
            memset(gp, 0, sizeof gp);
            memset(gs, 0, sizeof gs);
            int rc = axon_model_convert(m, p, in, dt, gp, gs, err);
            if (!want_ok) {
                if (rc == 0)
                    MISMATCH(tt, "convert.txt:%u: %s accepted, the reference rejects it", ln,
                             desc);
                continue;
            }
            if (rc != 0) {
                MISMATCH(tt, "convert.txt:%u: %s rejected (%d: %s), the reference accepts it",
                         ln, desc, rc, err);
                continue;
            }
            if (np != m->param_words || ns != m->state_words) {
                MISMATCH(tt, "convert.txt:%u: %s: block sizes %u/%u, reference %u/%u", ln,
                         m->name, m->param_words, m->state_words, np, ns);
                continue;
            }
            for (int part = 0; part < 2; part++) {
                const uint32_t *w = part ? ws : wp, *g = part ? gs : gp;
                uint32_t n = part ? ns : np;
                for (uint32_t k = 0; k < n; k++)
                    if (w[k] != g[k]) {
                        char a[800], b[800];
                        fmt_words(a, sizeof a, g, n);
                        fmt_words(b, sizeof b, w, n);
                        MISMATCH(tt, "convert.txt:%u: %s: %s word %u is %u, reference %u\n"
                                      "  C:   %s\n  ref: %s", ln, desc,
                                 part ? "state" : "parameter", k, g[k], w[k], a, b);
                        break;
                    }
            }
        } else if (!strcmp(op, "step")) {
            double tm = tok_dbl(&t), dt = tok_dbl(&t);
            long long want = tok_ll(&t);
            int64_t got = axon_time_to_step(tm, dt);
            tt->checked++;
            if (got != want)
                MISMATCH(tt, "convert.txt:%u: axon_time_to_step(%.17g, %.17g) = %lld, "
                              "reference %lld", ln, tm, dt, (long long)got, want);
        } else if (!strcmp(op, "weight")) {
            double w = tok_dbl(&t);
            uint32_t sh = tok_u32(&t);
            int want_rc = (int)tok_ll(&t);
            uint32_t want = tok_u32(&t), got = 0;
            int rc = axon_weight_to_fixed(w, sh, &got);
            tt->checked++;
            if (rc != want_rc || (rc == 0 && got != want))
                MISMATCH(tt, "convert.txt:%u: axon_weight_to_fixed(%.17g, %u) rc %d = %u, "
                              "reference rc %d %u", ln, w, sh, rc, got, want_rc, want);
        } else if (!strcmp(op, "poisson")) {
            double rate = tok_dbl(&t), st = tok_dbl(&t), du = tok_dbl(&t), dt = tok_dbl(&t);
            const char *res = tok_str(&t);
            uint32_t blk[AXON_P_POISSON_WORDS] = {0}, want[3] = {0};
            int want_ok = !strcmp(res, "ok");
            if (want_ok)
                for (int k = 0; k < 3; k++)
                    want[k] = tok_u32(&t);
            char err[AXON_ERRMSG_LEN] = "";
            int rc = axon_poisson_convert(rate, st, du, dt, blk, err);
            tt->checked++;
            if (!want_ok && rc == 0)
                MISMATCH(tt, "convert.txt:%u: axon_poisson_convert(rate %.17g, start %.17g, "
                             "duration %.17g, dt %.17g) accepted, the reference rejects it", ln,
                         rate, st, du, dt);
            else if (want_ok && rc != 0)
                MISMATCH(tt, "convert.txt:%u: axon_poisson_convert(rate %.17g, ...) rejected: %s",
                         ln, rate, err);
            else if (want_ok && memcmp(blk, want, sizeof want) != 0)
                MISMATCH(tt, "convert.txt:%u: axon_poisson_convert(rate %.17g, start %.17g, "
                             "duration %.17g, dt %.17g) = {%u, %u, %u}, reference {%u, %u, %u}%s",
                         ln, rate, st, du, dt, blk[0], blk[1], blk[2], want[0], want[1],
                         want[2], tt->gap ? " (end = round((start + duration) / dt))" : "");
        } else {
            cr_assert_fail("convert.txt:%u: unknown op '%s'", ln, op);
        }
    }
    cr_assert(op, "convert.txt: missing 'end'");
    tok_close(&t);
    cr_log_info("convert: %u vectors, %u mismatches; %u vectors where the spec is silent, %u "
                "of them read differently by the C model (logged above)", ty.checked, ty.bad,
                gap.checked, gap.bad);
    cr_assert_eq(ty.bad, 0, "%u conversion vectors differ from the reference", ty.bad);
}

/* ------------------------------------------------------------------ c) model scenarios */
#define ARRAY_CORE 0
#define NEURON_CORE 1

typedef struct scen {
    char name[128], model[64];
    uint32_t model_id, dt_us, n_steps, n, pw, sw;
    char snames[16][32];
    uint32_t shift[2], rec_flags, rec_interval;
    uint32_t *bitmaps; /* NULL: all neurons */
    uint32_t *params, *state;
    uint32_t neuron_key, n_src, array_key, n_events, *events;
    uint32_t mpt_n, *mpt, syn_n, *syn;
    uint32_t tab_n;
    axon_route_entry *tab;
    /* expectations */
    uint32_t n_samples, n_values, *sample_step;
    int32_t *samples;
    uint32_t n_spikes, *spikes; /* (step, index) pairs */
    uint32_t *final;
    uint64_t cnt_neuron[AXON_CNT_CORE_N], cnt_array[AXON_CNT_CORE_N];
    uint64_t cnt_router[AXON_CNT_ROUTER_N];
} scen;

static uint32_t *read_words(tok *t, size_t n)
{
    uint32_t *w = malloc(sizeof(uint32_t) * (n + 1));
    for (size_t i = 0; i < n; i++)
        w[i] = tok_u32(t);
    return w;
}

static void scen_read(scen *s, const char *file)
{
    tok t;
    memset(s, 0, sizeof *s);
    tok_open(&t, file);
    tok_expect(&t, "scenario");
    snprintf(s->name, sizeof s->name, "%s", tok_str(&t));
    tok_expect(&t, "model");
    snprintf(s->model, sizeof s->model, "%s", tok_str(&t));
    s->model_id = tok_u32(&t);
    tok_expect(&t, "dt_us");
    s->dt_us = tok_u32(&t);
    tok_expect(&t, "n_steps");
    s->n_steps = tok_u32(&t);
    tok_expect(&t, "n_neurons");
    s->n = tok_u32(&t);
    tok_expect(&t, "param_words");
    s->pw = tok_u32(&t);
    tok_expect(&t, "state_words");
    s->sw = tok_u32(&t);
    tok_expect(&t, "state_names");
    cr_assert_eq(tok_u32(&t), s->sw);
    cr_assert(s->sw <= 16);
    for (uint32_t k = 0; k < s->sw; k++)
        snprintf(s->snames[k], sizeof s->snames[k], "%s", tok_str(&t));
    tok_expect(&t, "weight_shift");
    s->shift[0] = tok_u32(&t);
    s->shift[1] = tok_u32(&t);
    tok_expect(&t, "rec");
    s->rec_flags = tok_u32(&t);
    s->rec_interval = tok_u32(&t);
    tok_expect(&t, "bitmaps");
    uint32_t nb = tok_u32(&t);
    if (nb) {
        cr_assert_eq(nb, AXON_N_REC_VARS * ((s->n + 31) / 32));
        s->bitmaps = read_words(&t, nb);
    }
    tok_expect(&t, "params");
    s->params = read_words(&t, (size_t)s->n * s->pw);
    tok_expect(&t, "state");
    s->state = read_words(&t, (size_t)s->n * s->sw);
    tok_expect(&t, "neuron_key");
    s->neuron_key = tok_u32(&t);
    tok_expect(&t, "array");
    s->n_src = tok_u32(&t);
    s->array_key = tok_u32(&t);
    s->n_events = tok_u32(&t);
    s->events = read_words(&t, 2 * (size_t)s->n_events);
    tok_expect(&t, "mpt");
    s->mpt_n = tok_u32(&t);
    s->mpt = read_words(&t, (size_t)s->mpt_n * AXON_SYN_MPT_ENTRY_WORDS);
    tok_expect(&t, "syn");
    s->syn_n = tok_u32(&t);
    s->syn = read_words(&t, s->syn_n);
    tok_expect(&t, "table");
    s->tab_n = tok_u32(&t);
    s->tab = calloc(s->tab_n + 1, sizeof *s->tab);
    for (uint32_t k = 0; k < s->tab_n; k++) {
        s->tab[k].key = tok_u32(&t);
        s->tab[k].mask = tok_u32(&t);
        s->tab[k].route = tok_u32(&t);
    }
    tok_expect(&t, "expect");
    tok_expect(&t, "samples");
    s->n_samples = tok_u32(&t);
    s->n_values = tok_u32(&t);
    s->sample_step = malloc(sizeof(uint32_t) * (s->n_samples + 1));
    s->samples = malloc(sizeof(int32_t) * ((size_t)s->n_samples * s->n_values + 1));
    for (uint32_t k = 0; k < s->n_samples; k++) {
        s->sample_step[k] = tok_u32(&t);
        for (uint32_t j = 0; j < s->n_values; j++)
            s->samples[(size_t)k * s->n_values + j] = tok_s32(&t);
    }
    tok_expect(&t, "spikes");
    s->n_spikes = tok_u32(&t);
    s->spikes = read_words(&t, 2 * (size_t)s->n_spikes);
    tok_expect(&t, "final");
    s->final = read_words(&t, (size_t)s->n * s->sw);
    tok_expect(&t, "counters_neuron");
    for (int k = 0; k < AXON_CNT_CORE_N; k++)
        s->cnt_neuron[k] = tok_ull(&t);
    tok_expect(&t, "counters_array");
    for (int k = 0; k < AXON_CNT_CORE_N; k++)
        s->cnt_array[k] = tok_ull(&t);
    tok_expect(&t, "counters_router");
    for (int k = 0; k < AXON_CNT_ROUTER_N; k++)
        s->cnt_router[k] = tok_ull(&t);
    tok_expect(&t, "end");
    tok_close(&t);
}

static void scen_free(scen *s)
{
    free(s->bitmaps);
    free(s->params);
    free(s->state);
    free(s->events);
    free(s->mpt);
    free(s->syn);
    free(s->tab);
    free(s->sample_step);
    free(s->samples);
    free(s->spikes);
    free(s->final);
}

static int selected(const scen *s, uint32_t var, uint32_t i)
{
    if (!s->bitmaps)
        return 1;
    uint32_t nw = (s->n + 31) / 32;
    return (s->bitmaps[var * nw + i / 32] >> (i % 32)) & 1;
}

/* value j of a sample row -> variable name and neuron */
static void value_field(const scen *s, uint32_t j, const char **var, uint32_t *neuron)
{
    static const char *names[] = {"spikes", "v", "gsyn_exc", "gsyn_inh"};
    for (uint32_t v = AXON_REC_V; v <= AXON_REC_GSYN_INH; v++) {
        if (!(s->rec_flags >> v & 1))
            continue;
        for (uint32_t i = 0; i < s->n; i++)
            if (selected(s, v, i)) {
                if (j == 0) {
                    *var = names[v];
                    *neuron = i;
                    return;
                }
                j--;
            }
    }
    *var = "?";
    *neuron = UINT32_MAX;
}

static axon_engine *scen_engine(const scen *s)
{
    axon_image *img;
    cr_assert_eq(axon_image_create(&img, 1, 1, 2, 0, s->dt_us), AXON_OK);
    axon_core_desc a = {.kind = AXON_KIND_SOURCE_ARRAY, .n_neurons = s->n_src,
                        .key_base = s->array_key, .flags = AXON_CORE_FLAG_EMIT,
                        .rec_interval = 1, .src = s->events, .src_words = 2 * s->n_events};
    axon_core_desc d = {.kind = AXON_KIND_NEURON, .model = s->model_id, .n_neurons = s->n,
                        .key_base = s->neuron_key, .flags = AXON_CORE_FLAG_EMIT,
                        .weight_shift = {(uint8_t)s->shift[0], (uint8_t)s->shift[1]},
                        .rec_flags = s->rec_flags, .rec_interval = s->rec_interval,
                        .rec_bitmaps = s->bitmaps, .params = s->params, .param_words = s->pw,
                        .state = s->state, .state_words = s->sw, .mpt = s->mpt,
                        .mpt_n = s->mpt_n, .syn = s->syn, .syn_words = s->syn_n};
    uint32_t *w, nw;
    cr_assert_eq(axon_core_assemble(&a, &w, &nw), AXON_OK);
    cr_assert_eq(axon_image_set_core(img, 0, 0, ARRAY_CORE, w, nw), AXON_OK);
    free(w);
    cr_assert_eq(axon_core_assemble(&d, &w, &nw), AXON_OK);
    cr_assert_eq(axon_image_set_core(img, 0, 0, NEURON_CORE, w, nw), AXON_OK);
    free(w);
    cr_assert_eq(axon_image_set_table(img, 0, 0, s->tab, s->tab_n), AXON_OK);
    axon_engine *e = NULL;
    char err[AXON_ERRMSG_LEN] = "";
    axon_engine_opts o = {AXON_ARITH_FIXED, 1};
    int rc = axon_engine_create(&e, img, &o, err);
    axon_image_destroy(img);
    cr_assert_eq(rc, AXON_OK, "%s: axon_engine_create: %s", s->name, err);
    return e;
}

/* Runs one scenario; returns the number of mismatching checks (each logged). */
static unsigned scen_run(const char *file)
{
    scen s;
    scen_read(&s, file);
    axon_engine *e = scen_engine(&s);
    cr_assert_eq(axon_engine_run(e, s.n_steps), AXON_OK);
    tally ty = {0, 0, 0};

    /* recordings: samples and spikes */
    const uint32_t *rw;
    size_t rn, pos = 0;
    cr_assert_eq(axon_engine_recording(e, 0, 0, NEURON_CORE, &rw, &rn), AXON_OK);
    axon_rec_block b;
    int r;
    uint32_t si = 0, pi = 0;
    int sample_diverged = 0, spike_diverged = 0;
    while ((r = axon_rec_next(rw, rn, &pos, 0, &b)) == 1) {
        for (uint32_t k = 0; k < b.n_spikes && !spike_diverged; k++, pi++) {
            uint32_t idx = axon_rec_spike(&b, k);
            if (pi >= s.n_spikes) {
                spike_diverged = 1;
                MISMATCH(&ty, "%s: extra spike (step %u, neuron %u) after the reference's %u "
                              "spikes", s.name, b.step, idx, s.n_spikes);
            } else if (s.spikes[2 * pi] != b.step || s.spikes[2 * pi + 1] != idx) {
                spike_diverged = 1;
                MISMATCH(&ty, "%s: spike #%u is (step %u, neuron %u), reference (step %u, "
                              "neuron %u)", s.name, pi, b.step, idx, s.spikes[2 * pi],
                         s.spikes[2 * pi + 1]);
            }
        }
        if (b.n_state && !sample_diverged) {
            if (si >= s.n_samples || s.sample_step[si] != b.step || b.n_state != s.n_values) {
                sample_diverged = 1;
                MISMATCH(&ty, "%s: sample block at step %u with %u values, reference %s step %u "
                              "with %u values", s.name, b.step, b.n_state,
                         si < s.n_samples ? "expects" : "has no more samples:",
                         si < s.n_samples ? s.sample_step[si] : 0, s.n_values);
            } else {
                for (uint32_t j = 0; j < s.n_values; j++) {
                    int32_t got = (int32_t)b.state[j];
                    int32_t want = s.samples[(size_t)si * s.n_values + j];
                    if (got != want) {
                        const char *var;
                        uint32_t nrn;
                        value_field(&s, j, &var, &nrn);
                        sample_diverged = 1;
                        MISMATCH(&ty, "%s: first divergence at step %u, neuron %u, %s: C %d "
                                      "(%.6f), reference %d (%.6f)", s.name, b.step, nrn, var,
                                 got, got / 32768.0, want, want / 32768.0);
                        break;
                    }
                }
            }
            si++;
        }
    }
    cr_assert_eq(r, 0, "%s: recording stream malformed", s.name);
    ty.checked += 2;
    if (!sample_diverged && si != s.n_samples)
        MISMATCH(&ty, "%s: %u sample blocks, reference %u", s.name, si, s.n_samples);
    if (!spike_diverged && pi != s.n_spikes)
        MISMATCH(&ty, "%s: %u spikes recorded, reference %u (first missing: step %u neuron %u)",
                 s.name, pi, s.n_spikes, s.spikes[2 * pi], s.spikes[2 * pi + 1]);

    /* final state words */
    for (uint32_t i = 0; i < s.n; i++)
        for (uint32_t w = 0; w < s.sw; w++) {
            uint32_t got = 0;
            cr_assert_eq(axon_engine_state_word(e, 0, 0, NEURON_CORE, i, w, &got), AXON_OK);
            uint32_t want = s.final[(size_t)i * s.sw + w];
            ty.checked++;
            if (got != want)
                MISMATCH(&ty, "%s: final state of neuron %u, word %u (%s): C %u (%d), "
                              "reference %u (%d)", s.name, i, w, s.snames[w], got, (int32_t)got,
                         want, (int32_t)want);
        }

    /* counters */
    static const char *cn[] = AXON_CNT_CORE_NAMES_INIT;
    static const char *rn_[] = AXON_CNT_ROUTER_NAMES_INIT;
    uint64_t c[AXON_CNT_CORE_N], rc[AXON_CNT_ROUTER_N];
    cr_assert_eq(axon_engine_core_counters(e, 0, 0, NEURON_CORE, c), AXON_OK);
    for (int k = 0; k < AXON_CNT_CORE_N; k++) {
        ty.checked++;
        if (c[k] != s.cnt_neuron[k])
            MISMATCH(&ty, "%s: neuron core counter %s = %llu, reference %llu", s.name, cn[k],
                     (unsigned long long)c[k], (unsigned long long)s.cnt_neuron[k]);
    }
    cr_assert_eq(axon_engine_core_counters(e, 0, 0, ARRAY_CORE, c), AXON_OK);
    for (int k = 0; k < AXON_CNT_CORE_N; k++) {
        ty.checked++;
        if (c[k] != s.cnt_array[k])
            MISMATCH(&ty, "%s: array core counter %s = %llu, reference %llu", s.name, cn[k],
                     (unsigned long long)c[k], (unsigned long long)s.cnt_array[k]);
    }
    cr_assert_eq(axon_engine_router_counters(e, 0, 0, rc), AXON_OK);
    for (int k = 0; k < AXON_CNT_ROUTER_N; k++) {
        ty.checked++;
        if (rc[k] != s.cnt_router[k])
            MISMATCH(&ty, "%s: router counter %s = %llu, reference %llu", s.name, rn_[k],
                     (unsigned long long)rc[k], (unsigned long long)s.cnt_router[k]);
    }
    cr_log_info("%s: %u neurons, %u steps, %u samples x %u values, %u spikes, saturations "
                "%llu: %u mismatches", s.name, s.n, s.n_steps, s.n_samples, s.n_values,
                s.n_spikes, (unsigned long long)s.cnt_neuron[AXON_CNT_CORE_SATURATIONS],
                ty.bad);
    axon_engine_destroy(e);
    scen_free(&s);
    return ty.bad;
}

/* Every scenario file whose name starts with prefix. */
static void run_scenarios(const char *prefix)
{
    tok t;
    tok_open(&t, "scenarios.txt");
    uint32_t n = tok_u32(&t), ran = 0, bad = 0, bad_files = 0;
    for (uint32_t k = 0; k < n; k++) {
        const char *f = tok_str(&t);
        if (strncmp(f, prefix, strlen(prefix)) != 0)
            continue;
        unsigned b = scen_run(f);
        bad += b;
        bad_files += b != 0;
        ran++;
    }
    tok_close(&t);
    cr_assert(ran > 0, "no scenario file starts with %s", prefix);
    cr_assert_eq(bad, 0, "%u of %u scenarios (%s*) differ from the reference (%u mismatches)",
                 bad_files, ran, prefix, bad);
}

Test(spec_vectors, IF_curr_exp) { run_scenarios("scen_IF_curr_exp_"); }
Test(spec_vectors, IF_cond_exp) { run_scenarios("scen_IF_cond_exp_"); }
Test(spec_vectors, IF_curr_alpha) { run_scenarios("scen_IF_curr_alpha_"); }
Test(spec_vectors, IF_curr_delta) { run_scenarios("scen_IF_curr_delta_"); }
Test(spec_vectors, Izhikevich) { run_scenarios("scen_Izhikevich_"); }
/* every model with weight shifts 11..15: inputs up to 65535 nA-equivalent, so the datapath
 * wraps modulo 2^32 (defined by arithmetic.md even though such parameters are invalid) */
Test(spec_vectors, wrap) { run_scenarios("scen_wrap_"); }
/* raw states the PyNN conversion never produces: the threshold test during the refractory
 * period, v_reset >= v_thresh, t_refrac = 0, duplicate array events */
Test(spec_vectors, probe) { run_scenarios("scen_probe_"); }
