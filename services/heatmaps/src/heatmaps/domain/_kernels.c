/*
 * Compiled kernels of the heatmaps clustering engine (see cluster_index.py for the whole picture).
 *
 * A port of supercluster 8.0.1 (ISC licence, Copyright (c) 2021, Mapbox;
 * https://github.com/mapbox/supercluster) and KDBush 4.1.0 (ISC licence, Copyright (c) 2018,
 * Vladimir Agafonkin; https://github.com/mourner/kdbush):
 *
 *   Permission to use, copy, modify, and/or distribute this software for any purpose with or
 *   without fee is hereby granted, provided that the above copyright notice and this permission
 *   notice appear in all copies. THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL
 *   WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY
 *   AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR
 *   CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS,
 *   WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN
 *   CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 *
 * Why the results equal supercluster's: projected coordinates are rounded to float32 like
 * Math.fround; the KD-tree is sorted with KDBush's selection (same medians, same ties); each level
 * is visited in insertion order; and the neighbours of a point come in the order KDBush's `within`
 * returns them (median, then right subtree, then left; leaves left to right) -- that order fixes
 * the floating-point sums of cluster centres. Compiled without FMA contraction (setup.py) so that
 * each operation rounds as in JavaScript.
 *
 * What is faster than supercluster (besides flat arrays and no GeoJSON objects): searches run
 * on a finer tree (leaves of FINE_NODE items instead of node_size: the same sort carried on
 * inside each leaf, so fewer points are tested per search), and each item's rank in the coarse
 * tree's traversal order restores KDBush's order on the few neighbours found. A neighbour search
 * does not depend on which items are already visited, so each level's searches run first, in KD
 * order (consecutive searches walk the same branch, in cache), into one list per item; the
 * greedy pass then follows insertion order over those lists. Those searches, and the two halves
 * of each KD sort, run on two threads when the machine has two cores (the greedy pass itself is
 * sequential by nature).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STACK_FRAMES 256
/* leaves of the search tree (see kd_sort_ranked) */
#ifndef FINE_NODE
#define FINE_NODE 16
#endif
/* a row; LNG and LAT hold projected x and y until finish_rows */
enum { C_LNG, C_LAT, C_COUNT, C_SUM, C_MIN, C_MAX, C_START, COLUMNS };

/* ---- arguments ------------------------------------------------------------------------------ */

static void *arg_array(PyObject *o, int typenum, npy_intp *n, const char *name) {
    if (!PyArray_Check(o) || PyArray_TYPE((PyArrayObject *)o) != typenum ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a C-contiguous array of the kernel's dtype", name);
        return NULL;
    }
    if (n) *n = PyArray_SIZE((PyArrayObject *)o);
    return PyArray_DATA((PyArrayObject *)o);
}

static PyObject *new_array(npy_intp n, int typenum) { return PyArray_SimpleNew(1, &n, typenum); }
#define DATA(a, T) ((T *)PyArray_DATA((PyArrayObject *)(a)))

/* ---- projection (supercluster's lngX / latY / xLng / yLat) ---------------------------------- */

static double lng_x(double lng) { return lng / 360.0 + 0.5; }

static double lat_y(double lat) {
    const double s = sin(lat * M_PI / 180.0);
    const double y = 0.5 - 0.25 * log((1.0 + s) / (1.0 - s)) / M_PI;
    return y < 0 ? 0 : y > 1 ? 1 : y;
}

static double x_lng(double x) { return (x - 0.5) * 360.0; }

static double y_lat(double y) {
    const double y2 = (180.0 - y * 360.0) * M_PI / 180.0;
    return 360.0 * atan(exp(y2)) / M_PI - 90.0;
}

/* point_rows(lng, lat, value) -> float64 (n, COLUMNS) in input order: projected x, y rounded to
 * float32 (Math.fround), count 1, sum = min = max = value */
