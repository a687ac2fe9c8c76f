/* Machine image: file round trip and validation (docs/spec/image.md). Each malformed case
 * must be rejected with a message naming the item at fault, never executed. */
#include "tnet.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A valid 2x1 machine: chip (0,0) core 0 spike array -> core 1 IF_curr_exp; chip (1,0) core
 * 0 IF_cond_exp fed over link E. */
static axon_image *valid_image(void)
{
    tnet *t = tnet_new(2, 1, 2, 1.0, 0);
    uint32_t ev[] = {1, 0, 3, 1, 5, 2};
    int src = tnet_array(t, 0, 0, 0, 4, ev, 3, 0x100, 1);
    int a = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 8, NULL, NULL, 0x200, 0xF, 1);
    int b = tnet_neurons_uniform(t, 1, 0, 0, "IF_cond_exp", 8, NULL, NULL, 0x300, 0xF, 1);
    tnet_syn s[] = {{0, 0, 100, 1, 0}, {1, 3, 200, 16, 1}, {2, 7, 300, 4, 0}};
    tnet_connect(t, src, a, s, 3, 0, 0);
    tnet_connect(t, src, b, s, 3, 0, 0);
    tnet_route(t, 0, 0, 0x100, 0xFFFFFF00u, (1u << (AXON_ROUTE_CORE_LSB + 1)) | (1u << AXON_LINK_E));
    tnet_route(t, 1, 0, 0x100, 0xFFFFFF00u, 1u << AXON_ROUTE_CORE_LSB);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    cr_assert(img);
    return img;
}

/* copy of core (x, y, c)'s memory for mutation */
static uint32_t *core_copy(axon_image *img, uint32_t x, uint32_t y, uint32_t c, uint32_t *n)
{
    const uint32_t *w;
    cr_assert_eq(axon_image_get_core(img, x, y, c, &w, n), AXON_OK);
    uint32_t *copy = malloc(*n * sizeof *copy);
    memcpy(copy, w, *n * sizeof *copy);
    return copy;
}

static void expect_invalid(axon_image *img, int code, const char *needle)
{
    int rc = axon_image_validate(img);
    cr_assert_eq(rc, code, "validate returned %d (%s), expected %d; message: %s", rc,
                 axon_strerror(rc), code, axon_image_last_error(img));
    cr_assert(strstr(axon_image_last_error(img), needle), "message '%s' lacks '%s'",
              axon_image_last_error(img), needle);
    axon_engine *e = NULL;
    char err[AXON_ERRMSG_LEN];
    cr_assert_neq(axon_engine_create(&e, img, NULL, err), AXON_OK, "engine accepted it");
    cr_assert_null(e);
}

/* Mutate one word of a core, then expect rejection. */
static void mutate_core(uint32_t x, uint32_t y, uint32_t c, uint32_t word, uint32_t value,
                        int code, const char *needle)
{
    axon_image *img = valid_image();
    uint32_t n, *w = core_copy(img, x, y, c, &n);
    w[word] = value;
    axon_image_set_core(img, x, y, c, w, n);
    free(w);
    expect_invalid(img, code, needle);
    axon_image_destroy(img);
}

Test(image, valid_image_validates_and_runs)
{
    axon_image *img = valid_image();
    cr_assert_eq(axon_image_validate(img), AXON_OK, "%s", axon_image_last_error(img));
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, img, NULL, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_engine_run(e, 10), AXON_OK);
    axon_engine_destroy(e);
    axon_image_destroy(img);
}

Test(image, file_round_trip_is_identical)
{
    axon_image *img = valid_image(), *back;
    char path[] = "/tmp/axon_img_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(axon_image_save(img, path), AXON_OK);
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_image_load(&back, path, err), AXON_OK, "%s", err);
    uint32_t *a, *b;
    size_t na, nb;
    axon_image_to_buffer(img, &a, &na);
    axon_image_to_buffer(back, &b, &nb);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(a, b, na * 4), 0);
    free(a);
    free(b);
    unlink(path);
    axon_image_destroy(img);
    axon_image_destroy(back);
}

