/* The streaming HDF5 results writer (hl_h5.h; layout in docs/hostlib_hdf5.md).
 *
 * begin creates the file with its NWB 2.5 skeleton, the provenance, one group per
 * population and one extendible TimeSeries per recorded signal. Each run chunk's spikes are
 * appended to a staging stream (/general/axon/spike_stream, arrival order) and its samples
 * to the TimeSeries, so the writer holds no recording in memory. finish groups the stream
 * per unit into /units (a counting pass, then a fill pass over bounded blocks; runs with
 * more spikes than the sort budget go through a temporary bucket file), writes counters,
 * mapping and run statistics, and the `truncated` flag.
 *
 * HDF5's own error printing is switched off during every call; failures come back as
 * AXON_ERR_IO with a message naming the file, the object and HDF5's innermost reason. */
#include "hl_h5.h"

#include "errbuf.h"

#include <hdf5.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define H5_NVARS 4
#define H5_STREAM_CHUNK 65536u        /* elements per chunk of the 1-D datasets */
#define H5_SIGNAL_CHUNK_ELEMS 16384u  /* doubles per chunk of a TimeSeries (128 KiB) */
#define H5_SIGNAL_CHUNK_COLS 4096u
#define H5_DEFLATE_LEVEL 4
#define H5_READ_BLOCK 262144u         /* stream entries read per block at finish */
#define H5_SORT_BUDGET (4u << 20)     /* spikes sorted in memory at once (32 MiB of times) */
#define H5_BUCKET_BUF_MAX 4096u       /* records buffered per bucket before a write */
#define H5_FLUSH_SECONDS 5.0          /* flush the file at most this often while streaming */
#define H5_NO_UNIT UINT32_MAX

static const char *const var_name[H5_NVARS] = {"spikes", "v", "gsyn_exc", "gsyn_inh"};
static const char *const var_desc[H5_NVARS] = {"spikes", "membrane potential",
                                               "excitatory synaptic conductance or current",
                                               "inhibitory synaptic conductance or current"};

typedef struct h5_pop {
    char *label;          /* as given */
    char *name;           /* HDF5-safe and unique among the populations */
    uint32_t size;
    uint64_t first_id;    /* global id of neuron 0 */
    uint64_t unit_base;   /* first row of this population in /units */
    uint32_t n_units;     /* neurons recording spikes */
    int rec_spikes;
    uint32_t *unit_of;    /* neuron -> local unit row, H5_NO_UNIT when not recorded */
    uint32_t *unit_neuron;/* local unit row -> neuron */
    hid_t sig[H5_NVARS];  /* TimeSeries data of variables 1..3, H5I_INVALID_HID if none */
    int sig_recorded[H5_NVARS];
    uint32_t n_rec[H5_NVARS];
    uint64_t rows[H5_NVARS];
    char *sig_path[H5_NVARS];
} h5_pop;

struct hl_h5 {
    char *path;
    hid_t file;
    hid_t s_pop, s_neuron, s_t; /* the spike stream */
    uint64_t n_stream;
    uint32_t n_pops;
    h5_pop *pops;
    uint64_t n_units;
    double dt_ms;
    size_t sort_budget;
    int failed;                 /* an append failed: data may be missing */
    int deflate;                /* the deflate filter is available */
    double last_flush;
};

/* ------------------------------------------------------------------ errors */
typedef struct h5_quiet {
    H5E_auto2_t fn;
    void *data;
} h5_quiet;

static void quiet_on(h5_quiet *q)
{
    q->fn = NULL;
    q->data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &q->fn, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void quiet_off(const h5_quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->fn, q->data);
}

static herr_t walk_innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0 && e && e->desc)
        snprintf((char *)data, 240, "%s", e->desc);
    return 0;
}

/* An HDF5 call failed: "results file 'F': cannot WHAT OBJ: reason". Call it right after the
 * failing call (the next HDF5 call clears the error stack). err may be NULL. */
static int h5_fail(const hl_h5 *h, char *err, const char *what, const char *obj)
{
    char reason[240] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_innermost, reason);
    H5Eclear2(H5E_DEFAULT);
    if (err && snprintf(err, AXON_ERRMSG_LEN, "results file '%s': cannot %s %s%s%s", h->path,
                        what, obj, reason[0] ? ": " : "", reason) >= AXON_ERRMSG_LEN)
        memcpy(err + AXON_ERRMSG_LEN - 4, "...", 4); /* cut: say so */
    return AXON_ERR_IO;
}

static void h5_close(hid_t *id)
{
    if (*id < 0)
        return;
    switch (H5Iget_type(*id)) {
    case H5I_DATASET: H5Dclose(*id); break;
    case H5I_GROUP: H5Gclose(*id); break;
    case H5I_DATASPACE: H5Sclose(*id); break;
    case H5I_DATATYPE: H5Tclose(*id); break;
    case H5I_ATTR: H5Aclose(*id); break;
    case H5I_GENPROP_LST: H5Pclose(*id); break;
    case H5I_FILE: H5Fclose(*id); break;
    default: break;
    }
    *id = H5I_INVALID_HID;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ object ids */
static uint64_t uuid_state;

static uint64_t splitmix(void)
{
    uint64_t z = (uuid_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void uuid_seed(void)
{
    uint64_t s = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&s, sizeof s, 1, f) != 1)
            s = 0;
        fclose(f);
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uuid_state ^= s ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^
                  ((uint64_t)getpid() << 40);
}

/* A random (version 4) UUID: NWB's object_id and the file identifier. */
static void uuid4(char out[37])
{
    uint64_t a = splitmix(), b = splitmix();
    a = (a & ~0xF000ull) | 0x4000ull;                      /* version 4 */
    b = (b & ~(3ull << 62)) | (2ull << 62);               /* variant 10 */
    snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFFF), (unsigned)(b >> 48),
             (unsigned long long)(b & 0xFFFFFFFFFFFFull));
}

/* ------------------------------------------------------------------ attributes */
static hid_t str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Write (or overwrite) attribute name of loc (path obj, for messages): n values (n == 0:
 * scalar) of file type ftype from buf in memory type mtype. */
static int put_attr(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                    hid_t ftype, hid_t mtype, size_t n, const void *buf)
{
    char what[160];
    snprintf(what, sizeof what, "write attribute '%s' of", name);
    hsize_t dim = n;
    hid_t sp = n ? H5Screate_simple(1, &dim, NULL) : H5Screate(H5S_SCALAR);
    if (sp < 0)
        return h5_fail(h, err, what, obj);
    hid_t a = H5I_INVALID_HID;
    htri_t ex = H5Aexists(loc, name);
    if (ex > 0)
        H5Adelete(loc, name);
    if (ex < 0 || (a = H5Acreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        H5Awrite(a, mtype, buf) < 0) {
        int rc = h5_fail(h, err, what, obj);
        h5_close(&a);
        h5_close(&sp);
        return rc;
    }
    h5_close(&a);
    h5_close(&sp);
    return AXON_OK;
}

static int attr_str(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                    const char *value)
{
    hid_t t = str_type();
    if (t < 0)
        return h5_fail(h, err, "create a string type for", obj);
    const char *v = value ? value : "";
    int rc = put_attr(h, err, loc, obj, name, t, t, 0, &v);
    H5Tclose(t);
    return rc;
}

static int attr_strv(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                     const char *const *values, size_t n)
{
    hid_t t = str_type();
    if (t < 0)
        return h5_fail(h, err, "create a string type for", obj);
    int rc = put_attr(h, err, loc, obj, name, t, t, n, values);
    H5Tclose(t);
    return rc;
}

static int attr_f64(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                    double v)
{
    return put_attr(h, err, loc, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, &v);
}

static int attr_u64(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                    uint64_t v)
{
    return put_attr(h, err, loc, obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, &v);
}

static int attr_u32(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                    uint32_t v)
{
    return put_attr(h, err, loc, obj, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, 0, &v);
}

static int attr_i32(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                    int32_t v)
{
    return put_attr(h, err, loc, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, &v);
}

/* neurodata_type, namespace, object_id (and description when non-NULL) of a typed object */
static int attr_typed(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *type,
                      const char *ns, const char *description)
{
    char id[37];
    uuid4(id);
    int rc;
    if ((rc = attr_str(h, err, loc, obj, "neurodata_type", type)) ||
        (rc = attr_str(h, err, loc, obj, "namespace", ns)) ||
        (rc = attr_str(h, err, loc, obj, "object_id", id)))
        return rc;
    if (description)
        rc = attr_str(h, err, loc, obj, "description", description);
    return rc;
}

/* ------------------------------------------------------------------ groups and datasets */
static hid_t make_group(const hl_h5 *h, char *err, hid_t loc, const char *path, int *rc,
                        int track_order)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0 ||
        (track_order && H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED |
                                                             H5P_CRT_ORDER_INDEXED) < 0)) {
        *rc = h5_fail(h, err, "create group", path);
        h5_close(&gcpl);
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gcreate2(loc, path, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0)
        *rc = h5_fail(h, err, "create group", path);
    H5Pclose(gcpl);
    return g;
}

