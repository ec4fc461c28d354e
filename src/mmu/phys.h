/*
 * Emulated physical memory: one host mapping of the guest's RAM and the
 * e820-style map that says which parts of it are usable.
 *
 * The host buffer is reserved with mmap(MAP_NORESERVE) and touched only when
 * a frame is used, so --ram may exceed the host's free memory.  Every access
 * from the kernel or the MMU goes through phys_host(), which bounds-checks the
 * address against the RAM size: nothing outside the buffer is reachable.
 */
#ifndef MMULAB_MMU_PHYS_H
#define MMULAB_MMU_PHYS_H

#include "types.h"

#define PHYS_RAM_MIN (4ull << 20)  /* 4 MiB */
#define PHYS_RAM_MAX (16ull << 30) /* pae reaches 64 GiB; we cap at 16 */

enum e820_type {
	E820_USABLE = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
};

struct e820_entry {
	gpa_t addr; /* first byte */
	uint64_t size;
	enum e820_type type;
};

#define E820_MAX 16

struct phys {
	uint8_t *ram;	    /* host base of guest physical address 0 */
	uint64_t size;	    /* bytes of RAM (multiple of PAGE_SIZE) */
	pfn_t nr_frames;    /* size >> PAGE_SHIFT */
	int nr_map;
	struct e820_entry map[E820_MAX]; /* sorted, non-overlapping */
};

/*
 * Reserve @size bytes of guest RAM (rounded down to a page) and build the
 * default firmware map: usable low memory up to 0x9fc00, the EBDA and BIOS
 * holes reserved up to 1 MiB, usable RAM above, and the top 128 KiB reserved
 * as QEMU's firmware does.  Returns 0, -EINVAL for a size outside
 * [PHYS_RAM_MIN, PHYS_RAM_MAX], or -ENOMEM when the host refuses the mapping.
 */
int phys_init(struct phys *p, uint64_t size) __must_check;

/* Unmap the RAM.  @p may be zeroed or already destroyed. */
void phys_destroy(struct phys *p);

/* Type of the e820 region holding @pa; E820_RESERVED outside RAM. */
enum e820_type phys_type(const struct phys *p, gpa_t pa);

/* Name Linux prints for an e820 type ("usable", "reserved", ...). */
const char *e820_type_name(enum e820_type t);

/*
 * Host pointer to @len bytes at guest physical @pa, or NULL when any of them
 * lies outside RAM.  The range may not cross the end of RAM.
 */
static inline void *phys_host(const struct phys *p, gpa_t pa, uint64_t len)
{
	if (unlikely(pa >= p->size || len > p->size - pa))
		return NULL;
	return p->ram + pa;
}

/* Host pointer to the start of frame @pfn, or NULL when it is not RAM. */
static inline void *phys_frame(const struct phys *p, pfn_t pfn)
{
	return phys_host(p, (gpa_t)pfn << PAGE_SHIFT, PAGE_SIZE);
}

/*
 * Give frame @pfn's host memory back to the host (MADV_DONTNEED): its
 * content becomes zero and it stops counting in mmulab's RSS.  Used by the
 * kernel for freed high-order blocks; a no-op for frames outside RAM.
 */
void phys_discard(struct phys *p, pfn_t pfn, unsigned long nr);

/*
 * Parse a size with an optional K, M or G suffix (powers of 1024) into
 * @out.  Returns 0 or -EINVAL on anything else (empty, junk, overflow).
 */
int parse_size(const char *s, uint64_t *out) __must_check;

#endif