static PyObject *k_point_rows(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp n, n2, n3;
    if (nargs != 3) return PyErr_Format(PyExc_TypeError, "point_rows(lng, lat, value)");
    const double *lng = arg_array(args[0], NPY_FLOAT64, &n, "lng");
    const double *lat = lng ? arg_array(args[1], NPY_FLOAT64, &n2, "lat") : NULL;
    const double *value = lat ? arg_array(args[2], NPY_FLOAT64, &n3, "value") : NULL;
    if (!value) return NULL;
    if (n2 != n || n3 != n) return PyErr_Format(PyExc_ValueError, "lng, lat and value differ in length");
    npy_intp dims[2] = {n, COLUMNS};
    PyObject *rows = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (!rows) return NULL;
    double *t = DATA(rows, double);
    Py_BEGIN_ALLOW_THREADS  /* this loop and the ones below touch only C buffers: queries go on */
    for (npy_intp i = 0; i < n; i++, t += COLUMNS) {
        t[C_LNG] = (float)lng_x(lng[i]);
        t[C_LAT] = (float)lat_y(lat[i]);
        t[C_COUNT] = 1;
        t[C_SUM] = t[C_MIN] = t[C_MAX] = value[i];
        t[C_START] = 0;
    }
    Py_END_ALLOW_THREADS
    return rows;
}

/* ---- KD sort (KDBush) ----------------------------------------------------------------------- */

static inline void swap_item(int32_t *ids, float *coords, npy_intp i, npy_intp j) {
    int32_t t = ids[i]; ids[i] = ids[j]; ids[j] = t;
    float a = coords[2 * i]; coords[2 * i] = coords[2 * j]; coords[2 * j] = a;
    float b = coords[2 * i + 1]; coords[2 * i + 1] = coords[2 * j + 1]; coords[2 * j + 1] = b;
}

static void kd_select(int32_t *ids, float *coords, npy_intp k, npy_intp left, npy_intp right, int axis) {
    while (right > left) {
        if (right - left > 600) {
            const double n = (double)(right - left + 1);
            const double m = (double)(k - left + 1);
            const double z = log(n);
            const double s = 0.5 * exp(2.0 * z / 3.0);
            const double sd = 0.5 * sqrt(z * s * (n - s) / n) * (m - n / 2.0 < 0 ? -1.0 : 1.0);
            npy_intp nl = (npy_intp)floor((double)k - m * s / n + sd);
            npy_intp nr = (npy_intp)floor((double)k + (n - m) * s / n + sd);
            kd_select(ids, coords, k, nl > left ? nl : left, nr < right ? nr : right, axis);
        }
        const float t = coords[2 * k + axis];
        npy_intp i = left, j = right;
        swap_item(ids, coords, left, k);
        if (coords[2 * right + axis] > t) swap_item(ids, coords, left, right);
        while (i < j) {
            swap_item(ids, coords, i, j);
            i++;
            j--;
            while (coords[2 * i + axis] < t) i++;
            while (coords[2 * j + axis] > t) j--;
        }
        if (coords[2 * left + axis] == t) swap_item(ids, coords, left, j);
        else {
            j++;
            swap_item(ids, coords, j, right);
        }
        if (j <= k) left = j + 1;
        if (k <= j) right = j - 1;
    }
}

static void kd_sort(int32_t *ids, float *coords, npy_intp left, npy_intp right, int axis, npy_intp node) {
    while (right - left > node) {
        const npy_intp m = (left + right) >> 1;
        kd_select(ids, coords, m, left, right, axis);
        kd_sort(ids, coords, left, m - 1, 1 - axis, node);
        left = m + 1;
        axis = 1 - axis;
    }
}

/* KDBush's sort with `node` leaves, recording each item's rank in KDBush's traversal order
 * (median, right subtree, left subtree; a leaf in position order), then carried on to FINE_NODE. */
static void kd_sort_ranked(int32_t *ids, float *coords, int32_t *rank, npy_intp left, npy_intp right,
                           int axis, npy_intp node, int32_t base) {
    while (right - left > node) {
        const npy_intp m = (left + right) >> 1;
        kd_select(ids, coords, m, left, right, axis);
        rank[ids[m]] = base;
        kd_sort_ranked(ids, coords, rank, left, m - 1, 1 - axis, node, base + 1 + (int32_t)(right - m));
        left = m + 1;
        axis = 1 - axis;
        base += 1;
    }
    for (npy_intp i = left; i <= right; i++) rank[ids[i]] = base + (int32_t)(i - left);
    kd_sort(ids, coords, left, right, axis, FINE_NODE);
}

