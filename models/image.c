/* Machine image container, file format and core assembly (docs/spec/image.md). */
#include "image_internal.h"

#include "errbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMG_HEADER_WORDS 7u

int axon_image_create(axon_image **out, uint32_t width, uint32_t height, uint32_t cpc,
                      uint32_t flags, uint32_t dt_us)
{
    if (!out)
        return AXON_ERR_INVALID_ARG;
    *out = NULL;
    if (width < 1 || width > AXON_IMAGE_MAX_WIDTH || height < 1 || height > AXON_IMAGE_MAX_HEIGHT ||
        cpc < 1 || cpc > AXON_ROUTER_MAX_CORES || dt_us == 0)
        return AXON_ERR_INVALID_ARG;
    axon_image *img = calloc(1, sizeof *img);
    if (!img)
        return AXON_ERR_NO_MEMORY;
    img->width = width;
    img->height = height;
    img->cpc = cpc;
    img->flags = flags;
    img->dt_us = dt_us;
    img->tables = calloc((size_t)width * height, sizeof *img->tables);
    if (!img->tables)
        goto fail_tables;
    img->cores = calloc((size_t)width * height * cpc, sizeof *img->cores);
    if (!img->cores)
        goto fail_cores;
    *out = img;
    return AXON_OK;
fail_cores:
    free(img->tables);
fail_tables:
    free(img);
    return AXON_ERR_NO_MEMORY;
}

void axon_image_destroy(axon_image *img)
{
    if (!img)
        return;
    size_t chips = (size_t)img->width * img->height;
    for (size_t i = 0; i < chips; i++)
        free(img->tables[i].e);
    for (size_t i = 0; i < chips * img->cpc; i++)
        free(img->cores[i].w);
    free(img->tables);
    free(img->cores);
    free(img);
}

const char *axon_image_last_error(const axon_image *img) { return img ? img->err : ""; }
uint32_t axon_image_width(const axon_image *img) { return img->width; }
uint32_t axon_image_height(const axon_image *img) { return img->height; }
uint32_t axon_image_cores_per_chip(const axon_image *img) { return img->cpc; }
uint32_t axon_image_flags(const axon_image *img) { return img->flags; }
uint32_t axon_image_dt_us(const axon_image *img) { return img->dt_us; }

static int check_chip(axon_image *img, uint32_t x, uint32_t y)
{
    if (x >= img->width || y >= img->height)
        return axon_errf(img->err, AXON_ERR_INVALID_ARG,
                         "chip (%u, %u) is outside the %ux%u machine", x, y, img->width,
                         img->height);
    return AXON_OK;
}

int axon_image_set_table(axon_image *img, uint32_t x, uint32_t y, const axon_route_entry *e,
                         uint32_t n)
{
    int rc = check_chip(img, x, y);
    if (rc)
        return rc;
    axon_route_entry *copy = NULL;
    if (n) {
        copy = malloc((size_t)n * sizeof *copy);
        if (!copy)
            return axon_errf(img->err, AXON_ERR_NO_MEMORY, "table of %u entries", n);
        memcpy(copy, e, (size_t)n * sizeof *copy);
    }
    img_table *t = &img->tables[img_chip_index(img, x, y)];
    free(t->e);
    t->e = copy;
    t->n = n;
    return AXON_OK;
}

int axon_image_get_table(const axon_image *img, uint32_t x, uint32_t y,
                         const axon_route_entry **e, uint32_t *n)
{
    if (x >= img->width || y >= img->height)
        return AXON_ERR_INVALID_ARG;
    const img_table *t = &img->tables[img_chip_index(img, x, y)];
    *e = t->e;
    *n = t->n;
    return AXON_OK;
}

int axon_image_set_core(axon_image *img, uint32_t x, uint32_t y, uint32_t core,
                        const uint32_t *words, uint32_t n_words)
{
    int rc = check_chip(img, x, y);
    if (rc)
        return rc;
    if (core >= img->cpc)
        return axon_errf(img->err, AXON_ERR_INVALID_ARG,
                         "core %u does not exist (chips have %u cores)", core, img->cpc);
    uint32_t *copy = NULL;
    if (n_words) {
        copy = malloc((size_t)n_words * sizeof *copy);
        if (!copy)
            return axon_errf(img->err, AXON_ERR_NO_MEMORY, "core memory of %u words", n_words);
        memcpy(copy, words, (size_t)n_words * sizeof *copy);
    }
    img_core *c = &img->cores[(size_t)img_chip_index(img, x, y) * img->cpc + core];
    free(c->w);
    c->w = copy;
    c->n = n_words;
    return AXON_OK;
}

