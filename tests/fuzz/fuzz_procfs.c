/*
 * fuzz_procfs: /proc reads of every file, and writes of random text to
 * the files in /proc/sys/vm and /proc/sysrq-trigger, in random order.
 *
 * Each input boots a kernel (fuzz_kernel.h) and gives it something to
 * show: pid 1 touches part of its scratch mapping and forks pid 2 (COW
 * sharing, a second mm).  Then, one record at a time:
 *
 *	u8 op % 6
 *	0: read paths[u8]			procfs_read
 *	1: write u8 bytes to sysctls[u8]	procfs_write
 *	2: write u8 bytes to sysrq-trigger	procfs_write
 *	3: read "/proc/" + u8 bytes		procfs_read of any name
 *	4: touch u8 pages of the scratch	memory for the views to count
 *	5: pagemap of pid u8 % 4 at u32 for u16 bytes
 *
 * and finally every path once more.  Text must be NUL-terminated at
 * its length; everything is freed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_kernel.h"

#define MAX_OPS 48

static const char *const files[] = {
	"meminfo", "vmstat", "buddyinfo", "zoneinfo", "slabinfo", "version",
	"uptime", "sys", "sys/vm", "sysrq-trigger", "", "self", "1", "2",
	"99", "self/", "self/stat", "self/status", "self/comm",
	"self/cmdline", "self/maps", "self/smaps", "self/smaps_rollup",
	"self/statm", "self/pagemap", "self/nope", "1/maps", "1/smaps",
	"2/maps", "2/smaps", "2/smaps_rollup", "2/status", "2/stat",
	"2/cmdline", "2/statm", "3/maps", "-1/maps", "1x/maps",
};

static const char *const sysctls[] = {
	"admin_reserve_kbytes", "dirty_background_ratio", "dirty_ratio",
	"max_map_count", "min_free_kbytes", "oom_dump_tasks",
	"oom_kill_allocating_task", "overcommit_kbytes", "overcommit_memory",
	"overcommit_ratio", "page-cluster", "panic_on_oom", "swappiness",
	"user_reserve_kbytes", "vfs_cache_pressure", "watermark_boost_factor",
	"watermark_scale_factor", "drop_caches", "lowmem_reserve_ratio",
	"nope", "",
};

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_procfs: %s:%d: %s\n",          \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

static void read_path(struct kernel *k, const char *path)
{
	struct seq s = { 0 };
	int r = procfs_read(k, path, &s);

	CHECK(r <= 0);
	if (s.buf)
		CHECK(s.buf[s.len] == '\0' && s.len < s.cap);
	seq_free(&s);
}

static void read_file(struct kernel *k, const char *name)
{
	char path[300];

	snprintf(path, sizeof(path), "/proc/%s", name);
	read_path(k, path);
}

static void write_file(struct kernel *k, const char *path, struct fz *f)
{
	char buf[256];
	size_t n = fz_bytes(f, buf, fz_u8(f));
	long r = procfs_write(k, path, buf, n);

	CHECK(r == (long)n || (r < 0 && r >= -4095));
	/* Writable is what a write may succeed on. */
	CHECK(r < 0 || procfs_writable(path));
}

static void pagemap(struct kernel *k, struct fz *f)
{
	static uint8_t buf[1 << 16];
	int pid = fz_u8(f) % 4;
	uint64_t pos = fz_u32(f);
	size_t n = fz_u16(f);
	long r = procfs_pagemap_read(k, pid, buf, n, pos);

	CHECK(r <= (long)n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct kernel *k = fk_boot();
	static const uint8_t junk[4096];
	char path[300];
	long r;

	for (gva_t p = 0; p < 3; p++)
		CHECK(fk_poke(k, FK_SCRATCH + p * PAGE_SIZE, junk, PAGE_SIZE) == 0);
	r = sys_clone(k, 17 /* SIGCHLD */, 0, 0, 0, 0);
	CHECK(r == 2);
	for (int i = 0; i < MAX_OPS && !fz_empty(&f); i++) {
		switch (fz_u8(&f) % 6) {
		case 0:
			read_file(k, files[fz_u8(&f) % ARRAY_SIZE(files)]);
			break;
		case 1:
			snprintf(path, sizeof(path), "/proc/sys/vm/%s",
				 sysctls[fz_u8(&f) % ARRAY_SIZE(sysctls)]);
			write_file(k, path, &f);
			break;
		case 2:
			write_file(k, "/proc/sysrq-trigger", &f);
			break;
		case 3: {
			char name[256];
			size_t n = fz_bytes(&f, name, fz_u8(&f) % 64);

			name[n] = '\0';
			read_file(k, name);
			break;
		}
		case 4: {
			uint32_t pages = fz_u8(&f) % 16;

			for (uint32_t p = 0; p < pages; p++)
				(void)fk_poke(k, FK_SCRATCH + p * PAGE_SIZE,
					      junk, 8);
			break;
		}
		case 5:
			pagemap(k, &f);
			break;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		read_file(k, files[i]);
	for (size_t i = 0; i < ARRAY_SIZE(sysctls); i++) {
		snprintf(path, sizeof(path), "/proc/sys/vm/%s", sysctls[i]);
		read_path(k, path);
	}
	fk_shutdown(k);
	return 0;
}