/* A dataset with rank dims written at once from buf (may be NULL: left at the fill value).
 * Non-empty datasets larger than a chunk are chunked and compressed. */
static int put_dataset(const hl_h5 *h, char *err, hid_t loc, const char *obj, const char *name,
                       hid_t ftype, hid_t mtype, int rank, const hsize_t *dims,
                       const void *buf, hid_t *keep)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", obj, name);
    hid_t sp = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int rc = AXON_OK;
    hsize_t total = 1;
    for (int i = 0; i < rank; i++)
        total *= dims[i];
    if (rank == 0)
        sp = H5Screate(H5S_SCALAR);
    else
        sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0 || (dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0) {
        rc = h5_fail(h, err, "create dataset", path);
        goto out;
    }
    if (rank == 1 && total > H5_STREAM_CHUNK) {
        hsize_t ch = H5_STREAM_CHUNK;
        if (H5Pset_chunk(dcpl, 1, &ch) < 0 ||
            (h->deflate && (H5Pset_shuffle(dcpl) < 0 ||
                            H5Pset_deflate(dcpl, H5_DEFLATE_LEVEL) < 0))) {
            rc = h5_fail(h, err, "set the layout of", path);
            goto out;
        }
    }
    d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0) {
        rc = h5_fail(h, err, "create dataset", path);
        goto out;
    }
    if (buf && total > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        rc = h5_fail(h, err, "write", path);
        goto out;
    }
    if (keep) {
        *keep = d;
        d = H5I_INVALID_HID;
    }
out:
    h5_close(&d);
    h5_close(&dcpl);
    h5_close(&sp);
    return rc;
}

static int put_str_dataset(const hl_h5 *h, char *err, hid_t loc, const char *obj,
                           const char *name, const char *value)
{
    hid_t t = str_type();
    if (t < 0)
        return h5_fail(h, err, "create a string type for", obj);
    const char *v = value ? value : "";
    int rc = put_dataset(h, err, loc, obj, name, t, t, 0, NULL, &v, NULL);
    H5Tclose(t);
    return rc;
}

/* An extendible chunked dataset (shuffle + deflate) of rank 1 or 2, empty along dim 0. */
static hid_t make_stream(const hl_h5 *h, char *err, hid_t loc, const char *path, hid_t ftype,
                         int rank, hsize_t cols, int *rc)
{
    hsize_t dims[2] = {0, cols}, maxd[2] = {H5S_UNLIMITED, cols}, chunk[2];
    size_t cache = 1u << 20;
    if (rank == 1) {
        chunk[0] = H5_STREAM_CHUNK;
    } else {
        hsize_t cc = cols < H5_SIGNAL_CHUNK_COLS ? cols : H5_SIGNAL_CHUNK_COLS;
        hsize_t rows = H5_SIGNAL_CHUNK_ELEMS / cc;
        chunk[0] = rows ? rows : 1;
        chunk[1] = cc;
        /* keep a whole band of chunks across the columns (appends fill rows) */
        size_t across = (size_t)((cols + cc - 1) / cc);
        size_t band = across * (size_t)(chunk[0] * cc) * sizeof(double);
        if (2 * band > cache)
            cache = 2 * band;
    }
    hid_t sp = H5Screate_simple(rank, dims, maxd);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    hid_t d = H5I_INVALID_HID;
    if (sp < 0 || dcpl < 0 || dapl < 0 || H5Pset_chunk(dcpl, rank, chunk) < 0 ||
        (h->deflate &&
         (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, H5_DEFLATE_LEVEL) < 0)) ||
        H5Pset_chunk_cache(dapl, 12421, cache, 1.0) < 0 ||
        (d = H5Dcreate2(loc, path, ftype, sp, H5P_DEFAULT, dcpl, dapl)) < 0)
        *rc = h5_fail(h, err, "create dataset", path);
    h5_close(&dapl);
    h5_close(&dcpl);
    h5_close(&sp);
    return d;
}

/* Append n rows (of cols values for rank 2) from buf at row `at`; the extent becomes at + n. */
static int append_rows(const hl_h5 *h, char *err, hid_t d, const char *path, hid_t mtype,
                       int rank, hsize_t cols, uint64_t at, size_t n, const void *buf)
{
    hsize_t ext[2] = {at + n, cols}, start[2] = {at, 0}, count[2] = {n, cols};
    hid_t fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
    int rc = AXON_OK;
    if (H5Dset_extent(d, ext) < 0) {
        rc = h5_fail(h, err, "extend", path);
        goto out;
    }
    if ((fs = H5Dget_space(d)) < 0 || (ms = H5Screate_simple(rank, count, NULL)) < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dwrite(d, mtype, ms, fs, H5P_DEFAULT, buf) < 0)
        rc = h5_fail(h, err, "append to", path);
out:
    h5_close(&ms);
    h5_close(&fs);
    return rc;
}

/* Read n elements of a 1-D dataset from offset at. */
static int read_range(const hl_h5 *h, char *err, hid_t d, const char *path, hid_t mtype,
                      uint64_t at, size_t n, void *buf)
{
    hsize_t start = at, count = n;
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(1, &count, NULL);
    int rc = AXON_OK;
    if (fs < 0 || ms < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
        H5Dread(d, mtype, ms, fs, H5P_DEFAULT, buf) < 0)
        rc = h5_fail(h, err, "read", path);
    h5_close(&ms);
    h5_close(&fs);
    return rc;
}

static int write_range(const hl_h5 *h, char *err, hid_t d, const char *path, hid_t mtype,
                       uint64_t at, size_t n, const void *buf)
{
    hsize_t start = at, count = n;
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(1, &count, NULL);
    int rc = AXON_OK;
    if (fs < 0 || ms < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
        H5Dwrite(d, mtype, ms, fs, H5P_DEFAULT, buf) < 0)
        rc = h5_fail(h, err, "write", path);
    h5_close(&ms);
    h5_close(&fs);
    return rc;
}

static void maybe_flush(hl_h5 *h)
{
    double t = now_s();
    if (t - h->last_flush >= H5_FLUSH_SECONDS) {
        H5Fflush(h->file, H5F_SCOPE_LOCAL);
        H5Eclear2(H5E_DEFAULT);
        h->last_flush = t;
    }
}

/* ------------------------------------------------------------------ begin */
static void pop_free(h5_pop *p)
{
    free(p->label);
    free(p->name);
    free(p->unit_of);
    free(p->unit_neuron);
    for (int v = 0; v < H5_NVARS; v++) {
        h5_close(&p->sig[v]);
        free(p->sig_path[v]);
    }
}

