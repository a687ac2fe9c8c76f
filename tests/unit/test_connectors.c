/* Connectors (hostlib/hl_connect.c): exact results of the deterministic ones, statistics of
 * the random ones against their PyNN definitions (counts within 5 standard deviations),
 * self-connection rules, sorting, explicit lists and files, value evaluation and error
 * messages. */
#include "hl_connect.h"
#include "hl_random.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    hl_conn_in in;
    axon_connector c;
    double *pre_pos, *post_pos;
    gsl_rng *rng;
    hl_space space;
    hl_conns out;
    char err[AXON_ERRMSG_LEN];
} fixture;

/* pre and post on lines x = i (y = z = 0), whole populations */
static fixture *fx(axon_connector_kind kind, uint32_t n_pre, uint32_t n_post, int same_pop,
                   uint64_t seed)
{
    fixture *f = calloc(1, sizeof *f);
    f->c = hl_connector_default(kind);
    f->pre_pos = calloc(3 * (size_t)n_pre + 1, sizeof(double));
    f->post_pos = calloc(3 * (size_t)n_post + 1, sizeof(double));
    for (uint32_t i = 0; i < n_pre; i++)
        f->pre_pos[3 * i] = i;
    for (uint32_t j = 0; j < n_post; j++)
        f->post_pos[3 * j] = j;
    f->rng = hl_rng_new(seed);
    hl_space_init(&f->space, NULL, NULL);
    f->in = (hl_conn_in){&f->c, n_pre, n_post, NULL, NULL, same_pop, f->pre_pos, f->post_pos,
                         &f->space, f->rng};
    return f;
}

static void fx_free(fixture *f)
{
    hl_conns_free(&f->out);
    free(f->pre_pos);
    free(f->post_pos);
    gsl_rng_free(f->rng);
    free(f);
}

static int run(fixture *f)
{
    f->err[0] = 0;
    hl_conns_free(&f->out);
    return hl_connect(&f->in, &f->out, f->err);
}

static void run_ok(fixture *f)
{
    int rc = run(f);
    cr_assert_eq(rc, AXON_OK, "hl_connect: %d: %s", rc, f->err);
}

static void run_err(fixture *f, int want, const char *needle)
{
    int rc = run(f);
    cr_assert_eq(rc, want, "expected %d, got %d (%s)", want, rc, f->err);
    cr_assert(strstr(f->err, needle) != NULL, "message '%s' lacks '%s'", f->err, needle);
    cr_assert_eq(f->out.n, 0);
    cr_assert_null(f->out.pre);
}

/* sorted by (pre, post); strictly when unique */
static void check_sorted(const hl_conns *o, int unique)
{
    for (size_t k = 1; k < o->n; k++) {
        uint64_t a = (uint64_t)o->pre[k - 1] << 32 | o->post[k - 1];
        uint64_t b = (uint64_t)o->pre[k] << 32 | o->post[k];
        cr_assert(unique ? a < b : a <= b, "connections %zu and %zu out of order: (%u,%u) (%u,%u)",
                  k - 1, k, o->pre[k - 1], o->post[k - 1], o->pre[k], o->post[k]);
    }
}

static void check_no_self(const fixture *f)
{
    for (size_t k = 0; k < f->out.n; k++) {
        uint32_t a = f->in.pre_abs ? f->in.pre_abs[f->out.pre[k]] : f->out.pre[k];
        uint32_t b = f->in.post_abs ? f->in.post_abs[f->out.post[k]] : f->out.post[k];
        cr_assert_neq(a, b, "self-connection %zu: neuron %u", k, a);
    }
}

static void check_range(const fixture *f)
{
    for (size_t k = 0; k < f->out.n; k++)
        cr_assert(f->out.pre[k] < f->in.n_pre && f->out.post[k] < f->in.n_post,
                  "connection %zu (%u, %u) out of range", k, f->out.pre[k], f->out.post[k]);
}

