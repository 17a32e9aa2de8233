/*
 * Host baseline: copy-on-write faults per second on this machine's kernel.
 *
 * Usage: cow_faults [pages=16384] [runs=15]
 *
 * Why this measures what it claims:
 *  - The parent maps a private anonymous region (MADV_NOHUGEPAGE, so every COW copies one 4 KiB page)
 *    and writes every page, so each page is resident and private to it.
 *  - fork() shares those pages with the child and write-protects the PTEs on both sides. The parent then
 *    blocks in read() on a pipe, keeping its mapping alive, so every page stays shared (mapped twice)
 *    and the kernel cannot reuse it in place: the child's first write to each page must copy it.
 *  - The child times exactly one write per page (only COW faults happen in that loop), checks with its
 *    own minor-fault counter that about one fault per page occurred, and sends the rate and the count
 *    back through the pipe before exiting. The fork itself is outside the timed loop.
 *  - One uncounted warm-up fork comes first, for the same reason as in anon_faults.c.
 *  - This is the host counterpart of the engine's `cow_faults_per_s` (write faults on pages shared by
 *    fork).
 */
#include "hostbench.h"
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct child_report {
    double per_s;
    long faults;
};

static void run_child(volatile char *bytes, long pages, int write_end)
{
    struct child_report report;
    long faults_before = minor_faults();
    double start = now_seconds();
    for (long page = 0; page < pages; page++)
        bytes[page * HOST_PAGE_SIZE] = 2;
    double elapsed = now_seconds() - start;
    report.faults = minor_faults() - faults_before;
    report.per_s = (double)pages / elapsed;
    ssize_t written = write(write_end, &report, sizeof report);
    _exit(written == (ssize_t)sizeof report ? 0 : 1);
}

static struct child_report measure_once(volatile char *bytes, long pages)
{
    int ends[2];
    if (pipe(ends) != 0)
        fail("pipe");
    fflush(stdout);
    pid_t child = fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        close(ends[0]);
        run_child(bytes, pages, ends[1]);
    }
    close(ends[1]);
    struct child_report report;
    ssize_t got = read(ends[0], &report, sizeof report);
    close(ends[0]);
    int status = 0;
    if (waitpid(child, &status, 0) != child)
        fail("waitpid");
    if (got != (ssize_t)sizeof report || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "cow_faults: the child did not report a measurement\n");
        exit(1);
    }
    return report;
}

int main(int argc, char **argv)
{
    long pages = count_argument(argc, argv, 1, 16384, 1L << 22);
    int runs = (int)count_argument(argc, argv, 2, 15, MAX_RUNS);
    size_t length = (size_t)pages * HOST_PAGE_SIZE;

    char *region = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED)
        fail("mmap");
    if (madvise(region, length, MADV_NOHUGEPAGE) != 0)
        fail("madvise(MADV_NOHUGEPAGE)");
    volatile char *bytes = region;
    for (long page = 0; page < pages; page++)
        bytes[page * HOST_PAGE_SIZE] = 1;

    double samples[MAX_RUNS], fault_samples[MAX_RUNS];
    measure_once(bytes, pages); /* warm-up */
    for (int run = 0; run < runs; run++) {
        struct child_report report = measure_once(bytes, pages);
        samples[run] = report.per_s;
        fault_samples[run] = (double)report.faults;
    }

    printf("{\"per_s\": %.1f, \"median_per_s\": %.1f, \"pages\": %ld, \"runs\": %d, \"minor_faults_per_run\": %.0f, ",
           best(samples, runs), median(samples, runs), pages, runs, median(fault_samples, runs));
    print_samples(samples, runs);
    printf("}\n");
    munmap(region, length);
    return 0;
}
