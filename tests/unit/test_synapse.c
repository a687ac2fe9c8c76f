/* Synapse processing (docs/spec/synapses.md): delays 1..16 exact to the step, delay
 * extension up to 144, weight shift, 16-bit saturating ring buffers and their
 * order-independent saturation count. Observed through IF_curr_delta, whose recorded
 * gsyn_exc/gsyn_inh are this step's ring-buffer inputs (min(acc, 0xFFFF) << shift). */
#include "tnet.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#define CORE(c) (1u << (AXON_ROUTE_CORE_LSB + (c)))

static axon_engine *build_run(tnet *t, uint32_t steps)
{
    axon_image *img = tnet_image(t);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, img, NULL, err), AXON_OK, "%s", err);
    axon_image_destroy(img);
    cr_assert_eq(axon_engine_run(e, steps), AXON_OK);
    return e;
}

/* recorded input of neuron i at step s (n neurons; values: v[n], gsyn_exc[n], gsyn_inh[n]) */
static int32_t input_word(const tnet_rec *r, uint32_t n, uint32_t s, uint32_t var, uint32_t i)
{
    cr_assert_eq(r->sample_step[s], s);
    return r->words[(size_t)s * r->n_values + var * n + i];
}

Test(synapse, every_core_delay_lands_on_its_step)
{
    enum { N = 16, T0 = 5, SHIFT = 3 };
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    uint32_t ev[2 * N];
    for (uint32_t i = 0; i < N; i++) {
        ev[2 * i] = T0;
        ev[2 * i + 1] = i;
    }
    int src = tnet_array(t, 0, 0, 0, N, ev, N, 0x100, 0);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_delta", N, NULL, NULL, 0x200, 0xF, 1);
    tnet_weight_shift(t, dst, 0, SHIFT);
    tnet_weight_shift(t, dst, 1, SHIFT + 1);
    tnet_syn s[N];
    for (uint32_t i = 0; i < N; i++)
        s[i] = (tnet_syn){i, i, 100 + i, i + 1, i % 2};
    tnet_connect(t, src, dst, s, N, 0, 0);
    tnet_route(t, 0, 0, 0x100, 0xFFFFFF00u, CORE(1));
    axon_engine *e = build_run(t, 40);
    tnet_rec r;
    cr_assert_eq(tnet_rec_read(e, 0, 0, 1, 0, &r), AXON_OK);
    cr_assert_eq(r.n_samples, 40);
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t st = 0; st < 40; st++) {
            uint32_t type = i % 2, var = 1 + type;
            int32_t want = st == T0 + i + 1 ? (int32_t)((100 + i) << (SHIFT + type)) : 0;
            cr_assert_eq(input_word(&r, N, st, var, i), want,
                         "neuron %u (delay %u, type %u) at step %u", i, i + 1, type, st);
            cr_assert_eq(input_word(&r, N, st, 2 - type, i), 0, "other type stays empty");
        }
    tnet_rec_free(&r);
    axon_engine_destroy(e);
    tnet_free(t);
}

/* n sources spike together onto neuron 0 (weights w0..) and neuron 1 (weights w1..) */
static void saturation_case(int reverse, int32_t *in0, int32_t *in1, uint64_t *sat)
{
    enum { NS = 4 };
    const uint32_t w0[NS] = {30000, 30000, 5535, 1}; /* sum 65536: one over */
    const uint32_t w1[NS] = {30000, 30000, 5535, 0}; /* sum 65535: exactly full */
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    uint32_t ev[2 * NS];
    for (uint32_t i = 0; i < NS; i++) {
        ev[2 * i] = 2;
        ev[2 * i + 1] = i;
    }
    int src = tnet_array(t, 0, 0, 0, NS, ev, NS, 0x100, 0);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_delta", 2, NULL, NULL, 0x200, 0xF, 1);
    tnet_syn s[2 * NS];
    for (uint32_t k = 0; k < NS; k++) {
        uint32_t i = reverse ? NS - 1 - k : k;
        s[2 * k] = (tnet_syn){i, 0, w0[i], 3, 0};
        s[2 * k + 1] = (tnet_syn){i, 1, w1[i], 3, 0};
    }
    tnet_connect(t, src, dst, s, 2 * NS, 0, 0);
    tnet_route(t, 0, 0, 0x100, 0xFFFFFF00u, CORE(1));
    axon_engine *e = build_run(t, 10);
    tnet_rec r;
    tnet_rec_read(e, 0, 0, 1, 0, &r);
    *in0 = input_word(&r, 2, 5, 1, 0);
    *in1 = input_word(&r, 2, 5, 1, 1);
    uint64_t cnt[AXON_CNT_CORE_N];
    axon_engine_core_counters(e, 0, 0, 1, cnt);
    *sat = cnt[AXON_CNT_CORE_SATURATIONS];
    cr_assert_eq(cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS], 2 * NS);
    tnet_rec_free(&r);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(synapse, ring_buffer_saturates_at_16_bits_and_counts_once)
{
    int32_t a0, a1, b0, b1;
    uint64_t sa, sb;
    saturation_case(0, &a0, &a1, &sa);
    cr_assert_eq(a0, 0xFFFF, "65536 saturates to 65535");
    cr_assert_eq(a1, 0xFFFF, "65535 fits exactly");
    cr_assert_eq(sa, 1, "one accumulator overflowed");
    saturation_case(1, &b0, &b1, &sb);
    cr_assert_eq(b0, a0, "order of arrival does not change the value");
    cr_assert_eq(b1, a1);
    cr_assert_eq(sb, sa, "nor the saturation count");
}

