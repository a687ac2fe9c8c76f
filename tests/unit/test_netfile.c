/* The declarative network file (hostlib/netfile.c, docs/network_file.md): valid files of
 * increasing complexity build the network they describe (checked through the public API),
 * every class of bad input fails with a message naming the JSON path and the offending
 * value, and the context stays usable after every failure. */
#include "axon/axon.h"
#include "axon/netfile.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AXON_SOURCE_DIR
#define AXON_SOURCE_DIR "."
#endif

/* JSON written with ' for " (readable literals); a copy the caller frees. */
static char *q(const char *s)
{
    char *o = strdup(s);
    cr_assert(o);
    for (char *p = o; *p; p++)
        if (*p == '\'')
            *p = '"';
    return o;
}

static int load_run(axon_ctx *ctx, const char *json, axon_netfile_run *run)
{
    char *j = q(json);
    int rc = axon_load_network_string(ctx, j, strlen(j), "net.json", run);
    free(j);
    return rc;
}

static int load(axon_ctx *ctx, const char *json) { return load_run(ctx, json, NULL); }

static axon_ctx *new_ctx(void)
{
    axon_ctx *ctx;
    cr_assert_eq(axon_create(&ctx), AXON_OK);
    return ctx;
}

#define LOAD_OK(ctx, json)                                                                 \
    cr_assert_eq(load((ctx), (json)), AXON_OK, "%s", axon_last_error(ctx))

static axon_pop find(axon_ctx *ctx, const char *label)
{
    axon_pop p = -1;
    cr_assert_eq(axon_pop_find(ctx, label, &p), AXON_OK, "%s", axon_last_error(ctx));
    return p;
}

static size_t n_conn(axon_ctx *ctx, axon_proj pj)
{
    size_t n = 0;
    cr_assert_eq(axon_proj_connections(ctx, pj, &n, NULL, NULL, NULL, NULL, 0), AXON_OK, "%s",
                 axon_last_error(ctx));
    return n;
}

static double *get(axon_ctx *ctx, axon_pop p, const char *name)
{
    double *v = malloc(sizeof(double) * axon_pop_size(ctx, p));
    cr_assert(v);
    cr_assert_eq(axon_pop_get(ctx, p, name, v), AXON_OK, "%s", axon_last_error(ctx));
    return v;
}

/* ------------------------------------------------------------------ valid files */

Test(netfile, minimal_file_uses_defaults)
{
    axon_ctx *ctx = new_ctx();
    axon_netfile_run run;
    memset(&run, 0x5a, sizeof run);
    cr_assert_eq(load_run(ctx, "{'populations': [{'label': 'p', 'size': 3, "
                               "'celltype': 'IF_curr_exp'}]}",
                          &run),
                 AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_eq(axon_pop_count(ctx), 1);
    cr_assert_eq(axon_proj_count(ctx), 0);
    axon_pop p = find(ctx, "p");
    cr_assert_eq(axon_pop_size(ctx, p), 3);
    cr_assert_str_eq(axon_pop_celltype(ctx, p)->name, "IF_curr_exp");
    cr_assert_float_eq(axon_timestep(ctx), 1.0, 1e-12);
    cr_assert_eq(axon_seed(ctx), 1);
    double *tau = get(ctx, p, "tau_m");
    for (int i = 0; i < 3; i++)
        cr_assert_float_eq(tau[i], 20.0, 1e-12);
    free(tau);
    double xyz[9];
    cr_assert_eq(axon_pop_positions(ctx, p, xyz), AXON_OK);
    cr_assert_float_eq(xyz[6], 2.0, 1e-12, "no structure: positions (i, 0, 0)");
    cr_assert_float_eq(run.duration_ms, 0.0, 0);
    cr_assert_str_empty(run.output);
    cr_assert_str_empty(run.backend);
    axon_destroy(ctx);
}

Test(netfile, setup_run_output_backend)
{
    axon_ctx *ctx = new_ctx();
    axon_netfile_run run;
    cr_assert_eq(load_run(ctx,
                          "{'version': 1, 'description': 'x',"
                          " 'setup': {'timestep': 0.1, 'min_delay': 'auto', 'max_delay': 10,"
                          "           'seed': 42},"
                          " 'machine': {'width': 2, 'height': 2, 'cores_per_chip': 8,"
                          "             'neurons_per_core': 64, 'wrap': true, 'threads': 2},"
                          " 'backend': 'emu', 'run': {'duration': 250.5},"
                          " 'output': 'out/results.h5',"
                          " 'populations': [{'label': 'a', 'size': 1, 'celltype': "
                          "'SpikeSourcePoisson'}]}",
                          &run),
                 AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_float_eq(axon_timestep(ctx), 0.1, 1e-12);
    cr_assert_eq(axon_seed(ctx), 42);
    cr_assert_float_eq(run.duration_ms, 250.5, 1e-12);
    cr_assert_str_eq(run.output, "out/results.h5");
    cr_assert_str_eq(run.backend, "emu");
    axon_destroy(ctx);
}

Test(netfile, parameters_constants_arrays_distributions)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx, "{'setup': {'seed': 3}, 'populations': [{'label': 'c', 'size': 4000,"
                 " 'celltype': 'IF_cond_exp',"
                 " 'parameters': {'tau_m': 12.5,"
                 "   'v_thresh': {'distribution': 'normal', 'params': [-50, 1]},"
                 "   'tau_refrac': {'distribution': 'uniform', 'params': {'low': 1, 'high': 3}},"
                 "   'cm': {'distribution': 'normal_clipped', 'params': [0.5, 0.2, 0.3, null]}},"
                 " 'initial_values': {'v': {'distribution': 'normal', 'params': [-65.0, 2.0]},"
                 "   'gsyn_exc': 0.001}}]}");
    axon_pop p = find(ctx, "c");
    double *tau = get(ctx, p, "tau_m"), *th = get(ctx, p, "v_thresh"),
           *rf = get(ctx, p, "tau_refrac"), *cm = get(ctx, p, "cm"), *v = get(ctx, p, "v"),
           *g = get(ctx, p, "gsyn_exc");
    double s = 0, s2 = 0, vs = 0, vs2 = 0;
    for (int i = 0; i < 4000; i++) {
        cr_assert_float_eq(tau[i], 12.5, 1e-12);
        cr_assert(rf[i] >= 1 && rf[i] < 3);
        cr_assert(cm[i] >= 0.3, "clipped below at 0.3: %g", cm[i]);
        cr_assert_float_eq(g[i], 0.001, 1e-15);
        s += th[i];
        s2 += th[i] * th[i];
        vs += v[i];
        vs2 += v[i] * v[i];
    }
    double m = s / 4000, sd = sqrt(s2 / 4000 - m * m);
    cr_expect(fabs(m + 50) < 0.1 && fabs(sd - 1) < 0.1, "v_thresh ~ normal(-50, 1): %g, %g", m,
              sd);
    m = vs / 4000;
    sd = sqrt(vs2 / 4000 - m * m);
    cr_expect(fabs(m + 65) < 0.2 && fabs(sd - 2) < 0.2, "v ~ normal(-65, 2): %g, %g", m, sd);
    free(tau), free(th), free(rf), free(cm), free(v), free(g);

    LOAD_OK(ctx, "{'populations': [{'label': 'a', 'size': 3, 'celltype': 'IF_curr_exp',"
                 " 'parameters': {'i_offset': [0.1, 0.2, 0.3]}}]}");
    double *io = get(ctx, find(ctx, "a"), "i_offset");
    cr_assert_float_eq(io[0], 0.1, 1e-12);
    cr_assert_float_eq(io[2], 0.3, 1e-12);
    free(io);
    axon_destroy(ctx);
}

