/*
 * Reclaim, swap and the OOM killer (mm/vmscan.c, swapfile.c, swap_state.c,
 * oom_kill.c) on the kernel harness:
 *
 *  - page_referenced clears the Accessed bit of every PTE mapping a page
 *    (found through the reverse map) and counts them;
 *  - try_to_unmap leaves the swap entry in each PTE, a fault brings the
 *    page back bit-exact, and a slot shared after fork comes back as one
 *    page through the swap cache;
 *  - more anonymous memory than RAM round-trips through direct reclaim;
 *  - whole guest programs under pressure (swap, OOM, file writeback, an
 *    injected swap I/O error, an allocation failure) leave the kernel as
 *    it booted: free pages, slab objects, swap slots and swap cache.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/mm/swap.h"
#include "kharness.h"

/* A kernel of @ram_mb with a fresh swap file of @swap_mb (0: none). */
static struct kh *boot_with_swap(unsigned ram_mb, unsigned swap_mb,
				 const char *root, char *img, bool bare)
{
	struct kh_config cfg = {.ram = (uint64_t)ram_mb << 20,
				.paging = PAGING_PAE, .root = root};
	struct kh *h = bare ? kh_boot_bare(&cfg) : kh_boot(&cfg);
	char spec[128], err[256];

	if (!swap_mb)
		return h;
	strcpy(img, "/tmp/test_vmscan.XXXXXX");
	int fd = mkstemp(img);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(spec, sizeof(spec), "%s:%uM", img, swap_mb);
	cr_assert_eq(swap_setup(&h->k, spec, err, sizeof(err)), 0, "%s", err);
	return h;
}

static unsigned long swap_inuse(struct kernel *k)
{
	unsigned long n = 0;

	for (int i = 0; i < k->nr_swapfiles; i++)
		if (k->swap_info[i])
			n += k->swap_info[i]->inuse_pages;
	return n;
}

static uint32_t pattern(gva_t a)
{
	return a * 2654435761u ^ 0x5a5a5a5a;
}

Test(vmscan, page_referenced_clears_accessed_bits)
{
	struct kh *h = boot_with_swap(32, 0, NULL, NULL, false);
	gva_t a = kh_mmap_anon(h, 0, PAGE_SIZE, KH_PROT_RW);
	unsigned long vm_flags;

	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct task *child = kh_fork(h);
	struct page *page = kh_page(h, kh_mm(h), a);
	/* The parent's PTE has A from the write; the child's starts old. */
	cr_assert(kh_pte(h, kh_mm(h), a) & PTE_A);
	cr_assert_eq(page_referenced(&h->k, page, &vm_flags), 1);
	cr_assert_not(kh_pte(h, kh_mm(h), a) & PTE_A);
	cr_assert_eq(page_referenced(&h->k, page, &vm_flags), 0);
	/* Touch it from both: both PTEs are found through the rmap. */
	uint32_t v;
	cr_assert_eq(kh_load32(h, a, &v), 0);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &v), 0);
	cr_assert_eq(page_referenced(&h->k, page, &vm_flags), 2);
	cr_assert(vm_flags & VM_WRITE);
	kh_shutdown(h);
}

