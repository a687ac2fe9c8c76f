/* Structures and spaces (hostlib/hl_space.c): exact positions of Line / Grid2D / Grid3D in
 * PyNN's order (numpy.indices(...).flatten(): the last axis varies fastest), grid size
 * errors, random fill order as a permutation, RandomStructure containment and rough
 * uniformity, Space axes and periodic distances. Positions are neuron-major xyz[3i + k]. */
#include "hl_random.h"
#include "hl_space.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static axon_structure st(axon_structure_kind kind, const double *p, int n_p, int fill_random)
{
    axon_structure s = {kind, {0}, fill_random};
    memcpy(s.p, p, (size_t)n_p * sizeof *p);
    return s;
}

static void check_pos(const double *xyz, uint32_t i, double x, double y, double z)
{
    cr_assert(xyz[3 * i] == x && xyz[3 * i + 1] == y && xyz[3 * i + 2] == z,
              "neuron %u at (%g, %g, %g), expected (%g, %g, %g)", i, xyz[3 * i], xyz[3 * i + 1],
              xyz[3 * i + 2], x, y, z);
}

Test(space, none_and_line)
{
    double xyz[3 * 5];
    cr_assert_eq(hl_positions(NULL, 5, NULL, xyz, NULL), AXON_OK);
    for (uint32_t i = 0; i < 5; i++)
        check_pos(xyz, i, i, 0, 0);
    axon_structure none = {AXON_STRUCT_NONE, {0}, 0};
    cr_assert_eq(hl_positions(&none, 5, NULL, xyz, NULL), AXON_OK);
    check_pos(xyz, 4, 4, 0, 0);
    /* Line(dx=2, x0=1, y=3, z=4): x = x0 + i * dx */
    axon_structure line = st(AXON_STRUCT_LINE, (double[]){2, 1, 3, 4}, 4, 0);
    cr_assert_eq(hl_positions(&line, 5, NULL, xyz, NULL), AXON_OK);
    for (uint32_t i = 0; i < 5; i++)
        check_pos(xyz, i, 1 + 2.0 * i, 3, 4);
    char err[AXON_ERRMSG_LEN];
    line.p[0] = NAN;
    cr_assert_eq(hl_positions(&line, 5, NULL, xyz, err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "Line: dx = nan must be finite");
}

Test(space, grid2d_positions_in_pynn_order)
{
    /* Grid2D(aspect_ratio=1, dx=2, dy=3, x0=1, y0=2, z=5), n = 9: nx = ny = 3;
     * numpy.indices((3, 3, 1)) flattened: y varies fastest */
    double xyz[3 * 12];
    axon_structure g = st(AXON_STRUCT_GRID2D, (double[]){1, 2, 3, 1, 2, 5}, 6, 0);
    cr_assert_eq(hl_positions(&g, 9, NULL, xyz, NULL), AXON_OK);
    for (uint32_t i = 0; i < 9; i++)
        check_pos(xyz, i, 1 + 2.0 * (i / 3), 2 + 3.0 * (i % 3), 5);
    /* aspect_ratio = 2 (nx / ny), n = 8: nx = 4, ny = 2 */
    g = st(AXON_STRUCT_GRID2D, (double[]){2, 1, 1, 0, 0, 0}, 6, 0);
    cr_assert_eq(hl_positions(&g, 8, NULL, xyz, NULL), AXON_OK);
    const double want[8][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}, {3, 0}, {3, 1}};
    for (uint32_t i = 0; i < 8; i++)
        check_pos(xyz, i, want[i][0], want[i][1], 0);
    /* aspect_ratio = 1/3, n = 12: nx = 2, ny = 6 */
    g.p[0] = 1.0 / 3;
    cr_assert_eq(hl_positions(&g, 12, NULL, xyz, NULL), AXON_OK);
    check_pos(xyz, 5, 0, 5, 0);
    check_pos(xyz, 6, 1, 0, 0);
    check_pos(xyz, 11, 1, 5, 0);
}