Test(netfile, structures_give_positions)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx,
            "{'populations': ["
            " {'label': 'line', 'size': 5, 'celltype': 'IF_curr_exp',"
            "  'structure': {'type': 'Line', 'dx': 2.0, 'x0': 1.0, 'y': 3.0, 'z': 4.0}},"
            " {'label': 'grid', 'size': 6, 'celltype': 'IF_curr_exp',"
            "  'structure': {'type': 'Grid2D', 'aspect_ratio': 1.5, 'dx': 10, 'dy': 20,"
            "                'x0': 1, 'y0': 2, 'z': 3, 'fill_order': 'sequential'}},"
            " {'label': 'cube', 'size': 8, 'celltype': 'IF_curr_exp',"
            "  'structure': {'type': 'Grid3D', 'dx': 1, 'dy': 2, 'dz': 3}},"
            " {'label': 'ball', 'size': 200, 'celltype': 'IF_curr_exp',"
            "  'structure': {'type': 'RandomStructure', 'origin': [10, 20, 30],"
            "                'boundary': {'type': 'Sphere', 'radius': 5}}},"
            " {'label': 'box', 'size': 200, 'celltype': 'IF_curr_exp',"
            "  'structure': {'type': 'RandomStructure',"
            "                'boundary': {'type': 'Cuboid', 'width': 2, 'height': 4, 'depth': 6}}}"
            "]}");
    double xyz[3 * 200];
    cr_assert_eq(axon_pop_positions(ctx, find(ctx, "line"), xyz), AXON_OK);
    for (int i = 0; i < 5; i++) {
        cr_assert_float_eq(xyz[3 * i], 1.0 + 2.0 * i, 1e-12);
        cr_assert_float_eq(xyz[3 * i + 1], 3.0, 1e-12);
        cr_assert_float_eq(xyz[3 * i + 2], 4.0, 1e-12);
    }
    cr_assert_eq(axon_pop_positions(ctx, find(ctx, "grid"), xyz), AXON_OK);
    for (int i = 0; i < 6; i++) { /* nx = 3, ny = 2 */
        cr_assert(xyz[3 * i] == 1 || xyz[3 * i] == 11 || xyz[3 * i] == 21, "x %g", xyz[3 * i]);
        cr_assert(xyz[3 * i + 1] == 2 || xyz[3 * i + 1] == 22, "y %g", xyz[3 * i + 1]);
        cr_assert_float_eq(xyz[3 * i + 2], 3.0, 1e-12);
    }
    cr_assert_eq(axon_pop_positions(ctx, find(ctx, "cube"), xyz), AXON_OK);
    cr_assert_float_eq(xyz[3 * 7], 1.0, 1e-12);
    cr_assert_float_eq(xyz[3 * 7 + 1], 2.0, 1e-12);
    cr_assert_float_eq(xyz[3 * 7 + 2], 3.0, 1e-12);
    cr_assert_eq(axon_pop_positions(ctx, find(ctx, "ball"), xyz), AXON_OK);
    for (int i = 0; i < 200; i++) {
        double dx = xyz[3 * i] - 10, dy = xyz[3 * i + 1] - 20, dz = xyz[3 * i + 2] - 30;
        cr_assert(dx * dx + dy * dy + dz * dz <= 25 + 1e-9);
    }
    cr_assert_eq(axon_pop_positions(ctx, find(ctx, "box"), xyz), AXON_OK);
    for (int i = 0; i < 200; i++)
        cr_assert(fabs(xyz[3 * i]) <= 1 && fabs(xyz[3 * i + 1]) <= 2 &&
                  fabs(xyz[3 * i + 2]) <= 3);
    axon_destroy(ctx);
}

Test(netfile, connectors_short_and_pynn_names)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx,
            "{'populations': ["
            " {'label': 'a', 'size': 10, 'celltype': 'IF_curr_exp'},"
            " {'label': 'b', 'size': 6, 'celltype': 'IF_curr_exp'}],"
            " 'projections': ["
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'AllToAll'}},"
            "  {'pre': 'a', 'post': 'a', 'connector': {'type': 'AllToAllConnector',"
            "                                          'allow_self_connections': false}},"
            "  {'pre': 'a', 'post': 'a', 'connector': {'type': 'OneToOneConnector'}},"
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'FixedProbability', 'p_connect': 1}},"
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'FixedProbabilityConnector',"
            "                                          'p_connect': 0}},"
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'FixedNumberPre', 'n': 3}},"
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'FixedNumberPostConnector', 'n': 2,"
            "                                          'with_replacement': true}},"
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'FixedTotalNumber', 'n': 17}},"
            "  {'pre': 'a', 'post': 'b', 'connector': {'type': 'ArrayConnector', 'array':"
            "     [[1,0,0,0,0,0],[0,1,0,0,0,0],[0,0,1,0,0,0],[0,0,0,1,0,0],[0,0,0,0,1,0],"
            "      [0,0,0,0,0,1],[true,true,false,false,false,false],[0,0,0,0,0,0],"
            "      [0,0,0,0,0,0],[0,0,0,0,0,0]]}},"
            "  {'pre': 'a', 'post': 'a', 'connector': {'type': 'DistanceDependentProbability',"
            "     'd_expression': 'd < 1.5', 'allow_self_connections': false}},"
            "  {'pre': 'a', 'post': 'a', 'connector': {'type': 'SmallWorldConnector',"
            "     'degree': 1.5, 'rewiring': 0.0, 'allow_self_connections': false}}"
            "]}");
    cr_assert_eq(axon_proj_count(ctx), 11);
    const size_t expect[] = {60, 90, 10, 60, 0, 18, 20, 17, 8, 18, 18};
    for (axon_proj k = 0; k < 11; k++)
        cr_expect_eq(n_conn(ctx, k), expect[k], "projection %d: %zu connections, expected %zu",
                     k, n_conn(ctx, k), expect[k]);
    axon_destroy(ctx);
}

