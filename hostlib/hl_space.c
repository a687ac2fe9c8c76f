/* PyNN structures and spaces (PyNN 0.10 pyNN/space.py).
 *
 * Positions are neuron-major: xyz[3 * i + k] is coordinate k (x, y, z) of neuron i.
 *   Line:    x = x0 + i * dx, y, z constant.
 *   Grid2D:  nx = sqrt(n * aspect_ratio), ny = n / nx (both integers); PyNN fills with
 *            numpy.indices((nx, ny, 1)).flatten(), i.e. y varies fastest:
 *            x = x0 + dx * (i / ny), y = y0 + dy * (i % ny).
 *   Grid3D:  nx = round(cbrt(n * aXY * aXZ)), ny = round(nx / aXY), nz = round(nx / aXZ),
 *            nx * ny * nz must be n; z varies fastest: x = x0 + dx * (i / (ny * nz)),
 *            y = y0 + dy * ((i / nz) % ny), z = z0 + dz * (i % nz).
 *   fill_order "random" applies a random permutation to the sequential positions.
 *   RandomStructure(Sphere(r)): points drawn uniformly in [-1, 1)^3 until inside the unit
 *            ball (|p|^2 < 1), scaled by r, plus the origin.
 *   RandomStructure(Cuboid(w, h, d)): 0.5 * U[-1, 1)^3 * (w, h, d) + origin. */
#include "hl_space.h"

#include "errbuf.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

static int check_finite(const axon_structure *s, int n_p, const char *name,
                        const char *const *pn, char *err)
{
    for (int i = 0; i < n_p; i++)
        if (!isfinite(s->p[i]))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: %s = %g must be finite", name,
                             pn[i], s->p[i]);
    return AXON_OK;
}

/* A double that should be a positive integer: within 1e-9 (relative) of one. */
static int near_int(double x, double *r)
{
    *r = nearbyint(x);
    return isfinite(x) && *r >= 1 && fabs(x - *r) <= 1e-9 * fmax(1.0, fabs(x));
}

static int grid2d(const axon_structure *s, uint32_t n, double *xyz, char *err)
{
    static const char *const pn[] = {"aspect_ratio", "dx", "dy", "x0", "y0", "z"};
    int rc = check_finite(s, 6, "Grid2D", pn, err);
    if (rc)
        return rc;
    double ar = s->p[0];
    if (!(ar > 0))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "Grid2D: aspect_ratio = %g must be > 0",
                         ar);
    if (n == 0)
        return AXON_OK;
    double nxf = sqrt((double)n * ar), nxr;
    if (!near_int(nxf, &nxr) || fmod((double)n, nxr) != 0)
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                         "Grid2D: n = %u neurons do not fill a grid with aspect_ratio = %g "
                         "(nx = sqrt(n * aspect_ratio) = %g must be an integer dividing n)",
                         n, ar, nxf);
    uint32_t nx = (uint32_t)nxr, ny = n / nx;
    (void)nx;
    for (uint32_t i = 0; i < n; i++) {
        xyz[3 * (size_t)i + 0] = s->p[3] + s->p[1] * (double)(i / ny);
        xyz[3 * (size_t)i + 1] = s->p[4] + s->p[2] * (double)(i % ny);
        xyz[3 * (size_t)i + 2] = s->p[5];
    }
    return AXON_OK;
}

static int grid3d(const axon_structure *s, uint32_t n, double *xyz, char *err)
{
    static const char *const pn[] = {"aspect_ratioXY", "aspect_ratioXZ", "dx", "dy",
                                     "dz", "x0", "y0", "z0"};
    int rc = check_finite(s, 8, "Grid3D", pn, err);
    if (rc)
        return rc;
    double a = s->p[0], b = s->p[1];
    if (!(a > 0) || !(b > 0))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "Grid3D: %s = %g must be > 0",
                         a > 0 ? pn[1] : pn[0], a > 0 ? b : a);
    if (n == 0)
        return AXON_OK;
    double nxf = nearbyint(cbrt((double)n * a * b));
    double nyf = nearbyint(nxf / a), nzf = nearbyint(nxf / b);
    if (!(nxf >= 1 && nyf >= 1 && nzf >= 1) || nxf * nyf * nzf != (double)n)
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                         "Grid3D: n = %u neurons do not fill a grid with aspect_ratioXY = %g "
                         "and aspect_ratioXZ = %g (nx, ny, nz = %g, %g, %g)",
                         n, a, b, nxf, nyf, nzf);
    uint32_t ny = (uint32_t)nyf, nz = (uint32_t)nzf;
    for (uint32_t i = 0; i < n; i++) {
        xyz[3 * (size_t)i + 0] = s->p[5] + s->p[2] * (double)(i / (ny * nz));
        xyz[3 * (size_t)i + 1] = s->p[6] + s->p[3] * (double)((i / nz) % ny);
        xyz[3 * (size_t)i + 2] = s->p[7] + s->p[4] * (double)(i % nz);
    }
    return AXON_OK;
}