Test(image, bad_file_magic_version_and_truncation)
{
    axon_image *img = valid_image(), *out;
    uint32_t *w;
    size_t n;
    axon_image_to_buffer(img, &w, &n);
    char err[AXON_ERRMSG_LEN];
    w[0] ^= 1;
    cr_assert_eq(axon_image_from_buffer(&out, w, n, err), AXON_ERR_FORMAT);
    cr_assert(strstr(err, "magic"), "%s", err);
    w[0] ^= 1;
    w[1] = (AXON_SPEC_VERSION_MAJOR + 1) << 16;
    cr_assert_eq(axon_image_from_buffer(&out, w, n, err), AXON_ERR_FORMAT);
    cr_assert(strstr(err, "version"), "%s", err);
    w[1] = AXON_SPEC_VERSION;
    for (size_t cut = 0; cut < n; cut += 7) {
        cr_assert_neq(axon_image_from_buffer(&out, w, cut, err), AXON_OK, "cut at %zu", cut);
        cr_assert_null(out);
    }
    cr_assert_eq(axon_image_from_buffer(&out, w, n, err), AXON_OK, "%s", err);
    axon_image_destroy(out);
    cr_assert_eq(axon_image_load(&out, "/nonexistent/x.axim", err), AXON_ERR_IO);
    cr_assert(strstr(err, "/nonexistent/x.axim"), "%s", err);
    free(w);
    axon_image_destroy(img);
}

Test(image, random_corruption_never_crashes)
{
    axon_image *img = valid_image(), *out;
    uint32_t *w;
    size_t n;
    axon_image_to_buffer(img, &w, &n);
    uint32_t *m = malloc(n * 4);
    uint64_t s = 7;
    int rejected = 0;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(m, w, n * 4);
        for (int k = 0; k < 1 + iter % 4; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            size_t pos = (size_t)(s >> 33) % n;
            m[pos] ^= 1u << ((s >> 20) % 32);
        }
        char err[AXON_ERRMSG_LEN];
        if (axon_image_from_buffer(&out, m, n, err) == AXON_OK) {
            axon_engine *e; /* an accepted image must run safely */
            if (axon_engine_create(&e, out, NULL, err) == AXON_OK) {
                axon_engine_run(e, 20);
                axon_engine_destroy(e);
            }
            axon_image_destroy(out);
        } else {
            rejected++;
            cr_assert(err[0], "rejection without a message");
        }
    }
    cr_assert(rejected > 100, "only %d of 3000 corruptions rejected", rejected);
    free(m);
    free(w);
    axon_image_destroy(img);
}

Test(image, rejects_core_magic) { mutate_core(0, 0, 1, AXON_CORE_H_MAGIC, 0xDEADBEEF, AXON_ERR_FORMAT, "magic"); }
Test(image, rejects_unknown_model) { mutate_core(0, 0, 1, AXON_CORE_H_MODEL, 99, AXON_ERR_UNSUPPORTED, "model id 99"); }
Test(image, rejects_unknown_kind) { mutate_core(0, 0, 1, AXON_CORE_H_KIND, 7, AXON_ERR_UNSUPPORTED, "kind 7"); }
Test(image, rejects_zero_neurons) { mutate_core(0, 0, 1, AXON_CORE_H_N_NEURONS, 0, AXON_ERR_FORMAT, "0 neurons"); }
Test(image, rejects_too_many_neurons) { mutate_core(0, 0, 1, AXON_CORE_H_N_NEURONS, 2000, AXON_ERR_FORMAT, "2000 neurons"); }
Test(image, rejects_region_outside_memory) { mutate_core(0, 0, 1, AXON_CORE_H_SYN_WORDS, 1u << 20, AXON_ERR_FORMAT, "synaptic matrix"); }
Test(image, rejects_param_block_size) { mutate_core(0, 0, 1, AXON_CORE_H_PARAM_WORDS, 3, AXON_ERR_FORMAT, "IF_curr_exp blocks"); }
Test(image, rejects_weight_shift_of_unused_type) { mutate_core(0, 0, 1, AXON_CORE_H_WEIGHT_SHIFT, 0x300, AXON_ERR_FORMAT, "unused synapse type 2"); }
Test(image, rejects_zero_interval) { mutate_core(0, 0, 1, AXON_CORE_H_REC_INTERVAL, 0, AXON_ERR_FORMAT, "interval"); }
Test(image, rejects_key_base_overlapping_index) { mutate_core(0, 0, 1, AXON_CORE_H_KEY_BASE, 0x201, AXON_ERR_FORMAT, "key base 0x00000201"); }

static void mutate_word_at(uint32_t x, uint32_t y, uint32_t c, uint32_t region_field,
                           uint32_t rel, uint32_t value, int code, const char *needle)
{
    axon_image *img = valid_image();
    uint32_t n, *w = core_copy(img, x, y, c, &n);
    w[w[region_field] + rel] = value;
    axon_image_set_core(img, x, y, c, w, n);
    free(w);
    expect_invalid(img, code, needle);
    axon_image_destroy(img);
}

