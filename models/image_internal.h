/* Internal layout of axon_image, shared by image.c and validate.c. */
#ifndef AXON_IMAGE_INTERNAL_H
#define AXON_IMAGE_INTERNAL_H

#include "axon/image.h"

typedef struct img_table {
    axon_route_entry *e;
    uint32_t n;
} img_table;

typedef struct img_core {
    uint32_t *w;
    uint32_t n;
} img_core;

struct axon_image {
    uint32_t width, height, cpc, flags, dt_us;
    img_table *tables; /* width*height, index y*width + x */
    img_core *cores;   /* width*height*cpc, index (y*width + x)*cpc + core */
    char err[AXON_ERRMSG_LEN];
};

static inline uint32_t img_chip_index(const axon_image *img, uint32_t x, uint32_t y)
{
    return y * img->width + x;
}

#endif
