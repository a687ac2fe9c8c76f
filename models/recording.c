/* Decoder of the recording stream (docs/spec/recording.md). */
#include "axon/engine.h"

#include "axon/fixed.h"

#include <string.h>

int axon_rec_next(const uint32_t *w, size_t n, size_t *pos, int f64, axon_rec_block *b)
{
    size_t p = *pos;
    if (p >= n)
        return 0;
    if (n - p < 2)
        return AXON_ERR_FORMAT;
    b->step = w[p + AXON_REC_W_TIMESTEP];
    b->n_spikes = (w[p + AXON_REC_W_COUNTS] >> AXON_REC_COUNTS_N_SPIKES_LSB) &
                  AXON_REC_COUNTS_N_SPIKES_MASK;
    b->n_state = (w[p + AXON_REC_W_COUNTS] >> AXON_REC_COUNTS_N_STATE_LSB) &
                 AXON_REC_COUNTS_N_STATE_MASK;
    b->f64 = f64;
    size_t need = 2 + (b->n_spikes + 1) / 2 + (size_t)b->n_state * (f64 ? 2 : 1);
    if (n - p < need)
        return AXON_ERR_FORMAT;
    b->spikes = w + p + 2;
    b->state = b->spikes + (b->n_spikes + 1) / 2;
    *pos = p + need;
    return 1;
}

double axon_rec_state(const axon_rec_block *b, uint32_t i)
{
    if (b->f64) {
        double d;
        memcpy(&d, b->state + 2 * (size_t)i, sizeof d);
        return d;
    }
    return axon_s1615_to_double((int32_t)b->state[i]);
}
