/*
 * Physical memory: sizes, the e820 map, parse_size and phys_host bounds.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mmu/phys.h"

Test(phys, init_128m_map)
{
	struct phys p;

	cr_assert_eq(phys_init(&p, 128ull << 20), 0);
	cr_assert_eq(p.size, 128ull << 20);
	cr_assert_eq(p.nr_frames, 32768);
	cr_assert_eq(p.nr_map, 5);
	cr_assert_eq(p.map[0].addr, 0);
	cr_assert_eq(p.map[0].size, 0x9fc00);
	cr_assert_eq(p.map[0].type, E820_USABLE);
	cr_assert_eq(p.map[1].addr, 0x9fc00);
	cr_assert_eq(p.map[1].size, 0x400);
	cr_assert_eq(p.map[1].type, E820_RESERVED);
	cr_assert_eq(p.map[2].addr, 0xf0000);
	cr_assert_eq(p.map[2].size, 0x10000);
	cr_assert_eq(p.map[2].type, E820_RESERVED);
	cr_assert_eq(p.map[3].addr, 0x100000);
	cr_assert_eq(p.map[3].addr + p.map[3].size, 0x7fe0000);
	cr_assert_eq(p.map[3].type, E820_USABLE);
	cr_assert_eq(p.map[4].addr, 0x7fe0000);
	cr_assert_eq(p.map[4].addr + p.map[4].size, 128ull << 20);
	cr_assert_eq(p.map[4].type, E820_RESERVED);
	for (int i = 1; i < p.nr_map; i++)
		cr_assert_geq(p.map[i].addr,
			      p.map[i - 1].addr + p.map[i - 1].size);
	phys_destroy(&p);
	cr_assert_null(p.ram);
	phys_destroy(&p); /* twice is fine */
}

Test(phys, types)
{
	struct phys p;

	cr_assert_eq(phys_init(&p, 16ull << 20), 0);
	cr_assert_eq(phys_type(&p, 0), E820_USABLE);
	cr_assert_eq(phys_type(&p, 0x9fbff), E820_USABLE);
	cr_assert_eq(phys_type(&p, 0x9fc00), E820_RESERVED);
	cr_assert_eq(phys_type(&p, 0xb8000), E820_RESERVED); /* VGA hole */
	cr_assert_eq(phys_type(&p, 0xfffff), E820_RESERVED);
	cr_assert_eq(phys_type(&p, 0x100000), E820_USABLE);
	cr_assert_eq(phys_type(&p, (16u << 20) - (128u << 10) - 1), E820_USABLE);
	cr_assert_eq(phys_type(&p, (16u << 20) - (128u << 10)), E820_RESERVED);
	cr_assert_eq(phys_type(&p, 1ull << 32), E820_RESERVED);
	phys_destroy(&p);
}

Test(phys, type_names)
{
	cr_assert_str_eq(e820_type_name(E820_USABLE), "usable");
	cr_assert_str_eq(e820_type_name(E820_RESERVED), "reserved");
	cr_assert_str_eq(e820_type_name(E820_ACPI), "ACPI data");
	cr_assert_str_eq(e820_type_name(E820_NVS), "ACPI NVS");
	cr_assert_str_eq(e820_type_name(E820_UNUSABLE), "unusable");
}

Test(phys, size_rounded_down_and_bounds)
{
	struct phys p;

	cr_assert_eq(phys_init(&p, (8ull << 20) + 123), 0);
	cr_assert_eq(p.size, 8ull << 20);
	phys_destroy(&p);
	cr_assert_eq(phys_init(&p, PHYS_RAM_MIN), 0);
	phys_destroy(&p);
	cr_assert_eq(phys_init(&p, PHYS_RAM_MIN - 1), -EINVAL);
	cr_assert_eq(phys_init(&p, 0), -EINVAL);
	cr_assert_eq(phys_init(&p, PHYS_RAM_MAX + PAGE_SIZE), -EINVAL);
	/* the largest size is only reserved, never touched */
	cr_assert_eq(phys_init(&p, PHYS_RAM_MAX), 0);
	cr_assert_eq(p.nr_frames, PHYS_RAM_MAX >> PAGE_SHIFT);
	phys_destroy(&p);
}

Test(phys, host_bounds)
{
	struct phys p;

	cr_assert_eq(phys_init(&p, 4ull << 20), 0);
	cr_assert_eq(phys_host(&p, 0, 1), p.ram);
	cr_assert_eq(phys_host(&p, p.size - 4, 4), p.ram + p.size - 4);
	cr_assert_null(phys_host(&p, p.size - 3, 4));
	cr_assert_null(phys_host(&p, p.size, 1));
	cr_assert_null(phys_host(&p, 1ull << 40, 1));
	cr_assert_null(phys_host(&p, 0, p.size + 1));
	cr_assert_null(phys_host(&p, 8, UINT64_MAX));
	cr_assert_not_null(phys_frame(&p, p.nr_frames - 1));
	cr_assert_null(phys_frame(&p, p.nr_frames));
	phys_destroy(&p);
}

Test(phys, discard_zeroes)
{
	struct phys p;
	uint8_t *f;

	cr_assert_eq(phys_init(&p, 4ull << 20), 0);
	f = phys_frame(&p, 10);
	memset(f, 0xab, 2 * PAGE_SIZE);
	phys_discard(&p, 10, 1);
	cr_assert_eq(f[0], 0);
	cr_assert_eq(f[PAGE_SIZE - 1], 0);
	cr_assert_eq(f[PAGE_SIZE], 0xab);
	phys_discard(&p, p.nr_frames, 4); /* outside: no-op */
	phys_discard(&p, p.nr_frames - 1, 100); /* clipped */
	phys_destroy(&p);
}

Test(phys, parse_size_good)
{
	uint64_t v;

	cr_assert_eq(parse_size("0", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(parse_size("4096", &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(parse_size("64k", &v), 0);
	cr_assert_eq(v, 64 << 10);
	cr_assert_eq(parse_size("64K", &v), 0);
	cr_assert_eq(v, 64 << 10);
	cr_assert_eq(parse_size("128M", &v), 0);
	cr_assert_eq(v, 128ull << 20);
	cr_assert_eq(parse_size("2g", &v), 0);
	cr_assert_eq(v, 2ull << 30);
	cr_assert_eq(parse_size("18446744073709551615", &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	cr_assert_eq(parse_size("17179869183G", &v), 0);
}

Test(phys, parse_size_bad)
{
	static const char *const bad[] = {
		"", "K", "M12", "-1", "+1", " 1", "1 ", "1KB", "1T", "1.5M",
		"0x10", "12MM", "18446744073709551616", "17179869184G",
		"99999999999999999999999",
	};
	uint64_t v = 42;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		cr_assert_eq(parse_size(bad[i], &v), -EINVAL, "\"%s\"", bad[i]);
		cr_assert_eq(v, 42, "\"%s\" wrote the output", bad[i]);
	}
	cr_assert_eq(parse_size(NULL, &v), -EINVAL);
}