Test(space, grid_size_errors)
{
    double xyz[3 * 30];
    char err[AXON_ERRMSG_LEN];
    axon_structure g = st(AXON_STRUCT_GRID2D, (double[]){1, 1, 1, 0, 0, 0}, 6, 0);
    cr_assert_eq(hl_positions(&g, 10, NULL, xyz, err), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(err, "Grid2D: n = 10 neurons do not fill a grid with aspect_ratio = 1") !=
                  NULL,
              "%s", err);
    g.p[0] = 2; /* n = 18: nx = 6, ny = 3 fine; n = 9: nx = sqrt(18) no */
    cr_assert_eq(hl_positions(&g, 18, NULL, xyz, err), AXON_OK);
    cr_assert_eq(hl_positions(&g, 9, NULL, xyz, err), AXON_ERR_INVALID_ARG);
    g.p[0] = 0.25; /* n = 9: nx = 1.5 (PyNN's n % nx == 0 would pass; not an integer) */
    cr_assert_eq(hl_positions(&g, 9, NULL, xyz, err), AXON_ERR_INVALID_ARG);
    g.p[0] = -1;
    cr_assert_eq(hl_positions(&g, 9, NULL, xyz, err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "Grid2D: aspect_ratio = -1 must be > 0");
    axon_structure g3 = st(AXON_STRUCT_GRID3D, (double[]){1, 1, 1, 1, 1, 0, 0, 0}, 8, 0);
    cr_assert_eq(hl_positions(&g3, 10, NULL, xyz, err), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(err, "Grid3D: n = 10 neurons do not fill a grid") != NULL, "%s", err);
    cr_assert_eq(hl_positions(&g3, 27, NULL, xyz, err), AXON_OK);
}

Test(space, grid3d_positions_in_pynn_order)
{
    /* nx = 4, ny = 2, nz = 3: aspect_ratioXY = nx/ny = 2, aspect_ratioXZ = nx/nz = 4/3 */
    double xyz[3 * 24];
    axon_structure g =
        st(AXON_STRUCT_GRID3D, (double[]){2, 4.0 / 3, 1, 10, 100, 0.5, 0.25, -1}, 8, 0);
    char err[AXON_ERRMSG_LEN] = "";
    cr_assert_eq(hl_positions(&g, 24, NULL, xyz, err), AXON_OK, "%s", err);
    for (uint32_t i = 0; i < 24; i++)
        check_pos(xyz, i, 0.5 + 1.0 * (i / 6), 0.25 + 10.0 * ((i / 3) % 2), -1 + 100.0 * (i % 3));
    /* the docstring's example: second cell at (0, 0, 1) */
    g = st(AXON_STRUCT_GRID3D, (double[]){1, 1, 1, 1, 1, 0, 0, 0}, 8, 0);
    cr_assert_eq(hl_positions(&g, 8, NULL, xyz, err), AXON_OK);
    check_pos(xyz, 0, 0, 0, 0);
    check_pos(xyz, 1, 0, 0, 1);
    check_pos(xyz, 2, 0, 1, 0);
    check_pos(xyz, 4, 1, 0, 0);
}

static int cmp3(const void *a, const void *b)
{
    const double *x = a, *y = b;
    for (int k = 0; k < 3; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return 0;
}

Test(space, random_fill_order_is_a_permutation)
{
    enum { N = 64 };
    double seq[3 * N], rnd[3 * N];
    axon_structure g = st(AXON_STRUCT_GRID2D, (double[]){1, 1, 1, 0, 0, 0}, 6, 0);
    cr_assert_eq(hl_positions(&g, N, NULL, seq, NULL), AXON_OK);
    g.fill_random = 1;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(hl_positions(&g, N, NULL, rnd, err), AXON_ERR_INVALID_ARG); /* needs an rng */
    gsl_rng *r = hl_rng_new(5);
    cr_assert_eq(hl_positions(&g, N, r, rnd, NULL), AXON_OK);
    cr_assert(memcmp(seq, rnd, sizeof seq) != 0, "the order should change");
    qsort(rnd, N, 3 * sizeof(double), cmp3);
    qsort(seq, N, 3 * sizeof(double), cmp3);
    cr_assert_arr_eq(seq, rnd, sizeof seq);
    gsl_rng_free(r);
}

Test(space, random_sphere_and_cuboid)
{
    enum { N = 100000 };
    double *xyz = malloc(3 * N * sizeof *xyz);
    gsl_rng *r = hl_rng_new(11);
    /* Sphere(radius=2) around (1, -2, 3) */
    axon_structure s = st(AXON_STRUCT_RANDOM_SPHERE, (double[]){2, 1, -2, 3}, 4, 0);
    cr_assert_eq(hl_positions(&s, N, r, xyz, NULL), AXON_OK);
    double m[3] = {0, 0, 0};
    size_t inner = 0;
    for (uint32_t i = 0; i < N; i++) {
        double dx = xyz[3 * i] - 1, dy = xyz[3 * i + 1] + 2, dz = xyz[3 * i + 2] - 3;
        double rr = sqrt(dx * dx + dy * dy + dz * dz);
        cr_assert(rr < 2, "outside the sphere: %g", rr);
        inner += rr < 1; /* uniform in volume: (1/2)^3 of the points */
        m[0] += dx;
        m[1] += dy;
        m[2] += dz;
    }
    double e = N / 8.0, sd = sqrt(N * (1.0 / 8) * (7.0 / 8));
    cr_assert(fabs((double)inner - e) < 5 * sd, "%zu points in the inner half radius", inner);
    for (int k = 0; k < 3; k++) /* variance of a coordinate: r^2 / 5 */
        cr_assert(fabs(m[k] / N) < 5 * sqrt(4.0 / 5 / N), "mean offset %g", m[k] / N);
    /* Cuboid(width=4, height=2, depth=1) around (10, 0, -1) */
    axon_structure c = st(AXON_STRUCT_RANDOM_CUBOID, (double[]){4, 2, 1, 10, 0, -1}, 6, 0);
    cr_assert_eq(hl_positions(&c, N, r, xyz, NULL), AXON_OK);
    const double half[3] = {2, 1, 0.5}, org[3] = {10, 0, -1};
    for (int k = 0; k < 3; k++) {
        double mean = 0, var = 0;
        for (uint32_t i = 0; i < N; i++) {
            double v = xyz[3 * i + k] - org[k];
            cr_assert(v >= -half[k] && v < half[k], "axis %d: %g outside", k, v);
            mean += v;
            var += v * v;
        }
        mean /= N;
        var /= N;
        double want = (2 * half[k]) * (2 * half[k]) / 12;
        cr_assert(fabs(mean) < 5 * sqrt(want / N), "axis %d mean %g", k, mean);
        cr_assert(fabs(var - want) < 0.02 * want, "axis %d variance %g, expected %g", k, var,
                  want);
    }
    char err[AXON_ERRMSG_LEN];
    s.p[0] = -1;
    cr_assert_eq(hl_positions(&s, 3, r, xyz, err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "Sphere: radius = -1 must be >= 0");
    c.p[1] = -2;
    cr_assert_eq(hl_positions(&c, 3, r, xyz, err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "Cuboid: height = -2 must be >= 0");
    gsl_rng_free(r);
    free(xyz);
}

Test(space, axes_and_periodic_distances)
{
    const double a[3] = {1, 2, 3}, b[3] = {4, 6, 15};
    hl_space s;
    cr_assert_eq(hl_space_init(&s, NULL, NULL), AXON_OK);
    cr_assert_float_eq(hl_distance(&s, a, b), 13.0, 1e-12);
    cr_assert_float_eq(hl_distance(NULL, a, b), 13.0, 1e-12);
    const struct { const char *axes; double want; } cases[] = {
        {"x", 3}, {"y", 4}, {"z", 12}, {"xy", 5}, {"xz", sqrt(153)}, {"yz", sqrt(160)},
        {"xyz", 13}, {NULL, 13}, {"", 13}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        axon_space sp = {cases[i].axes, {0, 0, 0}};
        cr_assert_eq(hl_space_init(&s, &sp, NULL), AXON_OK);
        cr_assert_float_eq(hl_distance(&s, a, b), cases[i].want, 1e-12, "axes %s",
                           cases[i].axes ? cases[i].axes : "NULL");
    }
    /* periodic x with L = 10: |1 - 9| = 8 -> 2; y not periodic */
    axon_space sp = {"xy", {10, 0, 0}};
    cr_assert_eq(hl_space_init(&s, &sp, NULL), AXON_OK);
    const double p[3] = {1, 0, 0}, q[3] = {9, 3, 50};
    cr_assert_float_eq(hl_distance(&s, p, q), sqrt(4 + 9), 1e-12);
    const double q2[3] = {6, 0, 0}, q3[3] = {21, 0, 0}, q4[3] = {-8.5, 0, 0};
    cr_assert_float_eq(hl_distance(&s, p, q2), 5.0, 1e-12);
    cr_assert_float_eq(hl_distance(&s, p, q3), 0.0, 1e-12);  /* 20 apart: two periods */
    cr_assert_float_eq(hl_distance(&s, p, q4), 0.5, 1e-12);  /* 9.5 -> 0.5 */
    /* symmetric */
    cr_assert_float_eq(hl_distance(&s, q, p), hl_distance(&s, p, q), 0);
    char err[AXON_ERRMSG_LEN];
    axon_space bad = {"xw", {0, 0, 0}};
    cr_assert_eq(hl_space_init(&s, &bad, err), AXON_ERR_INVALID_ARG);
    cr_assert_str_eq(err, "Space: axes = 'xw' must be one of x, y, z, xy, xz, yz, xyz");
    axon_space badp = {"xyz", {0, -3, 0}};
    cr_assert_eq(hl_space_init(&s, &badp, err), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(err, "periodic boundary y = -3") != NULL, "%s", err);
}