int axon_image_get_core(const axon_image *img, uint32_t x, uint32_t y, uint32_t core,
                        const uint32_t **words, uint32_t *n_words)
{
    if (x >= img->width || y >= img->height || core >= img->cpc)
        return AXON_ERR_INVALID_ARG;
    const img_core *c = &img->cores[(size_t)img_chip_index(img, x, y) * img->cpc + core];
    *words = c->w;
    *n_words = c->n;
    return AXON_OK;
}

int axon_image_to_buffer(axon_image *img, uint32_t **words, size_t *n_words)
{
    size_t chips = (size_t)img->width * img->height, total = IMG_HEADER_WORDS;
    for (size_t i = 0; i < chips; i++)
        total += 1 + 3 * (size_t)img->tables[i].n;
    for (size_t i = 0; i < chips * img->cpc; i++)
        total += 1 + (size_t)img->cores[i].n;
    uint32_t *w = malloc(total * sizeof *w);
    if (!w)
        return axon_errf(img->err, AXON_ERR_NO_MEMORY, "image buffer of %zu words", total);
    size_t p = 0;
    w[p++] = AXON_IMAGE_MAGIC;
    w[p++] = AXON_SPEC_VERSION;
    w[p++] = img->width;
    w[p++] = img->height;
    w[p++] = img->cpc;
    w[p++] = img->flags;
    w[p++] = img->dt_us;
    for (size_t i = 0; i < chips; i++) {
        w[p++] = img->tables[i].n;
        for (uint32_t k = 0; k < img->tables[i].n; k++) {
            w[p++] = img->tables[i].e[k].key;
            w[p++] = img->tables[i].e[k].mask;
            w[p++] = img->tables[i].e[k].route;
        }
    }
    for (size_t i = 0; i < chips * img->cpc; i++) {
        w[p++] = img->cores[i].n;
        if (img->cores[i].n)
            memcpy(w + p, img->cores[i].w, (size_t)img->cores[i].n * sizeof *w);
        p += img->cores[i].n;
    }
    *words = w;
    *n_words = total;
    return AXON_OK;
}

