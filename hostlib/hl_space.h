/* Internal: PyNN structures (positions) and spaces (distances). docs/hostlib.md#space */
#ifndef AXON_HL_SPACE_H
#define AXON_HL_SPACE_H

#include "axon/axon.h"

#include <gsl/gsl_rng.h>

/* Positions of n neurons (xyz, 3 x n, neuron-major) for a structure, as PyNN's
 * Line / Grid2D / Grid3D / RandomStructure(Sphere | Cuboid) generate_positions. Errors
 * (e.g. a grid whose aspect ratio does not divide n) name the structure and value. */
int hl_positions(const axon_structure *s, uint32_t n, gsl_rng *r, double *xyz, char *err);

typedef struct hl_space {
    int axis[3];        /* 1 if the axis counts */
    double periodic[3]; /* 0: none */
} hl_space;

/* NULL space: all three axes, no periodic boundaries. */
int hl_space_init(hl_space *out, const axon_space *s, char *err);
double hl_distance(const hl_space *s, const double *a, const double *b);

#endif
