/*
 * vm sysctls: /proc/sys/vm/NAME inside the guest and --sysctl on the
 * command line, with Linux's names, ranges and side effects
 * (Documentation/admin-guide/sysctl/vm.rst).  drop_caches is write-only
 * and acts at once.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/huge_mm.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/kernel/sysctl.h"
#include "kernel/mm/vmstat.h"

enum sysctl_type { SC_INT, SC_ULONG };

struct vm_sysctl {
	const char *name;
	size_t offset;		/* in struct memory */
	enum sysctl_type type;
	long min, max;
	void (*changed)(struct memory *mem);
};

static void wmarks_changed(struct memory *mem)
{
	setup_per_zone_wmarks(mem);
}

static void min_free_changed(struct memory *mem)
{
	mem->user_min_free_kbytes = mem->min_free_kbytes;
	setup_per_zone_wmarks(mem);
}

static void ratio_changed(struct memory *mem)
{
	mem->overcommit_kbytes = 0;
}

static void kbytes_changed(struct memory *mem)
{
	mem->overcommit_ratio = 0; /* any write, as overcommit_kbytes_handler */
}

#define M(f) offsetof(struct memory, f)
static const struct vm_sysctl vm_table[] = {
	{"admin_reserve_kbytes", M(admin_reserve_kbytes), SC_ULONG, 0,
	 1l << 30, NULL},
	{"dirty_background_ratio", M(dirty_background_ratio), SC_INT, 0, 100,
	 NULL},
	{"dirty_expire_centisecs", M(dirty_expire_centisecs), SC_INT, 0,
	 1 << 30, NULL},
	{"dirty_ratio", M(dirty_ratio), SC_INT, 0, 100, NULL},
	{"dirty_writeback_centisecs", M(dirty_writeback_centisecs), SC_INT, 0,
	 1 << 30, NULL},
	{"max_map_count", M(max_map_count), SC_INT, 0, 1 << 30, NULL},
	{"min_free_kbytes", M(min_free_kbytes), SC_INT, 0, 1 << 30,
	 min_free_changed},
	{"nr_overcommit_hugepages", M(nr_overcommit_hugepages), SC_ULONG, 0,
	 1l << 20, NULL},
	{"oom_dump_tasks", M(oom_dump_tasks), SC_INT, 0, 1, NULL},
	{"oom_kill_allocating_task", M(oom_kill_allocating_task), SC_INT, 0,
	 1, NULL},
	{"overcommit_kbytes", M(overcommit_kbytes), SC_ULONG, 0, 1l << 40,
	 kbytes_changed},
	{"overcommit_memory", M(overcommit_memory), SC_INT, 0, 2, NULL},
	{"overcommit_ratio", M(overcommit_ratio), SC_INT, 0, 1 << 30,
	 ratio_changed},
	{"page-cluster", M(page_cluster), SC_INT, 0, 31, NULL},
	{"panic_on_oom", M(panic_on_oom), SC_INT, 0, 2, NULL},
	{"swappiness", M(swappiness), SC_INT, 0, 200, NULL},
	{"user_reserve_kbytes", M(user_reserve_kbytes), SC_ULONG, 0, 1l << 40,
	 NULL},
	{"vfs_cache_pressure", M(vfs_cache_pressure), SC_INT, 0, 1 << 30,
	 NULL},
	{"watermark_boost_factor", M(watermark_boost_factor), SC_INT, 0,
	 1 << 30, NULL},
	{"watermark_scale_factor", M(watermark_scale_factor), SC_INT, 1, 3000,
	 wmarks_changed},
};
#undef M

static const struct vm_sysctl *find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(vm_table); i++)
		if (!strcmp(vm_table[i].name, name))
			return &vm_table[i];
	return NULL;
}

bool vm_sysctl_exists(const char *name)
{
	return find(name) || !strcmp(name, "drop_caches") ||
	       !strcmp(name, "lowmem_reserve_ratio") ||
	       !strcmp(name, "nr_hugepages") ||
	       !strcmp(name, "transparent_hugepage");
}

