/*
 * Shared helpers for the host baselines of MMU Lens's benchmark.
 *
 * Each baseline is a tiny C program that measures one thing the real kernel of this machine does
 * (or, for the page walk, what plain compiled code does) so that the simulated engine can be compared
 * against it in the same run. Every program repeats its measurement and reports the best run: the one
 * least disturbed by other load, the same statistic the engine's own figures use (their best round),
 * over runs of about the size of the engine's rounds, so that neither side is favoured. It prints
 * exactly one JSON object on stdout:
 *   {"per_s": <best rate>, "median_per_s": <median rate>, "samples": [...], ...details}
 * Diagnostics go to stderr and a failure exits non-zero, so the runner never mistakes noise for a figure.
 */
#ifndef MMU_LENS_HOSTBENCH_H
#define MMU_LENS_HOSTBENCH_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define HOST_PAGE_SIZE 4096UL
#define MAX_RUNS 64

/* Monotonic wall time: what a user of the engine would wait for, and immune to clock adjustments. */
static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Minor faults this process has taken so far: lets a baseline prove it measured faults, not a no-op. */
static inline long minor_faults(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

static inline int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline double median(const double *values, int count)
{
    double sorted[MAX_RUNS];
    memcpy(sorted, values, (size_t)count * sizeof(double));
    qsort(sorted, (size_t)count, sizeof(double), compare_doubles);
    return count % 2 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0;
}

static inline double best(const double *values, int count)
{
    double highest = values[0];
    for (int i = 1; i < count; i++)
        if (values[i] > highest)
            highest = values[i];
    return highest;
}

/* Reads argv[index] as a positive count, or returns the default; a bad argument is a usage error. */
static inline long count_argument(int argc, char **argv, int index, long fallback, long maximum)
{
    if (argc <= index)
        return fallback;
    char *end = NULL;
    errno = 0;
    long value = strtol(argv[index], &end, 10);
    if (errno || end == argv[index] || *end || value <= 0 || value > maximum) {
        fprintf(stderr, "%s: argument %d must be an integer in 1..%ld, got '%s'\n", argv[0], index, maximum,
                argv[index]);
        exit(2);
    }
    return value;
}

static inline void fail(const char *what)
{
    perror(what);
    exit(1);
}

static inline void print_samples(const double *samples, int count)
{
    printf("\"samples\": [");
    for (int i = 0; i < count; i++)
        printf("%s%.1f", i ? ", " : "", samples[i]);
    printf("]");
}

#endif