Test(netfile, from_list_weights_delays_and_views)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx,
            "{'populations': ["
            " {'label': 'a', 'size': 10, 'celltype': 'IF_curr_exp'},"
            " {'label': 'b', 'size': 10, 'celltype': 'IF_curr_exp'}],"
            " 'projections': ["
            "  {'label': 'list', 'pre': 'a', 'post': 'b', 'connector': {'type': 'FromList',"
            "     'conn_list': [[0, 1, 0.5, 2.0], [3, 4, 0.25, 7.0]]}, 'receptor_type': "
            "'inhibitory'},"
            "  {'pre': {'population': 'a', 'slice': [2, 8, 2]},"
            "   'post': {'population': 'b', 'indices': [9, 0]},"
            "   'connector': {'type': 'AllToAll'},"
            "   'synapse': {'type': 'StaticSynapse', 'weight': [[1, 2], [3, 4], [5, 6]],"
            "               'delay': 3}},"
            "  {'pre': {'population': 'a', 'sample': 4}, 'post': {'population': 'b', 'slice': "
            "[-2, null]},"
            "   'connector': {'type': 'AllToAll'},"
            "   'synapse': {'weight': {'distribution': 'uniform', 'params': [0.1, 0.2]},"
            "               'delay': {'distribution': 'uniform_int', 'params': [1, 5]}}}"
            "]}");
    uint32_t pre[16], post[16];
    double w[16], d[16];
    size_t n;
    cr_assert_eq(axon_proj_connections(ctx, 0, &n, pre, post, w, d, 16), AXON_OK);
    cr_assert_eq(n, 2);
    for (size_t k = 0; k < n; k++) {
        int first = pre[k] == 0;
        cr_assert_eq(post[k], first ? 1u : 4u);
        cr_assert_float_eq(w[k], first ? 0.5 : 0.25, 1e-12);
        cr_assert_float_eq(d[k], first ? 2.0 : 7.0, 1e-12);
    }
    cr_assert_eq(axon_proj_connections(ctx, 1, &n, pre, post, w, d, 16), AXON_OK);
    cr_assert_eq(n, 6);
    for (size_t k = 0; k < n; k++) {
        cr_assert(pre[k] == 2 || pre[k] == 4 || pre[k] == 6, "pre %u", pre[k]);
        cr_assert(post[k] == 0 || post[k] == 9, "post %u", post[k]);
        /* matrix rows follow the pre view (2, 4, 6), columns the sorted post view (0, 9) */
        double expect = 1 + 2 * (pre[k] - 2) / 2 + (post[k] == 9);
        cr_assert_float_eq(w[k], expect, 1e-12, "w(%u, %u) = %g", pre[k], post[k], w[k]);
        cr_assert_float_eq(d[k], 3.0, 1e-12);
    }
    cr_assert_eq(axon_proj_connections(ctx, 2, &n, pre, post, w, d, 16), AXON_OK);
    cr_assert_eq(n, 8);
    for (size_t k = 0; k < n; k++) {
        cr_assert(post[k] == 8 || post[k] == 9);
        cr_assert(w[k] >= 0.1 && w[k] < 0.2);
        cr_assert(d[k] >= 1 && d[k] < 5 && d[k] == floor(d[k]));
    }
    axon_destroy(ctx);
}

Test(netfile, distance_expressions_and_space)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx,
            "{'populations': [{'label': 'r', 'size': 10, 'celltype': 'IF_curr_exp',"
            "                  'structure': {'type': 'Line', 'dx': 1.0}}],"
            " 'projections': ["
            "  {'pre': 'r', 'post': 'r',"
            "   'connector': {'type': 'DistanceDependentProbability', 'd_expression': 'd < 1.5'},"
            "   'synapse': {'weight': '0.5 + 0.01*d', 'delay': '1 + d'}},"
            "  {'pre': 'r', 'post': 'r',"
            "   'connector': {'type': 'DistanceDependentProbability', 'd_expression': 'd < 1.5'},"
            "   'space': {'axes': 'x', 'periodic_boundaries': [[0, 10], null, null]}},"
            "  {'pre': 'r', 'post': 'r',"
            "   'connector': {'type': 'DistanceDependentProbability', 'd_expression': 'd < 1.5'},"
            "   'space': {'axes': 'xyz', 'periodic_boundaries': [10, 0, 0]}}"
            "]}");
    uint32_t pre[64], post[64];
    double w[64], d[64];
    size_t n;
    cr_assert_eq(axon_proj_connections(ctx, 0, &n, pre, post, w, d, 64), AXON_OK);
    cr_assert_eq(n, 28, "self + 2 x 9 neighbours on an open line: %zu", n);
    for (size_t k = 0; k < n; k++) {
        double dist = fabs((double)pre[k] - (double)post[k]);
        cr_assert_float_eq(w[k], 0.5 + 0.01 * dist, 1e-12);
        cr_assert_float_eq(d[k], 1 + dist, 1e-12);
    }
    cr_assert_eq(n_conn(ctx, 1), 30, "periodic: every neuron has two neighbours");
    cr_assert_eq(n_conn(ctx, 2), 30);
    axon_destroy(ctx);
}

