/* Internal: PyNN random distributions on GSL generators (docs/hostlib.md#random). */
#ifndef AXON_HL_RANDOM_H
#define AXON_HL_RANDOM_H

#include "axon/axon.h"

#include <gsl/gsl_rng.h>

/* Validate a distribution's name and parameters; the message names both. */
int hl_dist_check(const axon_dist *d, char *err);
/* One draw (d must have passed hl_dist_check). */
double hl_dist_draw(const axon_dist *d, gsl_rng *r);
/* n draws; checks d first. */
int hl_dist_fill(const axon_dist *d, gsl_rng *r, double *out, size_t n, char *err);
/* The generator every context uses: GSL's MT19937 seeded with the low 32 bits of seed
 * mixed with the high bits (docs/hostlib.md#random). */
gsl_rng *hl_rng_new(uint64_t seed);

#endif