Test(synapse, many_saturating_adds_count_one_saturation_per_slot)
{
    /* 1 source spiking at steps 1..3, 50 synapses of 0xFFFF each onto neuron 0, delay 1 */
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    uint32_t ev[] = {1, 0, 2, 0, 3, 0};
    int src = tnet_array(t, 0, 0, 0, 1, ev, 3, 0x100, 0);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_delta", 1, NULL, NULL, 0x200, 0xF, 1);
    tnet_syn s[50];
    for (int k = 0; k < 50; k++)
        s[k] = (tnet_syn){0, 0, 0xFFFF, 1, 0};
    tnet_connect(t, src, dst, s, 50, 0, 0);
    tnet_route(t, 0, 0, 0x100, 0xFFFFFF00u, CORE(1));
    axon_engine *e = build_run(t, 10);
    uint64_t cnt[AXON_CNT_CORE_N];
    axon_engine_core_counters(e, 0, 0, 1, cnt);
    cr_assert_eq(cnt[AXON_CNT_CORE_SATURATIONS], 3, "three slots overflowed, once each");
    cr_assert_eq(cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS], 150);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(synapse, delay_extension_reaches_144_steps)
{
    /* delays D = 16 s + r through stage s of a delay extension; one source neuron per delay */
    const uint32_t delays[] = {17, 32, 33, 48, 100, 128, 129, 143, 144};
    enum { N = 9, T0 = 3 };
    tnet *t = tnet_new(1, 1, 3, 1.0, 0);
    uint32_t ev[2 * N], masks[N];
    for (uint32_t i = 0; i < N; i++) {
        ev[2 * i] = T0;
        ev[2 * i + 1] = i;
        masks[i] = 1u << ((delays[i] - 1) / 16 - 1);
    }
    int src = tnet_array(t, 0, 0, 0, N, ev, N, 0x10000, 0);
    int de = tnet_delay_ext(t, 0, 0, 2, src, 0x20000, masks);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_delta", N, NULL, NULL, 0x30000, 0xF, 1);
    tnet_syn s[N];
    for (uint32_t i = 0; i < N; i++) {
        uint32_t stage = (delays[i] - 1) / 16, r = delays[i] - 16 * stage;
        s[i] = (tnet_syn){(stage - 1) << AXON_DE_STAGE_KEY_LSB | i, i, 7 + i, r, 0};
    }
    tnet_connect(t, de, dst, s, N, 0x20000, AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB);
    tnet_route(t, 0, 0, 0x10000, 0xFFFFFF00u, CORE(2));
    tnet_route(t, 0, 0, 0x20000, 0xFFFF0000u, CORE(1));
    axon_engine *e = build_run(t, 160);
    tnet_rec r;
    tnet_rec_read(e, 0, 0, 1, 0, &r);
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t st = 0; st < 160; st++)
            cr_assert_eq(input_word(&r, N, st, 1, i), st == T0 + delays[i] ? (int32_t)(7 + i) : 0,
                         "delay %u: input at step %u", delays[i], st);
    uint64_t cnt[AXON_CNT_CORE_N];
    axon_engine_core_counters(e, 0, 0, 2, cnt);
    cr_assert_eq(cnt[AXON_CNT_CORE_PACKETS_IN], N);
    cr_assert_eq(cnt[AXON_CNT_CORE_SPIKES_OUT], N, "one re-emission per needed stage");
    tnet_rec_free(&r);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(synapse, weight_shift_scales_exactly)
{
    for (uint32_t shift = 0; shift <= AXON_SYN_MAX_WEIGHT_SHIFT; shift += 5) {
        tnet *t = tnet_new(1, 1, 2, 1.0, 0);
        uint32_t ev[] = {0, 0};
        int src = tnet_array(t, 0, 0, 0, 1, ev, 1, 0x100, 0);
        int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_delta", 1, NULL, NULL, 0x200, 0xF, 1);
        tnet_weight_shift(t, dst, 0, shift);
        tnet_syn s = {0, 0, 0xFFFF, 1, 0};
        tnet_connect(t, src, dst, &s, 1, 0, 0);
        tnet_route(t, 0, 0, 0x100, 0xFFFFFF00u, CORE(1));
        axon_engine *e = build_run(t, 3);
        tnet_rec r;
        tnet_rec_read(e, 0, 0, 1, 0, &r);
        cr_assert_eq(input_word(&r, 1, 1, 1, 0), (int32_t)(0xFFFFu << shift), "shift %u", shift);
        /* and weight_to_fixed is its inverse: 0xFFFF units of 2^(shift-15) */
        uint32_t w;
        cr_assert_eq(axon_weight_to_fixed(0xFFFF * 0x1p-15 * (double)(1u << shift), shift, &w), AXON_OK);
        cr_assert_eq(w, 0xFFFF);
        cr_assert_eq(axon_weight_to_fixed(0x10000 * 0x1p-15 * (double)(1u << shift), shift, &w),
                     AXON_ERR_RANGE);
        tnet_rec_free(&r);
        axon_engine_destroy(e);
        tnet_free(t);
    }
}