Test(netfile, from_file_is_relative_to_the_network_file)
{
    char dir[] = "/tmp/axon_netfile_XXXXXX";
    cr_assert(mkdtemp(dir));
    char conn[300], net[300];
    snprintf(conn, sizeof conn, "%s/conns.txt", dir);
    snprintf(net, sizeof net, "%s/net.json", dir);
    FILE *f = fopen(conn, "w");
    cr_assert(f);
    fprintf(f, "# columns = ['i', 'j', 'weight', 'delay']\n0 1 0.5 2\n2 0 0.25 3\n");
    fclose(f);
    f = fopen(net, "w");
    cr_assert(f);
    fprintf(f, "{\"populations\": [{\"label\": \"a\", \"size\": 3, \"celltype\": "
               "\"IF_curr_exp\"}],\n \"projections\": [{\"pre\": \"a\", \"post\": \"a\",\n"
               " \"connector\": {\"type\": \"FromFileConnector\", \"file\": \"conns.txt\"}}]}\n");
    fclose(f);
    axon_ctx *ctx = new_ctx();
    cr_assert_eq(axon_load_network(ctx, net, NULL), AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_eq(n_conn(ctx, 0), 2);
    unlink(conn);
    unlink(net);
    rmdir(dir);
    axon_destroy(ctx);
}

Test(netfile, spike_times_and_recording_run)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx,
            "{'populations': ["
            " {'label': 'src', 'size': 3, 'celltype': 'SpikeSourceArray',"
            "  'spike_times': [[5, 10], [], [7]], 'record': 'spikes'},"
            " {'label': 'all', 'size': 2, 'celltype': 'SpikeSourceArray',"
            "  'parameters': {'spike_times': [3, 4]}, 'record': ['spikes']},"
            " {'label': 'cells', 'size': 8, 'celltype': 'IF_curr_exp',"
            "  'record': ['spikes', {'variables': ['v', 'gsyn_exc'], 'sampling_interval': 2.0,"
            "                        'view': {'slice': [0, 4]}},"
            "             {'variables': 'gsyn_inh', 'view': {'indices': [7]}}]}],"
            " 'run': {'duration': 20}}");
    cr_assert_eq(axon_run(ctx, 20.0), AXON_OK, "%s", axon_last_error(ctx));
    size_t n;
    uint32_t nrn[16];
    double t[16];
    cr_assert_eq(axon_get_spikes(ctx, find(ctx, "src"), &n, nrn, t, 16), AXON_OK, "%s",
                 axon_last_error(ctx));
    cr_assert_eq(n, 3);
    cr_expect(nrn[0] == 0 && nrn[1] == 0 && nrn[2] == 2);
    cr_expect_float_eq(t[0], 5.0, 1e-9);
    cr_expect_float_eq(t[1], 10.0, 1e-9);
    cr_expect_float_eq(t[2], 7.0, 1e-9);
    cr_assert_eq(axon_get_spikes(ctx, find(ctx, "all"), &n, nrn, t, 16), AXON_OK);
    cr_assert_eq(n, 4, "[3, 4] for both sources");
    uint32_t nn, ns;
    double dt;
    axon_pop c = find(ctx, "cells");
    cr_assert_eq(axon_get_signal(ctx, c, "v", &nn, &ns, &dt, NULL, NULL), AXON_OK, "%s",
                 axon_last_error(ctx));
    cr_expect_eq(nn, 4);
    cr_expect_float_eq(dt, 2.0, 1e-12);
    cr_assert_eq(axon_get_signal(ctx, c, "gsyn_inh", &nn, &ns, &dt, NULL, NULL), AXON_OK);
    cr_expect_eq(nn, 1);
    axon_destroy(ctx);
}