Test(vmscan, unmap_to_swap_and_back)
{
	char img[64];
	struct kh *h = boot_with_swap(32, 16, NULL, img, false);
	struct kernel *k = &h->k;
	gva_t a = kh_mmap_anon(h, 0, PAGE_SIZE, KH_PROT_RW);
	uint32_t v;

	for (gva_t o = 0; o < PAGE_SIZE; o += 4)
		cr_assert_eq(kh_store32(h, a + o, pattern(o)), 0);
	struct page *page = kh_page(h, kh_mm(h), a);
	lru_del_page(k, page); /* isolate, as shrink_inactive_list does */
	cr_assert(add_to_swap(k, page));
	cr_assert(try_to_unmap(k, page));
	pte_t pte = kh_pte(h, kh_mm(h), a);
	cr_assert(pte_is_swap(pte));
	cr_assert_eq(swap_count(k, pte), 1);
	cr_assert_eq(kh_mm(h)->rss[MM_SWAPENTS], 1);
	cr_assert_eq(swap_writepage(k, page), 0);
	ClearPageDirty(page);
	delete_from_swap_cache(k, page); /* frees it */
	cr_assert_eq(swap_inuse(k), 1);
	unsigned long majflt = k->mem.vm_events[PGMAJFAULT];
	for (gva_t o = 0; o < PAGE_SIZE; o += 4) {
		cr_assert_eq(kh_load32(h, a + o, &v), 0);
		cr_assert_eq(v, pattern(o));
	}
	cr_assert_eq(k->mem.vm_events[PGMAJFAULT], majflt + 1);
	cr_assert_eq(k->mem.vm_events[PSWPIN], 1);
	cr_assert(pte_present(kh_pte(h, kh_mm(h), a)));
	cr_assert_eq(kh_mm(h)->rss[MM_SWAPENTS], 0);
	/* A write takes the page out of the swap cache: the slot goes. */
	cr_assert_eq(kh_store32(h, a, 7), 0);
	cr_assert_eq(swap_inuse(k), 0);
	kh_shutdown(h);
	unlink(img);
}

Test(vmscan, forked_slot_comes_back_as_one_page)
{
	char img[64];
	struct kh *h = boot_with_swap(32, 16, NULL, img, false);
	struct kernel *k = &h->k;
	gva_t a = kh_mmap_anon(h, 0, PAGE_SIZE, KH_PROT_RW);
	uint32_t v;

	cr_assert_eq(kh_store32(h, a, 0xfeed), 0);
	struct task *parent = k->current, *child = kh_fork(h);
	struct page *page = kh_page(h, kh_mm(h), a);
	cr_assert_eq(page_mapcount(page), 2);
	lru_del_page(k, page);
	cr_assert(add_to_swap(k, page));
	cr_assert(try_to_unmap(k, page));
	cr_assert_eq(swap_count(k, kh_pte(h, kh_mm(h), a)), 2);
	cr_assert_eq(swap_writepage(k, page), 0);
	ClearPageDirty(page);
	delete_from_swap_cache(k, page);

	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &v), 0);
	cr_assert_eq(v, 0xfeed);
	struct page *in = kh_page(h, kh_mm(h), a);
	kh_switch_to(h, parent);
	unsigned long pswpin = k->mem.vm_events[PSWPIN];
	cr_assert_eq(kh_load32(h, a, &v), 0);
	cr_assert_eq(v, 0xfeed);
	cr_assert_eq(kh_page(h, kh_mm(h), a), in, "not the swap-cache page");
	cr_assert_eq(k->mem.vm_events[PSWPIN], pswpin);
	cr_assert_eq(page_mapcount(in), 2);
	/* The parent writes: its copy separates, the child keeps the old. */
	cr_assert_eq(kh_store32(h, a, 1), 0);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &v), 0);
	cr_assert_eq(v, 0xfeed);
	kh_shutdown(h);
	unlink(img);
}

Test(vmscan, more_than_ram_round_trips_through_direct_reclaim)
{
	char img[64];
	struct kh *h = boot_with_swap(16, 64, NULL, img, false);
	struct kernel *k = &h->k;
	struct kh_snapshot boot, end;
	const uint32_t len = 32u << 20;
	uint32_t v;

	kh_snapshot(h, &boot);
	gva_t a = kh_mmap_anon(h, 0, len, KH_PROT_RW);
	for (gva_t o = 0; o < len; o += 256)
		cr_assert_eq(kh_store32(h, a + o, pattern(o)), 0);
	for (gva_t o = 0; o < len; o += 256) {
		cr_assert_eq(kh_load32(h, a + o, &v), 0);
		cr_assert_eq(v, pattern(o), "at %#x", o);
	}
	cr_assert_gt(k->mem.vm_events[PSWPOUT], 0);
	cr_assert_gt(k->mem.vm_events[PGSTEAL_DIRECT], 0);
	/* Counted for the highest zone the allocation allowed. */
	cr_assert_gt(k->mem.vm_events[ALLOCSTALL_HIGH], 0);
	cr_assert_eq(do_munmap(k, kh_mm(h), a, len), 0);
	cr_assert_eq(swap_inuse(k), 0);
	cr_assert_eq(global_node_page_state(&k->mem, NR_SWAPCACHE), 0);
	/* Everything but the page tables (kept until exit) is back. */
	kh_snapshot(h, &end);
	cr_assert_eq(end.free_pages + kh_mm(h)->pgtables_bytes / PAGE_SIZE,
		     boot.free_pages + 1);
	cr_assert(buddy_sanity(&k->mem));
	kh_shutdown(h);
	unlink(img);
}

