/*
 * Unit tests for procfs generation (src/kernel/fs/procfs.c): the per-process
 * files follow the kernel's state (maps lines in Linux's format, VmRSS and
 * statm after faults, smaps Rss/Anonymous), path parsing (self, pids,
 * directories, unknown names), sysctl writes with Linux's range checks,
 * and pagemap reads.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/proc.h"
#include "kharness.h"

#define P PAGE_SIZE
#define BASE 0x40000000u

static struct kh *h;
static struct seq s;

static void setup(void)
{
	h = kh_boot(NULL);
}

static void teardown(void)
{
	seq_free(&s);
	kh_shutdown(h);
}

TestSuite(procfs, .init = setup, .fini = teardown);

static const char *proc(const char *path)
{
	seq_reset(&s);
	cr_assert_eq(procfs_read(&h->k, path, &s), 0, "%s", path);
	return seq_text(&s);
}

/* The number after "@key" on its line of @text. */
static long field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	cr_assert_not_null(p, "no %s in:\n%s", key, text);
	p += strlen(key);
	while (*p == ' ' || *p == '\t' || *p == ':')
		p++;
	return strtol(p, NULL, 10);
}

Test(procfs, maps_line_format)
{
	char want[128];
	gva_t a = kh_mmap_anon(h, BASE, 3 * P, KH_PROT_RW);

	cr_assert_eq(sys_mprotect(&h->k, a + P, P, KH_PROT_READ), 0);
	const char *t = proc("/proc/self/maps");
	snprintf(want, sizeof(want), "%08x-%08x rw-p 00000000 00:00 0 \n",
		 a, a + P);
	cr_assert(strstr(t, want), "want \"%s\" in:\n%s", want, t);
	snprintf(want, sizeof(want), "%08x-%08x r--p 00000000 00:00 0 \n",
		 a + P, a + 2 * P);
	cr_assert(strstr(t, want), "want \"%s\" in:\n%s", want, t);
}

Test(procfs, rss_follows_faults)
{
	gva_t a = kh_mmap_anon(h, BASE, 8 * P, KH_PROT_RW);
	long rss0 = field(proc("/proc/self/status"), "VmRSS");

	for (int i = 0; i < 5; i++)
		cr_assert_eq(kh_store32(h, a + i * P, 1), 0);
	char *st = strdup(proc("/proc/self/status"));
	cr_assert_eq(field(st, "VmRSS"), rss0 + 20, "5 pages = 20 kB");
	cr_assert_eq(field(st, "RssAnon"), field(st, "VmRSS") -
		     field(st, "RssFile") - field(st, "RssShmem"));

	long size, resident;
	cr_assert_eq(sscanf(proc("/proc/self/statm"), "%ld %ld", &size,
			    &resident), 2);
	cr_assert_eq(resident * 4, field(st, "VmRSS"), "statm in pages");
	cr_assert_eq(size * 4, field(st, "VmSize"));

	const char *sm = strstr(proc("/proc/self/smaps"), "40000000-");
	cr_assert_not_null(sm);
	cr_assert_eq(field(sm, "\nRss:"), 20);
	cr_assert_eq(field(sm, "\nAnonymous:"), 20);
	cr_assert_eq(field(sm, "\nSize:"), 32);
	free(st);
}

Test(procfs, paths)
{
	char path[64];
	struct seq tmp = { 0 };

	snprintf(path, sizeof(path), "/proc/%d/comm", h->k.current->pid);
	cr_assert_str_eq(proc(path), proc("/proc/self/comm"));
	cr_assert_eq(procfs_read(&h->k, "/proc/99999/status", &tmp), -ENOENT);
	cr_assert_eq(procfs_read(&h->k, "/proc/self/nosuch", &tmp), -ENOENT);
	cr_assert_eq(procfs_read(&h->k, "/proc/nosuch", &tmp), -ENOENT);
	cr_assert_eq(procfs_read(&h->k, "/proc/12abc/maps", &tmp), -ENOENT);
	cr_assert_eq(procfs_read(&h->k, "/proc/self", &tmp), -EISDIR);
	cr_assert_eq(procfs_read(&h->k, "/proc/sys/vm", &tmp), -EISDIR);
	cr_assert_eq(procfs_read(&h->k, "/proc/sysrq-trigger", &tmp), -EACCES);
	seq_free(&tmp);
}

Test(procfs, meminfo_and_vmstat_follow_the_kernel)
{
	gva_t a = kh_mmap_anon(h, BASE, 4 * P, KH_PROT_RW);
	long free0 = field(proc("/proc/meminfo"), "MemFree");
	long flt0 = field(proc("/proc/vmstat"), "\npgfault");

	for (int i = 0; i < 4; i++)
		cr_assert_eq(kh_store32(h, a + i * P, 1), 0);
	cr_assert_leq(field(proc("/proc/meminfo"), "MemFree"), free0 - 16);
	cr_assert_eq(field(proc("/proc/vmstat"), "\npgfault"), flt0 + 4);
}

Test(procfs, sysctl_writes_check_ranges)
{
	cr_assert(procfs_writable("/proc/sys/vm/swappiness"));
	cr_assert_not(procfs_writable("/proc/sys/vm/nosuch"));
	cr_assert_not(procfs_writable("/proc/meminfo"));
	cr_assert_eq(procfs_write(&h->k, "/proc/sys/vm/swappiness", "33\n", 3),
		     3);
	cr_assert_eq(field(proc("/proc/sys/vm/swappiness"), ""), 33);
	cr_assert_eq(procfs_write(&h->k, "/proc/sys/vm/swappiness", "300", 3),
		     -EINVAL, "swappiness is 0..200");
	cr_assert_eq(procfs_write(&h->k, "/proc/sys/vm/swappiness", "x", 1),
		     -EINVAL);
	cr_assert_eq(field(proc("/proc/sys/vm/swappiness"), ""), 33,
		     "a refused write changes nothing");
}

Test(procfs, pagemap_reports_present_pages)
{
	gva_t a = kh_mmap_anon(h, BASE, 2 * P, KH_PROT_RW);
	uint64_t e[2];
	int pid = h->k.current->pid;

	cr_assert_eq(kh_store32(h, a, 1), 0);
	cr_assert_eq(procfs_pagemap_read(&h->k, pid, e, sizeof(e),
					 (uint64_t)(a >> PAGE_SHIFT) * 8),
		     (long)sizeof(e));
	cr_assert(e[0] >> 63, "page 0 present");
	cr_assert_eq(e[1] >> 63, 0, "page 1 never touched");
	cr_assert_eq(procfs_pagemap_pid(&h->k, "/proc/self/pagemap"), pid);
	cr_assert_eq(procfs_pagemap_pid(&h->k, "/proc/self/maps"), 0);
}
