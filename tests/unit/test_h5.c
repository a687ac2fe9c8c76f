/* The streaming HDF5 results writer (hostlib/hl_h5.h, docs/hostlib_hdf5.md): files written
 * through the API in several chunks are read back with the HDF5 C API and compared exactly
 * (spike times per unit, index offsets, signal shapes and values, attributes), including
 * truncated files, the out-of-memory sort path and argument errors. */
#include "hl_h5.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ scratch directory */
static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/axon_h5_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static const char *file_in_dir(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

TestSuite(h5, .init = make_dir, .fini = remove_dir);

/* ------------------------------------------------------------------ reading helpers */
static hid_t open_ro(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert_geq(f, 0, "cannot open %s", path);
    return f;
}

static void *read_ds(hid_t f, const char *path, hid_t mtype, size_t esize, int *rank,
                     hsize_t dims[2])
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    cr_assert_geq(d, 0, "no dataset %s", path);
    hid_t s = H5Dget_space(d);
    int r = H5Sget_simple_extent_ndims(s);
    hsize_t dd[2] = {1, 1};
    cr_assert_leq(r, 2);
    H5Sget_simple_extent_dims(s, dd, NULL);
    size_t n = 1;
    for (int i = 0; i < r; i++)
        n *= dd[i];
    void *buf = malloc(esize * (n ? n : 1));
    if (n)
        cr_assert_geq(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), 0, "read %s",
                      path);
    if (rank)
        *rank = r;
    if (dims)
        memcpy(dims, dd, sizeof dd);
    H5Sclose(s);
    H5Dclose(d);
    return buf;
}

static double *read_f64(hid_t f, const char *path, size_t *n)
{
    int r;
    hsize_t d[2];
    double *v = read_ds(f, path, H5T_NATIVE_DOUBLE, sizeof(double), &r, d);
    cr_assert_eq(r, 1, "%s rank %d", path, r);
    *n = d[0];
    return v;
}

static uint64_t *read_u64(hid_t f, const char *path, size_t *n)
{
    int r;
    hsize_t d[2];
    uint64_t *v = read_ds(f, path, H5T_NATIVE_UINT64, sizeof(uint64_t), &r, d);
    cr_assert_eq(r, 1, "%s rank %d", path, r);
    *n = d[0];
    return v;
}

static hid_t open_obj(hid_t f, const char *obj)
{
    hid_t o = H5Oopen(f, obj, H5P_DEFAULT);
    cr_assert_geq(o, 0, "no object %s", obj);
    return o;
}

static char *attr_string(hid_t f, const char *obj, const char *name)
{
    hid_t o = open_obj(f, obj);
    hid_t a = H5Aopen(o, name, H5P_DEFAULT);
    cr_assert_geq(a, 0, "no attribute %s of %s", name, obj);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *s = NULL;
    cr_assert_geq(H5Aread(a, t, &s), 0, "read attribute %s of %s", name, obj);
    char *copy = strdup(s);
    H5free_memory(s);
    H5Tclose(t);
    H5Aclose(a);
    H5Oclose(o);
    return copy;
}

static void expect_attr_str(hid_t f, const char *obj, const char *name, const char *want)
{
    char *s = attr_string(f, obj, name);
    cr_expect_str_eq(s, want, "%s@%s = '%s', expected '%s'", obj, name, s, want);
    free(s);
}

static double attr_num(hid_t f, const char *obj, const char *name)
{
    hid_t o = open_obj(f, obj);
    hid_t a = H5Aopen(o, name, H5P_DEFAULT);
    cr_assert_geq(a, 0, "no attribute %s of %s", name, obj);
    double v = NAN;
    cr_assert_geq(H5Aread(a, H5T_NATIVE_DOUBLE, &v), 0);
    H5Aclose(a);
    H5Oclose(o);
    return v;
}

static uint64_t attr_u64v(hid_t f, const char *obj, const char *name)
{
    hid_t o = open_obj(f, obj);
    hid_t a = H5Aopen(o, name, H5P_DEFAULT);
    cr_assert_geq(a, 0, "no attribute %s of %s", name, obj);
    uint64_t v = 0;
    cr_assert_geq(H5Aread(a, H5T_NATIVE_UINT64, &v), 0);
    H5Aclose(a);
    H5Oclose(o);
    return v;
}

static int exists(hid_t f, const char *path)
{
    return H5Lexists(f, path, H5P_DEFAULT) > 0;
}

/* ------------------------------------------------------------------ the reference network */
/* exc: 10 neurons, spikes of {0,2,3,7,9}, v of {1,2,5} every 0.1 ms (mV), gsyn_exc of all
 * every 1 ms (uS). inh: 4 neurons, spikes of all (indices implicit), gsyn_inh of {3} every
 * 0.5 ms (nA). input: 6 neurons, nothing recorded. */