Test(vmscan, mlocked_pages_stay)
{
	char img[64];
	struct kh *h = boot_with_swap(16, 64, NULL, img, false);
	struct kernel *k = &h->k;
	const uint32_t locked_len = 1u << 20, len = 24u << 20;
	uint32_t v;

	long l = kh_mmap(h, 0, locked_len, KH_PROT_RW, 0x2000 /* MAP_LOCKED */);
	cr_assert_gt(l, 0);
	gva_t locked = (gva_t)l;
	for (gva_t o = 0; o < locked_len; o += PAGE_SIZE)
		cr_assert_eq(kh_store32(h, locked + o, pattern(o)), 0);
	gva_t a = kh_mmap_anon(h, 0, len, KH_PROT_RW);
	for (gva_t o = 0; o < len; o += PAGE_SIZE)
		cr_assert_eq(kh_store32(h, a + o, o), 0);
	cr_assert_gt(k->mem.vm_events[PSWPOUT], 0);
	for (gva_t o = 0; o < locked_len; o += PAGE_SIZE) {
		cr_assert(pte_present(kh_pte(h, kh_mm(h), locked + o)),
			  "mlocked page %#x was reclaimed", o);
		cr_assert(PageMlocked(kh_page(h, kh_mm(h), locked + o)));
	}
	for (gva_t o = 0; o < locked_len; o += PAGE_SIZE) {
		cr_assert_eq(kh_load32(h, locked + o, &v), 0);
		cr_assert_eq(v, pattern(o));
	}
	cr_assert_eq(global_node_page_state(&k->mem, NR_UNEVICTABLE),
		     locked_len / PAGE_SIZE);
	kh_shutdown(h);
	unlink(img);
}

Test(vmscan, swappiness_zero_prefers_the_page_cache)
{
	char img[64], file[64];
	struct kh *h = boot_with_swap(16, 64, NULL, img, false);
	struct kernel *k = &h->k;
	static uint8_t data[4u << 20];
	uint32_t v;

	/* 4 MiB of clean page cache, mapped and read once. */
	kh_make_file(file, data, sizeof(data));
	int fd = kh_open_file(h, file, KH_O_RDONLY);
	long m = sys_mmap(k, 0, sizeof(data), KH_PROT_READ, KH_MAP_PRIVATE,
			   fd, 0);
	cr_assert_gt(m, 0);
	for (gva_t o = 0; o < sizeof(data); o += PAGE_SIZE)
		cr_assert_eq(kh_load32(h, (gva_t)m + o, &v), 0);
	k->mem.swappiness = 0;
	gva_t a = kh_mmap_anon(h, 0, 10u << 20, KH_PROT_RW);
	for (gva_t o = 0; o < (10u << 20); o += PAGE_SIZE)
		cr_assert_eq(kh_store32(h, a + o, o), 0);
	/* 14 MiB in 16: something had to go, and it was file pages. */
	cr_assert_gt(k->mem.vm_events[PGSTEAL_FILE], 0);
	cr_assert_eq(k->mem.vm_events[PSWPOUT], 0);
	kh_shutdown(h);
	unlink(img);
	unlink(file);
}

