/* Internal: following one key through the chips' multicast tables (routing.md). */
#ifndef AXON_ROUTE_H
#define AXON_ROUTE_H

#include "axon/image.h"

#include <stdint.h>

typedef struct route_walk {
    const axon_image *img;
    uint32_t *cnt;   /* router counters per chip for this key (n_chips * N), added to */
    uint32_t *dest;  /* destination gids, may repeat (realloc'ed; the caller frees) */
    uint32_t n_dest, cap_dest;
    int oom;
} route_walk;

typedef struct route_hop {
    uint32_t x, y;
    int in; /* arrival link, -1 from a local core */
    uint32_t hops;
} route_hop;

/* Follow key from its source chip (sx, sy) through every router it reaches (breadth first,
 * bounded by AXON_ROUTER_MAX_HOPS and the queue q of qcap hops): appends the destination
 * cores to w->dest and adds the router counters the packet causes to w->cnt. */
void route_key(route_walk *w, uint32_t sx, uint32_t sy, uint32_t key, route_hop *q,
               uint32_t qcap);

#endif