/* Two threads for a level of at least this many items, if there are two cores. */
#define PARALLEL_FROM 20000

static int workers(npy_intp n) { return n >= PARALLEL_FROM && sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1; }

typedef struct {
    int32_t *ids, *rank;
    float *coords;
    npy_intp left, right, node;
    int axis;
    int32_t base;
} sort_job;

static void *run_sort(void *arg) {
    sort_job *j = arg;
    kd_sort_ranked(j->ids, j->coords, j->rank, j->left, j->right, j->axis, j->node, j->base);
    return NULL;
}

/* kd_sort_ranked from the root, its two halves on two threads */
static void kd_sort_root(int32_t *ids, float *coords, int32_t *rank, npy_intp n, npy_intp node) {
    pthread_t thread;
    if (n - 1 <= node || workers(n) < 2) {
        kd_sort_ranked(ids, coords, rank, 0, n - 1, 0, node, 0);
        return;
    }
    const npy_intp m = (n - 1) >> 1;
    kd_select(ids, coords, m, 0, n - 1, 0);
    rank[ids[m]] = 0;
    sort_job left = {ids, rank, coords, 0, m - 1, node, 1, 1 + (int32_t)(n - 1 - m)};
    sort_job right = {ids, rank, coords, m + 1, n - 1, node, 1, 1};
    const int threaded = pthread_create(&thread, NULL, run_sort, &left) == 0;
    if (!threaded) run_sort(&left);
    run_sort(&right);
    if (threaded) pthread_join(thread, NULL);
}

/* kd_build(rows, node_size) -> (ids, coords, rank): the search tree over the rows' x, y, and
 * ranks by insertion index */
static PyObject *k_kd_build(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp n;
    if (nargs != 2) return PyErr_Format(PyExc_TypeError, "kd_build(rows, node_size)");
    const double *t = arg_array(args[0], NPY_FLOAT64, &n, "rows");
    if (!t) return NULL;
    n /= COLUMNS;
    const long node = PyLong_AsLong(args[1]);
    if (node < 1) return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_ValueError, "node_size >= 1");
    PyObject *ids = new_array(n, NPY_INT32), *coords = new_array(2 * n, NPY_FLOAT32);
    PyObject *rank = new_array(n, NPY_INT32);
    if (!ids || !coords || !rank) goto fail;
    int32_t *id = DATA(ids, int32_t);
    float *c = DATA(coords, float);
    for (npy_intp i = 0; i < n; i++) {
        id[i] = (int32_t)i;
        c[2 * i] = (float)t[i * COLUMNS + C_LNG];
        c[2 * i + 1] = (float)t[i * COLUMNS + C_LAT];
    }
    Py_BEGIN_ALLOW_THREADS
    int32_t *rk = DATA(rank, int32_t);
    kd_sort_root(id, c, rk, n, node);
    Py_END_ALLOW_THREADS
    return Py_BuildValue("(NNN)", ids, coords, rank);
fail:
    Py_XDECREF(ids);
    Py_XDECREF(coords);
    Py_XDECREF(rank);
    return NULL;
}

/* ---- tree queries ----------------------------------------------------------------------------- */

