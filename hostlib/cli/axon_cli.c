/* The `axon` command: run, describe and plot networks (docs/cli.md).
 * Exit status: 0 success, 1 the network or the run failed, 2 usage error. */
#include "axon/axon.h"
#include "axon/link.h"
#include "axon/netfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef AXON_DATADIR
#define AXON_DATADIR "."
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "usage: axon run NETWORK_FILE [--backend ref|emu|usb|usb-direct] [--out RESULTS.h5]\n"
            "                             [--time MS] [--threads N] [--trace WAVES.fst] [--quiet]\n"
            "       axon describe NETWORK_FILE\n"
            "       axon plot RESULTS.h5 [--out PREFIX]\n"
            "       axon models\n"
            "       axon boards [--status]\n"
            "       axon version\n");
}

typedef struct progress {
    int enabled, shown;
    double sim_ms;
} progress;

static void on_progress(void *user, double frac, double elapsed)
{
    progress *p = user;
    if (!p->enabled || elapsed < 1.0)
        return;
    int width = 30, filled = (int)(frac * width + 0.5);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[width] = 0;
    double remaining = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    fprintf(stderr, "\r[%s] %3.0f%%  %.1f s elapsed, %.1f s remaining ", bar, frac * 100, elapsed,
            remaining);
    p->shown = 1;
    if (frac >= 1.0)
        fputc('\n', stderr);
}

static int fail(axon_ctx *ctx, const char *what)
{
    fprintf(stderr, "axon: %s: %s\n", what, axon_last_error(ctx));
    return 1;
}