static void h5_free(hl_h5 *h)
{
    if (!h)
        return;
    for (uint32_t i = 0; i < h->n_pops; i++)
        pop_free(&h->pops[i]);
    free(h->pops);
    h5_close(&h->s_pop);
    h5_close(&h->s_neuron);
    h5_close(&h->s_t);
    h5_close(&h->file);
    free(h->path);
    free(h);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* SI unit and conversion factor of a PyNN unit (NWB: data * conversion = SI value). */
static void si_unit(const char *u, const char **si, double *conv)
{
    static const struct {
        const char *pynn, *si;
        double conv;
    } tab[] = {{"mV", "volts", 1e-3}, {"V", "volts", 1.0},     {"nA", "amperes", 1e-9},
               {"pA", "amperes", 1e-12}, {"A", "amperes", 1.0}, {"uS", "siemens", 1e-6},
               {"nS", "siemens", 1e-9}, {"S", "siemens", 1.0},  {"ms", "seconds", 1e-3}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (u && strcmp(u, tab[i].pynn) == 0) {
            *si = tab[i].si;
            *conv = tab[i].conv;
            return;
        }
    *si = u && u[0] ? u : "unknown";
    *conv = 1.0;
}

static int check_meta(const hl_h5_meta *m, char *err)
{
    if (!(m->dt_ms > 0) || !isfinite(m->dt_ms))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: timestep %g ms must be positive",
                   m->dt_ms);
    if (m->n_pops && !m->pops)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: %u populations but no array",
                   m->n_pops);
    for (uint32_t i = 0; i < m->n_pops; i++) {
        const hl_h5_pop *p = &m->pops[i];
        const char *l = p->label ? p->label : "";
        for (int v = 0; v < H5_NVARS; v++) {
            if (!p->recorded[v])
                continue;
            if (p->n_rec[v] > p->size)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                           "results file: population %u '%s' records %s of %u neurons but "
                           "has %u",
                           i, l, var_name[v], p->n_rec[v], p->size);
            if (!p->rec_idx[v] && p->n_rec[v] != p->size)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                           "results file: population %u '%s': no indices for %s", i, l,
                           var_name[v]);
            for (uint32_t k = 0; p->rec_idx[v] && k < p->n_rec[v]; k++)
                if (p->rec_idx[v][k] >= p->size || (k && p->rec_idx[v][k] <= p->rec_idx[v][k - 1]))
                    return axon_errf(err, AXON_ERR_INVALID_ARG,
                               "results file: population %u '%s': recorded %s index %u (%u) "
                               "out of range or not ascending",
                               i, l, var_name[v], k, p->rec_idx[v][k]);
            if (v > 0 && p->interval_ms[v] < 0)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                           "results file: population %u '%s': %s interval %g ms", i, l,
                           var_name[v], p->interval_ms[v]);
        }
    }
    return AXON_OK;
}

/* HDF5-safe, unique group name for population i */
static char *pop_name(const hl_h5 *h, uint32_t i, const char *label)
{
    char base[200];
    if (!label || !label[0] || strcmp(label, ".") == 0 || strcmp(label, "..") == 0)
        snprintf(base, sizeof base, "population%u", i);
    else
        snprintf(base, sizeof base, "%s", label);
    for (char *c = base; *c; c++)
        if (*c == '/')
            *c = '_';
    char name[224];
    snprintf(name, sizeof name, "%s", base);
    for (unsigned k = 0;; k++) {
        int clash = 0;
        for (uint32_t j = 0; j < i && !clash; j++)
            clash = strcmp(h->pops[j].name, name) == 0;
        if (!clash)
            break;
        snprintf(name, sizeof name, "%s_%u", base, i + k);
    }
    return dup_str(name);
}

static int write_root(hl_h5 *h, const hl_h5_meta *m, char *err)
{
    char id[37], when[40], desc[256];
    uuid4(id);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    snprintf(desc, sizeof desc, "Axon simulation: backend %s, seed %llu, timestep %g ms",
             m->backend ? m->backend : "?", (unsigned long long)m->seed, m->dt_ms);
    hid_t f = h->file;
    int rc;
    /* NWB keeps these as root datasets; they are mirrored as attributes for quick access */
    static const char *const names[4] = {"identifier", "session_description",
                                         "session_start_time", "timestamps_reference_time"};
    const char *vals[4] = {id, desc, when, when};
    if ((rc = attr_str(h, err, f, "/", "nwb_version", "2.5.0")) ||
        (rc = attr_typed(h, err, f, "/", "NWBFile", "core", NULL)))
        return rc;
    for (int i = 0; i < 4; i++)
        if ((rc = attr_str(h, err, f, "/", names[i], vals[i])) ||
            (rc = put_str_dataset(h, err, f, "", names[i], vals[i])))
            return rc;
    if ((rc = attr_i32(h, err, f, "/", "truncated", 1)))
        return rc;
    hid_t st = str_type();
    if (st < 0)
        return h5_fail(h, err, "create a string type for", "/file_create_date");
    hsize_t one = 1;
    const char *w = when;
    rc = put_dataset(h, err, f, "", "file_create_date", st, st, 1, &one, &w, NULL);
    H5Tclose(st);
    if (rc)
        return rc;
    static const char *const groups[] = {"/acquisition", "/analysis", "/processing",
                                         "/stimulus", "/stimulus/presentation",
                                         "/stimulus/templates", "/general"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        hid_t g = make_group(h, err, f, groups[i], &rc, 0);
        if (g < 0)
            return rc;
        H5Gclose(g);
    }
    return AXON_OK;
}

static int write_provenance(hl_h5 *h, const hl_h5_meta *m, char *err)
{
    int rc = AXON_OK;
    const char *P = "/general/axon";
    hid_t g = make_group(h, err, h->file, P, &rc, 1);
    if (g < 0)
        return rc;
    if ((rc = attr_str(h, err, g, P, "axon_version", m->axon_version)) ||
        (rc = attr_u32(h, err, g, P, "spec_version", m->spec_version)) ||
        (rc = attr_u64(h, err, g, P, "seed", m->seed)) ||
        (rc = attr_f64(h, err, g, P, "timestep_ms", m->dt_ms)) ||
        (rc = attr_str(h, err, g, P, "backend", m->backend)) ||
        (rc = attr_u32(h, err, g, P, "n_populations", m->n_pops)) ||
        (rc = attr_i32(h, err, g, P, "truncated", 1)) ||
        (rc = put_str_dataset(h, err, g, P, "network_summary", m->network_summary)))
        goto out;
    hid_t pg = make_group(h, err, g, "populations", &rc, 1);
    if (pg < 0)
        goto out;
    H5Gclose(pg);
out:
    H5Gclose(g);
    return rc;
}