int hl_positions(const axon_structure *s, uint32_t n, gsl_rng *r, double *xyz, char *err)
{
    if (n && !xyz)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "positions: NULL output");
    axon_structure_kind kind = s ? s->kind : AXON_STRUCT_NONE;
    int rc = AXON_OK;
    switch (kind) {
    case AXON_STRUCT_NONE:
        for (uint32_t i = 0; i < n; i++) {
            xyz[3 * (size_t)i] = (double)i;
            xyz[3 * (size_t)i + 1] = 0;
            xyz[3 * (size_t)i + 2] = 0;
        }
        return AXON_OK;
    case AXON_STRUCT_LINE: {
        static const char *const pn[] = {"dx", "x0", "y", "z"};
        if ((rc = check_finite(s, 4, "Line", pn, err)))
            return rc;
        for (uint32_t i = 0; i < n; i++) {
            xyz[3 * (size_t)i] = s->p[0] * (double)i + s->p[1];
            xyz[3 * (size_t)i + 1] = s->p[2];
            xyz[3 * (size_t)i + 2] = s->p[3];
        }
        return AXON_OK;
    }
    case AXON_STRUCT_GRID2D:
    case AXON_STRUCT_GRID3D:
        rc = kind == AXON_STRUCT_GRID2D ? grid2d(s, n, xyz, err) : grid3d(s, n, xyz, err);
        if (rc)
            return rc;
        if (s->fill_random && n > 1) {
            if (!r)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                                 "%s: fill_order 'random' needs a random generator",
                                 kind == AXON_STRUCT_GRID2D ? "Grid2D" : "Grid3D");
            gsl_ran_shuffle(r, xyz, n, 3 * sizeof(double));
        }
        return AXON_OK;
    case AXON_STRUCT_RANDOM_SPHERE: {
        static const char *const pn[] = {"radius", "origin x", "origin y", "origin z"};
        if ((rc = check_finite(s, 4, "Sphere", pn, err)))
            return rc;
        if (s->p[0] < 0)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "Sphere: radius = %g must be >= 0",
                             s->p[0]);
        if (n && !r)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "RandomStructure: a random generator is needed");
        for (uint32_t i = 0; i < n; i++) {
            double c[3];
            do {
                for (int k = 0; k < 3; k++)
                    c[k] = 2.0 * gsl_rng_uniform(r) - 1.0;
            } while (c[0] * c[0] + c[1] * c[1] + c[2] * c[2] >= 1.0);
            for (int k = 0; k < 3; k++)
                xyz[3 * (size_t)i + k] = s->p[1 + k] + s->p[0] * c[k];
        }
        return AXON_OK;
    }
    case AXON_STRUCT_RANDOM_CUBOID: {
        static const char *const pn[] = {"width", "height", "depth",
                                         "origin x", "origin y", "origin z"};
        if ((rc = check_finite(s, 6, "Cuboid", pn, err)))
            return rc;
        for (int k = 0; k < 3; k++)
            if (s->p[k] < 0)
                return axon_errf(err, AXON_ERR_INVALID_ARG, "Cuboid: %s = %g must be >= 0",
                                 pn[k], s->p[k]);
        if (n && !r)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "RandomStructure: a random generator is needed");
        for (uint32_t i = 0; i < n; i++)
            for (int k = 0; k < 3; k++)
                xyz[3 * (size_t)i + k] =
                    s->p[3 + k] + 0.5 * (2.0 * gsl_rng_uniform(r) - 1.0) * s->p[k];
        return AXON_OK;
    }
    default:
        return axon_errf(err, AXON_ERR_UNSUPPORTED, "structure: unknown kind %d", (int)kind);
    }
}

int hl_space_init(hl_space *out, const axon_space *s, char *err)
{
    if (!out)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "space: NULL output");
    hl_space sp = {{1, 1, 1}, {0, 0, 0}};
    if (s) {
        const char *ax = s->axes;
        if (ax && *ax) {
            static const char *const ok[] = {"x", "y", "z", "xy", "xz", "yz", "xyz"};
            int valid = 0;
            for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
                valid |= strcmp(ax, ok[i]) == 0;
            if (!valid)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                                 "Space: axes = '%.32s' must be one of x, y, z, xy, xz, yz, xyz",
                                 ax);
            for (int k = 0; k < 3; k++)
                sp.axis[k] = strchr(ax, "xyz"[k]) != NULL;
        }
        for (int k = 0; k < 3; k++) {
            double L = s->periodic[k];
            if (!isfinite(L) || L < 0)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                                 "Space: periodic boundary %c = %g must be finite and >= 0 "
                                 "(0: none)",
                                 "xyz"[k], L);
            sp.periodic[k] = L;
        }
    }
    *out = sp;
    return AXON_OK;
}

double hl_distance(const hl_space *s, const double *a, const double *b)
{
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        if (s && !s->axis[k])
            continue;
        double d = fabs(a[k] - b[k]);
        double L = s ? s->periodic[k] : 0;
        if (L > 0) {
            if (d >= L) /* points outside the box: reduce first (PyNN assumes inside) */
                d = fmod(d, L);
            if (L - d < d)
                d = L - d;
        }
        sum += d * d;
    }
    return sqrt(sum);
}
