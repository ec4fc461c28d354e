/*
 * Unit tests for the page-fault paths (src/kernel/mm/memory.c, with the rmap,
 * page-table and fork code they lean on): the zero page, fresh anonymous
 * pages, page-cache mappings, copy-on-write of private file pages and
 * after fork (copy vs. reuse), the SIGSEGV decisions, and stack growth.
 *
 * Accesses go through kh_load32/kh_store32, i.e. the real MMU and TLB,
 * with handle_mm_fault called on each page fault as the trap handler does.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kharness.h"

#define P PAGE_SIZE
#define BASE 0x40000000u

static struct kh *h;

static void setup(void)
{
	h = kh_boot(NULL);
}

static void teardown(void)
{
	kh_shutdown(h);
}

TestSuite(fault, .init = setup, .fini = teardown);

static unsigned long event(enum vm_event_item item)
{
	return h->k.mem.vm_events[item];
}

/* ---- anonymous memory ---------------------------------------------------- */

Test(fault, anon_read_maps_zero_page)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, 0, 2 * P, KH_PROT_RW);
	unsigned long faults = event(PGFAULT);
	uint32_t x = 1;

	cr_assert_eq(kh_load32(h, a + 8, &x), 0);
	cr_assert_eq(x, 0);
	cr_assert_eq(h->last.nr_faults, 1);
	cr_assert_eq(event(PGFAULT), faults + 1);
	pte_t pte = kh_pte(h, mm, a);
	cr_assert(pte_present(pte));
	cr_assert_eq(pte_pfn(pte), h->k.zero_pfn, "read fault: the zero page");
	cr_assert(pte & PTE_SPECIAL, "the zero page PTE is special");
	cr_assert_not(pte & PTE_W, "the zero page is never writable");
	cr_assert(pte & PTE_R);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0, "the zero page is not RSS");
	cr_assert_null(vma_lookup(mm, a)->anon_vma,
		       "no anon_vma needed for the zero page");
	/* The second page was not touched. */
	cr_assert_eq(kh_pte(h, mm, a + P), 0);
}

Test(fault, anon_write_after_read_gets_private_page)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, 0, P, KH_PROT_RW);
	uint32_t x;

	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(kh_store32(h, a + 4, 0xdeadbeef), 0);
	cr_assert_eq(h->last.nr_faults, 1, "one write-protect fault");
	pte_t pte = kh_pte(h, mm, a);
	cr_assert_neq(pte_pfn(pte), h->k.zero_pfn);
	cr_assert_not(pte & PTE_SPECIAL);
	cr_assert(pte & PTE_W);
	cr_assert(pte & PTE_D, "the hardware or the fault set dirty");
	struct page *pg = kh_page(h, mm, a);
	cr_assert(PageAnon(pg));
	cr_assert(PageAnonExclusive(pg));
	cr_assert_eq(page_mapcount(pg), 1);
	cr_assert_eq(page_count(pg), 1);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(kh_load32(h, a + 4, &x), 0);
	cr_assert_eq(x, 0xdeadbeef);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 0, "the new page starts zeroed");
	/* The shared zero page itself is untouched. */
	const uint32_t *z = page_address(&h->k.mem, h->k.zero_page);
	cr_assert_eq(z[1], 0);
}

Test(fault, anon_write_first_maps_writable_page)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, 0, P, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, a, 42), 0);
	cr_assert_eq(h->last.nr_faults, 1);
	pte_t pte = kh_pte(h, mm, a);
	cr_assert((pte & (PTE_V | PTE_R | PTE_W | PTE_U)) ==
		  (PTE_V | PTE_R | PTE_W | PTE_U));
	cr_assert_neq(pte_pfn(pte), h->k.zero_pfn);
	struct page *pg = kh_page(h, mm, a);
	cr_assert(PageAnon(pg));
	cr_assert_eq(pg->index, a >> PAGE_SHIFT);
	cr_assert_not_null(vma_lookup(mm, a)->anon_vma);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	cr_assert_eq(h->k.current->min_flt, 1);
}