/* ------------------------------------------------------------------ deterministic */
Test(connectors, all_to_all)
{
    fixture *f = fx(AXON_CONN_ALL_TO_ALL, 5, 7, 0, 1);
    cr_assert_eq(f->c.allow_self_connections, 1, "PyNN default");
    run_ok(f);
    cr_assert_eq(f->out.n, 35);
    check_sorted(&f->out, 1);
    cr_assert(f->out.pre[0] == 0 && f->out.post[0] == 0 && f->out.pre[34] == 4 &&
              f->out.post[34] == 6);
    cr_assert(!f->out.has_w && !f->out.has_d && f->out.w == NULL);
    /* the same population: self-connections only when allowed */
    fx_free(f);
    f = fx(AXON_CONN_ALL_TO_ALL, 6, 6, 1, 1);
    run_ok(f);
    cr_assert_eq(f->out.n, 36);
    f->c.allow_self_connections = 0;
    run_ok(f);
    cr_assert_eq(f->out.n, 30);
    check_no_self(f);
    check_sorted(&f->out, 1);
    /* different populations: allow_self_connections does not matter */
    f->in.same_pop = 0;
    run_ok(f);
    cr_assert_eq(f->out.n, 36);
    /* views of one population: pre = {0, 2, 4}, post = {1, 2, 3}: only (2, 2) is a self pair */
    static const uint32_t pa[] = {0, 2, 4}, pb[] = {1, 2, 3};
    f->in.same_pop = 1;
    f->in.n_pre = f->in.n_post = 3;
    f->in.pre_abs = pa;
    f->in.post_abs = pb;
    run_ok(f);
    cr_assert_eq(f->out.n, 8);
    check_no_self(f);
    fx_free(f);
}

Test(connectors, one_to_one)
{
    fixture *f = fx(AXON_CONN_ONE_TO_ONE, 5, 5, 0, 1);
    run_ok(f);
    cr_assert_eq(f->out.n, 5);
    for (uint32_t i = 0; i < 5; i++)
        cr_assert(f->out.pre[i] == i && f->out.post[i] == i);
    f->in.n_post = 6;
    run_err(f, AXON_ERR_INVALID_ARG,
            "OneToOne: the presynaptic view has 5 neurons and the postsynaptic view 6; they "
            "must be equal");
    fx_free(f);
}

Test(connectors, array_matrix)
{
    fixture *f = fx(AXON_CONN_ARRAY, 3, 4, 1, 1);
    static const uint8_t m[12] = {1, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0};
    f->c.matrix = m;
    f->c.allow_self_connections = 0; /* explicit: kept anyway */
    run_ok(f);
    static const uint32_t pre[] = {0, 0, 2, 2}, post[] = {0, 3, 1, 2};
    cr_assert_eq(f->out.n, 4);
    cr_assert_arr_eq(f->out.pre, pre, sizeof pre);
    cr_assert_arr_eq(f->out.post, post, sizeof post);
    f->c.matrix = NULL;
    run_err(f, AXON_ERR_INVALID_ARG, "Array: no connection matrix");
    fx_free(f);
}

Test(connectors, from_list)
{
    fixture *f = fx(AXON_CONN_FROM_LIST, 4, 3, 0, 1);
    static const double rows[] = {3, 0, 0.5, 1.0, 0, 2, -0.25, 2.5, 3, 0, 1.5, 1.0, 1, 1, 0, 0.1};
    f->c.list = rows;
    f->c.n_rows = 4;
    f->c.n_cols = 4;
    run_ok(f);
    cr_assert_eq(f->out.n, 4);
    cr_assert(f->out.has_w && f->out.has_d);
    for (size_t r = 0; r < 4; r++) { /* list order kept, duplicates kept */
        cr_assert_eq(f->out.pre[r], (uint32_t)rows[4 * r]);
        cr_assert_eq(f->out.post[r], (uint32_t)rows[4 * r + 1]);
        cr_assert_eq(f->out.w[r], rows[4 * r + 2]);
        cr_assert_eq(f->out.d[r], rows[4 * r + 3]);
    }
    /* two columns: no values; three: weights only */
    static const double two[] = {0, 1, 2, 2};
    f->c.list = two;
    f->c.n_rows = 2;
    f->c.n_cols = 2;
    run_ok(f);
    cr_assert(!f->out.has_w && !f->out.has_d && f->out.w == NULL && f->out.n == 2);
    f->c.n_cols = 3;
    static const double three[] = {0, 1, 0.5};
    f->c.list = three;
    f->c.n_rows = 1;
    run_ok(f);
    cr_assert(f->out.has_w && !f->out.has_d && f->out.w[0] == 0.5);
    /* errors name the row and value */
    static const double bad_j[] = {0, 1, 1, 7};
    f->c.list = bad_j;
    f->c.n_rows = 2;
    f->c.n_cols = 2;
    run_err(f, AXON_ERR_INVALID_ARG, "FromList: row 1: j = 7 is out of range [0, 3)");
    static const double bad_i[] = {-1, 0};
    f->c.list = bad_i;
    f->c.n_rows = 1;
    run_err(f, AXON_ERR_INVALID_ARG, "FromList: row 0: i = -1 is out of range [0, 4)");
    static const double frac[] = {0, 0, 1.5, 2};
    f->c.list = frac;
    f->c.n_rows = 2;
    run_err(f, AXON_ERR_INVALID_ARG, "FromList: row 1: i = 1.5 is not an integer");
    static const double nanw[] = {0, 0, NAN};
    f->c.list = nanw;
    f->c.n_rows = 1;
    f->c.n_cols = 3;
    run_err(f, AXON_ERR_INVALID_ARG, "FromList: row 0: weight = nan is not finite");
    f->c.n_cols = 5;
    run_err(f, AXON_ERR_INVALID_ARG, "FromList: n_cols = 5 must be 2");
    /* empty list */
    f->c.n_rows = 0;
    f->c.n_cols = 2;
    f->c.list = NULL;
    run_ok(f);
    cr_assert_eq(f->out.n, 0);
    fx_free(f);
}