static int write_population(hl_h5 *h, const hl_h5_meta *m, uint32_t i, char *err)
{
    const hl_h5_pop *p = &m->pops[i];
    h5_pop *q = &h->pops[i];
    char P[300];
    snprintf(P, sizeof P, "/general/axon/populations/%s", q->name);
    int rc = AXON_OK;
    hid_t g = make_group(h, err, h->file, P, &rc, 1);
    if (g < 0)
        return rc;
    double *pos = NULL;
    uint32_t *idx = NULL;
    if ((rc = attr_str(h, err, g, P, "label", p->label)) ||
        (rc = attr_u32(h, err, g, P, "index", i)) ||
        (rc = attr_u32(h, err, g, P, "size", p->size)) ||
        (rc = attr_str(h, err, g, P, "celltype", p->celltype)) ||
        (rc = attr_u64(h, err, g, P, "first_id", q->first_id)))
        goto out;
    if (p->positions) {
        pos = malloc(sizeof(double) * 3 * (p->size ? p->size : 1));
        if (!pos) {
            rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': positions of '%s'", h->path,
                     q->label);
            goto out;
        }
        for (uint32_t k = 0; k < p->size; k++)
            for (int a = 0; a < 3; a++)
                pos[(size_t)a * p->size + k] = p->positions[3 * (size_t)k + a];
        hsize_t dims[2] = {3, p->size};
        if ((rc = put_dataset(h, err, g, P, "positions", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2,
                              dims, pos, NULL)))
            goto out;
    }
    for (int v = 0; v < H5_NVARS; v++) {
        char name[64];
        snprintf(name, sizeof name, "recorded_%s", var_name[v]);
        if ((rc = attr_i32(h, err, g, P, name, p->recorded[v] ? 1 : 0)))
            goto out;
        if (!p->recorded[v])
            continue;
        const uint32_t *ix = p->rec_idx[v];
        if (!ix) {
            free(idx);
            idx = malloc(sizeof *idx * (p->n_rec[v] ? p->n_rec[v] : 1));
            if (!idx) {
                rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': indices of '%s'",
                         h->path, q->label);
                goto out;
            }
            for (uint32_t k = 0; k < p->n_rec[v]; k++)
                idx[k] = k;
            ix = idx;
        }
        hsize_t n = p->n_rec[v];
        snprintf(name, sizeof name, "%s_indices", var_name[v]);
        if ((rc = put_dataset(h, err, g, P, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &n, ix,
                              NULL)))
            goto out;
        if (v == 0)
            continue;
        const char *si;
        double conv;
        si_unit(p->units[v], &si, &conv);
        double iv = p->interval_ms[v] > 0 ? p->interval_ms[v] : m->dt_ms;
        snprintf(name, sizeof name, "%s_interval_ms", var_name[v]);
        if ((rc = attr_f64(h, err, g, P, name, iv)))
            goto out;
        snprintf(name, sizeof name, "%s_unit", var_name[v]);
        if ((rc = attr_str(h, err, g, P, name, p->units[v])))
            goto out;
    }
out:
    free(pos);
    free(idx);
    H5Gclose(g);
    return rc;
}

static int make_timeseries(hl_h5 *h, const hl_h5_meta *m, uint32_t i, int v, char *err)
{
    const hl_h5_pop *p = &m->pops[i];
    h5_pop *q = &h->pops[i];
    char P[300], D[320], desc[512];
    snprintf(P, sizeof P, "/acquisition/%s_%s", q->name, var_name[v]);
    snprintf(D, sizeof D, "%s/data", P);
    int rc = AXON_OK;
    hid_t g = make_group(h, err, h->file, P, &rc, 0);
    if (g < 0)
        return rc;
    hid_t d = H5I_INVALID_HID;
    const char *si;
    double conv;
    si_unit(p->units[v], &si, &conv);
    double iv = p->interval_ms[v] > 0 ? p->interval_ms[v] : m->dt_ms;
    snprintf(desc, sizeof desc,
             "%s (%s) of population '%s': %u recorded neurons (columns; neuron indices in "
             "/general/axon/populations/%s/%s_indices), one row every %g ms from t = 0",
             var_desc[v], var_name[v], q->label, p->n_rec[v], q->name, var_name[v], iv);
    if ((rc = attr_typed(h, err, g, P, "TimeSeries", "core", desc)) ||
        (rc = attr_str(h, err, g, P, "comments", "no comments")) ||
        (rc = attr_str(h, err, g, P, "axon_population", q->label)) ||
        (rc = attr_str(h, err, g, P, "axon_variable", var_name[v])))
        goto out;
    d = make_stream(h, err, g, "data", H5T_IEEE_F64LE, 2, p->n_rec[v], &rc);
    if (d < 0)
        goto out;
    if ((rc = attr_str(h, err, d, D, "unit", si)) ||
        (rc = attr_f64(h, err, d, D, "conversion", conv)) ||
        (rc = attr_f64(h, err, d, D, "resolution", -1.0)) ||
        (rc = attr_f64(h, err, d, D, "offset", 0.0)) ||
        (rc = attr_str(h, err, d, D, "continuity", "continuous")) ||
        (rc = attr_str(h, err, d, D, "axon_unit", p->units[v])))
        goto out;
    double t0 = 0.0;
    hid_t st = H5I_INVALID_HID;
    char S[320];
    snprintf(S, sizeof S, "%s/starting_time", P);
    if ((rc = put_dataset(h, err, g, P, "starting_time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0,
                          NULL, &t0, &st)))
        goto out;
    if (!(rc = attr_f64(h, err, st, S, "rate", 1000.0 / iv)))
        rc = attr_str(h, err, st, S, "unit", "seconds");
    H5Dclose(st);
    if (rc)
        goto out;
    q->sig[v] = d;
    d = H5I_INVALID_HID;
    q->sig_path[v] = dup_str(D);
    if (!q->sig_path[v])
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': %s", h->path, D);
out:
    h5_close(&d);
    H5Gclose(g);
    return rc;
}

static int make_spike_stream(hl_h5 *h, char *err)
{
    int rc = AXON_OK;
    const char *P = "/general/axon/spike_stream";
    hid_t g = make_group(h, err, h->file, P, &rc, 0);
    if (g < 0)
        return rc;
    if ((rc = attr_str(h, err, g, P, "description",
                       "spikes in arrival order (population index, neuron index within the "
                       "population, time in ms), appended during the run; /units holds the "
                       "same spikes grouped per neuron")))
        goto out;
    if ((h->s_pop = make_stream(h, err, g, "population", H5T_STD_U32LE, 1, 0, &rc)) < 0 ||
        (h->s_neuron = make_stream(h, err, g, "neuron", H5T_STD_U32LE, 1, 0, &rc)) < 0 ||
        (h->s_t = make_stream(h, err, g, "t_ms", H5T_IEEE_F64LE, 1, 0, &rc)) < 0)
        goto out;
    hid_t d = h->s_t;
    rc = attr_str(h, err, d, "/general/axon/spike_stream/t_ms", "unit", "ms");
out:
    H5Gclose(g);
    return rc;
}