Test(fault, spurious_fault_is_harmless)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, 0, P, KH_PROT_RW);
	bool accerr;

	cr_assert_eq(kh_store32(h, a, 1), 0);
	pfn_t pfn = pte_pfn(kh_pte(h, mm, a));
	/* The PTE already allows the access: nothing changes. */
	cr_assert_eq(handle_mm_fault(&h->k, mm, a, FAULT_FLAG_USER |
				     FAULT_FLAG_WRITE, &accerr), 0);
	cr_assert_eq(pte_pfn(kh_pte(h, mm, a)), pfn);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
}

/* ---- file mappings ---------------------------------------------------- */

static const char file_text[2 * 4096] = "page zero of the file";

/* A 2-page host file (page 1 starts with "page one"), opened O_RDWR. */
static int open_test_file(char *path)
{
	char buf[2 * 4096];

	memcpy(buf, file_text, sizeof(buf));
	memcpy(buf + 4096, "page one", 8);
	kh_make_file(path, buf, sizeof(buf));
	return kh_open_file(h, path, KH_O_RDWR);
}

static uint32_t word_at(const char *s)
{
	uint32_t w;

	memcpy(&w, s, 4);
	return w;
}

Test(fault, file_read_maps_page_cache_page)
{
	struct mm *mm = kh_mm(h);
	char path[64];
	int fd = open_test_file(path);
	long a = sys_mmap(&h->k, 0, 2 * P, KH_PROT_READ, KH_MAP_PRIVATE, fd, 0);
	unsigned long maj = event(PGMAJFAULT);
	uint32_t x;

	unlink(path);
	cr_assert_gt(a, 0);
	cr_assert_eq(kh_load32(h, (gva_t)a, &x), 0);
	cr_assert_eq(x, word_at("page"));
	cr_assert_eq(kh_load32(h, (gva_t)a + P, &x), 0);
	cr_assert_eq(x, word_at("page"));
	cr_assert_eq(kh_load32(h, (gva_t)a + P + 5, &x), 0);
	cr_assert_eq(x, word_at("one\0"));
	/* The first fault reads both pages (mmap read-around), the second
	 * finds its page cached: one major fault, as on Linux. */
	cr_assert_eq(event(PGMAJFAULT), maj + 1, "read from the file: major");

	struct inode *inode = vma_lookup(mm, (gva_t)a)->vm_file;
	struct page *cache = filemap_find_page(&h->k, inode, 0);
	cr_assert_not_null(cache);
	struct page *pg = kh_page(h, mm, (gva_t)a);
	cr_assert_eq(pg, cache, "the PTE maps the page-cache page itself");
	cr_assert_not(PageAnon(pg));
	cr_assert_eq(page_mapcount(pg), 1);
	cr_assert_eq(page_count(pg), 2, "one for the cache, one for the PTE");
	cr_assert_not(kh_pte(h, mm, (gva_t)a) & PTE_W);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 2);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);

	/* A second mapping of the same file page shares it. */
	long b = sys_mmap(&h->k, 0, P, KH_PROT_READ, KH_MAP_PRIVATE, fd, 0);
	cr_assert_gt(b, 0);
	cr_assert_eq(kh_load32(h, (gva_t)b, &x), 0);
	cr_assert_eq(h->last.nr_faults, 1);
	cr_assert_eq(kh_page(h, mm, (gva_t)b), cache);
	cr_assert_eq(page_mapcount(cache), 2);
	cr_assert_eq(event(PGMAJFAULT), maj + 1, "already cached: minor");
}

Test(fault, file_fault_beyond_eof_is_sigbus)
{
	char path[64];
	int fd = open_test_file(path);
	long a = sys_mmap(&h->k, 0, 3 * P, KH_PROT_READ, KH_MAP_PRIVATE, fd, 0);
	uint32_t x;

	unlink(path);
	cr_assert_gt(a, 0);
	cr_assert_eq(kh_load32(h, (gva_t)a + 2 * P, &x), -EFAULT);
	cr_assert(h->last.vm_fault & VM_FAULT_SIGBUS);
}

