/*
 * Host baseline: one-page mmap + munmap pairs per second on this machine's kernel.
 *
 * Usage: mmap_munmap [pairs=20000] [runs=15]
 *
 * Why this measures what it claims:
 *  - Each pair is one mmap of a single private anonymous read/write page followed by its munmap: the
 *    system-call round trip, the VMA creation and the VMA teardown. The page is never touched, so no
 *    fault and no frame allocation is counted; that matches the engine's `mmap_munmap_per_s`, which
 *    maps and unmaps one page without accessing it.
 *  - Every result is checked (a failed mmap ends the program), so a refused call cannot look fast.
 */
#include "hostbench.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
    long pairs = count_argument(argc, argv, 1, 20000, 1L << 30);
    int runs = (int)count_argument(argc, argv, 2, 15, MAX_RUNS);
    double samples[MAX_RUNS];

    for (int run = 0; run < runs; run++) {
        double start = now_seconds();
        for (long pair = 0; pair < pairs; pair++) {
            void *page = mmap(NULL, HOST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (page == MAP_FAILED)
                fail("mmap");
            if (munmap(page, HOST_PAGE_SIZE) != 0)
                fail("munmap");
        }
        samples[run] = (double)pairs / (now_seconds() - start);
    }

    printf("{\"per_s\": %.1f, \"median_per_s\": %.1f, \"pairs\": %ld, \"runs\": %d, ", best(samples, runs),
           median(samples, runs), pairs, runs);
    print_samples(samples, runs);
    printf("}\n");
    return 0;
}