int hl_h5_begin(hl_h5 **out, const char *path, const hl_h5_meta *meta, char *err)
{
    if (!out || !path || !path[0] || !meta)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: no %s",
                   !out ? "output handle" : !meta ? "metadata" : "path");
    *out = NULL;
    int rc = check_meta(meta, err);
    if (rc)
        return rc;
    h5_quiet quiet;
    quiet_on(&quiet);
    if (!uuid_state)
        uuid_seed();
    hl_h5 *h = calloc(1, sizeof *h);
    if (!h || !(h->path = dup_str(path))) {
        free(h);
        quiet_off(&quiet);
        return axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': out of memory", path);
    }
    h->file = h->s_pop = h->s_neuron = h->s_t = H5I_INVALID_HID;
    h->dt_ms = meta->dt_ms;
    h->sort_budget = H5_SORT_BUDGET;
    const char *env = getenv("AXON_H5_SORT_BUDGET");
    if (env && atol(env) > 0)
        h->sort_budget = (size_t)atol(env);
    h->last_flush = now_s();
    unsigned filt = 0;
    h->deflate = H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
                 H5Zget_filter_info(H5Z_FILTER_DEFLATE, &filt) >= 0 &&
                 (filt & H5Z_FILTER_CONFIG_ENCODE_ENABLED);
    int created = 0;
    if (meta->n_pops && !(h->pops = calloc(meta->n_pops, sizeof *h->pops))) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': out of memory", path);
        goto fail;
    }
    uint64_t first_id = 0, unit_base = 0;
    for (uint32_t i = 0; i < meta->n_pops; i++) {
        const hl_h5_pop *p = &meta->pops[i];
        h5_pop *q = &h->pops[i];
        for (int v = 0; v < H5_NVARS; v++)
            q->sig[v] = H5I_INVALID_HID;
        h->n_pops = i + 1;
        q->label = dup_str(p->label ? p->label : "");
        q->name = pop_name(h, i, p->label);
        q->size = p->size;
        q->first_id = first_id;
        q->unit_base = unit_base;
        q->rec_spikes = p->recorded[0] != 0;
        if (!q->label || !q->name) {
            rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': out of memory", path);
            goto fail;
        }
        if (q->rec_spikes) {
            q->n_units = p->n_rec[0];
            q->unit_of = malloc(sizeof *q->unit_of * (p->size ? p->size : 1));
            q->unit_neuron = malloc(sizeof *q->unit_neuron * (q->n_units ? q->n_units : 1));
            if (!q->unit_of || !q->unit_neuron) {
                rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': units of '%s'", path,
                         q->label);
                goto fail;
            }
            for (uint32_t k = 0; k < p->size; k++)
                q->unit_of[k] = H5_NO_UNIT;
            for (uint32_t k = 0; k < q->n_units; k++) {
                uint32_t nrn = p->rec_idx[0] ? p->rec_idx[0][k] : k;
                q->unit_of[nrn] = k;
                q->unit_neuron[k] = nrn;
            }
        }
        for (int v = 1; v < H5_NVARS; v++) {
            q->sig_recorded[v] = p->recorded[v] != 0;
            q->n_rec[v] = p->n_rec[v];
        }
        first_id += p->size;
        unit_base += q->n_units;
    }
    h->n_units = unit_base;

    h->file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (h->file < 0) {
        rc = h5_fail(h, err, "create", "the file");
        goto fail;
    }
    created = 1;
    if ((rc = write_root(h, meta, err)) || (rc = write_provenance(h, meta, err)) ||
        (rc = make_spike_stream(h, err)))
        goto fail;
    for (uint32_t i = 0; i < meta->n_pops; i++) {
        if ((rc = write_population(h, meta, i, err)))
            goto fail;
        for (int v = 1; v < H5_NVARS; v++)
            if (meta->pops[i].recorded[v] && meta->pops[i].n_rec[v] > 0 &&
                (rc = make_timeseries(h, meta, i, v, err)))
                goto fail;
    }
    if (H5Fflush(h->file, H5F_SCOPE_LOCAL) < 0) {
        rc = h5_fail(h, err, "flush", "the file");
        goto fail;
    }
    *out = h;
    quiet_off(&quiet);
    return AXON_OK;
fail:
    h5_free(h);
    if (created)
        unlink(path);
    quiet_off(&quiet);
    return rc;
}

/* ------------------------------------------------------------------ streaming */
int hl_h5_spikes(hl_h5 *h, uint32_t pop, const uint32_t *neuron, const double *t_ms, size_t n,
                 char *err)
{
    if (!h)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: no writer");
    if (pop >= h->n_pops)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file '%s': no population %u (of %u)",
                   h->path, pop, h->n_pops);
    h5_pop *q = &h->pops[pop];
    if (n == 0)
        return AXON_OK;
    if (!q->rec_spikes)
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                   "results file '%s': population '%s' does not record spikes", h->path,
                   q->label);
    if (!neuron || !t_ms)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file '%s': %zu spikes of '%s' without "
                   "arrays", h->path, n, q->label);
    for (size_t k = 0; k < n; k++) {
        if (neuron[k] >= q->size || q->unit_of[neuron[k]] == H5_NO_UNIT)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                       "results file '%s': spike %zu of population '%s': neuron %u %s",
                       h->path, k, q->label, neuron[k],
                       neuron[k] >= q->size ? "out of range" : "does not record spikes");
        if (!isfinite(t_ms[k]) || t_ms[k] < 0)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                       "results file '%s': spike %zu of population '%s': time %g ms", h->path,
                       k, q->label, t_ms[k]);
    }
    uint32_t *pv = malloc(sizeof *pv * n);
    if (!pv)
        return axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': %zu spikes", h->path, n);
    for (size_t k = 0; k < n; k++)
        pv[k] = pop;
    h5_quiet quiet;
    quiet_on(&quiet);
    int rc;
    if ((rc = append_rows(h, err, h->s_pop, "/general/axon/spike_stream/population",
                          H5T_NATIVE_UINT32, 1, 0, h->n_stream, n, pv)) ||
        (rc = append_rows(h, err, h->s_neuron, "/general/axon/spike_stream/neuron",
                          H5T_NATIVE_UINT32, 1, 0, h->n_stream, n, neuron)) ||
        (rc = append_rows(h, err, h->s_t, "/general/axon/spike_stream/t_ms",
                          H5T_NATIVE_DOUBLE, 1, 0, h->n_stream, n, t_ms))) {
        h->failed = 1;
    } else {
        h->n_stream += n;
        maybe_flush(h);
    }
    quiet_off(&quiet);
    free(pv);
    return rc;
}

int hl_h5_signal(hl_h5 *h, uint32_t pop, int var, const double *values, uint32_t n_samples,
                 char *err)
{
    if (!h)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: no writer");
    if (pop >= h->n_pops)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file '%s': no population %u (of %u)",
                   h->path, pop, h->n_pops);
    h5_pop *q = &h->pops[pop];
    if (var < 1 || var >= H5_NVARS)
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                   "results file '%s': population '%s': variable %d is not a signal", h->path,
                   q->label, var);
    if (!q->sig_recorded[var])
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                   "results file '%s': population '%s' does not record %s", h->path, q->label,
                   var_name[var]);
    if (n_samples == 0 || q->n_rec[var] == 0)
        return AXON_OK;
    if (!values)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file '%s': %u samples of %s of '%s' "
                   "without values", h->path, n_samples, var_name[var], q->label);
    h5_quiet quiet;
    quiet_on(&quiet);
    int rc = append_rows(h, err, q->sig[var], q->sig_path[var], H5T_NATIVE_DOUBLE, 2,
                         q->n_rec[var], q->rows[var], n_samples, values);
    if (rc) {
        h->failed = 1;
    } else {
        q->rows[var] += n_samples;
        maybe_flush(h);
    }
    quiet_off(&quiet);
    return rc;
}

/* ------------------------------------------------------------------ finish: /units */
typedef struct h5_rec {
    double t;       /* seconds */
    uint64_t row;   /* unit row */
} h5_rec;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void sort_units(double *t, const uint64_t *start, uint64_t u0, uint64_t u1, uint64_t base)
{
    for (uint64_t u = u0; u < u1; u++) {
        double *s = t + (start[u] - base);
        size_t n = (size_t)(start[u + 1] - start[u]);
        size_t k = 1;
        while (k < n && s[k - 1] <= s[k])
            k++;
        if (k < n)
            qsort(s, n, sizeof *s, cmp_double);
    }
}

typedef struct h5_block {
    uint32_t *pop, *neuron;
    double *t;
} h5_block;

/* Read stream entries [at, at + n) and map them to unit rows. */
static int read_block(const hl_h5 *h, char *err, uint64_t at, size_t n, h5_block *b,
                      uint64_t *rows, int with_t)
{
    int rc;
    if ((rc = read_range(h, err, h->s_pop, "/general/axon/spike_stream/population",
                         H5T_NATIVE_UINT32, at, n, b->pop)) ||
        (rc = read_range(h, err, h->s_neuron, "/general/axon/spike_stream/neuron",
                         H5T_NATIVE_UINT32, at, n, b->neuron)) ||
        (with_t && (rc = read_range(h, err, h->s_t, "/general/axon/spike_stream/t_ms",
                                    H5T_NATIVE_DOUBLE, at, n, b->t))))
        return rc;
    for (size_t k = 0; k < n; k++) {
        uint32_t p = b->pop[k], nr = b->neuron[k];
        if (p >= h->n_pops || !h->pops[p].rec_spikes || nr >= h->pops[p].size ||
            h->pops[p].unit_of[nr] == H5_NO_UNIT)
            return axon_errf(err, AXON_ERR_FORMAT,
                       "results file '%s': /general/axon/spike_stream entry %llu (population "
                       "%u, neuron %u) names no recorded unit",
                       h->path, (unsigned long long)(at + k), p, nr);
        rows[k] = h->pops[p].unit_base + h->pops[p].unit_of[nr];
    }
    return AXON_OK;
}

