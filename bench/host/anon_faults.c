/*
 * Host baseline: anonymous (zero-fill) page faults per second on this machine's kernel.
 *
 * Usage: anon_faults [pages=32768] [runs=15]
 *
 * Why this measures what it claims:
 *  - A fresh MAP_PRIVATE|MAP_ANONYMOUS mapping has no page behind any address; the first write to each
 *    page takes a page fault that allocates a zeroed frame and installs a writable PTE. That is the
 *    host counterpart of the engine's lazily committed zero fault (`zero_faults_per_s`).
 *  - We write exactly one byte per page, so the loop does nothing but take faults.
 *  - Transparent huge pages would satisfy 512 pages with one fault and inflate the rate, so the region
 *    is marked MADV_NOHUGEPAGE; MAP_POPULATE is not used, so nothing is pre-faulted.
 *  - The minor-fault counter of the process is read around the loop and reported: it must be about one
 *    fault per page, which proves the kernel really faulted every page (the runner checks it).
 *  - Each run maps a new region and unmaps it afterwards, so every run starts from unpopulated memory.
 *    One uncounted warm-up run comes first: on a virtual machine the hypervisor's own first touch of
 *    guest memory would otherwise be charged to the guest kernel's fault path.
 */
#include "hostbench.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
    long pages = count_argument(argc, argv, 1, 32768, 1L << 22);
    int runs = (int)count_argument(argc, argv, 2, 15, MAX_RUNS);
    size_t length = (size_t)pages * HOST_PAGE_SIZE;
    double samples[MAX_RUNS];
    long faults[MAX_RUNS];

    for (int run = -1; run < runs; run++) { /* run -1 is the warm-up */
        char *region = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (region == MAP_FAILED)
            fail("mmap");
        if (madvise(region, length, MADV_NOHUGEPAGE) != 0)
            fail("madvise(MADV_NOHUGEPAGE)");

        volatile char *bytes = region;
        long faults_before = minor_faults();
        double start = now_seconds();
        for (long page = 0; page < pages; page++)
            bytes[page * HOST_PAGE_SIZE] = 1;
        double elapsed = now_seconds() - start;
        if (run >= 0) {
            faults[run] = minor_faults() - faults_before;
            samples[run] = (double)pages / elapsed;
        }

        if (munmap(region, length) != 0)
            fail("munmap");
    }

    double fault_samples[MAX_RUNS];
    for (int run = 0; run < runs; run++)
        fault_samples[run] = (double)faults[run];
    printf("{\"per_s\": %.1f, \"median_per_s\": %.1f, \"pages\": %ld, \"runs\": %d, \"minor_faults_per_run\": %.0f, ",
           best(samples, runs), median(samples, runs), pages, runs, median(fault_samples, runs));
    print_samples(samples, runs);
    printf("}\n");
    return 0;
}