static char *tmpfile_with(const char *text)
{
    char *path = strdup("/tmp/axon_fromfile_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

Test(connectors, from_file_round_trip)
{
    /* write connections the way PyNN's Projection.save does (header + "i j w d" rows) */
    fixture *f = fx(AXON_CONN_FIXED_PROBABILITY, 30, 20, 0, 3);
    f->c.p = 0.2;
    run_ok(f);
    hl_conns orig = f->out;
    memset(&f->out, 0, sizeof f->out);
    double *w = malloc(orig.n * sizeof *w), *d = malloc(orig.n * sizeof *d);
    char path[] = "/tmp/axon_fromfile_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    fprintf(fp, "# first_index = 0\n# columns = ['i', 'j', 'weight', 'delay']\n");
    for (size_t k = 0; k < orig.n; k++) {
        w[k] = 0.001 * (double)k - 0.3;
        d[k] = 0.1 + 0.1 * (double)(k % 7);
        fprintf(fp, "%.17g\t%.17g %.17g %.17g\n", (double)orig.pre[k], (double)orig.post[k], w[k],
                d[k]);
    }
    fclose(fp);
    f->c = hl_connector_default(AXON_CONN_FROM_FILE);
    f->c.path = path;
    run_ok(f);
    cr_assert_eq(f->out.n, orig.n);
    cr_assert(f->out.has_w && f->out.has_d);
    cr_assert_arr_eq(f->out.pre, orig.pre, orig.n * sizeof *orig.pre);
    cr_assert_arr_eq(f->out.post, orig.post, orig.n * sizeof *orig.post);
    cr_assert_arr_eq(f->out.w, w, orig.n * sizeof *w);
    cr_assert_arr_eq(f->out.d, d, orig.n * sizeof *d);
    unlink(path);
    hl_conns_free(&orig);
    free(w);
    free(d);
    fx_free(f);
}

Test(connectors, from_file_formats_and_errors)
{
    fixture *f = fx(AXON_CONN_FROM_FILE, 5, 5, 0, 1);
    /* columns in another order, double quotes, blank lines and comments */
    char *p = tmpfile_with("# a comment\n# columns = [\"j\", \"i\", \"delay\", \"weight\"]\n\n"
                           "1 4 1.5 0.25\n  \n0.0 2.0 2 -1e-1\r\n");
    f->c.path = p;
    run_ok(f);
    cr_assert_eq(f->out.n, 2);
    cr_assert(f->out.pre[0] == 4 && f->out.post[0] == 1 && f->out.w[0] == 0.25 &&
              f->out.d[0] == 1.5);
    cr_assert(f->out.pre[1] == 2 && f->out.post[1] == 0 && f->out.w[1] == -0.1 &&
              f->out.d[1] == 2);
    unlink(p);
    free(p);
    /* metadata only at the top: a later columns line is a comment; trailing comments */
    p = tmpfile_with("0 1 0.5 1\n# columns = ['i', 'j']\n2 3 0.25 2 # a comment\n");
    f->c.path = p;
    run_ok(f);
    cr_assert(f->out.n == 2 && f->out.has_d && f->out.d[1] == 2);
    unlink(p);
    free(p);
    /* no header: 2, 3 or 4 numbers per line, all lines alike */
    p = tmpfile_with("0 1\n2 3\n");
    f->c.path = p;
    run_ok(f);
    cr_assert(f->out.n == 2 && !f->out.has_w && !f->out.has_d);
    unlink(p);
    free(p);
    p = tmpfile_with("0 1 0.5\n2 3 0.25\n");
    f->c.path = p;
    run_ok(f);
    cr_assert(f->out.n == 2 && f->out.has_w && !f->out.has_d && f->out.w[1] == 0.25);
    unlink(p);
    free(p);
    /* syntax errors are parse errors; bad values (indices, NaN) invalid arguments */
    const int P = AXON_ERR_PARSE, V = AXON_ERR_INVALID_ARG;
    const struct { const char *text; int rc; const char *msg; } bad[] = {
        {"0 1 0.5 1\n0 1 x 1\n", P, "line 2: 'x' is not a number"},
        {"0 1 0.5 1\n0 1 0.5\n", P, "line 2: 3 numbers, expected 4 like the first data line"},
        {"# columns = ['i', 'j', 'weight', 'delay']\n0 1 2\n", P,
         "line 2: 3 numbers, expected 4 like the columns header"},
        {"0 1 0.5 1\n0 9 0.5 1\n", V, "line 2: j = 9 is out of range [0, 5)"},
        {"#\n0.5 1 0.5 1\n", V, "line 2: i = 0.5 is not an integer"},
        {"0 1 nan 1\n", V, "line 1: weight = nan is not finite"},
        {"0 1 2 3 4\n", P, "line 1: 5 numbers; expected i j [weight [delay]]"},
        {"0\n", P, "line 1: 1 numbers"},
        {"# columns = ['i', 'j', 'U']\n", P, "line 1: unsupported column 'U'"},
        {"# columns = ['i', 'weight']\n", P, "line 1: columns header must name 'i' and 'j'"},
        {"# columns = ['i', 'j']\n# columns = ['i', 'j']\n", P,
         "line 2: repeated columns header"},
        {"0 1 0.5 1,\n", P, "line 1: '1,' is not a number"},
    };
    for (size_t t = 0; t < sizeof bad / sizeof bad[0]; t++) {
        p = tmpfile_with(bad[t].text);
        f->c.path = p;
        int rc = run(f);
        cr_assert_eq(rc, bad[t].rc, "case %zu: %d (%s)", t, rc, f->err);
        cr_assert(strstr(f->err, bad[t].msg) != NULL, "case %zu: '%s' lacks '%s'", t, f->err,
                  bad[t].msg);
        cr_assert(strstr(f->err, p) != NULL, "the message names the file: %s", f->err);
        unlink(p);
        free(p);
    }
    f->c.path = "/nonexistent/axon/file.txt";
    run_err(f, AXON_ERR_IO, "FromFile: cannot open '/nonexistent/axon/file.txt'");
    fx_free(f);
}

/* ------------------------------------------------------------------ random */
Test(connectors, fixed_probability_statistics)
{
    const uint32_t n = 2000;
    fixture *f = fx(AXON_CONN_FIXED_PROBABILITY, n, n, 1, 7);
    const double ps[] = {0.001, 0.05, 0.5, 0.97};
    for (size_t t = 0; t < sizeof ps / sizeof ps[0]; t++) {
        double p = ps[t];
        f->c.p = p;
        f->c.allow_self_connections = t % 2;
        run_ok(f);
        double pairs = (double)n * n - (t % 2 ? 0 : n);
        double e = pairs * p, sd = sqrt(pairs * p * (1 - p));
        cr_assert(fabs((double)f->out.n - e) < 5 * sd, "p = %g: %zu connections, expected %.0f",
                  p, f->out.n, e);
        check_sorted(&f->out, 1);
        check_range(f);
        if (!(t % 2))
            check_no_self(f);
        /* no bias along rows or columns: connections in the first half of each axis */
        size_t lo_pre = 0, lo_post = 0;
        for (size_t k = 0; k < f->out.n; k++) {
            lo_pre += f->out.pre[k] < n / 2;
            lo_post += f->out.post[k] < n / 2;
        }
        double h = f->out.n / 2.0, hs = sqrt(f->out.n / 4.0) * 5 + 1;
        cr_assert(fabs((double)lo_pre - h) < hs && fabs((double)lo_post - h) < hs,
                  "p = %g: halves %zu %zu of %zu", p, lo_pre, lo_post, f->out.n);
    }
    f->c.p = 0;
    run_ok(f);
    cr_assert_eq(f->out.n, 0);
    f->c.p = 1;
    f->c.allow_self_connections = 0;
    run_ok(f);
    cr_assert_eq(f->out.n, (size_t)n * n - n);
    f->c.p = 1.5;
    run_err(f, AXON_ERR_INVALID_ARG, "FixedProbability: p = 1.5 must be in [0, 1]");
    f->c.p = NAN;
    run_err(f, AXON_ERR_INVALID_ARG, "FixedProbability: p = nan must be in [0, 1]");
    fx_free(f);
}

Test(connectors, fixed_probability_is_reproducible)
{
    fixture *a = fx(AXON_CONN_FIXED_PROBABILITY, 300, 200, 0, 99);
    fixture *b = fx(AXON_CONN_FIXED_PROBABILITY, 300, 200, 0, 99);
    a->c.p = b->c.p = 0.1;
    run_ok(a);
    run_ok(b);
    cr_assert_eq(a->out.n, b->out.n);
    cr_assert_arr_eq(a->out.pre, b->out.pre, a->out.n * sizeof(uint32_t));
    cr_assert_arr_eq(a->out.post, b->out.post, a->out.n * sizeof(uint32_t));
    fx_free(a);
    fx_free(b);
}

/* count per post (by_post) or per pre, and check no duplicate pair when unique */
static void per_neuron_counts(const fixture *f, int by_post, uint64_t want, int unique)
{
    uint32_t n = by_post ? f->in.n_post : f->in.n_pre;
    size_t *cnt = calloc(n, sizeof *cnt);
    for (size_t k = 0; k < f->out.n; k++)
        cnt[by_post ? f->out.post[k] : f->out.pre[k]]++;
    for (uint32_t i = 0; i < n; i++)
        cr_assert_eq(cnt[i], want, "%s neuron %u has %zu connections, expected %llu",
                     by_post ? "post" : "pre", i, cnt[i], (unsigned long long)want);
    check_sorted(&f->out, unique);
    check_range(f);
    free(cnt);
}

Test(connectors, fixed_number_pre)
{
    fixture *f = fx(AXON_CONN_FIXED_NUMBER_PRE, 50, 40, 1, 5);
    cr_assert_eq(f->c.with_replacement, 0, "PyNN default");
    f->c.n = 10;
    run_ok(f);
    cr_assert_eq(f->out.n, 400);
    per_neuron_counts(f, 1, 10, 1);
    /* each pre is used ~ uniformly: 400 draws over 50 pres */
    f->c.allow_self_connections = 0;
    f->c.n = 30; /* dense path: more than half the available */
    run_ok(f);
    per_neuron_counts(f, 1, 30, 1);
    check_no_self(f);
    f->in.n_pre = 40;
    f->c.n = 39; /* everything but self */
    run_ok(f);
    per_neuron_counts(f, 1, 39, 1);
    check_no_self(f);
    f->c.n = 40;
    run_err(f, AXON_ERR_INVALID_ARG,
            "FixedNumberPre: n = 40 exceeds the 39 presynaptic neurons available to "
            "postsynaptic neuron 0 (with_replacement = 0)");
    /* with replacement: n may exceed the population, duplicates allowed, self still excluded */
    f->c.with_replacement = 1;
    f->c.n = 100;
    run_ok(f);
    per_neuron_counts(f, 1, 100, 0);
    check_no_self(f);
    fx_free(f);
}

Test(connectors, fixed_number_pre_uniform_over_pre)
{
    /* 2000 posts x n = 5 of 20 pres: each pre chosen with probability 1/4 per post */
    fixture *f = fx(AXON_CONN_FIXED_NUMBER_PRE, 20, 2000, 0, 17);
    f->c.n = 5;
    run_ok(f);
    size_t cnt[20] = {0};
    for (size_t k = 0; k < f->out.n; k++)
        cnt[f->out.pre[k]]++;
    double e = 2000 * 0.25, sd = sqrt(2000 * 0.25 * 0.75);
    for (int i = 0; i < 20; i++)
        cr_assert(fabs((double)cnt[i] - e) < 5 * sd, "pre %d chosen %zu times", i, cnt[i]);
    fx_free(f);
}

Test(connectors, fixed_number_post)
{
    fixture *f = fx(AXON_CONN_FIXED_NUMBER_POST, 40, 60, 1, 6);
    f->c.n = 7;
    run_ok(f);
    cr_assert_eq(f->out.n, 280);
    per_neuron_counts(f, 0, 7, 1);
    f->c.n = 100; /* sparse path with large rows (radix sort) */
    f->in.n_post = 1000;
    free(f->post_pos);
    f->post_pos = calloc(3000, sizeof(double));
    f->in.post_pos = f->post_pos;
    run_ok(f);
    per_neuron_counts(f, 0, 100, 1);
    f->in.n_post = 60;
    f->c.allow_self_connections = 0;
    f->c.n = 59;
    run_ok(f);
    per_neuron_counts(f, 0, 59, 1);
    check_no_self(f);
    f->c.n = 60;
    run_err(f, AXON_ERR_INVALID_ARG,
            "FixedNumberPost: n = 60 exceeds the 59 postsynaptic neurons available to "
            "presynaptic neuron 0");
    f->c.with_replacement = 1;
    f->c.n = 150;
    run_ok(f);
    per_neuron_counts(f, 0, 150, 0);
    check_no_self(f);
    fx_free(f);
}

Test(connectors, fixed_total_number)
{
    fixture *f = fx(AXON_CONN_FIXED_TOTAL_NUMBER, 40, 40, 1, 8);
    cr_assert_eq(f->c.with_replacement, 1, "PyNN default");
    f->c.n = 5000; /* more than the 1600 pairs: duplicates */
    run_ok(f);
    cr_assert_eq(f->out.n, 5000);
    check_sorted(&f->out, 0);
    check_range(f);
    /* without replacement, sparse and dense (complement) regimes, self excluded */
    f->c.with_replacement = 0;
    f->c.allow_self_connections = 0;
    const uint64_t ns[] = {1, 300, 780, 781, 1000, 1559, 1560};
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        f->c.n = ns[t];
        run_ok(f);
        cr_assert_eq(f->out.n, ns[t]);
        check_sorted(&f->out, 1);
        check_no_self(f);
        check_range(f);
    }
    f->c.n = 1561;
    run_err(f, AXON_ERR_INVALID_ARG,
            "FixedTotalNumber: n = 1561 exceeds the 1560 allowed pairs (40 x 40, "
            "with_replacement = 0)");
    fx_free(f);
}

Test(connectors, fixed_total_number_is_uniform_over_pairs)
{
    /* 20 x 10 pairs, n = 50000 with replacement: every pair ~ 250 times */
    fixture *f = fx(AXON_CONN_FIXED_TOTAL_NUMBER, 20, 10, 0, 9);
    f->c.n = 50000;
    run_ok(f);
    size_t cnt[200] = {0};
    for (size_t k = 0; k < f->out.n; k++)
        cnt[f->out.pre[k] * 10 + f->out.post[k]]++;
    double e = 250, sd = sqrt(250 * (1 - 1.0 / 200));
    for (int k = 0; k < 200; k++)
        cr_assert(fabs((double)cnt[k] - e) < 5.5 * sd, "pair %d drawn %zu times", k, cnt[k]);
    /* without replacement, n = 100 of 200 pairs, many trials: each pair ~ half the time */
    f->c.with_replacement = 0;
    f->c.n = 100;
    memset(cnt, 0, sizeof cnt);
    for (int trial = 0; trial < 400; trial++) {
        run_ok(f);
        for (size_t k = 0; k < f->out.n; k++)
            cnt[f->out.pre[k] * 10 + f->out.post[k]]++;
    }
    for (int k = 0; k < 200; k++)
        cr_assert(fabs((double)cnt[k] - 200) < 5.5 * 10, "pair %d chosen %zu times", k, cnt[k]);
    fx_free(f);
}

Test(connectors, distance_dependent_probability)
{
    /* 300 x 300 on lines x = i: expected count = sum of clip(p(|i - j|)) */
    const uint32_t n = 300;
    fixture *f = fx(AXON_CONN_DISTANCE_PROBABILITY, n, n, 1, 10);
    f->c.expr = "exp(-d/10.0)";
    f->c.allow_self_connections = 0;
    run_ok(f);
    double e = 0, v = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            double p = exp(-fabs((double)i - j) / 10.0);
            e += p;
            v += p * (1 - p);
        }
    cr_assert(fabs((double)f->out.n - e) < 5 * sqrt(v), "%zu connections, expected %.1f",
              f->out.n, e);
    check_sorted(&f->out, 1);
    check_no_self(f);
    /* the rate as a function of distance follows the expression */
    size_t near = 0;
    for (size_t k = 0; k < f->out.n; k++)
        near += abs((int)f->out.pre[k] - (int)f->out.post[k]) == 1;
    double en = 2 * (n - 1) * exp(-0.1), sn = sqrt(2 * (n - 1) * exp(-0.1) * (1 - exp(-0.1)));
    cr_assert(fabs((double)near - en) < 5 * sn, "%zu at d = 1, expected %.1f", near, en);
    /* a step: deterministic; values above 1 connect always (clipped) */
    f->c.expr = "2 * (d < 3)";
    f->c.allow_self_connections = 1;
    run_ok(f);
    size_t want = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++)
            want += abs((int)i - (int)j) < 3;
    cr_assert_eq(f->out.n, want);
    /* negative probabilities never connect */
    f->c.expr = "0.5 - d"; /* only d = 0 pairs may connect, with p = 0.5 */
    run_ok(f);
    for (size_t k = 0; k < f->out.n; k++)
        cr_assert_eq(f->out.pre[k], f->out.post[k]);
    cr_assert(fabs((double)f->out.n - n * 0.5) < 5 * sqrt(n * 0.25), "%zu", f->out.n);
    f->c.expr = "-1";
    run_ok(f);
    cr_assert_eq(f->out.n, 0);
    /* a periodic space changes distances: with L = n, i and n - 1 - i are neighbours */
    axon_space sp = {"x", {n, 0, 0}};
    hl_space_init(&f->space, &sp, NULL);
    f->c.expr = "d < 1.5";
    run_ok(f);
    cr_assert_eq(f->out.n, 3 * n);
    /* errors */
    f->c.expr = "log(d - 100)";
    run_err(f, AXON_ERR_INVALID_ARG,
            "DistanceDependentProbability: 'log(d - 100)' = nan for pre 0, post 0 (d = 0)");
    f->c.expr = "exp(-d";
    run_err(f, AXON_ERR_PARSE,
            "DistanceDependentProbability: expression 'exp(-d' at column 7: expected ')'");
    f->in.pre_pos = NULL;
    f->c.expr = "d";
    run_err(f, AXON_ERR_INVALID_ARG, "DistanceDependentProbability: neuron positions are missing");
    fx_free(f);
}

