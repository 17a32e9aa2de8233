/*
 * Host baseline: random 4-level page walks per second in plain C.
 *
 * Usage: page_walk [addresses=1048576] [passes=1] [runs=25]
 *
 * Why this measures what it claims:
 *  - It builds the same structure an x86_64 MMU walks: a PML4, a page-directory-pointer table, a page
 *    directory and 512 page tables, each a 4 KiB table of 512 eight-byte entries with the Present,
 *    ReadWrite and UserSupervisor bits and a 4 KiB-aligned physical address in bits 12..51. The tables
 *    live in one simulated "physical memory" array and entries hold offsets into it, exactly as an
 *    engine that keeps physical memory in typed arrays would. Together they map 1 GiB of 4 KiB pages
 *    (262,144 leaf entries) at a canonical user address.
 *  - A list of random virtual addresses inside that GiB is generated first (xorshift64*, fixed seed),
 *    so the timed loop does nothing but walks: four dependent loads with a present check at each level
 *    and the final offset added. The physical results are folded into a checksum that is printed, so
 *    the compiler cannot drop the work; a walk that finds a non-present entry is counted and must not
 *    happen. A few translations are checked against the expected frame before timing.
 *  - This is the counterpart of the engine's `translate_random_per_s` (random addresses over 1 GiB
 *    mapped). It has no goal: it is reported for information, beside js_page_walk_per_s (this walk
 *    in plain JavaScript, in the engine's own process), which is the bar the engine must reach.
 */
#include "hostbench.h"
#include <stdint.h>

#define ENTRIES 512
#define PRESENT 0x1ULL
#define READ_WRITE 0x2ULL
#define USER 0x4ULL
#define ADDRESS_MASK 0x000FFFFFFFFFF000ULL
#define MAPPED_BYTES (1ULL << 30)
#define MAPPED_PAGES (MAPPED_BYTES / HOST_PAGE_SIZE)
#define PAGE_TABLES (MAPPED_PAGES / ENTRIES)
#define TABLE_FRAMES (3 + PAGE_TABLES) /* PML4, PDPT, PD, then the page tables */
#define VIRTUAL_BASE 0x00007F0000000000ULL /* 1 GiB aligned, in the canonical lower half */
#define DATA_FRAME_BASE 0x0000000100000000ULL /* physical home of the mapped pages, beyond the tables */
#define NOT_PRESENT UINT64_MAX

static uint64_t *physical_memory; /* TABLE_FRAMES frames; a table's "physical address" is its offset */

static uint64_t *table_at(uint64_t physical_address)
{
    return (uint64_t *)((char *)physical_memory + physical_address);
}

static uint64_t frame_address(uint64_t frame)
{
    return frame * HOST_PAGE_SIZE;
}

static void build_tables(void)
{
    const uint64_t flags = PRESENT | READ_WRITE | USER;
    const uint64_t pml4 = frame_address(0), pdpt = frame_address(1), pd = frame_address(2);
    physical_memory = aligned_alloc(HOST_PAGE_SIZE, TABLE_FRAMES * HOST_PAGE_SIZE);
    if (!physical_memory)
        fail("aligned_alloc");
    memset(physical_memory, 0, TABLE_FRAMES * HOST_PAGE_SIZE);

    table_at(pml4)[(VIRTUAL_BASE >> 39) & 511] = pdpt | flags;
    table_at(pdpt)[(VIRTUAL_BASE >> 30) & 511] = pd | flags;
    for (uint64_t table = 0; table < PAGE_TABLES; table++) {
        uint64_t pt = frame_address(3 + table);
        table_at(pd)[table] = pt | flags;
        for (uint64_t entry = 0; entry < ENTRIES; entry++)
            table_at(pt)[entry] = (DATA_FRAME_BASE + (table * ENTRIES + entry) * HOST_PAGE_SIZE) | flags;
    }
}

/* One walk from the root: PML4 -> PDPT -> PD -> PT, checking Present at every level. */
static inline uint64_t translate(uint64_t root, uint64_t virtual_address)
{
    uint64_t table = root;
    for (int shift = 39; shift >= 12; shift -= 9) {
        uint64_t entry = table_at(table)[(virtual_address >> shift) & (ENTRIES - 1)];
        if (!(entry & PRESENT))
            return NOT_PRESENT;
        table = entry & ADDRESS_MASK;
    }
    return table | (virtual_address & (HOST_PAGE_SIZE - 1));
}

static uint64_t xorshift_state = 0x9E3779B97F4A7C15ULL;

static uint64_t next_random(void)
{
    xorshift_state ^= xorshift_state >> 12;
    xorshift_state ^= xorshift_state << 25;
    xorshift_state ^= xorshift_state >> 27;
    return xorshift_state * 0x2545F4914F6CDD1DULL;
}

static void check_translation(uint64_t virtual_address)
{
    uint64_t offset = virtual_address - VIRTUAL_BASE;
    uint64_t expected = DATA_FRAME_BASE + offset;
    uint64_t got = translate(frame_address(0), virtual_address);
    if (got != expected) {
        fprintf(stderr, "page_walk: %#llx translated to %#llx, expected %#llx\n",
                (unsigned long long)virtual_address, (unsigned long long)got, (unsigned long long)expected);
        exit(1);
    }
}

/* Kept out of line so the timed loop is the same code on every pass. */
static __attribute__((noinline)) uint64_t walk_all(const uint64_t *addresses, long count, long *faults)
{
    uint64_t checksum = 0;
    for (long i = 0; i < count; i++) {
        uint64_t physical = translate(frame_address(0), addresses[i]);
        if (physical == NOT_PRESENT)
            ++*faults;
        else
            checksum += physical;
    }
    return checksum;
}

int main(int argc, char **argv)
{
    long count = count_argument(argc, argv, 1, 1L << 20, 1L << 26);
    long passes = count_argument(argc, argv, 2, 1, 1L << 20);
    int runs = (int)count_argument(argc, argv, 3, 25, MAX_RUNS);

    build_tables();
    check_translation(VIRTUAL_BASE);
    check_translation(VIRTUAL_BASE + MAPPED_BYTES - 1);
    check_translation(VIRTUAL_BASE + 0x12345678);

    uint64_t *addresses = malloc((size_t)count * sizeof *addresses);
    if (!addresses)
        fail("malloc");
    for (long i = 0; i < count; i++)
        addresses[i] = VIRTUAL_BASE + (next_random() & (MAPPED_BYTES - 1));

    double samples[MAX_RUNS];
    uint64_t checksum = 0;
    long faults = 0;
    for (int run = 0; run < runs; run++) {
        double start = now_seconds();
        for (long pass = 0; pass < passes; pass++)
            checksum += walk_all(addresses, count, &faults);
        samples[run] = (double)(count * passes) / (now_seconds() - start);
    }
    if (faults) {
        fprintf(stderr, "page_walk: %ld walks found a non-present entry\n", faults);
        return 1;
    }

    printf("{\"per_s\": %.1f, \"median_per_s\": %.1f, \"mapped_bytes\": %llu, \"walks_per_run\": %ld, \"runs\": %d, "
           "\"checksum\": \"%016llx\", ",
           best(samples, runs), median(samples, runs), (unsigned long long)MAPPED_BYTES, count * passes, runs,
           (unsigned long long)checksum);
    print_samples(samples, runs);
    printf("}\n");
    free(addresses);
    free(physical_memory);
    return 0;
}