/* Positions of the items in the box, appended to *out (grown with realloc; *cap its size). */
static int kd_range(const float *coords, npy_intp n, npy_intp node, double min_x, double min_y, double max_x,
                    double max_y, npy_intp **out, npy_intp *count, npy_intp *cap, npy_intp *local) {
    npy_intp stack[3 * STACK_FRAMES];
    npy_intp top = 0;
    stack[top++] = 0; stack[top++] = n - 1; stack[top++] = 0;
    while (top > 0) {
        const npy_intp axis = stack[--top], right = stack[--top], left = stack[--top];
        const npy_intp span = right - left <= node ? right - left + 1 : 1;
        if (*count + span > *cap) {
            npy_intp bigger = 2 * *cap > *count + span ? 2 * *cap : *count + span;
            npy_intp *grown = *out == local ? malloc(bigger * sizeof(npy_intp))
                                            : realloc(*out, bigger * sizeof(npy_intp));
            if (!grown) return -1;
            if (*out == local) memcpy(grown, local, *count * sizeof(npy_intp));
            *out = grown;
            *cap = bigger;
        }
        if (right - left <= node) {
            for (npy_intp i = left; i <= right; i++) {
                const double x = coords[2 * i], y = coords[2 * i + 1];
                if (x >= min_x && x <= max_x && y >= min_y && y <= max_y) (*out)[(*count)++] = i;
            }
            continue;
        }
        const npy_intp m = (left + right) >> 1;
        const double x = coords[2 * m], y = coords[2 * m + 1];
        if (x >= min_x && x <= max_x && y >= min_y && y <= max_y) (*out)[(*count)++] = m;
        if (axis == 0 ? min_x <= x : min_y <= y) {
            stack[top++] = left; stack[top++] = m - 1; stack[top++] = 1 - axis;
        }
        if (axis == 0 ? max_x >= x : max_y >= y) {
            stack[top++] = m + 1; stack[top++] = right; stack[top++] = 1 - axis;
        }
    }
    return 0;
}

/* ---- one zoom of greedy clustering (supercluster's _cluster) --------------------------------- */

typedef struct {
    const int32_t *ids;
    const float *coords;
    const double *qx, *qy;
    npy_intp n, fine, from, to;
    double r;
    int32_t *nb, *len;
    npy_intp *first, total, cap;
    int failed;
} search_job;

/* Consecutive KD positions searched together: one range query for the block's box widened by r
 * gives every candidate, then each item keeps those within r (KDBush's distance test). */
#define SEARCH_BLOCK 8

/* The searches of KD positions [from, to): lists into the job's own buffer. */
static void *run_search(void *arg) {
    search_job *j = arg;
    npy_intp ccap = 256, ccount;
    npy_intp *cand = malloc(ccap * sizeof(npy_intp));
    j->cap = j->to - j->from + 16;
    j->total = 0;
    j->nb = malloc(j->cap * sizeof(int32_t));
    j->failed = !j->nb || !cand;
    /* widened a little: the exact test below decides, the box only has to miss nobody */
    const double reach = j->r * (1.0 + 1e-9) + 1e-12;
    const double r2 = j->r * j->r;
    for (npy_intp b = j->from; b < j->to && !j->failed; b += SEARCH_BLOCK) {
        const npy_intp e = b + SEARCH_BLOCK < j->to ? b + SEARCH_BLOCK : j->to;
        double x0 = j->qx[b], x1 = x0, y0 = j->qy[b], y1 = y0;
        for (npy_intp p = b + 1; p < e; p++) {
            if (j->qx[p] < x0) x0 = j->qx[p];
            if (j->qx[p] > x1) x1 = j->qx[p];
            if (j->qy[p] < y0) y0 = j->qy[p];
            if (j->qy[p] > y1) y1 = j->qy[p];
        }
        ccount = 0;
        if (kd_range(j->coords, j->n, j->fine, x0 - reach, y0 - reach, x1 + reach, y1 + reach, &cand, &ccount,
                     &ccap, NULL) < 0) {
            j->failed = 1;
            break;
        }
        if (j->total + (e - b) * ccount > j->cap) {
            const npy_intp bigger = 2 * j->cap > j->total + (e - b) * ccount ? 2 * j->cap : j->total + (e - b) * ccount;
            int32_t *grown = realloc(j->nb, bigger * sizeof(int32_t));
            if (!grown) {
                j->failed = 1;
                break;
            }
            j->nb = grown;
            j->cap = bigger;
        }
        for (npy_intp p = b; p < e; p++) {
            const int32_t i = j->ids[p];
            const double qx = j->qx[p], qy = j->qy[p];
            j->first[i] = j->total;
            for (npy_intp c = 0; c < ccount; c++) {
                const npy_intp q = cand[c];
                const double dx = (double)j->coords[2 * q] - qx, dy = (double)j->coords[2 * q + 1] - qy;
                if (dx * dx + dy * dy <= r2 && j->ids[q] != i) j->nb[j->total++] = j->ids[q];
            }
            j->len[i] = (int32_t)(j->total - j->first[i]);
        }
    }
    free(cand);
    return NULL;
}

