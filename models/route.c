/* The multicast routers of routing.md, walked for one key (used by the engine and the
 * emulator's harness). */
#include "route.h"

#include "axon/router.h"
#include "image_internal.h"

#include <stdlib.h>

static int table_lookup(const img_table *t, uint32_t key, uint32_t *route)
{
    return axon_mc_lookup(t->e, t->n, key, route); /* the router's first-match rule */
}

static void add_dest(route_walk *w, uint32_t gid)
{
    if (w->n_dest == w->cap_dest) {
        uint32_t nc = w->cap_dest ? w->cap_dest * 2 : 16;
        uint32_t *p = realloc(w->dest, nc * sizeof *p);
        if (!p) {
            w->oom = 1;
            return;
        }
        w->dest = p;
        w->cap_dest = nc;
    }
    w->dest[w->n_dest++] = gid;
}

/* Follow one key from its source chip through every router it reaches (breadth first,
 * bounded by AXON_ROUTER_MAX_HOPS and a total work budget). */
void route_key(route_walk *w, uint32_t sx, uint32_t sy, uint32_t key, route_hop *q, uint32_t qcap)
{
    static const int dx[] = AXON_LINK_DX_INIT, dy[] = AXON_LINK_DY_INIT;
    const axon_image *img = w->img;
    uint32_t head = 0, tail = 0;
    q[tail++] = (route_hop){sx, sy, -1, 0};
    while (head < tail) {
        route_hop h = q[head++];
        uint32_t chip = img_chip_index(img, h.x, h.y);
        uint32_t *cnt = w->cnt + (size_t)chip * AXON_CNT_ROUTER_N;
        uint32_t route;
        cnt[h.in < 0 ? AXON_CNT_ROUTER_MC_LOCAL : AXON_CNT_ROUTER_MC_EXTERNAL]++;
        if (!table_lookup(&img->tables[chip], key, &route)) {
            if (h.in < 0) {
                cnt[AXON_CNT_ROUTER_DROPPED_LOCAL_UNMATCHED]++;
                continue;
            }
            route = 1u << ((h.in + 3) % AXON_ROUTER_LINKS);
            cnt[AXON_CNT_ROUTER_DEFAULT_ROUTED]++;
        }
        for (uint32_t c = 0; c < img->cpc; c++)
            if (route >> (AXON_ROUTE_CORE_LSB + c) & 1u)
                add_dest(w, chip * img->cpc + c);
        for (int l = 0; l < AXON_ROUTER_LINKS; l++) {
            if (!(route >> l & 1u))
                continue;
            long nx = (long)h.x + dx[l], ny = (long)h.y + dy[l];
            if (img->flags & AXON_IMAGE_FLAG_WRAP) {
                nx = (nx + img->width) % img->width;
                ny = (ny + img->height) % img->height;
            } else if (nx < 0 || ny < 0 || nx >= img->width || ny >= img->height) {
                cnt[AXON_CNT_ROUTER_DROPPED_NO_LINK]++;
                continue;
            }
            if (h.hops + 1 > AXON_ROUTER_MAX_HOPS || tail == qcap) {
                cnt[AXON_CNT_ROUTER_DROPPED_HOP_LIMIT]++;
                continue;
            }
            q[tail++] = (route_hop){(uint32_t)nx, (uint32_t)ny, (l + 3) % AXON_ROUTER_LINKS, h.hops + 1};
        }
    }
}