int axon_image_from_buffer(axon_image **out, const uint32_t *w, size_t n, char *err)
{
    *out = NULL;
    if (n < IMG_HEADER_WORDS)
        return axon_errf(err, AXON_ERR_FORMAT, "image truncated: %zu words, header needs %u", n,
                         IMG_HEADER_WORDS);
    if (w[0] != AXON_IMAGE_MAGIC)
        return axon_errf(err, AXON_ERR_FORMAT, "bad image magic 0x%08X (expected 0x%08X)", w[0],
                         AXON_IMAGE_MAGIC);
    if (w[1] >> 16 != AXON_SPEC_VERSION_MAJOR || (w[1] & 0xFFFFu) > AXON_SPEC_VERSION_MINOR)
        return axon_errf(err, AXON_ERR_FORMAT,
                         "image version %u.%u is not supported (this build reads %u.0 to %u.%u)",
                         w[1] >> 16, w[1] & 0xFFFFu, AXON_SPEC_VERSION_MAJOR,
                         AXON_SPEC_VERSION_MAJOR, AXON_SPEC_VERSION_MINOR);
    axon_image *img;
    int rc = axon_image_create(&img, w[2], w[3], w[4], w[5], w[6]);
    if (rc)
        return axon_errf(err, rc == AXON_ERR_INVALID_ARG ? AXON_ERR_FORMAT : rc,
                         "bad image geometry: %u x %u chips, %u cores per chip, dt %u us", w[2],
                         w[3], w[4], w[6]);
    size_t p = IMG_HEADER_WORDS, chips = (size_t)img->width * img->height;
    for (size_t i = 0; i < chips; i++) {
        if (p >= n || w[p] > (n - p - 1) / 3) {
            rc = axon_errf(err, AXON_ERR_FORMAT, "image truncated in the table of chip (%zu, %zu)",
                           i % img->width, i / img->width);
            goto fail;
        }
        uint32_t ne = w[p++];
        if (ne > AXON_ROUTER_MC_ENTRIES) {
            rc = axon_errf(err, AXON_ERR_CAPACITY,
                           "chip (%zu, %zu): routing table has %u entries (max %u)",
                           i % img->width, i / img->width, ne, AXON_ROUTER_MC_ENTRIES);
            goto fail;
        }
        if (ne) {
            img->tables[i].e = malloc((size_t)ne * sizeof(axon_route_entry));
            if (!img->tables[i].e) {
                rc = axon_errf(err, AXON_ERR_NO_MEMORY, "routing table");
                goto fail;
            }
        }
        img->tables[i].n = ne;
        for (uint32_t k = 0; k < ne; k++, p += 3)
            img->tables[i].e[k] = (axon_route_entry){w[p], w[p + 1], w[p + 2]};
    }
    for (size_t i = 0; i < chips * img->cpc; i++) {
        if (p >= n || w[p] > n - p - 1) {
            rc = axon_errf(err, AXON_ERR_FORMAT, "image truncated in the memory of core %zu of chip (%zu, %zu)",
                           i % img->cpc, (i / img->cpc) % img->width, (i / img->cpc) / img->width);
            goto fail;
        }
        uint32_t nw = w[p++];
        if (nw) {
            img->cores[i].w = malloc((size_t)nw * sizeof(uint32_t));
            if (!img->cores[i].w) {
                rc = axon_errf(err, AXON_ERR_NO_MEMORY, "core memory of %u words", nw);
                goto fail;
            }
            memcpy(img->cores[i].w, w + p, (size_t)nw * sizeof(uint32_t));
        }
        img->cores[i].n = nw;
        p += nw;
    }
    if (p != n) {
        rc = axon_errf(err, AXON_ERR_FORMAT, "image has %zu trailing words", n - p);
        goto fail;
    }
    rc = axon_image_validate(img);
    if (rc) {
        axon_errf(err, rc, "%s", img->err);
        goto fail;
    }
    *out = img;
    return AXON_OK;
fail:
    axon_image_destroy(img);
    return rc;
}

int axon_image_save(axon_image *img, const char *path)
{
    uint32_t *w;
    size_t n;
    int rc = axon_image_to_buffer(img, &w, &n);
    if (rc)
        return rc;
    FILE *f = fopen(path, "wb");
    if (!f) {
        rc = axon_errf(img->err, AXON_ERR_IO, "cannot create image file '%s'", path);
        goto out_buf;
    }
    if (fwrite(w, sizeof *w, n, f) != n)
        rc = axon_errf(img->err, AXON_ERR_IO, "cannot write image file '%s'", path);
    if (fclose(f) && !rc)
        rc = axon_errf(img->err, AXON_ERR_IO, "cannot write image file '%s'", path);
out_buf:
    free(w);
    return rc;
}

int axon_image_load(axon_image **out, const char *path, char *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return axon_errf(err, AXON_ERR_IO, "cannot open image file '%s'", path);
    int rc = AXON_OK;
    uint32_t *w = NULL;
    if (fseek(f, 0, SEEK_END) || ftell(f) < 0) {
        rc = axon_errf(err, AXON_ERR_IO, "cannot read image file '%s'", path);
        goto out_file;
    }
    long size = ftell(f);
    if (size % 4) {
        rc = axon_errf(err, AXON_ERR_FORMAT, "image file '%s' has %ld bytes, not whole words",
                       path, size);
        goto out_file;
    }
    rewind(f);
    w = malloc(size ? (size_t)size : 1);
    if (!w) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "image file '%s' of %ld bytes", path, size);
        goto out_file;
    }
    if (fread(w, 1, (size_t)size, f) != (size_t)size) {
        rc = axon_errf(err, AXON_ERR_IO, "cannot read image file '%s'", path);
        goto out_buf;
    }
    rc = axon_image_from_buffer(out, w, (size_t)size / 4, err);
out_buf:
    free(w);
out_file:
    fclose(f);
    return rc;
}