Test(connectors, small_world)
{
    /* 200 neurons on a ring (periodic x, L = 200); degree 3.5: candidates |i - j| <= 3 */
    const uint32_t n = 200;
    fixture *f = fx(AXON_CONN_SMALL_WORLD, n, n, 1, 12);
    axon_space sp = {"x", {n, 0, 0}};
    hl_space_init(&f->space, &sp, NULL);
    f->c.degree = 3.5;
    f->c.p = 0; /* no rewiring: exactly the local pairs */
    f->c.allow_self_connections = 0;
    run_ok(f);
    cr_assert_eq(f->out.n, (size_t)n * 6);
    per_neuron_counts(f, 0, 6, 1);
    check_no_self(f);
    /* d < degree, strictly (PyNN's "d < %g" % degree): degree 3 keeps |i - j| <= 2 */
    f->c.degree = 3;
    run_ok(f);
    cr_assert_eq(f->out.n, (size_t)n * 4);
    /* rewiring 0.3: same number of connections per pre; the rewired fraction shows as targets
     * beyond the degree (a rewired target lands within the degree with prob. 4/199) */
    f->c.p = 0.3;
    size_t total = 0, far = 0;
    for (int trial = 0; trial < 20; trial++) {
        run_ok(f);
        per_neuron_counts(f, 0, 4, 0);
        check_no_self(f);
        for (size_t k = 0; k < f->out.n; k++) {
            double dd = fabs((double)f->out.pre[k] - f->out.post[k]);
            dd = fmin(dd, n - dd);
            far += !(dd < 3);
        }
        total += f->out.n;
    }
    double pf = 0.3 * (1 - 4.0 / 199);
    double e = total * pf, sd = sqrt(total * pf * (1 - pf));
    cr_assert(fabs((double)far - e) < 5 * sd, "%zu of %zu rewired away, expected %.0f", far,
              total, e);
    f->c.p = 1.5;
    run_err(f, AXON_ERR_INVALID_ARG, "SmallWorld: rewiring = 1.5 must be in [0, 1]");
    f->c.p = 0.1;
    f->c.degree = -1;
    run_err(f, AXON_ERR_INVALID_ARG, "SmallWorld: degree = -1 must be finite and >= 0");
    fx_free(f);
}

