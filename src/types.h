/*
 * Types and helpers shared by every layer of mmulab.
 *
 * gva_t and gpa_t keep guest virtual and guest physical addresses apart from
 * each other and from host pointers: a host pointer into guest RAM is only
 * ever obtained through phys_host().
 */
#ifndef MMULAB_TYPES_H
#define MMULAB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t gva_t; /* guest virtual address (32-bit) */
typedef uint64_t gpa_t; /* guest physical address (up to 36 bits with pae) */
typedef uint64_t pfn_t; /* guest page frame number */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define PAGE_MASK (~(gva_t)(PAGE_SIZE - 1)) /* keeps the page number bits */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __noinline __attribute__((noinline))
#define __cold __attribute__((cold))
#define __must_check __attribute__((warn_unused_result))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))

#endif