int vm_sysctl_show(struct kernel *k, const char *name, struct seq *s)
{
	const struct vm_sysctl *sc = find(name);
	struct memory *mem = &k->mem;

	if (!strcmp(name, "drop_caches"))
		return -EACCES; /* write-only (mode 0200) */
	if (!strcmp(name, "lowmem_reserve_ratio")) {
		for (int z = 0; z < MAX_NR_ZONES; z++)
			seq_printf(s, "%s%d", z ? "\t" : "",
				   mem->lowmem_reserve_ratio[z]);
		seq_puts(s, "\n");
		return 0;
	}
	if (!strcmp(name, "nr_hugepages"))
		return seq_printf(s, "%lu\n", mem->hugepages_total), 0;
	if (!strcmp(name, "transparent_hugepage"))
		return thp_mode_show(k, s), 0;
	if (!sc)
		return -ENOENT;
	const char *p = (const char *)mem + sc->offset;
	if (sc->type == SC_INT)
		seq_printf(s, "%d\n", *(const int *)p);
	else
		seq_printf(s, "%lu\n", *(const unsigned long *)p);
	return 0;
}

/* drop_caches: 1 frees clean, unmapped page cache; 2 empty slabs; 3 both. */
static void drop_caches(struct kernel *k, long v)
{
	struct memory *mem = &k->mem;
	struct inode *inode, *tmp;

	if (v & 1) {
		list_for_each_entry_safe(inode, tmp, &k->inodes, list) {
			filemap_drop_clean(k, inode);
			inode_try_free(k, inode);
		}
		count_vm_event(mem, DROP_PAGECACHE);
	}
	if (v & 2) {
		kmem_cache_shrink_all(mem);
		count_vm_event(mem, DROP_SLAB);
	}
	/* Writing 4 silences this line from then on (Linux's "stfu"). */
	if (v & 4)
		k->drop_caches_quiet = true;
	if (!k->drop_caches_quiet && k->current)
		printk(k->log, "%s (%d): drop_caches: %ld\n", k->current->comm,
		       k->current->pid, v);
}

int vm_sysctl_set(struct kernel *k, const char *name, const char *text)
{
	struct memory *mem = &k->mem;
	const struct vm_sysctl *sc = find(name);
	char *end;
	long v;

	while (*text == ' ' || *text == '\t')
		text++;
	/* mmulab's stand-in for /sys/kernel/mm/transparent_hugepage/enabled */
	if (!strcmp(name, "transparent_hugepage"))
		return thp_mode_set(k, text);
	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || errno)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (!strcmp(name, "drop_caches")) {
		if (*end || v < 1 || v > 4)
			return -EINVAL;
		drop_caches(k, v);
		return 0;
	}
	if (!strcmp(name, "nr_hugepages")) {
		if (*end || v < 0)
			return -EINVAL;
		return hugetlb_set_pool(k, (unsigned long)v);
	}
	if (!strcmp(name, "lowmem_reserve_ratio")) {
		/* One value per zone, separated by blanks. */
		int vals[MAX_NR_ZONES], n = 0;
		const char *p = text;
		while (*p && n < MAX_NR_ZONES) {
			long x = strtol(p, &end, 10);
			if (end == p || x < 0)
				return -EINVAL;
			vals[n++] = (int)x;
			p = end;
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
		}
		for (int z = 0; z < n; z++)
			mem->lowmem_reserve_ratio[z] = vals[z];
		setup_per_zone_lowmem_reserve(mem);
		return 0;
	}
	if (!sc)
		return -ENOENT;
	if (*end || v < sc->min || v > sc->max)
		return -EINVAL;
	char *p = (char *)mem + sc->offset;
	if (sc->type == SC_INT)
		*(int *)p = (int)v;
	else
		*(unsigned long *)p = (unsigned long)v;
	if (sc->changed)
		sc->changed(mem);
	return 0;
}

void vm_sysctl_list(struct seq *s)
{
	seq_puts(s, "drop_caches lowmem_reserve_ratio nr_hugepages "
		 "transparent_hugepage");
	for (size_t i = 0; i < ARRAY_SIZE(vm_table); i++)
		seq_printf(s, " %s", vm_table[i].name);
}

void sysrq_write(struct kernel *k, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (buf[i]) {
		case 'm': {
			struct seq s = {0};
			printk(k->log, "sysrq: Show Memory\n");
			show_free_areas(&k->mem, &s);
			if (s.buf)
				printk(k->log, "%s", s.buf);
			seq_free(&s);
			break;
		}
		case '\n':
		case ' ':
			break;
		default:
			printk(k->log, "sysrq: HELP : show-memory-usage(m)\n");
			break;
		}
	}
}