static void check_private_cow(bool read_first)
{
	struct mm *mm = kh_mm(h);
	char path[64];
	int fd = open_test_file(path);
	long a = sys_mmap(&h->k, 0, 2 * P, KH_PROT_RW, KH_MAP_PRIVATE, fd, 0);
	uint32_t x;

	cr_assert_gt(a, 0);
	if (read_first) {
		cr_assert_eq(kh_load32(h, (gva_t)a, &x), 0);
		cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	}
	cr_assert_eq(kh_store32(h, (gva_t)a, 0x41414141), 0);

	struct inode *inode = vma_lookup(mm, (gva_t)a)->vm_file;
	struct page *cache = filemap_find_page(&h->k, inode, 0);
	struct page *pg = kh_page(h, mm, (gva_t)a);
	cr_assert_not_null(cache);
	cr_assert_neq(pg, cache, "a private write must copy");
	cr_assert(PageAnon(pg));
	cr_assert_eq(page_mapcount(pg), 1);
	cr_assert(kh_pte(h, mm, (gva_t)a) & PTE_W);
	cr_assert_eq(page_mapcount(cache), 0, "the cache page is unmapped");
	cr_assert_eq(page_count(cache), 1, "only the cache holds it now");
	cr_assert_eq(mm->rss[MM_FILEPAGES], 0);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 1);
	/* The copy has the rest of the file page; the file does not change. */
	cr_assert_eq(kh_load32(h, (gva_t)a + 4, &x), 0);
	cr_assert_eq(x, word_at(" zer"));
	cr_assert_eq(memcmp(page_address(&h->k.mem, cache), "page zero", 9), 0);
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a, 2 * P), 0);
	char buf[16] = {0};
	int hfd = open(path, O_RDONLY);
	cr_assert_geq(hfd, 0);
	cr_assert_eq(pread(hfd, buf, 9, 0), 9);
	close(hfd);
	unlink(path);
	cr_assert_str_eq(buf, "page zero");
}

Test(fault, private_file_write_after_read_copies)
{
	check_private_cow(true);
}

Test(fault, private_file_write_first_copies)
{
	check_private_cow(false);
}

Test(fault, shared_file_write_dirties_cache_page)
{
	struct mm *mm = kh_mm(h);
	char path[64];
	int fd = open_test_file(path);
	long a = sys_mmap(&h->k, 0, P, KH_PROT_RW, KH_MAP_SHARED, fd, 0);

	unlink(path);
	cr_assert_gt(a, 0);
	cr_assert_eq(kh_store32(h, (gva_t)a, 0x45474150 /* "PAGE" */), 0);
	struct page *cache = filemap_find_page(&h->k, vma_lookup(mm, (gva_t)a)->vm_file, 0);
	cr_assert_eq(kh_page(h, mm, (gva_t)a), cache, "shared: no copy");
	cr_assert(PageDirty(cache));
	cr_assert_eq(memcmp(page_address(&h->k.mem, cache), "PAGE zero", 9), 0);
	cr_assert_eq(mm->rss[MM_FILEPAGES], 1);
	cr_assert_eq(mm->rss[MM_ANONPAGES], 0);
}

/* ---- fork and COW ------------------------------------------------------ */