Test(connectors, random_connectors_need_a_generator)
{
    fixture *f = fx(AXON_CONN_FIXED_PROBABILITY, 10, 10, 0, 1);
    f->c.p = 0.5;
    f->in.rng = NULL;
    run_err(f, AXON_ERR_INVALID_ARG, "FixedProbability: no random generator");
    f->in.c = NULL;
    run_err(f, AXON_ERR_INVALID_ARG, "connector: NULL input");
    f->in.c = &f->c;
    f->c.kind = (axon_connector_kind)99;
    run_err(f, AXON_ERR_UNSUPPORTED, "connector: unknown kind 99");
    fx_free(f);
}

/* ------------------------------------------------------------------ values */
Test(connectors, values)
{
    fixture *f = fx(AXON_CONN_ALL_TO_ALL, 3, 4, 0, 13);
    for (uint32_t j = 0; j < 4; j++)
        f->post_pos[3 * j + 1] = 2; /* post at (j, 2, 0) */
    run_ok(f);
    double out[12];
    char *err = f->err;
    axon_value v = axon_const(0.5);
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_OK);
    cr_assert(out[0] == 0.5 && out[11] == 0.5);
    v.c = INFINITY;
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "weight = inf is not finite");
    /* EXPR of the distance */
    v = (axon_value){AXON_VALUE_EXPR, 0, NULL, 0, {NULL, {0}, 0}, "0.5 + 0.01*d"};
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "delay", err), AXON_OK, "%s", err);
    for (size_t k = 0; k < 12; k++) {
        double dx = (double)f->out.pre[k] - f->out.post[k];
        cr_assert_float_eq(out[k], 0.5 + 0.01 * sqrt(dx * dx + 4), 1e-12);
    }
    v.expr = "1 / (d - 2)"; /* pre 0 - post 0 at d = 2 */
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "delay", err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "delay of connection 0 (pre 0, post 0, d = 2) = inf is not finite");
    v.expr = "d +";
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "delay", err), AXON_ERR_PARSE);
    cr_assert(strstr(err, "delay: expression 'd +' at column 4") != NULL, "%s", err);
    /* ARRAY: a pre x post matrix, or one per connection */
    double m[12];
    for (int k = 0; k < 12; k++)
        m[k] = k;
    v = (axon_value){AXON_VALUE_ARRAY, 0, m, 12, {NULL, {0}, 0}, NULL};
    f->c.allow_self_connections = 0;
    f->in.same_pop = 1;
    f->in.n_post = 3; /* 3 x 3 minus self: 6 connections */
    run_ok(f);
    cr_assert_eq(f->out.n, 6);
    v.n = 9; /* matrix 3 x 3 */
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_OK, "%s", err);
    for (size_t k = 0; k < 6; k++)
        cr_assert_eq(out[k], f->out.pre[k] * 3 + f->out.post[k]);
    v.n = 6; /* per connection */
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_OK);
    for (size_t k = 0; k < 6; k++)
        cr_assert_eq(out[k], (double)k);
    v.n = 7;
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "weight: an array of 7 values fits neither the 3 x 3 matrix nor the 6 "
                          "connections");
    m[1] = NAN; /* pair (0, 1) is connection 0 */
    v.n = 9;
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "weight of connection 0 (pre 0, post 1) = nan is not finite");
    m[0] = NAN; /* pair (0, 0) is not connected: ignored */
    m[1] = 1;
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_OK);
    /* RANDOM: one draw per connection in order, same as drawing directly */
    v = (axon_value){AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform", {1, 2}, 2}, NULL};
    gsl_rng_set(f->rng, 77);
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_OK);
    gsl_rng *r = hl_rng_new(77);
    for (size_t k = 0; k < 6; k++)
        cr_assert_eq(out[k], hl_dist_draw(&v.dist, r));
    gsl_rng_free(r);
    v.dist.p[1] = 0;
    cr_assert_eq(hl_conn_values(&v, &f->in, &f->out, out, "weight", err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "weight: uniform: low = 1 must be less than high = 0");
    fx_free(f);
}

/* ------------------------------------------------------------------ scale */
Test(connectors, fixed_probability_large, .timeout = 120)
{
    /* 5000 x 5000 at p = 0.02: 500k synapses, count within 5 sigma, sorted and unique */
    fixture *f = fx(AXON_CONN_FIXED_PROBABILITY, 5000, 5000, 0, 21);
    f->c.p = 0.02;
    run_ok(f);
    double e = 25e6 * 0.02, sd = sqrt(25e6 * 0.02 * 0.98);
    cr_assert(fabs((double)f->out.n - e) < 5 * sd, "%zu", f->out.n);
    check_sorted(&f->out, 1);
    fx_free(f);
}
