/*
 * memblock: the boot-time view of physical memory, as in Linux mm/memblock.c.
 *
 * Two sorted lists of disjoint ranges: "memory" (the RAM the firmware said
 * is usable) and "reserved" (parts of RAM already taken: frame 0, the kernel
 * image, mem_map, ...).  memblock_alloc_range() carves new reservations
 * top-down.  Once the buddy allocator is up, mem_boot() hands every
 * memory-minus-reserved range to it; memblock stays around read-only for
 * inspection.
 */
#include <errno.h>
#include <inttypes.h>

#include "kernel/mm/mmzone.h"

/* Insert [base, base+size) into @type, merging overlapping/adjacent ranges. */
static int memblock_insert(struct memblock_type *type, gpa_t base,
			   uint64_t size)
{
	gpa_t end = base + size;
	int i, j, first;

	if (!size)
		return 0;
	/* First region that ends at or after base (may merge with it). */
	for (first = 0; first < type->cnt; first++)
		if (type->regions[first].base + type->regions[first].size >=
		    base)
			break;
	/* Absorb every region that touches [base, end). */
	for (j = first; j < type->cnt && type->regions[j].base <= end; j++) {
		struct memblock_region *r = &type->regions[j];

		if (r->base < base)
			base = r->base;
		if (r->base + r->size > end)
			end = r->base + r->size;
	}
	/* Regions first..j-1 are replaced by one. */
	if (j == first) {
		if (type->cnt == MEMBLOCK_MAX)
			return -ENOMEM;
		for (i = type->cnt; i > first; i--)
			type->regions[i] = type->regions[i - 1];
		type->cnt++;
	} else {
		int removed = j - first - 1;

		for (i = first + 1; i + removed < type->cnt; i++)
			type->regions[i] = type->regions[i + removed];
		type->cnt -= removed;
	}
	type->regions[first].base = base;
	type->regions[first].size = end - base;
	return 0;
}

int memblock_add(struct memory *mem, gpa_t base, uint64_t size)
{
	return memblock_insert(&mem->memblock.memory, base, size);
}

int memblock_reserve(struct memory *mem, gpa_t base, uint64_t size)
{
	return memblock_insert(&mem->memblock.reserved, base, size);
}

static bool memblock_contains(const struct memblock_type *type, gpa_t pa)
{
	int i;

	for (i = 0; i < type->cnt; i++)
		if (pa >= type->regions[i].base &&
		    pa - type->regions[i].base < type->regions[i].size)
			return true;
	return false;
}

bool memblock_is_memory(const struct memory *mem, gpa_t pa)
{
	return memblock_contains(&mem->memblock.memory, pa);
}

bool memblock_is_reserved(const struct memory *mem, gpa_t pa)
{
	return memblock_contains(&mem->memblock.reserved, pa);
}

/*
 * Walk memory minus reserved, ascending, in bytes.  Returns false from @fn to
 * stop.  Both lists are sorted, so one pass over each suffices: O(m + r).
 */
static void for_each_free_bytes(const struct memory *mem,
				bool (*fn)(void *arg, gpa_t s, gpa_t e),
				void *arg)
{
	const struct memblock_type *m = &mem->memblock.memory;
	const struct memblock_type *r = &mem->memblock.reserved;
	int i, j = 0;

	for (i = 0; i < m->cnt; i++) {
		gpa_t s = m->regions[i].base;
		gpa_t e = s + m->regions[i].size;

		while (s < e) {
			gpa_t rs, re;

			/* Skip reserved regions that end before s. */
			while (j < r->cnt &&
			       r->regions[j].base + r->regions[j].size <= s)
				j++;
			if (j == r->cnt || r->regions[j].base >= e) {
				if (!fn(arg, s, e))
					return;
				break;
			}
			rs = r->regions[j].base;
			re = rs + r->regions[j].size;
			if (rs > s && !fn(arg, s, rs))
				return;
			s = re;
		}
	}
}

struct free_range_ctx {
	void (*fn)(void *arg, pfn_t start, pfn_t end);
	void *arg;
};

static bool free_range_pfns(void *arg, gpa_t s, gpa_t e)
{
	struct free_range_ctx *c = arg;
	pfn_t ps = ALIGN_UP(s, (gpa_t)PAGE_SIZE) >> PAGE_SHIFT;
	pfn_t pe = e >> PAGE_SHIFT;

	if (ps < pe)
		c->fn(c->arg, ps, pe);
	return true;
}

void memblock_for_each_free_range(const struct memory *mem,
				  void (*fn)(void *arg, pfn_t start, pfn_t end),
				  void *arg)
{
	struct free_range_ctx c = { fn, arg };

	for_each_free_bytes(mem, free_range_pfns, &c);
}

struct alloc_ctx {
	uint64_t size, align;
	gpa_t start, end;
	gpa_t found;	/* highest fit so far, 0 = none */
};

static bool alloc_fit(void *arg, gpa_t s, gpa_t e)
{
	struct alloc_ctx *c = arg;
	gpa_t top, cand;

	if (s < c->start)
		s = c->start;
	if (e > c->end)
		e = c->end;
	if (s >= e || e - s < c->size)
		return true;
	top = e - c->size;
	cand = ALIGN_DOWN(top, c->align);
	if (cand >= s && cand > c->found)
		c->found = cand;
	return true;
}

gpa_t memblock_alloc_range(struct memory *mem, uint64_t size, uint64_t align,
			   gpa_t start, gpa_t end)
{
	struct alloc_ctx c = { size, align ? align : PAGE_SIZE, start, end, 0 };

	if (!size)
		return 0;
	/* Ranges ascend, so the last fit is the highest. */
	for_each_free_bytes(mem, alloc_fit, &c);
	if (!c.found || memblock_reserve(mem, c.found, size))
		return 0;
	return c.found;
}

unsigned long memblock_memory_pages(const struct memory *mem, pfn_t start,
				    pfn_t end)
{
	const struct memblock_type *m = &mem->memblock.memory;
	unsigned long n = 0;
	int i;

	for (i = 0; i < m->cnt; i++) {
		pfn_t s = ALIGN_UP(m->regions[i].base, (gpa_t)PAGE_SIZE) >>
			  PAGE_SHIFT;
		pfn_t e = (m->regions[i].base + m->regions[i].size) >>
			  PAGE_SHIFT;

		if (s < start)
			s = start;
		if (e > end)
			e = end;
		if (s < e)
			n += (unsigned long)(e - s);
	}
	return n;
}

static void memblock_dump_type(const struct memblock_type *type,
			       const char *name, struct seq *s)
{
	int i;

	seq_printf(s, " %s.cnt  = 0x%x\n", name, type->cnt);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		seq_printf(s, " %s[0x%x]\t[0x%016" PRIx64 "-0x%016" PRIx64
			   "], 0x%" PRIx64 " bytes\n", name, i, r->base,
			   r->base + r->size - 1, r->size);
	}
}

void memblock_dump(const struct memory *mem, struct seq *s)
{
	seq_puts(s, "MEMBLOCK configuration:\n");
	memblock_dump_type(&mem->memblock.memory, "memory", s);
	memblock_dump_type(&mem->memblock.reserved, "reserved", s);
}
