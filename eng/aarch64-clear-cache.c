/*
 * __clear_cache for the arm64 plugin, linked by eng/zig-cc.
 *
 * The NativeAOT runtime's only use of a compiler-runtime helper on arm64 is __clear_cache. Zig would take it from
 * its compiler_rt, whose single object also defines weak memcpy, memset, memmove, memcmp and the libm functions;
 * in an executable those definitions win over glibc's, so the plugin's own calls would run Zig's generic versions
 * instead of glibc's tuned ones. Defining __clear_cache here keeps compiler_rt out of the link.
 *
 * What it does is what the Arm architecture prescribes for code written as data: clean the data cache lines to the
 * point of unification, invalidate the instruction cache lines, with barriers in between. CTR_EL0 gives the line
 * sizes, and its IDC/DIC bits say when either step is not needed.
 */
#include <stdint.h>

void __clear_cache(void *start, void *end)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    const uintptr_t begin = (uintptr_t)start;
    const uintptr_t stop = (uintptr_t)end;

    if (!(ctr & (UINT64_C(1) << 28))) { /* IDC clear: data cache cleaning is required */
        const uintptr_t line = UINT64_C(4) << ((ctr >> 16) & 0xf);
        for (uintptr_t p = begin & ~(line - 1); p < stop; p += line) {
            __asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
        }
    }
    __asm__ volatile("dsb ish" : : : "memory");

    if (!(ctr & (UINT64_C(1) << 29))) { /* DIC clear: instruction cache invalidation is required */
        const uintptr_t line = UINT64_C(4) << (ctr & 0xf);
        for (uintptr_t p = begin & ~(line - 1); p < stop; p += line) {
            __asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
        }
        __asm__ volatile("dsb ish" : : : "memory");
    }
    __asm__ volatile("isb" : : : "memory");
}