static int write_all(int fd, const void *buf, size_t n, off_t at)
{
    const char *c = buf;
    while (n) {
        ssize_t w = pwrite(fd, c, n, at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
        at += w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n, off_t at)
{
    char *c = buf;
    while (n) {
        ssize_t r = pread(fd, c, n, at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
        at += r;
    }
    return 0;
}

/* Fill spike_times (dataset st) grouped per unit: start[u]..start[u+1] holds unit u's spikes,
 * sorted. In memory when the stream fits the sort budget; otherwise the spikes are first
 * distributed to buckets of consecutive units (each within the budget unless one unit alone
 * exceeds it) in a temporary file beside the output, then each bucket is sorted and written. */
static int fill_spike_times(hl_h5 *h, char *err, hid_t st, const uint64_t *start,
                            h5_block *b, uint64_t *rows)
{
    const char *ST = "/units/spike_times";
    uint64_t total = h->n_stream, nu = h->n_units;
    int rc = AXON_OK;
    if (total == 0)
        return AXON_OK;
    if (total <= h->sort_budget) {
        double *t = malloc(sizeof *t * total);
        uint64_t *cur = malloc(sizeof *cur * (nu + 1));
        if (!t || !cur) {
            rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': %llu spike times", h->path,
                     (unsigned long long)total);
            goto mem_out;
        }
        memcpy(cur, start, sizeof *cur * (nu + 1));
        for (uint64_t at = 0; at < total && !rc; at += H5_READ_BLOCK) {
            size_t n = (size_t)(total - at < H5_READ_BLOCK ? total - at : H5_READ_BLOCK);
            if ((rc = read_block(h, err, at, n, b, rows, 1)))
                break;
            for (size_t k = 0; k < n; k++)
                t[cur[rows[k]]++] = b->t[k] / 1000.0;
        }
        if (!rc) {
            sort_units(t, start, 0, nu, 0);
            rc = write_range(h, err, st, ST, H5T_NATIVE_DOUBLE, 0, (size_t)total, t);
        }
    mem_out:
        free(t);
        free(cur);
        return rc;
    }

    /* buckets of consecutive units */
    uint64_t n_b = 0;
    uint64_t *b_first = malloc(sizeof *b_first * (nu + 1)); /* first unit of each bucket */
    uint32_t *bucket_of = malloc(sizeof *bucket_of * (nu ? nu : 1));
    h5_rec *bbuf = NULL, *recs = NULL;
    uint32_t *b_fill = NULL;
    uint64_t *b_pos = NULL, *cur = NULL;
    double *t = NULL;
    int fd = -1;
    size_t plen = strlen(h->path);
    char *tmp = malloc(plen + 16);
    if (!b_first || !bucket_of || !tmp) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': sort buckets", h->path);
        goto out;
    }
    uint64_t biggest = 0;
    for (uint64_t u = 0; u < nu;) {
        uint64_t u1 = u + 1;
        while (u1 < nu && start[u1 + 1] - start[u] <= h->sort_budget)
            u1++;
        b_first[n_b] = u;
        for (uint64_t k = u; k < u1; k++)
            bucket_of[k] = (uint32_t)n_b;
        if (start[u1] - start[u] > biggest)
            biggest = start[u1] - start[u];
        n_b++;
        u = u1;
    }
    b_first[n_b] = nu;
    size_t per = (size_t)(h->sort_budget / n_b);
    per = per < 16 ? 16 : per > H5_BUCKET_BUF_MAX ? H5_BUCKET_BUF_MAX : per;
    bbuf = malloc(sizeof *bbuf * per * n_b);
    b_fill = calloc(n_b, sizeof *b_fill);
    b_pos = malloc(sizeof *b_pos * n_b);
    recs = malloc(sizeof *recs * biggest);
    t = malloc(sizeof *t * biggest);
    cur = malloc(sizeof *cur * (nu + 1));
    if (!bbuf || !b_fill || !b_pos || !recs || !t || !cur) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': sort buffers for %llu spikes",
                 h->path, (unsigned long long)total);
        goto out;
    }
    for (uint64_t k = 0; k < n_b; k++)
        b_pos[k] = start[b_first[k]];
    memcpy(tmp, h->path, plen);
    memcpy(tmp + plen, ".sortXXXXXX", 12);
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = axon_errf(err, AXON_ERR_IO, "results file '%s': cannot create the temporary file '%s': "
                 "%s", h->path, tmp, strerror(errno));
        goto out;
    }
    unlink(tmp);
    for (uint64_t at = 0; at < total && !rc; at += H5_READ_BLOCK) {
        size_t n = (size_t)(total - at < H5_READ_BLOCK ? total - at : H5_READ_BLOCK);
        if ((rc = read_block(h, err, at, n, b, rows, 1)))
            break;
        for (size_t k = 0; k < n; k++) {
            uint32_t bk = bucket_of[rows[k]];
            h5_rec *r = &bbuf[(size_t)bk * per + b_fill[bk]++];
            r->t = b->t[k] / 1000.0;
            r->row = rows[k];
            if (b_fill[bk] == per) {
                if (write_all(fd, &bbuf[(size_t)bk * per], per * sizeof(h5_rec),
                              (off_t)(b_pos[bk] * sizeof(h5_rec))) < 0) {
                    rc = axon_errf(err, AXON_ERR_IO, "results file '%s': cannot write the temporary "
                             "file '%s': %s", h->path, tmp, strerror(errno));
                    break;
                }
                b_pos[bk] += per;
                b_fill[bk] = 0;
            }
        }
    }
    for (uint64_t bk = 0; bk < n_b && !rc; bk++)
        if (b_fill[bk] && write_all(fd, &bbuf[(size_t)bk * per], b_fill[bk] * sizeof(h5_rec),
                                    (off_t)(b_pos[bk] * sizeof(h5_rec))) < 0)
            rc = axon_errf(err, AXON_ERR_IO, "results file '%s': cannot write the temporary file "
                     "'%s': %s", h->path, tmp, strerror(errno));
    memcpy(cur, start, sizeof *cur * (nu + 1));
    for (uint64_t bk = 0; bk < n_b && !rc; bk++) {
        uint64_t u0 = b_first[bk], u1 = b_first[bk + 1];
        uint64_t base = start[u0];
        size_t n = (size_t)(start[u1] - base);
        if (n == 0)
            continue;
        if (read_all(fd, recs, n * sizeof(h5_rec), (off_t)(base * sizeof(h5_rec))) < 0) {
            rc = axon_errf(err, AXON_ERR_IO, "results file '%s': cannot read the temporary file "
                     "'%s': %s", h->path, tmp, strerror(errno));
            break;
        }
        for (size_t k = 0; k < n; k++)
            t[cur[recs[k].row]++ - base] = recs[k].t;
        sort_units(t, start, u0, u1, base);
        rc = write_range(h, err, st, ST, H5T_NATIVE_DOUBLE, base, n, t);
    }
out:
    if (fd >= 0)
        close(fd);
    free(tmp);
    free(b_first);
    free(bucket_of);
    free(bbuf);
    free(b_fill);
    free(b_pos);
    free(recs);
    free(t);
    free(cur);
    return rc;
}

