/* Routes-only mapping (axon_set_routes_only, docs/hostlib.md#routes-only): the routing
 * tables it builds from slice pairs must be the tables the full mapping builds from every
 * connection, entry for entry, before and after compression, on networks with delay
 * extensions, several chips and a torus. */
#include "axon/axon.h"
#include "hl_ctx.h"
#include "hl_map.h"
#include "microcircuit.h"

#include <criterion/criterion.h>
#include <string.h>

static axon_ctx *micro(int routes_only, double scale, int poisson, const axon_machine_opts *mo)
{
    axon_ctx *ctx;
    cr_assert_eq(axon_create(&ctx), AXON_OK);
    cr_assert_eq(axon_setup(ctx, 0.1, 0.1, 14.4, 42), AXON_OK);
    cr_assert_eq(axon_set_machine(ctx, mo), AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_eq(axon_set_routes_only(ctx, routes_only), AXON_OK);
    cr_assert_eq(axon_microcircuit_build(ctx, scale, poisson), AXON_OK, "%s",
                 axon_last_error(ctx));
    return ctx;
}

/* memcmp of n bytes; empty arrays may be NULL */
static int same_bytes(const void *a, const void *b, size_t n)
{
    return n == 0 || !memcmp(a, b, n);
}

static void same_tables(axon_ctx *full, axon_ctx *ro)
{
    axon_mapping_report a, b;
    cr_assert_eq(axon_describe(full, &a), AXON_OK, "%s", axon_last_error(full));
    cr_assert_eq(axon_describe(ro, &b), AXON_OK, "%s", axon_last_error(ro));
    const hl_map *m = full->map, *n = ro->map;
    cr_assert_eq(n->routes_only, 1);
    cr_assert_eq(m->routes_only, 0);
    cr_assert_eq(m->n_chips, n->n_chips);
    cr_assert_eq(m->used_cores, n->used_cores);
    cr_assert_eq(a.synapses, b.synapses);
    cr_assert_eq(a.delay_extension_cores, b.delay_extension_cores);
    cr_assert_gt(a.delay_extension_cores, 0, "the network must exercise delay extensions");
    cr_assert_gt(m->n_chips, 1);
    for (uint32_t g = 0; g < m->used_cores; g++) {
        cr_assert_eq(m->cores[g].key, n->cores[g].key, "core %u", g);
        cr_assert_eq(m->cores[g].n_dest, n->cores[g].n_dest, "core %u", g);
        cr_assert_eq(m->cores[g].n_in, n->cores[g].n_in, "core %u", g);
    }
    uint64_t entries = 0;
    for (uint32_t ch = 0; ch < m->n_chips; ch++) {
        const hl_table *t = &m->tables[ch], *u = &n->tables[ch];
        cr_assert_eq(t->before, u->before, "chip %u", ch);
        cr_assert_eq(t->n_orig, u->n_orig, "chip %u", ch);
        cr_assert_eq(t->n, u->n, "chip %u", ch);
        cr_assert_eq(t->n_keep, u->n_keep, "chip %u", ch);
        cr_assert(same_bytes(t->orig, u->orig, sizeof *t->orig * t->n_orig), "chip %u", ch);
        cr_assert(same_bytes(t->e, u->e, sizeof *t->e * t->n), "chip %u", ch);
        cr_assert(same_bytes(t->keep, u->keep, sizeof *t->keep * t->n_keep), "chip %u", ch);
        entries += t->n_orig;
    }
    cr_assert_gt(entries, 0);
    axon_table_report ta, tb;
    cr_assert_eq(axon_describe_tables(full, &ta), AXON_OK);
    cr_assert_eq(axon_describe_tables(ro, &tb), AXON_OK);
    cr_assert_eq(ta.max_before, tb.max_before);
    cr_assert_eq(ta.max_after, tb.max_after);
    cr_assert_eq(ta.over_capacity, tb.over_capacity);
    cr_assert_eq(tb.routes_only, 1);
}

Test(routes_only, microcircuit_equals_full_mapping_mesh)
{
    axon_machine_opts mo = {.cores_per_chip = 8, .neurons_per_core = 32};
    axon_ctx *full = micro(0, 0.02, 1, &mo), *ro = micro(1, 0.02, 1, &mo);
    same_tables(full, ro);
    axon_destroy(full);
    axon_destroy(ro);
}

Test(routes_only, microcircuit_equals_full_mapping_torus)
{
    axon_machine_opts mo = {.width = 4, .height = 3, .cores_per_chip = 8,
                            .neurons_per_core = 64, .wrap = 1};
    axon_ctx *full = micro(0, 0.03, 0, &mo), *ro = micro(1, 0.03, 0, &mo);
    same_tables(full, ro);
    axon_destroy(full);
    axon_destroy(ro);
}

Test(routes_only, refusals)
{
    axon_machine_opts mo = {.cores_per_chip = 8, .neurons_per_core = 32};
    axon_ctx *ro = micro(1, 0.005, 0, &mo);
    cr_assert_eq(axon_set_routes_only(ro, 0), AXON_ERR_STATE);
    cr_assert(strstr(axon_last_error(ro), "before the first projection"));
    cr_assert_eq(axon_run(ro, 1.0), AXON_ERR_STATE);
    cr_assert(strstr(axon_last_error(ro), "routes-only"), "%s", axon_last_error(ro));
    cr_assert_null(axon_machine_image(ro));
    /* the slice pairs were kept for 32 neurons per core */
    mo.neurons_per_core = 64;
    cr_assert_eq(axon_set_machine(ro, &mo), AXON_OK);
    cr_assert_eq(axon_describe_tables(ro, &(axon_table_report){0}), AXON_ERR_STATE);
    cr_assert(strstr(axon_last_error(ro), "32 neurons per core"), "%s", axon_last_error(ro));
    axon_destroy(ro);
}