Test(vmscan, madvise_pageout_and_cold)
{
	char img[64];
	struct kh *h = boot_with_swap(32, 16, NULL, img, false);
	struct kernel *k = &h->k;
	const uint32_t len = 16 * PAGE_SIZE;
	gva_t a = kh_mmap_anon(h, 0, len, KH_PROT_RW);
	uint32_t v;

	for (gva_t o = 0; o < len; o += 4)
		cr_assert_eq(kh_store32(h, a + o, pattern(o)), 0);
	/* COLD: the pages go (stay) inactive and their PTEs old. */
	struct page *p0 = kh_page(h, kh_mm(h), a);
	lru_del_page(k, p0);
	SetPageActive(p0);
	lru_add_page(k, p0);
	cr_assert_eq(sys_madvise(k, a, len, 20 /* MADV_COLD */), 0);
	cr_assert_not(PageActive(p0));
	cr_assert_not(kh_pte(h, kh_mm(h), a) & PTE_A);
	/* PAGEOUT: every page goes to swap now, used or not. */
	cr_assert_eq(sys_madvise(k, a, len, 21 /* MADV_PAGEOUT */), 0);
	for (gva_t o = 0; o < len; o += PAGE_SIZE)
		cr_assert(pte_is_swap(kh_pte(h, kh_mm(h), a + o)));
	cr_assert_eq(k->mem.vm_events[PSWPOUT], len / PAGE_SIZE);
	for (gva_t o = 0; o < len; o += 4) {
		cr_assert_eq(kh_load32(h, a + o, &v), 0);
		cr_assert_eq(v, pattern(o));
	}
	kh_shutdown(h);
	unlink(img);
}

Test(vmscan, evicted_file_page_refaults)
{
	char file[64];
	struct kh *h = boot_with_swap(32, 0, NULL, NULL, false);
	struct kernel *k = &h->k;
	static uint8_t data[8 * PAGE_SIZE];
	uint32_t v;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	kh_make_file(file, data, sizeof(data));
	int fd = kh_open_file(h, file, KH_O_RDONLY);
	long m = sys_mmap(k, 0, sizeof(data), KH_PROT_READ, KH_MAP_PRIVATE,
			  fd, 0);
	cr_assert_gt(m, 0);
	for (gva_t o = 0; o < sizeof(data); o += PAGE_SIZE)
		cr_assert_eq(kh_load32(h, (gva_t)m + o, &v), 0);
	unsigned long majflt = k->mem.vm_events[PGMAJFAULT];
	cr_assert_eq(sys_madvise(k, (gva_t)m, sizeof(data), 21), 0);
	cr_assert_eq(k->mem.vm_events[PGSTEAL_FILE], 8);
	cr_assert_eq(kh_pte(h, kh_mm(h), (gva_t)m), 0);
	for (gva_t o = 0; o < sizeof(data); o += 4) {
		cr_assert_eq(kh_load32(h, (gva_t)m + o, &v), 0);
		cr_assert_eq(v, *(uint32_t *)(data + o));
	}
	/* The first refault reads the others in around it (read-around). */
	cr_assert_eq(k->mem.vm_events[PGMAJFAULT], majflt + 1);
	cr_assert_eq(global_node_page_state(&k->mem, WORKINGSET_REFAULT_FILE),
		     8);
	/* The active list is empty, so only refaults at a distance of 0
	 * (the last page evicted) fit in it: at least that one is active. */
	cr_assert_geq(global_node_page_state(&k->mem,
					     WORKINGSET_ACTIVATE_FILE), 1);
	kh_shutdown(h);
	unlink(file);
}

/* ---- whole programs: invariants after pressure -------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Inline arrays only: Criterion copies parameters into the test process. */
struct prog_case {
	char name[16];
	char args[3][8];	/* "" = none */
	unsigned ram_mb, swap_mb;
	char fail_io[8];	/* MMULAB_SWAP_FAIL_NTH, "" = none */
	unsigned long fail_nth;	/* allocation fail-nth, 0 = none */
	int status;		/* expected exit status, -1 = any */
};