Test(image, rejects_row_outside_matrix)
{
    mutate_word_at(0, 0, 1, AXON_CORE_H_MPT_OFF, AXON_MPT_W_ROW_BASE, 1000, AXON_ERR_FORMAT,
                   "point outside the synaptic matrix");
}
Test(image, rejects_non_prefix_mask)
{
    mutate_word_at(0, 0, 1, AXON_CORE_H_MPT_OFF, AXON_MPT_W_MASK, 0xFFFF0F00u, AXON_ERR_FORMAT,
                   "not a prefix mask");
}
Test(image, rejects_key_outside_mask)
{
    mutate_word_at(0, 0, 1, AXON_CORE_H_MPT_OFF, AXON_MPT_W_KEY, 0x101, AXON_ERR_FORMAT,
                   "bits outside mask");
}
Test(image, rejects_synapse_to_missing_neuron)
{
    /* row 0's first synapse word: index 9 on an 8-neuron core */
    mutate_word_at(0, 0, 1, AXON_CORE_H_SYN_OFF, 1, axon_syn_word(5, 1, 0, 9), AXON_ERR_FORMAT,
                   "targets neuron 9 of a 8-neuron core");
}
Test(image, rejects_unused_synapse_type)
{
    mutate_word_at(0, 0, 1, AXON_CORE_H_SYN_OFF, 1, axon_syn_word(5, 1, 3, 0), AXON_ERR_FORMAT,
                   "synapse type 3");
}
Test(image, rejects_overlong_row)
{
    mutate_word_at(0, 0, 1, AXON_CORE_H_SYN_OFF, 0, 50, AXON_ERR_FORMAT, "holds 50 synapses");
}
Test(image, rejects_unsorted_spike_array)
{
    /* event 1's step set below event 0's */
    mutate_word_at(0, 0, 0, AXON_CORE_H_SRC_OFF, 2, 0, AXON_ERR_FORMAT, "not sorted");
}
Test(image, rejects_spike_for_missing_source)
{
    mutate_word_at(0, 0, 0, AXON_CORE_H_SRC_OFF, 1, 4, AXON_ERR_FORMAT, "names source 4 of 4");
}

Test(image, rejects_oversized_table)
{
    axon_image *img = valid_image();
    axon_route_entry *e = calloc(AXON_ROUTER_MC_ENTRIES + 1, sizeof *e);
    for (int i = 0; i <= AXON_ROUTER_MC_ENTRIES; i++)
        e[i] = (axon_route_entry){0xFFFFFFFFu, 0, 0};
    axon_image_set_table(img, 1, 0, e, AXON_ROUTER_MC_ENTRIES + 1);
    free(e);
    expect_invalid(img, AXON_ERR_CAPACITY, "chip (1, 0): routing table has 1025 entries");
    axon_image_destroy(img);
}

Test(image, rejects_route_to_unused_core_and_off_machine_link)
{
    axon_image *img = valid_image();
    axon_route_entry r = {0x100, 0xFFFFFF00u, 1u << (AXON_ROUTE_CORE_LSB + 1)};
    axon_image_set_table(img, 1, 0, &r, 1);
    expect_invalid(img, AXON_ERR_FORMAT, "routes to unused core 1");
    r.route = 1u << AXON_LINK_E;
    axon_image_set_table(img, 1, 0, &r, 1);
    expect_invalid(img, AXON_ERR_FORMAT, "link E, which leaves the machine");
    r.route = 1u << (AXON_ROUTE_CORE_LSB + 5);
    axon_image_set_table(img, 1, 0, &r, 1);
    expect_invalid(img, AXON_ERR_FORMAT, "names a core beyond");
    axon_image_destroy(img);
}

Test(image, geometry_arguments_checked)
{
    axon_image *img;
    cr_assert_eq(axon_image_create(&img, 0, 1, 1, 0, 1000), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_image_create(&img, 1, 1, 19, 0, 1000), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_image_create(&img, 1, 1, 1, 0, 0), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_image_create(&img, 2, 2, 1, 0, 1000), AXON_OK);
    cr_assert_eq(axon_image_set_core(img, 2, 0, 0, NULL, 0), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_image_last_error(img), "(2, 0)"));
    cr_assert_eq(axon_image_set_core(img, 0, 0, 1, NULL, 0), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_image_last_error(img), "core 1"));
    axon_image_destroy(img);
}