static const uint32_t exc_spk[] = {0, 2, 3, 7, 9};
static const uint32_t exc_v[] = {1, 2, 5};
static const uint32_t all10[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
static const uint32_t inh_g[] = {3};
static double pos_exc[30], pos_inh[12], pos_in[18];

static hl_h5_pop pops3[3];
static hl_h5_meta meta3;

static void setup_meta(void)
{
    for (int i = 0; i < 30; i++)
        pos_exc[i] = i * 0.5;
    for (int i = 0; i < 12; i++)
        pos_inh[i] = 100 + i;
    for (int i = 0; i < 18; i++)
        pos_in[i] = -i;
    memset(pops3, 0, sizeof pops3);
    pops3[0] = (hl_h5_pop){.label = "exc", .celltype = "IF_curr_exp", .size = 10,
                           .positions = pos_exc};
    pops3[0].recorded[0] = 1;
    pops3[0].n_rec[0] = 5;
    pops3[0].rec_idx[0] = exc_spk;
    pops3[0].recorded[1] = 1;
    pops3[0].n_rec[1] = 3;
    pops3[0].rec_idx[1] = exc_v;
    pops3[0].interval_ms[1] = 0.1;
    pops3[0].units[1] = "mV";
    pops3[0].recorded[2] = 1;
    pops3[0].n_rec[2] = 10;
    pops3[0].rec_idx[2] = all10;
    pops3[0].interval_ms[2] = 1.0;
    pops3[0].units[2] = "uS";
    pops3[1] = (hl_h5_pop){.label = "inh", .celltype = "IF_cond_exp", .size = 4,
                           .positions = pos_inh};
    pops3[1].recorded[0] = 1;
    pops3[1].n_rec[0] = 4; /* rec_idx NULL: all */
    pops3[1].recorded[3] = 1;
    pops3[1].n_rec[3] = 1;
    pops3[1].rec_idx[3] = inh_g;
    pops3[1].interval_ms[3] = 0.5;
    pops3[1].units[3] = "nA";
    pops3[2] = (hl_h5_pop){.label = "input", .celltype = "SpikeSourcePoisson", .size = 6,
                           .positions = pos_in};
    meta3 = (hl_h5_meta){.dt_ms = 0.1, .seed = 12345678901234ull, .backend = "ref",
                         .axon_version = "0.1.0", .spec_version = 7,
                         .network_summary = "{\"populations\": 3}", .n_pops = 3,
                         .pops = pops3};
}

/* spikes in three chunks, time order across chunks, any order within a chunk */
typedef struct spk {
    uint32_t pop, neuron;
    double t;
} spk;
static const spk chunk_a[] = {{0, 3, 1.5}, {1, 0, 0.2}, {0, 0, 0.9}, {0, 3, 0.4},
                              {1, 2, 1.1}, {0, 9, 2.0}};
static const spk chunk_b[] = {{0, 0, 3.3}, {1, 2, 2.5}, {0, 0, 2.1}, {1, 3, 4.9}};
static const spk chunk_c[] = {{0, 7, 5.0}, {0, 3, 5.0}, {0, 3, 5.05}, {1, 2, 5.2}};

static void send_chunk(hl_h5 *h, const spk *s, size_t n)
{
    char err[AXON_ERRMSG_LEN];
    for (uint32_t p = 0; p < 2; p++) {
        uint32_t nr[16];
        double t[16];
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (s[k].pop == p) {
                nr[m] = s[k].neuron;
                t[m++] = s[k].t;
            }
        cr_assert_eq(hl_h5_spikes(h, p, nr, t, m, err), AXON_OK, "%s", err);
    }
}

/* expected spike times (ms) of unit u (rows: exc 0,2,3,7,9 then inh 0..3) in order */
static const double exp_ms[9][4] = {
    {0.9, 2.1, 3.3}, {0}, {0.4, 1.5, 5.0, 5.05}, {5.0}, {2.0},
    {0.2}, {0}, {1.1, 2.5, 5.2}, {4.9}};
static const int exp_n[9] = {3, 0, 4, 1, 1, 1, 0, 3, 1};
static const int64_t exp_id[9] = {0, 2, 3, 7, 9, 10, 11, 12, 13};

static double vval(int row, int col)
{
    return -65.0 + row * 0.25 + col * 0.001;
}

/* v: 7 rows in chunks of 3, 0, 4; gsyn_exc: 2 rows in chunks of 1, 1; gsyn_inh: 5 rows */
static void send_signals(hl_h5 *h, int rows_v)
{
    char err[AXON_ERRMSG_LEN];
    double buf[64];
    int done = 0;
    static const int parts[] = {3, 0, 4};
    for (int c = 0; c < 3 && done < rows_v; c++) {
        int n = parts[c] < rows_v - done ? parts[c] : rows_v - done;
        for (int r = 0; r < n; r++)
            for (int k = 0; k < 3; k++)
                buf[r * 3 + k] = vval(done + r, k);
        cr_assert_eq(hl_h5_signal(h, 0, 1, buf, (uint32_t)n, err), AXON_OK, "%s", err);
        done += n;
    }
    for (int r = 0; r < 2; r++) {
        for (int k = 0; k < 10; k++)
            buf[k] = 0.001 * (r * 10 + k);
        cr_assert_eq(hl_h5_signal(h, 0, 2, buf, 1, err), AXON_OK, "%s", err);
    }
    for (int r = 0; r < 5; r++)
        buf[r] = -0.5 + r;
    cr_assert_eq(hl_h5_signal(h, 1, 3, buf, 5, err), AXON_OK, "%s", err);
}

static const char *const cnames[] = {"spikes_sent", "packets_routed", "dropped"};
static const uint64_t cvalues[] = {19, 123456789012ull, 0};

static void write_reference(const char *path, int truncated)
{
    setup_meta();
    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    cr_assert_eq(hl_h5_begin(&h, path, &meta3, err), AXON_OK, "%s", err);
    send_chunk(h, chunk_a, sizeof chunk_a / sizeof chunk_a[0]);
    send_chunk(h, chunk_b, sizeof chunk_b / sizeof chunk_b[0]);
    send_chunk(h, chunk_c, sizeof chunk_c / sizeof chunk_c[0]);
    send_signals(h, 7);
    axon_run_stats st = {.sim_time_ms = 6.0, .wall_map_s = 0.25, .spikes = 14,
                         .synaptic_events = 99, .mpt_misses = 3};
    axon_mapping_report mr = {.chips_x = 2, .chips_y = 1, .cores_used = 3,
                              .cores_per_chip = 16, .neurons = 20, .synapses = 1000,
                              .max_table_after = 5, .total_words = 4096, .map_seconds = 0.5};
    cr_assert_eq(hl_h5_finish(h, &st, &mr, cnames, cvalues, 3, truncated, err), AXON_OK, "%s",
                 err);
}

static void check_units(hid_t f)
{
    size_t n_id, n_st, n_ix;
    int r;
    hsize_t d[2];
    int64_t *id = read_ds(f, "/units/id", H5T_NATIVE_INT64, 8, &r, d);
    n_id = d[0];
    double *st = read_f64(f, "/units/spike_times", &n_st);
    uint64_t *ix = read_u64(f, "/units/spike_times_index", &n_ix);
    uint32_t *nrn = read_ds(f, "/units/neuron", H5T_NATIVE_UINT32, 4, &r, d);
    cr_assert_eq(n_id, 9);
    cr_assert_eq(n_ix, 9);
    cr_assert_eq(n_st, 14);
    uint64_t off = 0;
    for (int u = 0; u < 9; u++) {
        cr_expect_eq(id[u], exp_id[u], "id[%d] = %lld", u, (long long)id[u]);
        cr_expect_eq(nrn[u], u < 5 ? exc_spk[u] : (uint32_t)(u - 5));
        cr_assert_eq(ix[u], off + exp_n[u], "index[%d] = %llu", u, (unsigned long long)ix[u]);
        for (int k = 0; k < exp_n[u]; k++)
            cr_expect_eq(st[off + k], exp_ms[u][k] / 1000.0, "unit %d spike %d: %.17g", u, k,
                         st[off + k]);
        off += exp_n[u];
    }
    /* population labels (variable-length strings) */
    hid_t ds = H5Dopen2(f, "/units/population", H5P_DEFAULT);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    char *lab[9];
    cr_assert_geq(H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, lab), 0);
    for (int u = 0; u < 9; u++)
        cr_expect_str_eq(lab[u], u < 5 ? "exc" : "inh");
    hid_t sp = H5Dget_space(ds);
    H5Dvlen_reclaim(t, sp, H5P_DEFAULT, lab);
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(ds);
    /* NWB typing */
    expect_attr_str(f, "/units", "neurodata_type", "Units");
    expect_attr_str(f, "/units", "namespace", "core");
    expect_attr_str(f, "/units/spike_times", "neurodata_type", "VectorData");
    expect_attr_str(f, "/units/spike_times_index", "neurodata_type", "VectorIndex");
    expect_attr_str(f, "/units/id", "neurodata_type", "ElementIdentifiers");
    expect_attr_str(f, "/units/population", "neurodata_type", "VectorData");
    expect_attr_str(f, "/units/neuron", "neurodata_type", "VectorData");
    cr_expect_eq(attr_num(f, "/units/spike_times", "resolution"), 0.1 / 1000.0);
    /* colnames */
    hid_t g = H5Gopen2(f, "/units", H5P_DEFAULT);
    hid_t a = H5Aopen(g, "colnames", H5P_DEFAULT);
    hid_t as = H5Aget_space(a);
    cr_assert_eq(H5Sget_simple_extent_npoints(as), 4);
    char *cn[4];
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    cr_assert_geq(H5Aread(a, t, cn), 0);
    cr_expect_str_eq(cn[0], "spike_times");
    cr_expect_str_eq(cn[1], "obs_intervals");
    cr_expect_str_eq(cn[2], "population");
    cr_expect_str_eq(cn[3], "neuron");
    H5Dvlen_reclaim(t, as, H5P_DEFAULT, cn);
    H5Tclose(t);
    H5Sclose(as);
    H5Aclose(a);
    /* the index's target is a reference to spike_times */
    a = H5Aopen_by_name(g, "spike_times_index", "target", H5P_DEFAULT, H5P_DEFAULT);
    cr_assert_geq(a, 0);
    hobj_ref_t ref;
    cr_assert_geq(H5Aread(a, H5T_STD_REF_OBJ, &ref), 0);
    hid_t tgt = H5Rdereference2(g, H5P_DEFAULT, H5R_OBJECT, &ref);
    cr_assert_geq(tgt, 0);
    char name[64];
    H5Iget_name(tgt, name, sizeof name);
    cr_expect_str_eq(name, "/units/spike_times");
    H5Oclose(tgt);
    H5Aclose(a);
    H5Gclose(g);
    /* observation intervals: [0, 6 ms] for each unit */
    double *obs = read_ds(f, "/units/obs_intervals", H5T_NATIVE_DOUBLE, 8, &r, d);
    cr_assert_eq(r, 2);
    cr_assert_eq(d[0], 9);
    cr_assert_eq(d[1], 2);
    for (int u = 0; u < 9; u++) {
        cr_expect_eq(obs[2 * u], 0.0);
        cr_expect_eq(obs[2 * u + 1], 0.006);
    }
    size_t n_oi;
    uint64_t *oi = read_u64(f, "/units/obs_intervals_index", &n_oi);
    cr_assert_eq(n_oi, 9);
    for (int u = 0; u < 9; u++)
        cr_expect_eq(oi[u], (uint64_t)u + 1);
    free(oi);
    free(obs);
    free(id);
    free(st);
    free(ix);
    free(nrn);
}

