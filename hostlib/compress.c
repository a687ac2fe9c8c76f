/* Routing-table compression (docs/hostlib.md#compression).
 *
 * Entries with the same route are merged into more general key/masks (the merged entry
 * keeps the bits both agree on), as in Ordered Covering (Mundy et al. 2016), but a merge is
 * accepted only if the merged entry captures no key of an entry with another route and no
 * key that must stay unmatched (default-routed through the chip). Entries of different
 * routes therefore stay disjoint, so their order does not matter, and every key is routed
 * exactly as before; hl_tables_equivalent checks that on every table. */
#include "hl_map.h"

#include <stdlib.h>
#include <string.h>

static int intersects(const axon_route_entry *a, const axon_route_entry *b)
{
    return ((a->key ^ b->key) & a->mask & b->mask) == 0;
}

/* a covers every key of b */
static int covers(const axon_route_entry *a, const axon_route_entry *b)
{
    return (a->mask & ~b->mask) == 0 && (b->key & a->mask) == a->key;
}

static int cmp_entry(const void *x, const void *y)
{
    const axon_route_entry *a = x, *b = y;
    if (a->route != b->route)
        return a->route < b->route ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

static int merge_ok(const axon_route_entry *cand, const axon_route_entry *e, uint32_t n,
                    const axon_route_entry *keep, uint32_t n_keep)
{
    for (uint32_t k = 0; k < n; k++)
        if (e[k].route != cand->route && intersects(&e[k], cand))
            return 0;
    for (uint32_t k = 0; k < n_keep; k++)
        if (intersects(&keep[k], cand))
            return 0;
    return 1;
}

int hl_compress_one(axon_route_entry *e, uint32_t *n, const axon_route_entry *keep,
                    uint32_t n_keep)
{
    uint32_t cnt = *n;
    if (cnt < 2)
        return AXON_OK;
    qsort(e, cnt, sizeof *e, cmp_entry);
    int merged_any = 1;
    while (merged_any) {
        merged_any = 0;
        for (uint32_t i = 0; i + 1 < cnt; i++) {
            if (e[i].route != e[i + 1].route)
                continue;
            axon_route_entry c;
            c.route = e[i].route;
            c.mask = e[i].mask & e[i + 1].mask & ~(e[i].key ^ e[i + 1].key);
            c.key = e[i].key & c.mask;
            if (!merge_ok(&c, e, cnt, keep, n_keep))
                continue;
            /* replace i, drop i+1 and every other same-route entry c now covers */
            e[i] = c;
            uint32_t w = i + 1;
            for (uint32_t k = i + 1; k < cnt; k++)
                if (!(e[k].route == c.route && covers(&c, &e[k])))
                    e[w++] = e[k];
            cnt = w;
            merged_any = 1;
        }
    }
    /* stable, readable order: by key */
    for (uint32_t i = 1; i < cnt; i++) {
        axon_route_entry x = e[i];
        uint32_t j = i;
        while (j > 0 && e[j - 1].key > x.key) {
            e[j] = e[j - 1];
            j--;
        }
        e[j] = x;
    }
    *n = cnt;
    return AXON_OK;
}

/* first-match route of the whole range r in table t, or -1 if the range is split between
 * routes or partly unmatched; 0x80000000 if no entry matches any of its keys */
static int64_t range_route(const axon_route_entry *t, uint32_t n, const axon_route_entry *r)
{
    for (uint32_t k = 0; k < n; k++) {
        if (!intersects(&t[k], r))
            continue;
        if (!covers(&t[k], r))
            return -1; /* conservative: partial cover needs a key-by-key check */
        return t[k].route;
    }
    return 0x80000000ll;
}

int hl_tables_equivalent(const axon_route_entry *a, uint32_t na, const axon_route_entry *b,
                         uint32_t nb, const axon_route_entry *ranges, uint32_t n_ranges)
{
    for (uint32_t r = 0; r < n_ranges; r++) {
        int64_t ra = range_route(a, na, &ranges[r]), rb = range_route(b, nb, &ranges[r]);
        if (ra < 0 || ra != rb)
            return 0;
    }
    return 1;
}

int hl_compress_tables(axon_ctx *ctx, hl_map *m)
{
    for (uint32_t ch = 0; ch < m->n_chips; ch++) {
        hl_table *t = &m->tables[ch];
        t->orig = malloc(sizeof *t->orig * (t->n ? t->n : 1));
        if (!t->orig)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "table compression");
        if (t->n)
            memcpy(t->orig, t->e, sizeof *t->orig * t->n);
        t->n_orig = t->n;
        if (t->n < 2)
            continue;
        uint32_t n_ranges = t->n + t->n_keep;
        axon_route_entry *orig = malloc(sizeof *orig * n_ranges);
        if (!orig)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "table compression");
        memcpy(orig, t->e, sizeof *orig * t->n);
        if (t->n_keep)
            memcpy(orig + t->n, t->keep, sizeof *orig * t->n_keep);
        uint32_t n0 = t->n;
        hl_compress_one(t->e, &t->n, t->keep, t->n_keep);
        int ok = hl_tables_equivalent(orig, n0, t->e, t->n, orig, n_ranges);
        free(orig);
        if (!ok)
            return hl_err(ctx, AXON_ERR_INTERNAL,
                          "chip (%u, %u): compressed routing table does not route every key "
                          "as the original",
                          ch % m->w, ch / m->w);
    }
    /* routes only: a table study reports oversized tables (axon_describe_tables) */
    for (uint32_t ch = 0; ch < m->n_chips && !m->routes_only; ch++)
        if (m->tables[ch].n > AXON_ROUTER_MC_ENTRIES)
            return hl_err(ctx, AXON_ERR_CAPACITY,
                          "chip (%u, %u) needs %u routing entries after compression (max %u)",
                          ch % m->w, ch / m->w, m->tables[ch].n, AXON_ROUTER_MC_ENTRIES);
    return AXON_OK;
}