/* A VectorIndex dataset: end offsets (uint64) with target = reference to the indexed column */
static int put_index(const hl_h5 *h, char *err, hid_t g, const char *name, const char *target,
                     const uint64_t *ends, uint64_t n, const char *description)
{
    char path[128];
    snprintf(path, sizeof path, "/units/%s", name);
    hid_t d = H5I_INVALID_HID;
    hsize_t dim = n;
    int rc = put_dataset(h, err, g, "/units", name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &dim,
                         ends, &d);
    if (rc)
        return rc;
    hobj_ref_t ref;
    if ((rc = attr_typed(h, err, d, path, "VectorIndex", "hdmf-common", description)))
        goto out;
    if (H5Rcreate(&ref, g, target, H5R_OBJECT, -1) < 0) {
        rc = h5_fail(h, err, "reference the target of", path);
        goto out;
    }
    rc = put_attr(h, err, d, path, "target", H5T_STD_REF_OBJ, H5T_STD_REF_OBJ, 0, &ref);
out:
    H5Dclose(d);
    return rc;
}

static int write_units(hl_h5 *h, const axon_run_stats *stats, char *err)
{
    const char *P = "/units";
    uint64_t nu = h->n_units, total = h->n_stream;
    int rc = AXON_OK;
    hid_t g = H5I_INVALID_HID, st = H5I_INVALID_HID, d = H5I_INVALID_HID, strt = H5I_INVALID_HID;
    uint64_t *start = calloc(nu + 1, sizeof *start);
    uint64_t *rows = malloc(sizeof *rows * H5_READ_BLOCK);
    h5_block b = {malloc(sizeof(uint32_t) * H5_READ_BLOCK),
                  malloc(sizeof(uint32_t) * H5_READ_BLOCK),
                  malloc(sizeof(double) * H5_READ_BLOCK)};
    int64_t *ids = malloc(sizeof *ids * (nu ? nu : 1));
    uint32_t *nrn = malloc(sizeof *nrn * (nu ? nu : 1));
    const char **lab = malloc(sizeof *lab * (nu ? nu : 1));
    double *obs = NULL;
    uint64_t *obs_end = NULL;
    if (!start || !rows || !b.pop || !b.neuron || !b.t || !ids || !nrn || !lab) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': /units of %llu neurons", h->path,
                 (unsigned long long)nu);
        goto out;
    }
    /* counting pass: start[u + 1] = spikes of unit u, then prefix sums */
    for (uint64_t at = 0; at < total; at += H5_READ_BLOCK) {
        size_t n = (size_t)(total - at < H5_READ_BLOCK ? total - at : H5_READ_BLOCK);
        if ((rc = read_block(h, err, at, n, &b, rows, 0)))
            goto out;
        for (size_t k = 0; k < n; k++)
            start[rows[k] + 1]++;
    }
    for (uint64_t u = 0; u < nu; u++)
        start[u + 1] += start[u];
    for (uint32_t i = 0; i < h->n_pops; i++) {
        const h5_pop *q = &h->pops[i];
        for (uint32_t k = 0; k < q->n_units; k++) {
            ids[q->unit_base + k] = (int64_t)(q->first_id + q->unit_neuron[k]);
            nrn[q->unit_base + k] = q->unit_neuron[k];
            lab[q->unit_base + k] = q->label;
        }
    }
    int with_obs = stats && stats->sim_time_ms > 0 && isfinite(stats->sim_time_ms);
    static const char *const cols_obs[] = {"spike_times", "obs_intervals", "population",
                                           "neuron"};
    static const char *const cols[] = {"spike_times", "population", "neuron"};
    if ((g = make_group(h, err, h->file, P, &rc, 0)) < 0)
        goto out;
    if ((rc = attr_typed(h, err, g, P, "Units", "core",
                         "spikes of every neuron recording spikes, all populations; id = "
                         "global neuron id (first_id of the population + index)")) ||
        (rc = attr_strv(h, err, g, P, "colnames", with_obs ? cols_obs : cols,
                        with_obs ? 4 : 3)))
        goto out;
    hsize_t dim = nu;
    if ((rc = put_dataset(h, err, g, P, "id", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &dim, ids,
                          &d)) ||
        (rc = attr_typed(h, err, d, "/units/id", "ElementIdentifiers", "hdmf-common", NULL)))
        goto out;
    h5_close(&d);
    dim = total;
    if ((rc = put_dataset(h, err, g, P, "spike_times", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                          &dim, NULL, &st)) ||
        (rc = attr_typed(h, err, st, "/units/spike_times", "VectorData", "hdmf-common",
                         "spike times of each unit (seconds), units concatenated in id "
                         "order, ascending within a unit")) ||
        (rc = attr_f64(h, err, st, "/units/spike_times", "resolution", h->dt_ms / 1000.0)) ||
        (rc = attr_str(h, err, st, "/units/spike_times", "unit", "seconds")))
        goto out;
    if ((rc = put_index(h, err, g, "spike_times_index", "spike_times", start + 1, nu,
                        "end offset of each unit's spikes in spike_times")))
        goto out;
    dim = nu;
    if ((rc = put_dataset(h, err, g, P, "neuron", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &dim,
                          nrn, &d)) ||
        (rc = attr_typed(h, err, d, "/units/neuron", "VectorData", "hdmf-common",
                         "index of the neuron within its population")))
        goto out;
    h5_close(&d);
    if ((strt = str_type()) < 0) {
        rc = h5_fail(h, err, "create a string type for", "/units/population");
        goto out;
    }
    if ((rc = put_dataset(h, err, g, P, "population", strt, strt, 1, &dim, lab, &d)) ||
        (rc = attr_typed(h, err, d, "/units/population", "VectorData", "hdmf-common",
                         "label of the neuron's population")))
        goto out;
    h5_close(&d);
    if (with_obs) {
        obs = malloc(sizeof *obs * 2 * (nu ? nu : 1));
        obs_end = malloc(sizeof *obs_end * (nu ? nu : 1));
        if (!obs || !obs_end) {
            rc = axon_errf(err, AXON_ERR_NO_MEMORY, "results file '%s': /units/obs_intervals",
                     h->path);
            goto out;
        }
        for (uint64_t u = 0; u < nu; u++) {
            obs[2 * u] = 0.0;
            obs[2 * u + 1] = stats->sim_time_ms / 1000.0;
            obs_end[u] = u + 1;
        }
        hsize_t od[2] = {nu, 2};
        if ((rc = put_dataset(h, err, g, P, "obs_intervals", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                              2, od, obs, &d)) ||
            (rc = attr_typed(h, err, d, "/units/obs_intervals", "VectorData", "hdmf-common",
                             "observation interval [start, stop] of each unit (seconds): the "
                             "simulated time")) ||
            (rc = put_index(h, err, g, "obs_intervals_index", "obs_intervals", obs_end, nu,
                            "end offset of each unit's intervals in obs_intervals")))
            goto out;
        h5_close(&d);
    }
    rc = fill_spike_times(h, err, st, start, &b, rows);
out:
    h5_close(&strt);
    h5_close(&d);
    h5_close(&st);
    h5_close(&g);
    free(start);
    free(rows);
    free(b.pop);
    free(b.neuron);
    free(b.t);
    free(ids);
    free(nrn);
    free(lab);
    free(obs);
    free(obs_end);
    return rc;
}

static int write_counters(hl_h5 *h, const char *const *names, const uint64_t *values,
                          uint32_t n, char *err)
{
    const char *P = "/general/axon/counters";
    int rc = AXON_OK;
    hid_t g = make_group(h, err, h->file, P, &rc, 1);
    if (g < 0)
        return rc;
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = attr_u64(h, err, g, P, names[i], values[i]);
    H5Gclose(g);
    return rc;
}