static void run_pressure(const struct prog_case *c)
{
	char path[4096], dir[] = "/tmp/test_vmscan.d.XXXXXX", cwd[4096];
	char img[64];
	char *argv[5] = {(char *)c->name};
	int n = 1;
	struct kh_snapshot boot, end;

	if (!kh_guest_path(c->name, path, sizeof(path)))
		cr_skip_test("%s not found (GUEST_BIN unset or not built)",
			     c->name);
	for (int i = 0; i < 3 && c->args[i][0]; i++)
		argv[n++] = (char *)c->args[i];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(dir), 0);
	if (c->fail_io[0])
		setenv("MMULAB_SWAP_FAIL_NTH", c->fail_io, 1);
	struct kh *h = boot_with_swap(c->ram_mb, c->swap_mb, dir, img, true);
	unsetenv("MMULAB_SWAP_FAIL_NTH");
	struct kernel *k = &h->k;
	kh_snapshot(h, &boot);
	k->mem.fail_nth = c->fail_nth;
	int status = kh_run_elf(h, path, argv, NULL);
	k->mem.fail_nth = 0;
	cr_assert_eq(chdir(cwd), 0);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	if (c->swap_mb)
		unlink(img);

	if (c->status >= 0)
		cr_assert_eq(status, c->status, "%s: exit status %d, want %d",
			     c->name, status, c->status);
	cr_assert_eq(k->nr_tasks, 0);
	/* The page cache outlives the files' last close; shutdown writes it
	 * back and empties it. */
	filemap_shutdown(k);
	cr_assert(list_empty(&k->inodes), "%s: an inode is still open",
		  c->name);
	cr_assert_eq(swap_inuse(k), 0, "%s: %lu swap slots still in use",
		     c->name, swap_inuse(k));
	cr_assert_eq(global_node_page_state(&k->mem, NR_SWAPCACHE), 0);
	cr_assert_eq(k->mem.swap_free_pages, k->mem.swap_total_pages);
	kh_snapshot(h, &end);
	for (int i = 0; i < KH_NR_CACHES; i++)
		cr_assert_eq(end.inuse[i], boot.inuse[i],
			     "%s: %s has %lu active objects, %lu at boot",
			     c->name, kh_cache_names[i], end.inuse[i],
			     boot.inuse[i]);
	cr_assert_eq(end.free_pages, boot.free_pages,
		     "%s: %lu free pages after the run, %lu at boot", c->name,
		     end.free_pages, boot.free_pages);
	cr_assert_eq(k->mem.bad_pages, 0, "%s: bad page state", c->name);
	cr_assert(buddy_sanity(&k->mem));
	kh_shutdown(h);
}

static struct prog_case cases[] = {
	{"bigmem.elf", {"40"}, 16, 128, "", 0, 0},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "", 0, 0},
	{"oomhog.elf", {"32", "tree"}, 16, 0, "", 0, 0},
	{"oomhog.elf", {"32"}, 16, 0, "", 0, 137},
	{"filepress.elf", {"12"}, 16, 0, "", 0, 0},
	{"filepress.elf", {"12"}, 16, 64, "", 0, 0},
	{"bigmem.elf", {"40"}, 16, 128, "r1", 0, 135},
	{"bigmem.elf", {"40"}, 16, 128, "r20", 0, -1},
	{"bigmem.elf", {"40"}, 16, 128, "w50", 0, 0},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "", 5000, -1},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "", 300, -1},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "", 2500, -1},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "", 9000, -1},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "r30", 0, -1},
	{"bigmem.elf", {"16", "fork"}, 16, 128, "w30", 0, 0},
	{"filepress.elf", {"12"}, 16, 64, "", 1500, -1},
	{"forktree.elf", {""}, 16, 64, "", 0, 0},
	{"cowfaults.elf", {""}, 16, 64, "", 0, 0},
	{"mmapfam.elf", {""}, 16, 64, "", 0, 0},
};

ParameterizedTestParameters(vmscan, programs_leave_no_trace)
{
	return cr_make_param_array(struct prog_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct prog_case *c, vmscan, programs_leave_no_trace)
{
	run_pressure(c);
}