static void check_signals(hid_t f, int rows_v)
{
    int r;
    hsize_t d[2];
    double *v = read_ds(f, "/acquisition/exc_v/data", H5T_NATIVE_DOUBLE, 8, &r, d);
    cr_assert_eq(r, 2);
    cr_assert_eq(d[0], (hsize_t)rows_v);
    cr_assert_eq(d[1], 3);
    for (int i = 0; i < rows_v; i++)
        for (int k = 0; k < 3; k++)
            cr_expect_eq(v[i * 3 + k], vval(i, k), "v[%d][%d] = %g", i, k, v[i * 3 + k]);
    free(v);
    expect_attr_str(f, "/acquisition/exc_v", "neurodata_type", "TimeSeries");
    expect_attr_str(f, "/acquisition/exc_v", "namespace", "core");
    expect_attr_str(f, "/acquisition/exc_v/data", "unit", "volts");
    cr_expect_eq(attr_num(f, "/acquisition/exc_v/data", "conversion"), 1e-3);
    cr_expect_eq(attr_num(f, "/acquisition/exc_v/starting_time", "rate"), 10000.0);
    expect_attr_str(f, "/acquisition/exc_v/starting_time", "unit", "seconds");
    double *t0 = read_ds(f, "/acquisition/exc_v/starting_time", H5T_NATIVE_DOUBLE, 8, &r, d);
    cr_expect_eq(r, 0);
    cr_expect_eq(t0[0], 0.0);
    free(t0);

    double *g = read_ds(f, "/acquisition/exc_gsyn_exc/data", H5T_NATIVE_DOUBLE, 8, &r, d);
    cr_assert_eq(d[0], 2);
    cr_assert_eq(d[1], 10);
    for (int i = 0; i < 20; i++)
        cr_expect_eq(g[i], 0.001 * i);
    free(g);
    expect_attr_str(f, "/acquisition/exc_gsyn_exc/data", "unit", "siemens");
    cr_expect_eq(attr_num(f, "/acquisition/exc_gsyn_exc/data", "conversion"), 1e-6);
    cr_expect_eq(attr_num(f, "/acquisition/exc_gsyn_exc/starting_time", "rate"), 1000.0);

    g = read_ds(f, "/acquisition/inh_gsyn_inh/data", H5T_NATIVE_DOUBLE, 8, &r, d);
    cr_assert_eq(d[0], 5);
    cr_assert_eq(d[1], 1);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(g[i], -0.5 + i);
    free(g);
    expect_attr_str(f, "/acquisition/inh_gsyn_inh/data", "unit", "amperes");
    cr_expect_eq(attr_num(f, "/acquisition/inh_gsyn_inh/data", "conversion"), 1e-9);
    cr_expect_eq(attr_num(f, "/acquisition/inh_gsyn_inh/starting_time", "rate"), 2000.0);
    expect_attr_str(f, "/acquisition/inh_gsyn_inh/data", "axon_unit", "nA");

    /* nothing else was recorded */
    cr_expect_not(exists(f, "/acquisition/exc_gsyn_inh"));
    cr_expect_not(exists(f, "/acquisition/inh_v"));
    cr_expect_not(exists(f, "/acquisition/input_v"));

    /* streaming layout: chunked, extendible in time, shuffle + deflate */
    hid_t ds = H5Dopen2(f, "/acquisition/exc_v/data", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(ds);
    cr_expect_eq(H5Pget_layout(dcpl), H5D_CHUNKED);
    cr_expect_eq(H5Pget_nfilters(dcpl), 2);
    hid_t sp = H5Dget_space(ds);
    hsize_t maxd[2];
    H5Sget_simple_extent_dims(sp, d, maxd);
    cr_expect_eq(maxd[0], H5S_UNLIMITED);
    cr_expect_eq(maxd[1], 3);
    H5Sclose(sp);
    H5Pclose(dcpl);
    H5Dclose(ds);
}

static void check_general(hid_t f, int truncated)
{
    expect_attr_str(f, "/", "nwb_version", "2.5.0");
    expect_attr_str(f, "/", "neurodata_type", "NWBFile");
    cr_expect_eq(attr_num(f, "/", "truncated"), truncated);
    cr_expect_eq(attr_num(f, "/general/axon", "truncated"), truncated);
    char *id = attr_string(f, "/", "identifier");
    cr_expect_eq(strlen(id), 36);
    free(id);
    char *when = attr_string(f, "/", "session_start_time");
    cr_expect_eq(strlen(when), 25, "'%s'", when);
    free(when);
    for (const char *const *g = (const char *const[]){"/acquisition", "/analysis",
                                                      "/processing", "/stimulus/presentation",
                                                      "/stimulus/templates", "/general",
                                                      "/identifier", "/session_description",
                                                      "/session_start_time",
                                                      "/timestamps_reference_time",
                                                      "/file_create_date", NULL};
         *g; g++)
        cr_expect(exists(f, *g), "missing %s", *g);
    expect_attr_str(f, "/general/axon", "axon_version", "0.1.0");
    expect_attr_str(f, "/general/axon", "backend", "ref");
    cr_expect_eq(attr_u64v(f, "/general/axon", "seed"), 12345678901234ull);
    cr_expect_eq(attr_num(f, "/general/axon", "spec_version"), 7);
    cr_expect_eq(attr_num(f, "/general/axon", "timestep_ms"), 0.1);
    /* populations */
    const char *P = "/general/axon/populations/exc";
    cr_expect_eq(attr_num(f, P, "size"), 10);
    expect_attr_str(f, P, "celltype", "IF_curr_exp");
    cr_expect_eq(attr_num(f, P, "first_id"), 0);
    cr_expect_eq(attr_num(f, "/general/axon/populations/inh", "first_id"), 10);
    cr_expect_eq(attr_num(f, "/general/axon/populations/input", "first_id"), 14);
    cr_expect_eq(attr_num(f, "/general/axon/populations/input", "recorded_spikes"), 0);
    cr_expect_eq(attr_num(f, P, "v_interval_ms"), 0.1);
    expect_attr_str(f, P, "v_unit", "mV");
    int r;
    hsize_t d[2];
    double *pos = read_ds(f, "/general/axon/populations/exc/positions", H5T_NATIVE_DOUBLE, 8,
                          &r, d);
    cr_assert_eq(r, 2);
    cr_assert_eq(d[0], 3);
    cr_assert_eq(d[1], 10);
    for (int i = 0; i < 10; i++)
        for (int a = 0; a < 3; a++)
            cr_expect_eq(pos[a * 10 + i], pos_exc[3 * i + a]);
    free(pos);
    uint32_t *ix = read_ds(f, "/general/axon/populations/exc/v_indices", H5T_NATIVE_UINT32, 4,
                           &r, d);
    cr_assert_eq(d[0], 3);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(ix[i], exc_v[i]);
    free(ix);
    ix = read_ds(f, "/general/axon/populations/inh/spikes_indices", H5T_NATIVE_UINT32, 4, &r,
                 d);
    cr_assert_eq(d[0], 4);
    for (uint32_t i = 0; i < 4; i++)
        cr_expect_eq(ix[i], i);
    free(ix);
    cr_expect_not(exists(f, "/general/axon/populations/input/v_indices"));
    /* counters, mapping, run */
    cr_expect_eq(attr_u64v(f, "/general/axon/counters", "spikes_sent"), 19);
    cr_expect_eq(attr_u64v(f, "/general/axon/counters", "packets_routed"), 123456789012ull);
    cr_expect_eq(attr_u64v(f, "/general/axon/counters", "dropped"), 0);
    cr_expect_eq(attr_num(f, "/general/axon/mapping", "chips_x"), 2);
    cr_expect_eq(attr_num(f, "/general/axon/mapping", "synapses"), 1000);
    cr_expect_eq(attr_num(f, "/general/axon/mapping", "map_seconds"), 0.5);
    cr_expect_eq(attr_num(f, "/general/axon/run", "sim_time_ms"), 6.0);
    cr_expect_eq(attr_u64v(f, "/general/axon/run", "mpt_misses"), 3);
    /* the raw stream keeps every spike in arrival order */
    size_t n;
    double *t = read_f64(f, "/general/axon/spike_stream/t_ms", &n);
    cr_expect_eq(n, 14);
    cr_expect_eq(t[0], 1.5);
    free(t);
}

Test(h5, complete_file)
{
    const char *path = file_in_dir("run.h5");
    write_reference(path, 0);
    hid_t f = open_ro(path);
    check_general(f, 0);
    check_units(f);
    check_signals(f, 7);
    H5Fclose(f);
}

/* A failed run: everything appended before finish is in the file, flagged truncated. */
Test(h5, truncated_file)
{
    setup_meta();
    const char *path = file_in_dir("trunc.h5");
    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    cr_assert_eq(hl_h5_begin(&h, path, &meta3, err), AXON_OK, "%s", err);
    send_chunk(h, chunk_a, sizeof chunk_a / sizeof chunk_a[0]);
    send_signals(h, 3);
    axon_run_stats st = {.sim_time_ms = 2.0};
    cr_assert_eq(hl_h5_finish(h, &st, NULL, NULL, NULL, 0, 1, err), AXON_OK, "%s", err);
    hid_t f = open_ro(path);
    cr_expect_eq(attr_num(f, "/", "truncated"), 1);
    cr_expect_eq(attr_num(f, "/general/axon", "truncated"), 1);
    size_t n_st, n_ix;
    double *t = read_f64(f, "/units/spike_times", &n_st);
    uint64_t *ix = read_u64(f, "/units/spike_times_index", &n_ix);
    cr_assert_eq(n_st, 6);
    cr_assert_eq(n_ix, 9);
    /* exc 0: 0.9; exc 3: 0.4 1.5; exc 9: 2.0; inh 0: 0.2; inh 2: 1.1 */
    static const uint64_t ends[9] = {1, 1, 3, 3, 4, 5, 5, 6, 6};
    static const double times[6] = {0.9, 0.4, 1.5, 2.0, 0.2, 1.1};
    for (int u = 0; u < 9; u++)
        cr_expect_eq(ix[u], ends[u]);
    for (int k = 0; k < 6; k++)
        cr_expect_eq(t[k], times[k] / 1000.0);
    free(t);
    free(ix);
    int r;
    hsize_t d[2];
    double *v = read_ds(f, "/acquisition/exc_v/data", H5T_NATIVE_DOUBLE, 8, &r, d);
    cr_expect_eq(d[0], 3);
    free(v);
    cr_expect(exists(f, "/general/axon/counters"));
    cr_expect_not(exists(f, "/general/axon/mapping"));
    cr_expect(exists(f, "/general/axon/run"));
    H5Fclose(f);
}

/* Before finish the file says truncated = 1 (a crashed run leaves that mark). */
Test(h5, truncated_until_finished)
{
    setup_meta();
    const char *path = file_in_dir("open.h5");
    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    cr_assert_eq(hl_h5_begin(&h, path, &meta3, err), AXON_OK, "%s", err);
    hid_t f = open_ro(path);
    cr_expect_eq(attr_num(f, "/", "truncated"), 1);
    H5Fclose(f);
    cr_assert_eq(hl_h5_finish(h, NULL, NULL, NULL, NULL, 0, 0, err), AXON_OK, "%s", err);
    f = open_ro(path);
    cr_expect_eq(attr_num(f, "/", "truncated"), 0);
    cr_expect_not(exists(f, "/units/obs_intervals")); /* no stats: no observation time */
    cr_expect_not(exists(f, "/general/axon/run"));
    size_t n;
    uint64_t *ix = read_u64(f, "/units/spike_times_index", &n);
    cr_expect_eq(n, 9);
    for (size_t u = 0; u < n; u++)
        cr_expect_eq(ix[u], 0);
    free(ix);
    double *t = read_f64(f, "/units/spike_times", &n);
    cr_expect_eq(n, 0);
    free(t);
    H5Fclose(f);
}

/* No population records spikes or signals: empty /units, no TimeSeries. */
Test(h5, nothing_recorded)
{
    hl_h5_pop p[2] = {{.label = "a/b", .celltype = "IF_curr_exp", .size = 3},
                      {.label = "a_b", .celltype = "IF_curr_exp", .size = 2}};
    hl_h5_meta m = {.dt_ms = 1.0, .backend = "emu", .axon_version = "0.1.0", .n_pops = 2,
                    .pops = p};
    const char *path = file_in_dir("empty.h5");
    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    cr_assert_eq(hl_h5_begin(&h, path, &m, err), AXON_OK, "%s", err);
    cr_assert_eq(hl_h5_finish(h, NULL, NULL, NULL, NULL, 0, 0, err), AXON_OK, "%s", err);
    hid_t f = open_ro(path);
    size_t n;
    int64_t *id = read_ds(f, "/units/id", H5T_NATIVE_INT64, 8, NULL, NULL);
    free(id);
    uint64_t *ix = read_u64(f, "/units/spike_times_index", &n);
    cr_expect_eq(n, 0);
    free(ix);
    /* labels that are not HDF5 names are made unique, the original kept as an attribute */
    cr_expect(exists(f, "/general/axon/populations/a_b"));
    cr_expect(exists(f, "/general/axon/populations/a_b_1"));
    expect_attr_str(f, "/general/axon/populations/a_b", "label", "a/b");
    expect_attr_str(f, "/general/axon/populations/a_b_1", "label", "a_b");
    cr_expect_not(exists(f, "/general/axon/populations/a_b/positions"));
    H5Fclose(f);
}

/* Many spikes through the bucket sort (budget far below the stream), against a reference
 * built in memory. */
static void bucket_run(const char *budget)
{
    setenv("AXON_H5_SORT_BUDGET", budget, 1);
    enum { N = 300, NS = 60000, CH = 7 };
    static uint32_t idx[N / 2];
    for (uint32_t k = 0; k < N / 2; k++)
        idx[k] = 2 * k + 1; /* odd neurons record spikes */
    hl_h5_pop p = {.label = "big", .celltype = "IF_curr_exp", .size = N};
    p.recorded[0] = 1;
    p.n_rec[0] = N / 2;
    p.rec_idx[0] = idx;
    hl_h5_meta m = {.dt_ms = 0.1, .backend = "ref", .axon_version = "0.1.0", .n_pops = 1,
                    .pops = &p};
    const char *path = file_in_dir("big.h5");
    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    cr_assert_eq(hl_h5_begin(&h, path, &m, err), AXON_OK, "%s", err);
    uint32_t *nr = malloc(sizeof *nr * NS);
    double *t = malloc(sizeof *t * NS);
    uint32_t *cnt = calloc(N / 2, sizeof *cnt);
    uint64_t x = 88172645463325252ull;
    /* chunk c covers [c, c + 1) ms; times within a chunk shuffled */
    for (int k = 0; k < NS; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint32_t u = (uint32_t)(x % 1000) < 700 ? (uint32_t)(x >> 20) % 5 : (uint32_t)(x >> 20) % (N / 2);
        nr[k] = idx[u];
        int c = k / (NS / CH + 1);
        t[k] = c + (double)((x >> 40) % 10000) / 10000.0;
        cnt[u]++;
    }
    int per = NS / CH + 1;
    for (int c = 0; c * per < NS; c++) {
        int n = NS - c * per < per ? NS - c * per : per;
        cr_assert_eq(hl_h5_spikes(h, 0, nr + c * per, t + c * per, (size_t)n, err), AXON_OK,
                     "%s", err);
    }
    cr_assert_eq(hl_h5_finish(h, NULL, NULL, NULL, NULL, 0, 0, err), AXON_OK, "%s", err);
    hid_t f = open_ro(path);
    size_t n_st, n_ix;
    double *st = read_f64(f, "/units/spike_times", &n_st);
    uint64_t *ix = read_u64(f, "/units/spike_times_index", &n_ix);
    cr_assert_eq(n_st, NS);
    cr_assert_eq(n_ix, N / 2);
    uint64_t off = 0;
    for (uint32_t u = 0; u < N / 2; u++) {
        cr_assert_eq(ix[u], off + cnt[u], "unit %u", u);
        /* reference: this unit's spikes, sorted */
        double *ref = malloc(sizeof *ref * (cnt[u] ? cnt[u] : 1));
        uint32_t m2 = 0;
        for (int k = 0; k < NS; k++)
            if (nr[k] == idx[u])
                ref[m2++] = t[k] / 1000.0;
        for (uint32_t i = 1; i < m2; i++) /* insertion sort */
            for (uint32_t j = i; j > 0 && ref[j - 1] > ref[j]; j--) {
                double s = ref[j];
                ref[j] = ref[j - 1];
                ref[j - 1] = s;
            }
        for (uint32_t i = 0; i < m2; i++)
            cr_assert_eq(st[off + i], ref[i], "unit %u spike %u", u, i);
        free(ref);
        off += cnt[u];
    }
    H5Fclose(f);
    free(st);
    free(ix);
    free(nr);
    free(t);
    free(cnt);
}

Test(h5, bucket_sort_small_budget)
{
    bucket_run("5000"); /* hot units exceed the budget alone: one-unit buckets */
}

Test(h5, bucket_sort_tiny_budget)
{
    bucket_run("1");
}

Test(h5, in_memory_sort)
{
    bucket_run("100000000");
}

/* Bad arguments are refused with a message and HDF5 prints nothing. */
Test(h5_errors, refused, .init = cr_redirect_stderr)
{
    make_dir();
    setup_meta();
    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    int rc = hl_h5_begin(&h, "/nonexistent-dir/x/run.h5", &meta3, err);
    cr_expect_eq(rc, AXON_ERR_IO);
    cr_expect_null(h);
    cr_expect(strstr(err, "/nonexistent-dir/x/run.h5"), "message: %s", err);

    hl_h5_meta bad = meta3;
    bad.dt_ms = 0;
    cr_expect_eq(hl_h5_begin(&h, file_in_dir("bad.h5"), &bad, err), AXON_ERR_INVALID_ARG);
    cr_expect_not(access(file_in_dir("bad.h5"), F_OK) == 0);
    static const uint32_t unsorted[] = {3, 2};
    hl_h5_pop bp[3];
    memcpy(bp, pops3, sizeof bp);
    bp[0].rec_idx[1] = unsorted;
    bp[0].n_rec[1] = 2;
    bad = meta3;
    bad.pops = bp;
    cr_expect_eq(hl_h5_begin(&h, file_in_dir("bad.h5"), &bad, err), AXON_ERR_INVALID_ARG);
    cr_expect(strstr(err, "exc"), "message: %s", err);

    const char *path = file_in_dir("err.h5");
    cr_assert_eq(hl_h5_begin(&h, path, &meta3, err), AXON_OK, "%s", err);
    uint32_t nrn = 1; /* exc neuron 1 does not record spikes */
    double t = 1.0;
    cr_expect_eq(hl_h5_spikes(h, 0, &nrn, &t, 1, err), AXON_ERR_INVALID_ARG);
    cr_expect(strstr(err, "neuron 1") && strstr(err, "exc"), "message: %s", err);
    cr_expect_eq(hl_h5_spikes(h, 2, &nrn, &t, 1, err), AXON_ERR_INVALID_ARG);
    cr_expect(strstr(err, "input"), "message: %s", err);
    cr_expect_eq(hl_h5_spikes(h, 7, &nrn, &t, 1, err), AXON_ERR_INVALID_ARG);
    nrn = 0;
    t = NAN;
    cr_expect_eq(hl_h5_spikes(h, 0, &nrn, &t, 1, err), AXON_ERR_INVALID_ARG);
    double v[3] = {0};
    cr_expect_eq(hl_h5_signal(h, 1, 1, v, 1, err), AXON_ERR_INVALID_ARG); /* inh v */
    cr_expect(strstr(err, "inh") && strstr(err, "v"), "message: %s", err);
    cr_expect_eq(hl_h5_signal(h, 0, 0, v, 1, err), AXON_ERR_INVALID_ARG);
    cr_expect_eq(hl_h5_signal(h, 0, 1, NULL, 1, err), AXON_ERR_INVALID_ARG);
    cr_expect_eq(hl_h5_signal(h, 0, 1, v, 0, NULL), AXON_OK);
    /* a repeated counter name keeps the last value */
    static const char *const dup[] = {"a", "a"};
    static const uint64_t dv[] = {1, 2};
    rc = hl_h5_finish(h, NULL, NULL, dup, dv, 2, 0, err);
    cr_expect_eq(rc, AXON_OK, "%s", err);
    hid_t f = open_ro(path);
    cr_expect_eq(attr_u64v(f, "/general/axon/counters", "a"), 2);
    cr_expect(exists(f, "/units/spike_times"));
    H5Fclose(f);
    cr_expect_eq(hl_h5_finish(NULL, NULL, NULL, NULL, NULL, 0, 0, err), AXON_ERR_INVALID_ARG);
    remove_dir();
    fflush(stderr);
    cr_expect_stderr_eq_str("");
}