static int by_key(const void *a, const void *b) {
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Neighbour ids into KDBush's order: by their rank in the coarse tree's traversal. */
static int order_by_rank(int32_t *nb, npy_intp count, const int32_t *rank) {
    uint64_t local[64], *keys = count <= 64 ? local : malloc(count * sizeof(uint64_t));
    if (!keys) return -1;
    for (npy_intp j = 0; j < count; j++) keys[j] = ((uint64_t)(uint32_t)rank[nb[j]] << 32) | (uint32_t)nb[j];
    if (count <= 32) {
        for (npy_intp j = 1; j < count; j++) {
            const uint64_t key = keys[j];
            npy_intp i = j - 1;
            while (i >= 0 && keys[i] > key) { keys[i + 1] = keys[i]; i--; }
            keys[i + 1] = key;
        }
    } else {
        qsort(keys, (size_t)count, sizeof(uint64_t), by_key);
    }
    for (npy_intp j = 0; j < count; j++) nb[j] = (int32_t)(keys[j] & 0xffffffffu);
    if (keys != local) free(keys);
    return 0;
}

#define IN(i, c) in[(npy_intp)(i) * COLUMNS + (c)]
#define OUT(i, c) out[(npy_intp)(i) * COLUMNS + (c)]
/* cluster_level(rows, ids, coords, rank, node_size, r, min_points)
 *   -> (rows, parent): the next coarser level's rows in insertion order, and for each item of
 *   this level the index of the coarser row it went into */
static PyObject *k_cluster_level(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp n;
    if (nargs != 7) return PyErr_Format(PyExc_TypeError, "cluster_level: 7 arguments");
    const double *in = arg_array(args[0], NPY_FLOAT64, &n, "rows");
    const int32_t *ids = in ? arg_array(args[1], NPY_INT32, NULL, "ids") : NULL;
    const float *coords = ids ? arg_array(args[2], NPY_FLOAT32, NULL, "coords") : NULL;
    const int32_t *rank = coords ? arg_array(args[3], NPY_INT32, NULL, "rank") : NULL;
    if (!rank) return NULL;
    n /= COLUMNS;
    const long node = PyLong_AsLong(args[4]);
    const double r = PyFloat_AsDouble(args[5]);
    const long min_points = PyLong_AsLong(args[6]);
    if (PyErr_Occurred()) return NULL;
    const npy_intp fine = node < FINE_NODE ? node : FINE_NODE;

    npy_intp dims[2] = {n, COLUMNS};
    PyObject *coarser = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    int32_t *len = malloc(n * sizeof(int32_t) + 1);
    npy_intp *first = malloc(n * sizeof(npy_intp) + 1), total = 0;
    double *qx = malloc(n * sizeof(double) + 1), *qy = malloc(n * sizeof(double) + 1);
    int32_t *nb = NULL;
    char *visited = calloc(n + 1, 1);
    PyObject *parent = new_array(n, NPY_INT32), *result = NULL;
    int failed = 0;
    if (!coarser || !len || !first || !qx || !qy || !visited ||
        !parent) {
        PyErr_NoMemory();
        goto done;
    }
    int32_t *par = DATA(parent, int32_t);
    double *out = DATA(coarser, double);
    npy_intp m = 0;
    Py_BEGIN_ALLOW_THREADS
    /* every item's neighbours but itself, searched in KD order (the gathers first, in a loop of
     * independent loads: inside the search loop each one was a stall) */
    for (npy_intp p = 0; p < n; p++) {
        qx[p] = IN(ids[p], C_LNG);
        qy[p] = IN(ids[p], C_LAT);
    }
    {
        const int t = workers(n);
        search_job jobs[2];
        pthread_t thread;
        for (int w = 0; w < t; w++) {
            search_job job = {ids, coords, qx, qy, n, fine, n * w / t, n * (w + 1) / t, r, NULL, len, first, 0, 0, 0};
            jobs[w] = job;
        }
        const int threaded = t > 1 && pthread_create(&thread, NULL, run_search, &jobs[1]) == 0;
        if (t > 1 && !threaded) run_search(&jobs[1]);
        run_search(&jobs[0]);
        if (threaded) pthread_join(thread, NULL);
        for (int w = 0; w < t; w++) {
            failed |= jobs[w].failed;
            total += jobs[w].total;
        }
        nb = failed ? NULL : malloc(total * sizeof(int32_t) + 1);
        failed |= !nb;
        npy_intp base = 0;
        for (int w = 0; w < t && !failed; w++) {
            memcpy(nb + base, jobs[w].nb, jobs[w].total * sizeof(int32_t));
            for (npy_intp p = jobs[w].from; p < jobs[w].to && base; p++) first[ids[p]] += base;
            base += jobs[w].total;
        }
        for (int w = 0; w < t; w++) free(jobs[w].nb);
    }
    for (npy_intp i = 0; i < n && !failed; i++) {
        if (visited[i]) continue;
        visited[i] = 1;
        int32_t *list = nb + first[i];
        const npy_intp found = len[i];
        const int32_t origin = (int32_t)IN(i, C_COUNT);
        int64_t points = origin;
        for (npy_intp j = 0; j < found; j++)
            if (!visited[list[j]]) points += (int64_t)IN(list[j], C_COUNT);
        if (points > 1 && found > 1 && order_by_rank(list, found, rank) < 0) {
            failed = 1;
            break;
        }
        if (points > origin && points >= min_points) {
            double wx = IN(i, C_LNG) * origin, wy = IN(i, C_LAT) * origin;
            double s = IN(i, C_SUM), lo = IN(i, C_MIN), hi = IN(i, C_MAX);
            for (npy_intp j = 0; j < found; j++) {
                const int32_t k = list[j];
                if (visited[k]) continue;
                visited[k] = 1;
                wx += IN(k, C_LNG) * IN(k, C_COUNT);
                wy += IN(k, C_LAT) * IN(k, C_COUNT);
                s += IN(k, C_SUM);
                if (IN(k, C_MIN) < lo) lo = IN(k, C_MIN);
                if (IN(k, C_MAX) > hi) hi = IN(k, C_MAX);
                par[k] = (int32_t)m;
            }
            par[i] = (int32_t)m;
            OUT(m, C_LNG) = wx / (double)points;
            OUT(m, C_LAT) = wy / (double)points;
            OUT(m, C_COUNT) = (int32_t)points;
            OUT(m, C_SUM) = s;
            OUT(m, C_MIN) = lo;
            OUT(m, C_MAX) = hi;
            m++;
        } else {
            /* carried over unchanged; with several points, so are its unvisited neighbours */
            for (npy_intp j = -1; j < (points > 1 ? found : 0); j++) {
                const npy_intp k = j < 0 ? i : list[j];
                if (j >= 0) {
                    if (visited[k]) continue;
                    visited[k] = 1;
                }
                OUT(m, C_LNG) = IN(k, C_LNG); OUT(m, C_LAT) = IN(k, C_LAT); OUT(m, C_COUNT) = IN(k, C_COUNT);
                OUT(m, C_SUM) = IN(k, C_SUM); OUT(m, C_MIN) = IN(k, C_MIN); OUT(m, C_MAX) = IN(k, C_MAX);
                par[k] = (int32_t)m;
                m++;
            }
        }
    }
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    PyArray_Dims shape = {dims, 2};
    dims[0] = m;
    for (npy_intp k = 0; k < m; k++) OUT(k, C_START) = 0;
    PyObject *resized = PyArray_Resize((PyArrayObject *)coarser, &shape, 0, NPY_CORDER);
    if (resized) {
        Py_DECREF(resized);
        result = Py_BuildValue("(OO)", coarser, parent);
    }
done:
    Py_XDECREF(coarser);
    free(len); free(first); free(nb);
    free(qx); free(qy);
    free(visited);
    Py_XDECREF(parent);
    return result;
}

#undef IN
#undef OUT

/* ---- a level's table and the depth-first layout of points ------------------------------------ */

/* level_table(rows, ids) -> the rows in KD order */
static PyObject *k_level_table(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp n;
    if (nargs != 2) return PyErr_Format(PyExc_TypeError, "level_table(rows, ids)");
    const double *in = arg_array(args[0], NPY_FLOAT64, &n, "rows");
    const int32_t *ids = in ? arg_array(args[1], NPY_INT32, NULL, "ids") : NULL;
    if (!ids) return NULL;
    n /= COLUMNS;
    npy_intp dims[2] = {n, COLUMNS};
    PyObject *table = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (!table) return NULL;
    double *t = DATA(table, double);
    Py_BEGIN_ALLOW_THREADS
    for (npy_intp p = 0; p < n; p++) memcpy(t + p * COLUMNS, in + (npy_intp)ids[p] * COLUMNS, sizeof(double) * COLUMNS);
    Py_END_ALLOW_THREADS
    return table;
}

/* child_starts(parent_start int64, parent int32, table, ids) -> start int64 (insertion order) and
 * writes each row's START. Each item takes the next slice of its parent's slice. */
static PyObject *k_child_starts(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp np_, n;
    if (nargs != 4) return PyErr_Format(PyExc_TypeError, "child_starts: 4 arguments");
    const int64_t *pstart = arg_array(args[0], NPY_INT64, &np_, "parent_start");
    const int32_t *parent = pstart ? arg_array(args[1], NPY_INT32, &n, "parent") : NULL;
    double *table = parent ? arg_array(args[2], NPY_FLOAT64, NULL, "table") : NULL;
    const int32_t *ids = table ? arg_array(args[3], NPY_INT32, NULL, "ids") : NULL;
    if (!ids) return NULL;
    PyObject *start = new_array(n, NPY_INT64);
    int64_t *cursor = malloc(np_ * sizeof(int64_t) + 1), *count = malloc(n * sizeof(int64_t) + 1);
    if (!start || !cursor || !count) {
        Py_XDECREF(start);
        free(cursor);
        free(count);
        return PyErr_NoMemory();
    }
    int64_t *st = DATA(start, int64_t);
    Py_BEGIN_ALLOW_THREADS
    memcpy(cursor, pstart, np_ * sizeof(int64_t));
    for (npy_intp p = 0; p < n; p++) count[ids[p]] = (int64_t)table[p * COLUMNS + C_COUNT];
    for (npy_intp i = 0; i < n; i++) {
        st[i] = cursor[parent[i]];
        cursor[parent[i]] += count[i];
    }
    for (npy_intp p = 0; p < n; p++) table[p * COLUMNS + C_START] = (double)st[ids[p]];
    Py_END_ALLOW_THREADS
    free(cursor);
    free(count);
    return start;
}

/* finish_rows(table, lng, lat): positions in degrees. A lone point keeps its own coordinates
 * (lng/lat in the depth-first order of points), as supercluster returns the input feature; a
 * cluster's centre is unprojected. */
static PyObject *k_finish_rows(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp n;
    if (nargs != 3) return PyErr_Format(PyExc_TypeError, "finish_rows(table, lng, lat)");
    double *t = arg_array(args[0], NPY_FLOAT64, &n, "table");
    const double *lng = t ? arg_array(args[1], NPY_FLOAT64, NULL, "lng") : NULL;
    const double *lat = lng ? arg_array(args[2], NPY_FLOAT64, NULL, "lat") : NULL;
    if (!lat) return NULL;
    Py_BEGIN_ALLOW_THREADS
    for (npy_intp p = 0; p < n / COLUMNS; p++, t += COLUMNS) {
        if (t[C_COUNT] == 1) {
            t[C_LNG] = lng[(npy_intp)t[C_START]];
            t[C_LAT] = lat[(npy_intp)t[C_START]];
        } else {
            t[C_LNG] = x_lng(t[C_LNG]);
            t[C_LAT] = y_lat(t[C_LAT]);
        }
    }
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* ---- the query (supercluster's getClusters on one level) ------------------------------------- */

static PyObject *no_rows; /* the answer with no rows, shared (read-only) */

static double wrap_lng(double lng) { return fmod(fmod(lng + 180.0, 360.0) + 360.0, 360.0) - 180.0; }

static void normalise(double b[4]) {
    const double west = b[0], east = b[2];
    b[0] = wrap_lng(west);
    b[1] = fmax(-90.0, fmin(90.0, b[1]));
    b[2] = east == 180.0 ? 180.0 : wrap_lng(east);
    b[3] = fmax(-90.0, fmin(90.0, b[3]));
    if (east - west >= 360.0) {
        b[0] = -180.0;
        b[2] = 180.0;
    }
}

/* rows_in_bbox(coords, table, node_size, (west, south, east, north)) -> float64 (k, COLUMNS) */
static PyObject *k_rows_in_bbox(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    npy_intp n2;
    if (nargs != 4 || !PyTuple_Check(args[3]) || PyTuple_GET_SIZE(args[3]) != 4)
        return PyErr_Format(PyExc_TypeError, "rows_in_bbox(coords, table, node_size, (w, s, e, n))");
    const float *coords = arg_array(args[0], NPY_FLOAT32, &n2, "coords");
    const double *table = coords ? arg_array(args[1], NPY_FLOAT64, NULL, "table") : NULL;
    if (!table) return NULL;
    npy_intp node = PyLong_AsSsize_t(args[2]);
    if (node > FINE_NODE) node = FINE_NODE;
    PyObject *box = args[3];
    double b[4] = {PyFloat_AsDouble(PyTuple_GET_ITEM(box, 0)), PyFloat_AsDouble(PyTuple_GET_ITEM(box, 1)),
                   PyFloat_AsDouble(PyTuple_GET_ITEM(box, 2)), PyFloat_AsDouble(PyTuple_GET_ITEM(box, 3))};
    if (PyErr_Occurred()) return NULL;
    double parts[2][4];
    int nparts = 1;
    normalise(b);
    if (b[0] > b[2]) {  /* across the antimeridian: the eastern part, then the western one */
        double east[4] = {b[0], b[1], 180.0, b[3]}, west[4] = {-180.0, b[1], b[2], b[3]};
        normalise(east);
        normalise(west);
        memcpy(parts[0], east, sizeof east);
        memcpy(parts[1], west, sizeof west);
        nparts = 2;
    } else {
        memcpy(parts[0], b, sizeof b);
    }
    npy_intp local[256], *found = local, count = 0, cap = 256;
    for (int p = 0; p < nparts; p++) {
        const double *q = parts[p];
        if (kd_range(coords, n2 / 2, node, lng_x(q[0]), lat_y(q[3]), lng_x(q[2]), lat_y(q[1]), &found, &count,
                     &cap, local) < 0) {
            if (found != local) free(found);
            return PyErr_NoMemory();
        }
    }
    if (count == 0) {
        Py_INCREF(no_rows);
        return no_rows;
    }
    npy_intp dims[2] = {count, COLUMNS};
    PyObject *rows = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (rows) {
        double *out = DATA(rows, double);
        for (npy_intp j = 0; j < count; j++, out += COLUMNS)
            memcpy(out, table + found[j] * COLUMNS, sizeof(double) * COLUMNS);
    }
    if (found != local) free(found);
    return rows;
}

/* ---- module ----------------------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"point_rows", (PyCFunction)(void (*)(void))k_point_rows, METH_FASTCALL, "the points' rows"},
    {"kd_build", (PyCFunction)(void (*)(void))k_kd_build, METH_FASTCALL, "kd_build(x, y, node_size)"},
    {"cluster_level", (PyCFunction)(void (*)(void))k_cluster_level, METH_FASTCALL, "one zoom"},
    {"level_table", (PyCFunction)(void (*)(void))k_level_table, METH_FASTCALL, "a level's rows"},
    {"child_starts", (PyCFunction)(void (*)(void))k_child_starts, METH_FASTCALL, "point slices"},
    {"finish_rows", (PyCFunction)(void (*)(void))k_finish_rows, METH_FASTCALL, "positions in degrees"},
    {"rows_in_bbox", (PyCFunction)(void (*)(void))k_rows_in_bbox, METH_FASTCALL, "getClusters"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels", "Clustering kernels.", -1, methods};

PyMODINIT_FUNC PyInit__kernels(void) {
    import_array();
    npy_intp dims[2] = {0, COLUMNS};
    no_rows = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (!no_rows) return NULL;
    PyArray_CLEARFLAGS((PyArrayObject *)no_rows, NPY_ARRAY_WRITEABLE);
    PyObject *m = PyModule_Create(&module);
    if (m) PyModule_AddIntConstant(m, "COLUMNS", COLUMNS);
    return m;
}