Test(fault, fork_shares_pages_read_only)
{
	struct mm *pmm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, 2 * P, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, a, 1), 0);
	cr_assert_eq(kh_store32(h, a + P, 2), 0);
	struct page *p0 = kh_page(h, pmm, a);
	struct task *child = kh_fork(h);
	struct mm *cmm = child->mm;

	cr_assert_neq(cmm, pmm);
	cr_assert_eq(cmm->map_count, pmm->map_count);
	for (int i = 0; i < 2; i++) {
		pte_t pp = kh_pte(h, pmm, a + i * P);
		pte_t cp = kh_pte(h, cmm, a + i * P);
		cr_assert(pte_present(pp) && pte_present(cp));
		cr_assert_not(pp & PTE_W, "parent PTE must be write-protected");
		cr_assert_not(cp & PTE_W, "child PTE must be write-protected");
		cr_assert_eq(pte_pfn(pp), pte_pfn(cp));
		struct page *pg = pfn_to_page(&h->k.mem, pte_pfn(pp));
		cr_assert_eq(page_count(pg), 2);
		cr_assert_eq(page_mapcount(pg), 2);
		cr_assert_not(PageAnonExclusive(pg));
	}
	cr_assert_eq(kh_page(h, pmm, a), p0);
	cr_assert_eq(cmm->rss[MM_ANONPAGES], 2);
	cr_assert_eq(pmm->rss[MM_ANONPAGES], 2);
	/* The child's vma reaches the parent's anon_vma (rmap). */
	struct vma *cv = vma_lookup(cmm, a), *pv = vma_lookup(pmm, a);
	cr_assert_not_null(cv->anon_vma);
	cr_assert_neq(cv->anon_vma, pv->anon_vma);
	cr_assert_eq(cv->anon_vma->root, pv->anon_vma->root);
}

Test(fault, fork_child_write_copies_parent_write_reuses)
{
	struct task *parent = h->task;
	struct mm *pmm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t x;

	cr_assert_eq(kh_store32(h, a, 0x1111), 0);
	struct page *orig = kh_page(h, pmm, a);
	struct task *child = kh_fork(h);
	struct mm *cmm = child->mm;

	/* The child writes: it gets a copy; the parent keeps the original. */
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 0x1111);
	cr_assert_eq(kh_store32(h, a, 0x2222), 0);
	struct page *copy = kh_page(h, cmm, a);
	cr_assert_neq(copy, orig, "the child's write must copy");
	cr_assert(kh_pte(h, cmm, a) & PTE_W);
	cr_assert_eq(page_mapcount(copy), 1);
	cr_assert_eq(page_count(copy), 1);
	cr_assert_eq(kh_page(h, pmm, a), orig);
	cr_assert_eq(page_mapcount(orig), 1);
	cr_assert_eq(page_count(orig), 1);
	cr_assert_not(kh_pte(h, pmm, a) & PTE_W, "parent still protected");

	/* The parent writes: it is the only user left, so the page is
	 * reused in place (pgreuse), not copied. */
	kh_switch_to(h, parent);
	unsigned long reuse = event(PGREUSE);
	unsigned long free_before = nr_free_pages(&h->k.mem);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 0x1111, "the parent must not see the child's write");
	cr_assert_eq(kh_store32(h, a, 0x3333), 0);
	cr_assert_eq(event(PGREUSE), reuse + 1);
	cr_assert_eq(kh_page(h, pmm, a), orig, "reuse: same frame");
	cr_assert(kh_pte(h, pmm, a) & PTE_W);
	cr_assert(PageAnonExclusive(orig));
	cr_assert_eq(nr_free_pages(&h->k.mem), free_before, "no page allocated");

	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 0x2222);
}

Test(fault, fork_then_parent_writes_first)
{
	struct mm *pmm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t x;

	cr_assert_eq(kh_store32(h, a, 5), 0);
	struct page *orig = kh_page(h, pmm, a);
	struct task *child = kh_fork(h);
	unsigned long reuse = event(PGREUSE);

	cr_assert_eq(kh_store32(h, a, 6), 0);
	cr_assert_neq(kh_page(h, pmm, a), orig, "shared: the writer copies");
	cr_assert_eq(event(PGREUSE), reuse);
	cr_assert_eq(kh_page(h, child->mm, a), orig);
	cr_assert_eq(page_mapcount(orig), 1);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 5);
}