Test(netfile, example_networks)
{
    axon_ctx *ctx = new_ctx();
    axon_netfile_run run;
    const char *tut = AXON_SOURCE_DIR "/examples/networks/tutorial.json";
    cr_assert_eq(axon_load_network(ctx, tut, &run), AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_eq(axon_pop_count(ctx), 3);
    axon_pop e = find(ctx, "exc"), i = find(ctx, "inh"), th = find(ctx, "thalamus");
    cr_assert_eq(axon_pop_size(ctx, e), 800);
    cr_assert_eq(axon_pop_size(ctx, i), 200);
    cr_assert_eq(axon_pop_size(ctx, th), 800);
    cr_assert_str_eq(axon_pop_celltype(ctx, e)->name, "IF_cond_exp");
    cr_assert_str_eq(axon_pop_celltype(ctx, th)->name, "SpikeSourcePoisson");
    double *rate = get(ctx, th, "rate"), *start = get(ctx, th, "start"), *v = get(ctx, e, "v");
    cr_assert_float_eq(rate[0], 50.0, 1e-12);
    cr_assert_float_eq(start[799], 100.0, 1e-12);
    double s = 0;
    for (int k = 0; k < 800; k++)
        s += v[k];
    cr_expect(fabs(s / 800 + 65) < 0.5, "mean v %g", s / 800);
    free(rate), free(start), free(v);
    cr_assert_eq(axon_proj_count(ctx), 5);
    const double expect[4] = {0.02 * 800 * 800, 0.02 * 800 * 200, 0.02 * 200 * 800,
                              0.02 * 200 * 200};
    const double wexp[4] = {0.04, 0.04, 0.51, 0.51};
    for (axon_proj k = 0; k < 4; k++) {
        size_t n = n_conn(ctx, k);
        cr_expect(fabs((double)n - expect[k]) < 5 * sqrt(expect[k]), "projection %d: %zu", k, n);
        double w, d;
        uint32_t a, b;
        cr_assert_eq(axon_proj_connections(ctx, k, &n, &a, &b, &w, &d, 1), AXON_OK);
        cr_expect_float_eq(w, wexp[k], 1e-12);
        cr_expect_float_eq(d, 1.0, 1e-12);
    }
    cr_assert_eq(n_conn(ctx, 4), 800);
    cr_assert_float_eq(run.duration_ms, 200.0, 1e-12);
    cr_assert_str_eq(run.backend, "ref");

    const char *small = AXON_SOURCE_DIR "/examples/networks/small.json";
    cr_assert_eq(axon_load_network(ctx, small, &run), AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_eq(axon_pop_count(ctx), 2, "the tutorial network was replaced");
    cr_assert_eq(axon_run(ctx, run.duration_ms), AXON_OK, "%s", axon_last_error(ctx));
    size_t n = 0;
    cr_assert_eq(axon_get_spikes(ctx, find(ctx, "cells"), &n, NULL, NULL, 0), AXON_OK);
    cr_expect(n > 0, "small.json: the cells fire");
    axon_destroy(ctx);
}

/* ------------------------------------------------------------------ bad input */

static const char *const GOOD = "{'populations': [{'label': 'ok', 'size': 2, 'celltype': "
                                "'IF_curr_exp'}]}";

/* A valid pair of populations for the projection cases. */
#define POPS                                                                               \
    "'populations': [{'label': 'a', 'size': 10, 'celltype': 'IF_curr_exp'},"               \
    " {'label': 'b', 'size': 5, 'celltype': 'IF_cond_exp'},"                               \
    " {'label': 's', 'size': 2, 'celltype': 'SpikeSourceArray'}]"
#define PROJ(body) "{" POPS ", 'projections': [{'pre': 'a', 'post': 'b', " body "}]}"
#define CONN(c) PROJ("'connector': " c)
#define SYN(s) PROJ("'connector': {'type': 'AllToAll'}, 'synapse': " s)
#define POP(body) "{'populations': [{'label': 'p', 'size': 10, 'celltype': 'IF_cond_exp', " body "}]}"

typedef struct bad_case {
    const char *json;
    const char *path;  /* must appear in the message */
    const char *value; /* must appear too (may be NULL when the path is the value) */
} bad_case;

#define STDP_NET(syn)                                                                      \
    "{'populations': [{'label': 'a', 'size': 2, 'celltype': 'SpikeSourcePoisson'},"            \
    " {'label': 'b', 'size': 2, 'celltype': 'IF_curr_exp'}], 'projections': [{'pre': 'a',"     \
    " 'post': 'b', 'connector': {'type': 'AllToAll'}, 'synapse': " syn "}]}"

static const bad_case BAD[] = {
    /* STDP */
    {STDP_NET("{'type': 'STDPMechanism', 'weight_dependence': {'type': "
              "'AdditiveWeightDependence'}}"),
     "projections[0].synapse", "timing_dependence"},
    {STDP_NET("{'type': 'STDPMechanism', 'timing_dependence': {'type': 'Vogels2011Rule'}, "
              "'weight_dependence': {'type': 'AdditiveWeightDependence'}}"),
     "projections[0].synapse.timing_dependence.type", "Vogels2011Rule"},
    {STDP_NET("{'type': 'STDPMechanism', 'timing_dependence': {'type': 'SpikePairRule', "
              "'tau_plus': -3}, 'weight_dependence': {'type': 'AdditiveWeightDependence'}}"),
     "projections[0].synapse.timing_dependence.tau_plus", "-3"},
    {STDP_NET("{'type': 'STDPMechanism', 'timing_dependence': {'type': 'SpikePairRule'}, "
              "'weight_dependence': {'type': 'AdditiveWeightDependence', 'w_min': 2, "
              "'w_max': 1}}"),
     "projections[0].synapse", "w_max = 1"},
    {STDP_NET("{'type': 'STDPMechanism', 'timing_dependence': {'type': 'SpikePairRule'}, "
              "'weight_dependence': {'type': 'AdditiveWeightDependence'}, "
              "'dendritic_delay_fraction': 0.5}"),
     "projections[0].synapse", "dendritic_delay_fraction = 0.5"},
    {STDP_NET("{'weight': 1, 'timing_dependence': {'type': 'SpikePairRule'}}"),
     "projections[0].synapse.timing_dependence", "STDPMechanism"},
    /* syntax */
    {"{\n 'setup': {,}\n}", "line 2, column", NULL},
    {"{'populations': [}", "line 1, column", NULL},
    {"{'a': 1, 'a': 2}", "line 1", "duplicate"},
    {"{'populations': [{'label': 'p', 'size': 1e999, 'celltype': 'IF_curr_exp'}]}", "line 1",
     "overflow"},
    {"[1, 2]", "net.json", "an array of 2 elements"},
    {"{}", "net.json", "populations"},
    /* unknown keys */
    {"{'populations': [], 'projection': []}", "projection: unknown key", NULL},
    {POP("'parametres': {}"), "populations[0].parametres: unknown key", NULL},
    {POP("'structure': {'type': 'Line', 'dz': 1}"), "populations[0].structure.dz: unknown key",
     NULL},
    {"{'setup': {'timestep': 1, 'dt': 1}, 'populations': []}", "setup.dt: unknown key", NULL},
    {"{'machine': {'cores': 4}, 'populations': []}", "machine.cores: unknown key", NULL},
    {CONN("{'type': 'FixedProbability', 'p_connect': 0.1, 'rng': 1}"),
     "projections[0].connector.rng: unknown key", NULL},
    {CONN("{'type': 'OneToOne', 'allow_self_connections': true}"),
     "projections[0].connector.allow_self_connections: unknown key", NULL},
    {SYN("{'weight': 1, 'tau_plus': 20}"), "projections[0].synapse.tau_plus: unknown key", NULL},
    {PROJ("'connector': {'type': 'AllToAll'}, 'space': {'axes': 'x', 'scale_factor': 2}"),
     "projections[0].space.scale_factor: unknown key", NULL},
    {POP("'record': [{'variables': 'v', 'view': {'slice': [0, 2], 'mask': []}}]"),
     "populations[0].record[0].view.mask: unknown key", NULL},
    /* types, NaN and infinities */
    {POP("'parameters': {'tau_m': 'nan'}"), "populations[0].parameters.tau_m", "\"nan\""},
    {POP("'parameters': {'tau_m': 'inf'}"), "populations[0].parameters.tau_m", "\"inf\""},
    {POP("'parameters': {'tau_m': true}"), "populations[0].parameters.tau_m", "true"},
    {POP("'parameters': {'tau_m': [1, 2]}"), "populations[0].parameters.tau_m", "2 values"},
    {POP("'parameters': {'tau_m': [1, 2, 3, 4, 5, 6, 7, 8, 9, 'NaN']}"),
     "populations[0].parameters.tau_m[9]", "\"NaN\""},
    {POP("'initial_values': {'v': {'distribution': 'normal', 'params': [-65, 'nan']}}"),
     "populations[0].initial_values.v.params[1]", "\"nan\""},
    {POP("'initial_values': {'v': {'distribution': 'gaussian', 'params': [0, 1]}}"),
     "populations[0].initial_values.v.distribution", "gaussian"},
    {POP("'initial_values': {'v': {'distribution': 'normal', 'params': [0, 1, 2]}}"),
     "populations[0].initial_values.v.params", "got 3"},
    {POP("'initial_values': {'v': {'distribution': 'normal', 'params': {'mu': 0, 'sd': 1}}}"),
     "populations[0].initial_values.v.params.sd: unknown key", NULL},
    {SYN("{'weight': 'nan'}"), "projections[0].synapse.weight", "\"nan\""},
    {SYN("{'weight': ' -Infinity '}"), "projections[0].synapse.weight", "Infinity"},
    {SYN("{'delay': 'inf'}"), "projections[0].synapse.delay", "\"inf\""},
    {SYN("{'weight': 0.1, 'delay': 200}"), "projections[0].synapse.delay", "200"},
    {SYN("{'weight': 0.1, 'delay': [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1],"
         " [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1],"
         " [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 0.5, 1]]}"),
     "projections[0].synapse.delay[9][3]", "0.5"},
    {SYN("{'weight': [[1, 2], [3, 4]]}"), "projections[0].synapse.weight", "2 rows"},
    {SYN("{'weight': 'exp(-d'}"), "projections[0]", "exp(-d"},
    {SYN("{'type': 'STDPMechanism', 'weight': 1}"), "projections[0].synapse",
     "timing_dependence"},
    {SYN("{'type': 'Tsodyks', 'weight': 1}"), "projections[0].synapse.type", "Tsodyks"},
    {"{'setup': {'timestep': -1}, 'populations': []}", "setup.timestep", "-1"},
    {"{'setup': {'timestep': 0.1, 'max_delay': 'never'}, 'populations': []}", "setup.max_delay",
     "never"},
    {"{'setup': {'seed': -3}, 'populations': []}", "setup.seed", "-3"},
    {"{'setup': {'timestep': 0.0000001}, 'populations': []}", "setup", "timestep"},
    {"{'machine': {'wrap': 1}, 'populations': []}", "machine.wrap", "1"},
    {"{'machine': {'threads': 100}, 'populations': []}", "machine.threads", "100"},
    {"{'machine': {'width': 1000, 'height': 1000}, 'populations': []}", "machine", "1000"},
    {"{'backend': 'gpu', 'populations': []}", "backend", "gpu"},
    {"{'run': {'duration': -5}, 'populations': []}", "run.duration", "-5"},
    {"{'run': {'duration': '100'}, 'populations': []}", "run.duration", "\"100\""},
    {"{'output': 5, 'populations': []}", "output", "5"},
    {"{'version': 2, 'populations': []}", "version", "2"},
    {"{'populations': {}}", "populations", "an object"},
    /* sizes, labels, cell types, parameters */
    {"{'populations': [{'label': 'p', 'size': -5, 'celltype': 'IF_curr_exp'}]}",
     "populations[0].size", "-5"},
    {"{'populations': [{'label': 'p', 'size': 0, 'celltype': 'IF_curr_exp'}]}",
     "populations[0].size", "0"},
    {"{'populations': [{'label': 'p', 'size': 2.5, 'celltype': 'IF_curr_exp'}]}",
     "populations[0].size", "2.5"},
    {"{'populations': [{'label': 'p', 'size': '800', 'celltype': 'IF_curr_exp'}]}",
     "populations[0].size", "\"800\""},
    {"{'populations': [{'label': 'p', 'size': 100000000, 'celltype': 'IF_curr_exp'}]}",
     "populations[0]", "100000000"},
    {"{'populations': [{'size': 2, 'celltype': 'IF_curr_exp'}]}", "populations[0]", "label"},
    {"{'populations': [{'label': 'p', 'size': 2, 'celltype': 'IF_curr_exp'},"
     " {'label': 'p', 'size': 2, 'celltype': 'IF_curr_exp'}]}",
     "populations[1].label", "'p'"},
    {"{'populations': [{'label': 'p', 'size': 2, 'celltype': 'IF_cond_xp'}]}",
     "populations[0].celltype", "IF_cond_xp"},
    {POP("'parameters': {'tau_mm': 20}"), "populations[0].parameters.tau_mm", "tau_mm"},
    {POP("'parameters': {'v': -65}"), "populations[0].parameters.v", "initial value"},
    {POP("'initial_values': {'u': 0}"), "populations[0].initial_values.u", "'u'"},
    {POP("'parameters': {'tau_m': -5}"), "populations[0].parameters.tau_m", "-5"},
    {POP("'parameters': {'cm': 0}"), "populations[0].parameters.cm", "cm"},
    {POP("'parameters': {'tau_m': {'distribution': 'uniform', 'params': [5, 1]}}"),
     "populations[0].parameters.tau_m", "uniform"},
    {POP("'structure': {'type': 'Grid2D', 'aspect_ratio': 0.3}"), "populations[0].structure",
     "aspect_ratio"},
    {POP("'structure': {'type': 'Ring'}"), "populations[0].structure.type", "Ring"},
    {POP("'structure': {'type': 'RandomStructure', 'boundary': {'type': 'Sphere', 'radius': "
         "-1}}"),
     "populations[0].structure.boundary.radius", "-1"},
    {POP("'structure': {'type': 'RandomStructure', 'origin': [1, 2],"
         " 'boundary': {'type': 'Sphere', 'radius': 1}}"),
     "populations[0].structure.origin", "got 2"},
    {POP("'spike_times': [1, 2]"), "populations[0].spike_times", "IF_cond_exp"},
    {"{'populations': [{'label': 's', 'size': 2, 'celltype': 'SpikeSourceArray',"
     " 'spike_times': [[1], [2], [3]]}]}",
     "populations[0].spike_times", "3 spike trains"},
    {"{'populations': [{'label': 's', 'size': 2, 'celltype': 'SpikeSourceArray',"
     " 'spike_times': [[1], [2, -4]]}]}",
     "populations[0].spike_times[1][1]", "-4"},
    {"{'populations': [{'label': 's', 'size': 2, 'celltype': 'SpikeSourceArray',"
     " 'parameters': {'rate': 5}}]}",
     "populations[0].parameters.rate", "rate"},
    {"{'populations': [{'label': 's', 'size': 2, 'celltype': 'SpikeSourcePoisson',"
     " 'parameters': {'rate': -5}}]}",
     "populations[0].parameters.rate", "-5"},
    /* recording */
    {POP("'record': ['spikes', 'w']"), "populations[0].record[1]", "\"w\""},
    {"{'populations': [{'label': 's', 'size': 2, 'celltype': 'SpikeSourcePoisson',"
     " 'record': ['v']}]}",
     "populations[0].record[0]", "\"v\""},
    {POP("'record': [{'variables': ['v'], 'view': {'slice': [0, 2000]}}]"),
     "populations[0].record[0].view.slice", "2000"},
    {POP("'record': [{'variables': ['v'], 'view': {'indices': [1, 10]}}]"),
     "populations[0].record[0].view.indices[1]", "10"},
    {POP("'record': [{'variables': ['v'], 'view': {'sample': 11}}]"),
     "populations[0].record[0].view.sample", "11"},
    {POP("'record': [{'variables': ['v'], 'sampling_interval': 1.5}]"), "populations[0].record[0]",
     "1.5"},
    {POP("'record': [{'variables': ['v'], 'sampling_interval': 'nan'}]"),
     "populations[0].record[0].sampling_interval", "\"nan\""},
    /* projections: references, views, connectors */
    {PROJ("'connector': {'type': 'AllToAll'}, 'pre': 'nowhere'"), "line 1", "duplicate"},
    {"{" POPS ", 'projections': [{'pre': 'nowhere', 'post': 'b', 'connector': {'type': "
     "'AllToAll'}}]}",
     "projections[0].pre", "nowhere"},
    {"{" POPS ", 'projections': [{'pre': {'population': 'zz'}, 'post': 'b',"
     " 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].pre.population", "zz"},
    {"{" POPS ", 'projections': [{'pre': {'population': 'a', 'slice': [0, 11]}, 'post': 'b',"
     " 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].pre.slice", "11"},
    {"{" POPS ", 'projections': [{'pre': {'population': 'a', 'slice': [0, 5, 0]}, 'post': 'b',"
     " 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].pre.slice[2]", "0"},
    {"{" POPS ", 'projections': [{'pre': 'a', 'post': {'population': 'b', 'indices': [0, 5]},"
     " 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].post.indices[1]", "5"},
    {"{" POPS ", 'projections': [{'pre': 'a', 'post': {'population': 'b', 'indices': [1, 1]},"
     " 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].post", "1"},
    {"{" POPS ", 'projections': [{'pre': {'population': 'a', 'sample': 0}, 'post': 'b',"
     " 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].pre.sample", "0"},
    {"{" POPS ", 'projections': [{'pre': {'population': 'a', 'sample': 2, 'slice': [0, 2]},"
     " 'post': 'b', 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].pre", "sample"},
    {"{" POPS ", 'projections': [{'pre': 'a', 'post': 's', 'connector': {'type': 'AllToAll'}}]}",
     "projections[0].post", "SpikeSourceArray"},
    {PROJ("'connector': {'type': 'AllToAll'}, 'receptor_type': 'modulatory'"),
     "projections[0].receptor_type", "modulatory"},
    {"{" POPS ", 'projections': [{'pre': 'a', 'post': 'b'}]}", "projections[0]", "connector"},
    {CONN("{'type': 'Random'}"), "projections[0].connector.type", "Random"},
    {CONN("{'type': 'FixedProbability'}"), "projections[0].connector", "p_connect"},
    {CONN("{'type': 'FixedProbability', 'p_connect': 1.5}"), "projections[0].connector.p_connect",
     "1.5"},
    {CONN("{'type': 'FixedProbability', 'p_connect': 'nan'}"),
     "projections[0].connector.p_connect", "\"nan\""},
    {CONN("{'type': 'AllToAll', 'allow_self_connections': 'yes'}"),
     "projections[0].connector.allow_self_connections", "yes"},
    {CONN("{'type': 'FixedNumberPre', 'n': -1}"), "projections[0].connector.n", "-1"},
    {CONN("{'type': 'FixedNumberPre', 'n': 20}"), "projections[0]", "20"},
    {CONN("{'type': 'SmallWorld', 'degree': 2, 'rewiring': 2}"),
     "projections[0].connector.rewiring", "2"},
    {CONN("{'type': 'DistanceDependentProbability', 'd_expression': 5}"),
     "projections[0].connector.d_expression", "5"},
    {CONN("{'type': 'DistanceDependentProbability', 'd_expression': 'NaN'}"),
     "projections[0].connector.d_expression", "NaN"},
    {CONN("{'type': 'DistanceDependentProbability', 'd_expression': 'exp(-dd)'}"),
     "projections[0]", "dd"},
    {CONN("{'type': 'FromList', 'conn_list': [[0, 1], [0, 9]]}"),
     "projections[0].connector.conn_list[1][1]", "9"},
    {CONN("{'type': 'FromList', 'conn_list': [[0, 1, 0.5], [0, 2]]}"),
     "projections[0].connector.conn_list[1]", "2 values"},
    {CONN("{'type': 'FromList', 'conn_list': [[0, 1, 'nan']]}"),
     "projections[0].connector.conn_list[0][2]", "\"nan\""},
    {CONN("{'type': 'FromList', 'conn_list': [[0, 1, 0.5, 1000]]}"),
     "projections[0].connector.conn_list[0][3]", "1000"},
    {CONN("{'type': 'FromFile', 'file': 'no_such_file.txt'}"), "projections[0].connector.file",
     "no_such_file.txt"},
    {CONN("{'type': 'ArrayConnector', 'array': [[1, 0]]}"), "projections[0].connector.array",
     "1 rows"},
    {CONN("{'type': 'Array', 'array': [[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,0],"
          "[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,2]]}"),
     "projections[0].connector.array[9][4]", "2"},
    {PROJ("'connector': {'type': 'AllToAll'}, 'space': {'axes': 'xw'}"),
     "projections[0].space.axes", "xw"},
    {PROJ("'connector': {'type': 'AllToAll'}, 'space': {'periodic_boundaries': [-1, 0, 0]}"),
     "projections[0].space.periodic_boundaries[0]", "-1"},
    {PROJ("'connector': {'type': 'AllToAll'}, 'space': {'periodic_boundaries': [[5, 1], null, "
          "null]}"),
     "projections[0].space.periodic_boundaries[0]", "5"},
    {PROJ("'connector': {'type': 'AllToAll'}, 'space': {'periodic_boundaries': [0, 0]}"),
     "projections[0].space.periodic_boundaries", "2 elements"},
    {SYN("{'weight': -0.5}"), "projections[0]", "negative"},
};

Test(netfile, stdp_mechanism_learns)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx, "{'setup': {'timestep': 1.0}, 'populations': ["
                 "{'label': 'a', 'size': 20, 'celltype': 'SpikeSourcePoisson', "
                 "'parameters': {'rate': 30}},"
                 "{'label': 'b', 'size': 1, 'celltype': 'IF_curr_exp', 'parameters': "
                 "{'i_offset': 1.2}}], 'projections': [{'label': 'ab', 'pre': 'a', 'post': 'b', "
                 "'connector': {'type': 'AllToAll'}, 'synapse': {'type': 'STDPMechanism', "
                 "'weight': 0.5, 'delay': 1, 'timing_dependence': {'type': "
                 "'SpikeNearestPairRule', 'A_plus': 0.05, 'A_minus': 0.05}, "
                 "'weight_dependence': {'type': 'MultiplicativeWeightDependence', 'w_min': 0.1, "
                 "'w_max': 1.0}}}]}");
    cr_assert(axon_proj_is_plastic(ctx, 0));
    cr_assert_eq(axon_run(ctx, 1000.0), AXON_OK, "%s", axon_last_error(ctx));
    double w[20];
    size_t n = 0;
    cr_assert_eq(axon_proj_connections(ctx, 0, &n, NULL, NULL, w, NULL, 20), AXON_OK);
    cr_assert_eq(n, 20);
    int moved = 0;
    for (size_t k = 0; k < n; k++) {
        cr_assert(w[k] >= 0.1 - 1e-3 && w[k] <= 1.0 + 1e-3, "w[%zu] = %g", k, w[k]);
        moved += fabs(w[k] - 0.5) > 1e-3;
    }
    cr_assert_gt(moved, 10, "the rule changed most weights (%d)", moved);
    /* the example file */
    axon_netfile_run run;
    const char *ex = AXON_SOURCE_DIR "/examples/networks/stdp.json";
    cr_assert_eq(axon_load_network(ctx, ex, &run), AXON_OK, "%s", axon_last_error(ctx));
    cr_assert(axon_proj_is_plastic(ctx, 0));
    cr_assert_str_eq(run.output, "stdp.h5");
    cr_assert_eq(axon_run(ctx, 500.0), AXON_OK, "%s", axon_last_error(ctx));
    axon_destroy(ctx);
}