static int write_mapping(hl_h5 *h, const axon_mapping_report *m, char *err)
{
    const char *P = "/general/axon/mapping";
    int rc = AXON_OK;
    hid_t g = make_group(h, err, h->file, P, &rc, 1);
    if (g < 0)
        return rc;
    if ((rc = attr_u32(h, err, g, P, "chips_x", m->chips_x)) ||
        (rc = attr_u32(h, err, g, P, "chips_y", m->chips_y)) ||
        (rc = attr_u32(h, err, g, P, "cores_used", m->cores_used)) ||
        (rc = attr_u32(h, err, g, P, "cores_per_chip", m->cores_per_chip)) ||
        (rc = attr_u64(h, err, g, P, "neurons", m->neurons)) ||
        (rc = attr_u64(h, err, g, P, "synapses", m->synapses)) ||
        (rc = attr_u32(h, err, g, P, "max_table_before", m->max_table_before)) ||
        (rc = attr_u32(h, err, g, P, "max_table_after", m->max_table_after)) ||
        (rc = attr_u64(h, err, g, P, "table_entries_before", m->table_entries_before)) ||
        (rc = attr_u64(h, err, g, P, "table_entries_after", m->table_entries_after)) ||
        (rc = attr_u64(h, err, g, P, "max_core_words", m->max_core_words)) ||
        (rc = attr_u64(h, err, g, P, "total_words", m->total_words)) ||
        (rc = attr_u32(h, err, g, P, "delay_extension_cores", m->delay_extension_cores)) ||
        (rc = attr_f64(h, err, g, P, "map_seconds", m->map_seconds)))
        goto out;
out:
    H5Gclose(g);
    return rc;
}

static int write_run(hl_h5 *h, const axon_run_stats *s, char *err)
{
    const char *P = "/general/axon/run";
    int rc = AXON_OK;
    hid_t g = make_group(h, err, h->file, P, &rc, 1);
    if (g < 0)
        return rc;
    if ((rc = attr_f64(h, err, g, P, "sim_time_ms", s->sim_time_ms)) ||
        (rc = attr_f64(h, err, g, P, "wall_map_s", s->wall_map_s)) ||
        (rc = attr_f64(h, err, g, P, "wall_load_s", s->wall_load_s)) ||
        (rc = attr_f64(h, err, g, P, "wall_run_s", s->wall_run_s)) ||
        (rc = attr_u64(h, err, g, P, "spikes", s->spikes)) ||
        (rc = attr_u64(h, err, g, P, "synaptic_events", s->synaptic_events)) ||
        (rc = attr_u64(h, err, g, P, "saturations", s->saturations)) ||
        (rc = attr_u64(h, err, g, P, "dropped_packets", s->dropped_packets)) ||
        (rc = attr_u64(h, err, g, P, "late_packets", s->late_packets)) ||
        (rc = attr_u64(h, err, g, P, "mpt_misses", s->mpt_misses)))
        goto out;
out:
    H5Gclose(g);
    return rc;
}

int hl_h5_weights(hl_h5 *h, const char *label, size_t n, const uint32_t *pre,
                  const uint32_t *post, const double *w, const double *d, char *err)
{
    if (!h)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: no writer");
    const char *P = "/general/axon/projections";
    int rc = AXON_OK;
    h5_quiet quiet;
    quiet_on(&quiet);
    hid_t top = H5Lexists(h->file, P, H5P_DEFAULT) > 0 ? H5Gopen2(h->file, P, H5P_DEFAULT)
                                                       : make_group(h, err, h->file, P, &rc, 0);
    if (top < 0) {
        quiet_off(&quiet);
        return rc ? rc : h5_fail(h, err, "open", P);
    }
    char name[256], path[512];
    snprintf(name, sizeof name, "%s", label);
    for (char *c = name; *c; c++)
        if (*c == '/' || *c == '.')
            *c = '_';
    size_t len = strlen(name);
    for (unsigned k = 2; H5Lexists(top, name, H5P_DEFAULT) > 0 && k < 1000; k++)
        snprintf(name + (len < 240 ? len : 240), 16, "_%u", k); /* labels need not be unique */
    snprintf(path, sizeof path, "%s/%s", P, name);
    hid_t g = make_group(h, err, top, name, &rc, 0);
    hsize_t dims[1] = {n};
    if (g >= 0) {
        if (!(rc = put_dataset(h, err, g, path, "pre", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, dims,
                               pre, NULL)) &&
            !(rc = put_dataset(h, err, g, path, "post", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1,
                               dims, post, NULL)) &&
            !(rc = put_dataset(h, err, g, path, "weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                               dims, w, NULL)))
            rc = put_dataset(h, err, g, path, "delay", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims,
                             d, NULL);
        H5Gclose(g);
    }
    H5Gclose(top);
    quiet_off(&quiet);
    return rc;
}

int hl_h5_finish(hl_h5 *h, const axon_run_stats *stats, const axon_mapping_report *map,
                 const char *const *counter_names, const uint64_t *counter_values,
                 uint32_t n_counters, int truncated, char *err)
{
    if (!h)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "results file: no writer");
    h5_quiet quiet;
    quiet_on(&quiet);
    int rc = AXON_OK, r;
    /* the first failure is reported; every later step is still attempted */
#define STEP(call)                                                                             \
    do {                                                                                       \
        r = (call);                                                                            \
        if (r && !rc)                                                                          \
            rc = r;                                                                            \
    } while (0)
    /* drop what a failed append may have left beyond the last complete one */
    hsize_t ext = h->n_stream;
    if (H5Dset_extent(h->s_pop, &ext) < 0 || H5Dset_extent(h->s_neuron, &ext) < 0 ||
        H5Dset_extent(h->s_t, &ext) < 0)
        STEP(h5_fail(h, rc ? NULL : err, "trim", "/general/axon/spike_stream"));
    for (uint32_t i = 0; i < h->n_pops; i++)
        for (int v = 1; v < H5_NVARS; v++) {
            hsize_t e2[2] = {h->pops[i].rows[v], h->pops[i].n_rec[v]};
            if (h->pops[i].sig[v] >= 0 && H5Dset_extent(h->pops[i].sig[v], e2) < 0)
                STEP(h5_fail(h, rc ? NULL : err, "trim", h->pops[i].sig_path[v]));
        }
    STEP(write_units(h, stats, rc ? NULL : err));
    if (n_counters && (!counter_names || !counter_values))
        STEP(axon_errf(rc ? NULL : err, AXON_ERR_INVALID_ARG,
                 "results file '%s': %u counters without names or values", h->path,
                 n_counters));
    else {
        uint32_t bad = n_counters;
        for (uint32_t i = 0; i < n_counters && bad == n_counters; i++)
            if (!counter_names[i] || !counter_names[i][0])
                bad = i;
        if (bad < n_counters)
            STEP(axon_errf(rc ? NULL : err, AXON_ERR_INVALID_ARG,
                     "results file '%s': counter %u has no name", h->path, bad));
        else
            STEP(write_counters(h, counter_names, counter_values, n_counters,
                                rc ? NULL : err));
    }
    if (map)
        STEP(write_mapping(h, map, rc ? NULL : err));
    if (stats)
        STEP(write_run(h, stats, rc ? NULL : err));
    /* a failed append or a failed finish leaves an incomplete file: say so */
    int32_t tr = truncated || h->failed || rc ? 1 : 0;
    hid_t g = H5Gopen2(h->file, "/general/axon", H5P_DEFAULT);
    if (g < 0)
        STEP(h5_fail(h, rc ? NULL : err, "open", "/general/axon"));
    else {
        STEP(attr_i32(h, rc ? NULL : err, g, "/general/axon", "truncated", tr));
        H5Gclose(g);
    }
    STEP(attr_i32(h, rc ? NULL : err, h->file, "/", "truncated", tr));
#undef STEP
    for (uint32_t i = 0; i < h->n_pops; i++)
        for (int v = 0; v < H5_NVARS; v++)
            h5_close(&h->pops[i].sig[v]);
    h5_close(&h->s_pop);
    h5_close(&h->s_neuron);
    h5_close(&h->s_t);
    if (H5Fclose(h->file) < 0 && !rc)
        rc = h5_fail(h, err, "close", "the file");
    h->file = H5I_INVALID_HID;
    h5_free(h);
    quiet_off(&quiet);
    return rc;
}