/* Once the child has exited the parent is the only user again: its next
 * write reuses the page instead of copying. */
Test(fault, write_after_child_exit_reuses)
{
	struct mm *pmm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct page *orig = kh_page(h, pmm, a);
	struct task *child = kh_fork(h);
	cr_assert_eq(page_mapcount(orig), 2);
	task_exit(&h->k, child, 0, 0);
	cr_assert_null(child->mm);
	cr_assert_eq(page_mapcount(orig), 1);
	cr_assert_eq(page_count(orig), 1);
	unsigned long reuse = event(PGREUSE);
	cr_assert_eq(kh_store32(h, a, 2), 0);
	cr_assert_eq(event(PGREUSE), reuse + 1);
	cr_assert_eq(kh_page(h, pmm, a), orig);
	/* Reap the zombie (P_ALL, WEXITED): see kernel.shutdown_with_zombie
	 * for why it must not be left to kernel_shutdown. */
	cr_assert_eq(sys_waitid(&h->k, 0, 0, 0, 4, 0), 0);
}

Test(fault, fork_zero_page_stays_shared)
{
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t x;

	cr_assert_eq(kh_load32(h, a, &x), 0);
	struct task *child = kh_fork(h);
	pte_t cp = kh_pte(h, child->mm, a);
	cr_assert_eq(pte_pfn(cp), h->k.zero_pfn);
	cr_assert(cp & PTE_SPECIAL);
	cr_assert_eq(child->mm->rss[MM_ANONPAGES], 0);
}

/* ---- SIGSEGV decisions --------------------------------------------------- */

Test(fault, no_vma_is_maperr)
{
	struct mm *mm = kh_mm(h);
	bool accerr = true;
	uint32_t x;

	kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	cr_assert_eq(handle_mm_fault(&h->k, mm, BASE + P, FAULT_FLAG_USER,
				     &accerr),
		     VM_FAULT_SIGSEGV);
	cr_assert_not(accerr, "no vma: SEGV_MAPERR");
	cr_assert_eq(handle_mm_fault(&h->k, mm, 0x10, FAULT_FLAG_USER |
				     FAULT_FLAG_WRITE, &accerr),
		     VM_FAULT_SIGSEGV);
	cr_assert_not(accerr);
	cr_assert_eq(kh_load32(h, BASE - 4, &x), -EFAULT);
	cr_assert_eq(h->last.vm_fault, VM_FAULT_SIGSEGV);
	cr_assert_not(h->last.accerr);
	cr_assert_eq(h->last.fault_va, BASE - 4);
}

Test(fault, write_to_read_only_vma_is_accerr)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, 0, P, KH_PROT_READ);
	unsigned long faults = event(PGFAULT);
	bool accerr = false;
	uint32_t x;

	cr_assert_eq(handle_mm_fault(&h->k, mm, a, FAULT_FLAG_USER |
				     FAULT_FLAG_WRITE, &accerr),
		     VM_FAULT_SIGSEGV);
	cr_assert(accerr, "the vma forbids writes: SEGV_ACCERR");
	cr_assert_eq(event(PGFAULT), faults, "a bad access is not a pgfault");
	cr_assert_eq(kh_pte(h, mm, a), 0, "nothing was mapped");
	/* Reading is fine; writing after the read faults with ACCERR. */
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(kh_store32(h, a, 1), -EFAULT);
	cr_assert(h->last.accerr);
	/* Executing a non-exec vma is ACCERR too. */
	cr_assert_eq(handle_mm_fault(&h->k, mm, a, FAULT_FLAG_USER |
				     FAULT_FLAG_INSTRUCTION, &accerr),
		     VM_FAULT_SIGSEGV);
	cr_assert(accerr);
}

