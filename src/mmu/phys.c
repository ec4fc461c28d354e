/*
 * Emulated physical memory and its e820 map.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mmu/phys.h"

#define E820_LOW_END 0x9fc00ull	   /* end of usable conventional memory */
#define E820_EBDA_END 0xa0000ull   /* EBDA: 0x9fc00..0x9ffff */
#define E820_BIOS_START 0xf0000ull /* system BIOS: 0xf0000..0xfffff */
#define E820_HIGH_START 0x100000ull
#define E820_TOP_RESERVED (128ull << 10)

static void e820_add(struct phys *p, gpa_t addr, uint64_t size,
		     enum e820_type type)
{
	struct e820_entry *e = &p->map[p->nr_map++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

int phys_init(struct phys *p, uint64_t size)
{
	void *ram;

	memset(p, 0, sizeof(*p));
	size = ALIGN_DOWN(size, (uint64_t)PAGE_SIZE);
	if (size < PHYS_RAM_MIN || size > PHYS_RAM_MAX)
		return -EINVAL;
	if ((uint64_t)(size_t)size != size)
		return -ENOMEM;
	ram = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED)
		return -ENOMEM;
	p->ram = ram;
	p->size = size;
	p->nr_frames = size >> PAGE_SHIFT;

	/*
	 * The map QEMU's SeaBIOS hands a PC: with 128 MiB it reads
	 *   [0x00000000-0x0009fbff] usable    [0x0009fc00-0x0009ffff] reserved
	 *   [0x000f0000-0x000fffff] reserved  [0x00100000-0x07fdffff] usable
	 *   [0x07fe0000-0x07ffffff] reserved
	 * The VGA/option-ROM window 0xa0000..0xeffff is simply absent.
	 */
	e820_add(p, 0, E820_LOW_END, E820_USABLE);
	e820_add(p, E820_LOW_END, E820_EBDA_END - E820_LOW_END, E820_RESERVED);
	e820_add(p, E820_BIOS_START, E820_HIGH_START - E820_BIOS_START,
		 E820_RESERVED);
	e820_add(p, E820_HIGH_START, size - E820_TOP_RESERVED - E820_HIGH_START,
		 E820_USABLE);
	e820_add(p, size - E820_TOP_RESERVED, E820_TOP_RESERVED, E820_RESERVED);
	return 0;
}

void phys_destroy(struct phys *p)
{
	if (p->ram)
		munmap(p->ram, (size_t)p->size);
	memset(p, 0, sizeof(*p));
}

enum e820_type phys_type(const struct phys *p, gpa_t pa)
{
	for (int i = 0; i < p->nr_map; i++) {
		const struct e820_entry *e = &p->map[i];

		if (pa >= e->addr && pa - e->addr < e->size)
			return e->type;
	}
	return E820_RESERVED;
}

const char *e820_type_name(enum e820_type t)
{
	switch (t) {
	case E820_USABLE:
		return "usable";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI data";
	case E820_NVS:
		return "ACPI NVS";
	case E820_UNUSABLE:
		return "unusable";
	}
	return "unknown";
}

void phys_discard(struct phys *p, pfn_t pfn, unsigned long nr)
{
	if (!p->ram || pfn >= p->nr_frames)
		return;
	if (nr > p->nr_frames - pfn)
		nr = (unsigned long)(p->nr_frames - pfn);
	if (nr)
		madvise(p->ram + (pfn << PAGE_SHIFT), (size_t)nr << PAGE_SHIFT,
			MADV_DONTNEED);
}

int parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	switch (*s) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		s++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		s++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		s++;
		break;
	default:
		return -EINVAL;
	}
	if (*s != '\0')
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}