Test(netfile, every_bad_input_names_path_and_value)
{
    axon_ctx *ctx = new_ctx();
    for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++) {
        const bad_case *c = &BAD[k];
        int rc = load(ctx, c->json);
        const char *msg = axon_last_error(ctx);
        cr_expect(rc < 0, "case %zu accepted: %s", k, c->json);
        if (rc >= 0)
            continue;
        cr_expect(!strncmp(msg, "net.json: ", 10), "case %zu: no file name: %s", k, msg);
        cr_expect(strstr(msg, c->path) != NULL, "case %zu: path '%s' missing from: %s", k,
                  c->path, msg);
        if (c->value)
            cr_expect(strstr(msg, c->value) != NULL, "case %zu: value '%s' missing from: %s", k,
                      c->value, msg);
        if (getenv("AXON_SHOW_ERRORS"))
            fprintf(stderr, "%3zu %s\n", k, msg);
        /* the context stays usable: a valid file loads right after */
        cr_assert_eq(load(ctx, GOOD), AXON_OK, "case %zu: then %s", k, axon_last_error(ctx));
        cr_assert_eq(axon_pop_count(ctx), 1);
    }
    axon_destroy(ctx);
}

Test(netfile, failures_leave_a_usable_context)
{
    axon_ctx *ctx = new_ctx();
    LOAD_OK(ctx, GOOD);
    /* a structural error: nothing is touched, the previous network stays */
    cr_assert_lt(load(ctx, "{'populations': [{'label': 'x', 'size': 1, 'celltype': 'Nope'}]}"), 0);
    cr_assert_eq(axon_pop_count(ctx), 1);
    cr_assert_str_eq(axon_pop_label(ctx, 0), "ok");
    /* a value the API rejects: the context is left set up with an empty network */
    cr_assert_lt(load(ctx, "{'setup': {'seed': 9}, 'populations': [{'label': 'x', 'size': 1,"
                           " 'celltype': 'IF_curr_exp', 'parameters': {'tau_m': -1}}]}"),
                 0);
    cr_assert(strstr(axon_last_error(ctx), "populations[0].parameters.tau_m"),
              "message kept after the reset: %s", axon_last_error(ctx));
    cr_assert_eq(axon_pop_count(ctx), 0);
    cr_assert_eq(axon_proj_count(ctx), 0);
    /* the API works on it directly */
    axon_pop p;
    cr_assert_eq(axon_population(ctx, 4, "IF_curr_exp", "direct", NULL, &p), AXON_OK, "%s",
                 axon_last_error(ctx));
    cr_assert_eq(axon_run(ctx, 5.0), AXON_OK, "%s", axon_last_error(ctx));
    /* missing files and NULLs */
    cr_assert_eq(axon_load_network(ctx, "/nonexistent/net.json", NULL), AXON_ERR_IO);
    cr_assert(strstr(axon_last_error(ctx), "/nonexistent/net.json"));
    cr_assert_lt(axon_load_network(ctx, NULL, NULL), 0);
    cr_assert_lt(axon_load_network_string(ctx, NULL, 0, "x", NULL), 0);
    cr_assert_lt(axon_load_network(NULL, "x", NULL), 0);
    /* a run descriptor is cleared on failure */
    axon_netfile_run run;
    memset(&run, 0x5a, sizeof run);
    cr_assert_lt(load_run(ctx, "{'run': {'duration': 5}, 'populations': 3}", &run), 0);
    cr_assert_float_eq(run.duration_ms, 0, 0);
    cr_assert_str_empty(run.output);
    LOAD_OK(ctx, GOOD);
    cr_assert_eq(axon_run(ctx, 5.0), AXON_OK, "%s", axon_last_error(ctx));
    axon_destroy(ctx);
}

Test(netfile, names_a_string_source_and_odd_keys)
{
    axon_ctx *ctx = new_ctx();
    const char *j = "{\"populations\": [], \"bad\\u0001key\": 1}";
    cr_assert_lt(axon_load_network_string(ctx, j, strlen(j), NULL, NULL), 0);
    cr_assert(strstr(axon_last_error(ctx), "bad?key: unknown key"), "%s", axon_last_error(ctx));
    /* the length is honoured: trailing bytes are not read */
    const char *k = "{\"populations\": []}garbage";
    cr_assert_eq(axon_load_network_string(ctx, k, 19, "k.json", NULL), AXON_OK, "%s",
                 axon_last_error(ctx));
    cr_assert_lt(axon_load_network_string(ctx, k, strlen(k), "k.json", NULL), 0);
    cr_assert(strstr(axon_last_error(ctx), "k.json: line 1, column"), "%s", axon_last_error(ctx));
    axon_destroy(ctx);
}