Test(fault, prot_none_is_accerr)
{
	gva_t a = kh_mmap_anon(h, 0, P, KH_PROT_RW);
	uint32_t x;

	cr_assert_eq(kh_store32(h, a, 9), 0);
	cr_assert_eq(sys_mprotect(&h->k, a, P, KH_PROT_NONE), 0);
	cr_assert_eq(kh_load32(h, a, &x), -EFAULT);
	cr_assert(h->last.accerr);
	cr_assert_eq(sys_mprotect(&h->k, a, P, KH_PROT_READ), 0);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 9, "PROT_NONE keeps the page");
}

/* ---- stack growth -------------------------------------------------------- */

#define STACK_START (TASK_SIZE_DEFAULT - (128u << 10))

static struct vma *map_stack(uint64_t rlimit)
{
	h->k.current->rlim[RLIMIT_STACK].rlim_cur = rlimit;
	cr_assert_eq(kh_mmap(h, STACK_START, 128u << 10, KH_PROT_RW,
			     KH_MAP_FIXED | KH_MAP_GROWSDOWN),
		     (long)STACK_START);
	struct vma *v = vma_lookup(kh_mm(h), STACK_START);
	cr_assert(v->vm_flags & VM_GROWSDOWN);
	return v;
}

Test(fault, stack_grows_within_rlimit)
{
	struct mm *mm = kh_mm(h);
	struct vma *v = map_stack(256u << 10);
	unsigned long total = mm->total_vm, stack = mm->stack_vm;
	gva_t addr = TASK_SIZE_DEFAULT - (200u << 10) + 12;

	cr_assert_eq(kh_store32(h, addr, 77), 0);
	cr_assert_eq(mm->map_count, 1, "the stack vma grew, no new vma");
	cr_assert_eq(vma_lookup(mm, addr), v);
	cr_assert_eq(v->vm_start, ALIGN_DOWN(addr, P));
	cr_assert_eq(v->vm_end, TASK_SIZE_DEFAULT);
	cr_assert_eq(mm->total_vm, total + 18);
	cr_assert_eq(mm->stack_vm, stack + 18);
	cr_assert_eq(find_vma(mm, 0), v, "the treap was re-keyed");
	/* Exactly at the limit is still allowed. */
	cr_assert_eq(kh_store32(h, TASK_SIZE_DEFAULT - (256u << 10), 1), 0);
	cr_assert_eq(v->vm_start, TASK_SIZE_DEFAULT - (256u << 10));
}

Test(fault, stack_growth_beyond_rlimit_refused)
{
	struct mm *mm = kh_mm(h);
	struct vma *v = map_stack(256u << 10);
	bool accerr = true;

	cr_assert_eq(handle_mm_fault(&h->k, mm, TASK_SIZE_DEFAULT - (256u << 10) - 4,
				     FAULT_FLAG_USER | FAULT_FLAG_WRITE,
				     &accerr),
		     VM_FAULT_SIGSEGV);
	cr_assert_not(accerr, "refused growth is SEGV_MAPERR");
	cr_assert_eq(v->vm_start, STACK_START, "the vma did not move");
	cr_assert_eq(mm->total_vm, 32);
}

Test(fault, stack_growth_keeps_guard_gap)
{
	struct mm *mm = kh_mm(h);
	struct vma *v = map_stack(8u << 20);
	gva_t below = STACK_START - (2u << 20);
	uint32_t x;

	cr_assert_eq(kh_mmap(h, below, P, KH_PROT_RW, KH_MAP_FIXED),
		     (long)below);
	gva_t prev_end = below + P;
	/* Growing to within the guard gap of the vma below is refused... */
	cr_assert_eq(kh_load32(h, prev_end + STACK_GUARD_GAP - P, &x), -EFAULT);
	cr_assert_eq(v->vm_start, STACK_START);
	/* ...and right at the gap is allowed. */
	cr_assert_eq(kh_load32(h, prev_end + STACK_GUARD_GAP, &x), 0);
	cr_assert_eq(v->vm_start, prev_end + STACK_GUARD_GAP);
	cr_assert_eq(mm->map_count, 2);
}