int axon_core_assemble(const axon_core_desc *d, uint32_t **words, uint32_t *n_words)
{
    uint32_t bm_words = (d->n_neurons + 31) / 32;
    uint64_t total = AXON_CORE_HEADER_WORDS + (uint64_t)AXON_N_REC_VARS * bm_words +
                     (uint64_t)d->n_neurons * d->param_words +
                     (uint64_t)d->n_neurons * d->state_words +
                     (uint64_t)d->mpt_n * AXON_SYN_MPT_ENTRY_WORDS + d->syn_words + d->src_words +
                     d->plast_words;
    if (total > UINT32_MAX || d->n_neurons > AXON_CORE_MAX_NEURONS)
        return AXON_ERR_CAPACITY;
    uint32_t *w = calloc(total, sizeof *w);
    if (!w)
        return AXON_ERR_NO_MEMORY;
    uint32_t p = AXON_CORE_HEADER_WORDS;
    w[AXON_CORE_H_MAGIC] = AXON_CORE_MAGIC;
    w[AXON_CORE_H_VERSION] = AXON_SPEC_VERSION;
    w[AXON_CORE_H_KIND] = d->kind;
    w[AXON_CORE_H_MODEL] = d->model;
    w[AXON_CORE_H_N_NEURONS] = d->n_neurons;
    w[AXON_CORE_H_KEY_BASE] = d->key_base;
    w[AXON_CORE_H_FLAGS] = d->flags;
    uint32_t shifts = 0;
    for (int t = 0; t < AXON_SYN_MAX_TYPES; t++)
        shifts |= (uint32_t)d->weight_shift[t] << (AXON_WEIGHT_SHIFT_BITS * t);
    w[AXON_CORE_H_WEIGHT_SHIFT] = shifts;
    w[AXON_CORE_H_REC_FLAGS] = d->rec_flags;
    w[AXON_CORE_H_REC_INTERVAL] = d->rec_interval ? d->rec_interval : 1;
    w[AXON_CORE_H_REC_BITMAP_OFF] = p;
    for (uint32_t v = 0; v < AXON_N_REC_VARS; v++)
        for (uint32_t k = 0; k < bm_words; k++, p++) {
            if (d->rec_bitmaps)
                w[p] = d->rec_bitmaps[v * bm_words + k];
            else if (d->rec_flags & (1u << v))
                w[p] = (k + 1) * 32 <= d->n_neurons ? 0xFFFFFFFFu
                                                    : (1u << (d->n_neurons % 32)) - 1u;
        }
#define PUT_REGION(off_field, len_field, src, len)                                             \
    do {                                                                                       \
        w[off_field] = p;                                                                      \
        if (len_field >= 0)                                                                    \
            w[len_field] = (uint32_t)(len);                                                    \
        if ((uint64_t)(len) != 0 && (src))                                                                  \
            memcpy(w + p, (src), (size_t)(len) * sizeof *w);                                   \
        p += (uint32_t)(len);                                                                  \
    } while (0)
    w[AXON_CORE_H_PARAM_WORDS] = d->param_words;
    PUT_REGION(AXON_CORE_H_PARAM_OFF, -1, d->params, (uint64_t)d->n_neurons * d->param_words);
    w[AXON_CORE_H_STATE_WORDS] = d->state_words;
    PUT_REGION(AXON_CORE_H_STATE_OFF, -1, d->state, (uint64_t)d->n_neurons * d->state_words);
    PUT_REGION(AXON_CORE_H_MPT_OFF, -1, d->mpt, (uint64_t)d->mpt_n * AXON_SYN_MPT_ENTRY_WORDS);
    w[AXON_CORE_H_MPT_N] = d->mpt_n;
    PUT_REGION(AXON_CORE_H_SYN_OFF, AXON_CORE_H_SYN_WORDS, d->syn, d->syn_words);
    PUT_REGION(AXON_CORE_H_SRC_OFF, AXON_CORE_H_SRC_WORDS, d->src, d->src_words);
    PUT_REGION(AXON_CORE_H_PLAST_OFF, AXON_CORE_H_PLAST_WORDS, d->plast, d->plast_words);
#undef PUT_REGION
    for (int k = 0; k < 4; k++)
        w[AXON_CORE_H_SEED0 + k] = d->seed[k];
    *words = w;
    *n_words = (uint32_t)total;
    return AXON_OK;
}