static int cmd_run(int argc, char **argv)
{
    const char *file = NULL, *out = NULL, *backend = NULL, *trace = NULL;
    double time_ms = -1;
    long threads = -1;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--backend") && i + 1 < argc)
            backend = argv[++i];
        else if (!strcmp(a, "--trace") && i + 1 < argc)
            trace = argv[++i];
        else if (!strcmp(a, "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(a, "--time") && i + 1 < argc) {
            char *end;
            time_ms = strtod(argv[++i], &end);
            if (*end || !(time_ms >= 0) || !isfinite(time_ms)) {
                fprintf(stderr, "axon: --time '%s' is not a duration in ms\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--threads") && i + 1 < argc) {
            char *end;
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > 64) {
                fprintf(stderr, "axon: --threads '%s' must be 1..64\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else if (a[0] == '-') {
            fprintf(stderr, "axon: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!file)
            file = a;
        else {
            fprintf(stderr, "axon: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    axon_ctx *ctx;
    if (axon_create(&ctx)) {
        fprintf(stderr, "axon: out of memory\n");
        return 1;
    }
    int status = 1;
    axon_netfile_run nr;
    if (axon_load_network(ctx, file, &nr)) {
        status = fail(ctx, file);
        goto out;
    }
    if (!backend && nr.backend[0])
        backend = nr.backend;
    if (backend && axon_set_backend(ctx, backend)) {
        status = fail(ctx, "--backend");
        goto out;
    }
    if (trace && strcmp(backend ? backend : "ref", "emu")) {
        fprintf(stderr, "axon: --trace needs --backend emu (waveforms of the RTL cores)\n");
        status = 2;
        goto out;
    }
    if (trace && axon_set_trace(ctx, trace)) {
        status = fail(ctx, "--trace");
        goto out;
    }
    if (threads > 0 && axon_set_threads(ctx, (unsigned)threads)) {
        status = fail(ctx, "--threads");
        goto out;
    }
    double T = time_ms >= 0 ? time_ms : nr.duration_ms;
    if (!(T > 0)) {
        fprintf(stderr, "axon: %s: no run duration (give \"run\": {\"duration\": MS} or --time)\n",
                file);
        status = 2;
        goto out;
    }
    if (!out && nr.output[0])
        out = nr.output;
    if (out && axon_set_output(ctx, out, 0)) {
        status = fail(ctx, out);
        goto out;
    }
    progress pg = {!quiet && isatty(2), 0, T};
    axon_set_progress(ctx, on_progress, &pg);
    if (axon_run(ctx, T)) {
        axon_end(ctx);
        status = fail(ctx, "run");
        if (out)
            fprintf(stderr, "axon: results recorded before the failure are in %s (marked truncated)\n", out);
        goto out;
    }
    if (axon_end(ctx)) {
        status = fail(ctx, out ? out : "end");
        goto out;
    }
    axon_run_stats st;
    axon_mapping_report rep;
    axon_stats(ctx, &st);
    axon_describe(ctx, &rep);
    if (!quiet) {
        printf("%-20s %-20s %9s %10s %10s\n", "population", "cell type", "neurons", "spikes",
               "rate (Hz)");  /* rate over the neurons that record spikes */
        for (uint32_t p = 0; p < axon_pop_count(ctx); p++) {
            axon_pop q = (axon_pop)p;
            uint32_t rec = axon_recorded_count(ctx, q, "spikes");
            printf("%-20s %-20s %9u ", axon_pop_label(ctx, q), axon_pop_celltype(ctx, q)->name,
                   axon_pop_size(ctx, q));
            if (!rec) {
                printf("%10s %10s\n", "-", "-");
                continue;
            }
            uint64_t n = axon_spike_count(ctx, q);
            printf("%10llu %10.2f\n", (unsigned long long)n, n / (rec * T / 1000.0));
        }
        printf("\n%.0f ms simulated on %u x %u chips (%u cores) in %.3f s: %.2fx real time "
               "(mapping %.3f s, loading %.3f s)\n",
               T, rep.chips_x, rep.chips_y, rep.cores_used, st.wall_run_s,
               st.wall_run_s > 0 ? T / 1000.0 / st.wall_run_s : 0.0, st.wall_map_s, st.wall_load_s);
        printf("spike packets %llu, synaptic events %llu, ring-buffer saturations %llu, dropped packets "
               "%llu, late packets %llu\n",
               (unsigned long long)st.spikes, (unsigned long long)st.synaptic_events,
               (unsigned long long)st.saturations, (unsigned long long)st.dropped_packets,
               (unsigned long long)st.late_packets);
        if (*axon_warnings(ctx))
            printf("warnings:\n%s", axon_warnings(ctx));
        if (out)
            printf("results written to %s\n", out);
    }
    status = 0;
out:
    axon_destroy(ctx);
    return status;
}

static int cmd_describe(int argc, char **argv)
{
    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    axon_ctx *ctx;
    if (axon_create(&ctx))
        return 1;
    int status = 1;
    if (axon_load_network(ctx, argv[0], NULL)) {
        status = fail(ctx, argv[0]);
        goto out;
    }
    char *text = axon_describe_text(ctx);
    if (!text) {
        status = fail(ctx, "describe");
        goto out;
    }
    fputs(text, stdout);
    free(text);
    status = 0;
out:
    axon_destroy(ctx);
    return status;
}

static int cmd_plot(int argc, char **argv)
{
    if (argc < 1) {
        usage(stderr);
        return 2;
    }
    const char *script = getenv("AXON_PLOT_SCRIPT");
    char path[4096];
    if (!script) {
        snprintf(path, sizeof path, "%s/axon_plot.py", AXON_DATADIR);
        script = path;
    }
    if (access(argv[0], R_OK)) {
        fprintf(stderr, "axon: cannot read '%s'\n", argv[0]);
        return 1;
    }
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (!args)
        return 1;
    args[0] = "/usr/bin/python3";
    args[1] = (char *)script;
    for (int i = 0; i < argc; i++)
        args[2 + i] = argv[i];
    execv(args[0], args);
    fprintf(stderr, "axon: cannot run %s %s\n", args[0], script);
    free(args);
    return 1;
}

static int cmd_models(void)
{
    for (uint32_t i = 0; i < axon_model_count(); i++) {
        const axon_model_info *m = axon_model_at(i);
        printf("%s\n  parameters:", m->name);
        for (uint32_t k = 0; k < m->n_params; k++)
            printf(" %s=%g%s%s", m->params[k].name, m->params[k].def, *m->params[k].unit ? " " : "",
                   m->params[k].unit);
        if (m->n_inits) {
            printf("\n  initial values:");
            for (uint32_t k = 0; k < m->n_inits; k++)
                printf(" %s=%g %s", m->inits[k].name, m->inits[k].def, m->inits[k].unit);
        }
        printf("\n  note: %s\n", m->note);
    }
    return 0;
}

/* boards on the USB buses; --status also opens each and shows its HELLO and STATUS */
static int cmd_boards(int argc, char **argv)
{
    int status_too = argc > 0 && !strcmp(argv[0], "--status");
    if (argc > (status_too ? 1 : 0)) {
        usage(stderr);
        return 2;
    }
    axon_usb_board *b;
    size_t n;
    char err[AXON_ERRMSG_LEN];
    if (axon_usb_list(&b, &n, err)) {
        fprintf(stderr, "axon: boards: %s\n", err);
        return 1;
    }
    if (!n)
        printf("no Axon boards found (USB %04x:%04x; see docs/board.md for the udev rule)\n",
               AXON_USB_VID, AXON_USB_PID);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        printf("bus %03u device %03u  %04x:%04x  serial %-16s %s\n", b[i].bus, b[i].address,
               b[i].vid, b[i].pid, b[i].serial, b[i].product);
        if (!status_too)
            continue;
        axon_xport x;
        axon_link *l;
        uint32_t s[AXON_PROTO_BST_N];
        if (axon_xport_usb(&x, b[i].serial, err) || axon_link_open(&l, x, NULL, err)) {
            printf("  cannot open: %s\n", err);
            rc = 1;
            continue;
        }
        const uint32_t *h = axon_link_hello(l);
        printf("  protocol %u.%u, spec %u.%u, window %u, %u-word chunks\n",
               h[AXON_PROTO_HELLO_PROTO_VERSION] >> 16, h[AXON_PROTO_HELLO_PROTO_VERSION] & 0xFFFF,
               h[AXON_PROTO_HELLO_SPEC_VERSION] >> 16, h[AXON_PROTO_HELLO_SPEC_VERSION] & 0xFFFF,
               h[AXON_PROTO_HELLO_WINDOW], h[AXON_PROTO_HELLO_MAX_DATA_WORDS]);
        if (axon_link_status(l, s) == AXON_OK) {
            static const char *const names[] = AXON_PROTO_BST_NAMES_INIT;
            printf(" ");
            for (uint32_t k = 0; k < AXON_PROTO_BST_N; k++)
                printf(" %s=%u", names[k], s[k]);
            printf("\n");
        } else {
            printf("  status: %s\n", axon_link_last_error(l));
            rc = 1;
        }
        axon_link_close(l);
    }
    free(b);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "describe"))
        return cmd_describe(argc - 2, argv + 2);
    if (!strcmp(cmd, "plot"))
        return cmd_plot(argc - 2, argv + 2);
    if (!strcmp(cmd, "models"))
        return cmd_models();
    if (!strcmp(cmd, "boards"))
        return cmd_boards(argc - 2, argv + 2);
    if (!strcmp(cmd, "version")) {
        printf("axon 0.1.0 (spec %u.%u)\n", AXON_SPEC_VERSION_MAJOR, AXON_SPEC_VERSION_MINOR);
        return 0;
    }
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "axon: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
