#include "axon/fixed.h"

#include "axon/error.h"

#include <math.h>

int axon_s1615_from_double(double v, axon_s1615 *out)
{
    if (!isfinite(v))
        return AXON_ERR_RANGE;
    double r = round(v * 32768.0); /* round() is ties-away-from-zero */
    if (r < (double)INT32_MIN || r > (double)INT32_MAX)
        return AXON_ERR_RANGE;
    *out = (axon_s1615)r;
    return AXON_OK;
}

int axon_u032_from_double(double v, axon_u032 *out)
{
    if (!isfinite(v) || v < 0.0 || v > 1.0)
        return AXON_ERR_RANGE;
    double r = round(v * 4294967296.0);
    *out = r >= 4294967295.0 ? UINT32_MAX : (axon_u032)r;
    return AXON_OK;
}
