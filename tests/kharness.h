/*
 * Test harness for the guest kernel core: boot a small struct kernel, give
 * it a fake current task with an empty address space, and call kernel
 * functions directly -- sys_mmap and friends, handle_mm_fault -- or touch
 * user memory exactly as the hart does, through the modelled TLB.
 *
 * Every helper takes the harness explicitly; there is no global state, so
 * a test may boot several kernels.  Failures of the harness's own set-up
 * abort the test (they are not what is being tested); the operations under
 * test return their result for the test to assert on.
 *
 *	struct kh *h = kh_boot(NULL);		32M, pae, no ASIDs
 *	gva_t a = kh_mmap_anon(h, 0, 2 * PAGE_SIZE, KH_PROT_RW);
 *	cr_assert_eq(kh_store32(h, a, 42), 0);	faults the page in
 *	kh_shutdown(h);
 */
#ifndef MMULAB_TESTS_KHARNESS_H
#define MMULAB_TESTS_KHARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

/* Linux mmap constants, as the guest passes them. */
#define KH_PROT_NONE 0x0
#define KH_PROT_READ 0x1
#define KH_PROT_WRITE 0x2
#define KH_PROT_EXEC 0x4
#define KH_PROT_RW (KH_PROT_READ | KH_PROT_WRITE)
#define KH_MAP_SHARED 0x01
#define KH_MAP_PRIVATE 0x02
#define KH_MAP_FIXED 0x10
#define KH_MAP_ANONYMOUS 0x20
#define KH_MAP_GROWSDOWN 0x0100
#define KH_MADV_DONTNEED 4
#define KH_MREMAP_MAYMOVE 1
#define KH_MREMAP_FIXED 2

/* Linux open flags for kh_open_file. */
#define KH_O_RDONLY 0
#define KH_O_RDWR 2

struct kh_config {
	uint64_t ram;		/* bytes; 0 = 32 MiB */
	enum paging_mode paging;
	bool asid;		/* tag TLB entries with ASIDs */
	const char *root;	/* hostfs sandbox; NULL = "." */
	int numa_nodes;		/* --numa; 0 = 1 */
};

/* What the last kh_load32/kh_store32 went through. */
struct kh_access {
	int nr_faults;		/* page faults taken before it completed */
	unsigned vm_fault;	/* VM_FAULT_* of the fatal fault, else 0 */
	bool accerr;		/* with VM_FAULT_SIGSEGV: SEGV_ACCERR */
	gva_t fault_va;		/* address the MMU reported last */
};

struct kh {
	struct kernel k;
	struct task *task;	/* the fake current task (NULL for kh_run) */
	struct kh_access last;
};

/*
 * Boot a kernel (@cfg NULL: the defaults above) and create the fake current
 * task: default rlimits as for pid 1, an empty files table, an empty mm
 * loaded into the MMU.  Never returns NULL (aborts instead).
 */
struct kh *kh_boot(const struct kh_config *cfg);

/*
 * Boot a kernel without any task, for kh_run_elf.  Never returns NULL.
 */
struct kh *kh_boot_bare(const struct kh_config *cfg);

/* Exit every task and free the kernel and @h. */
void kh_shutdown(struct kh *h);

/*
 * Another task with its own, empty mm (not current; see kh_switch_to).
 * Used to model two processes with unrelated address spaces.
 */
struct task *kh_task_new(struct kh *h);

/*
 * Fork the current task through sys_clone (COW copy of its mm, files
 * duplicated).  Returns the child, which is not current.
 */
struct task *kh_fork(struct kh *h);

/* Make @t current and load its mm, as the scheduler's context switch. */
void kh_switch_to(struct kh *h, struct task *t);

/* The current task's mm. */
static inline struct mm *kh_mm(struct kh *h)
{
	return h->k.current->mm;
}

/* sys_mmap of private anonymous memory plus @flags (e.g. KH_MAP_FIXED).
 * Returns the address or -errno. */
long kh_mmap(struct kh *h, gva_t addr, uint32_t len, int prot, int flags);
/* Anonymous private memory at a kernel-chosen address (@hint ignored when
 * 0); aborts on failure. */
gva_t kh_mmap_anon(struct kh *h, gva_t hint, uint32_t len, int prot);

/*
 * Open host file @path (relative to the process's cwd, not the sandbox) as
 * a hostfs file of the current task with Linux @flags; returns the guest fd.
 * Aborts on failure.
 */
int kh_open_file(struct kh *h, const char *path, int flags);

/* Create a temporary host file holding @len bytes of @data; returns its
 * path in @path (size >= 64).  Aborts on failure. */
void kh_make_file(char *path, const void *data, size_t len);

/*
 * A 32-bit user load or store through the MMU (fast mirror, TLB, walk), as
 * the hart executes it.  On a page fault it calls handle_mm_fault as
 * kernel.c's trap handler does and retries.  Returns 0 when the access
 * completed, or -EFAULT when the fault was fatal (a signal would be sent);
 * h->last has the details either way.
 */
int kh_load32(struct kh *h, gva_t va, uint32_t *out) __must_check;
int kh_store32(struct kh *h, gva_t va, uint32_t v) __must_check;

/* The PTE mapping @va in @mm (0 when no table or entry). */
pte_t kh_pte(struct kh *h, struct mm *mm, gva_t va);

/* The struct page a present PTE of @mm at @va maps (aborts if none). */
struct page *kh_page(struct kh *h, struct mm *mm, gva_t va);

/* Number of vmas by walking the list (cross-checks map_count). */
int kh_count_vmas(struct mm *mm);

/* ---- leak accounting ---------------------------------------------------- */

#define KH_NR_CACHES 8

/* Free pages and the active objects of the kernel's own caches. */
struct kh_snapshot {
	unsigned long free_pages;
	unsigned long inuse[KH_NR_CACHES]; /* order of kh_cache_names */
};

extern const char *const kh_cache_names[KH_NR_CACHES];

/* Shrink every slab cache (empty slabs back to the buddy), then record. */
void kh_snapshot(struct kh *h, struct kh_snapshot *s);

/* ---- whole programs --------------------------------------------------- */

/*
 * The path of guest program @name under $GUEST_BIN in @buf.  False when
 * GUEST_BIN is unset or the file is missing (the caller skips).
 */
bool kh_guest_path(const char *name, char *buf, size_t len);

/*
 * Run the ELF at host @path with @argv (argv[0] included, NULL-terminated)
 * as pid 1 of the bare kernel @h until every task has exited.  The guest's
 * stdout (host fd 1) goes to a temporary file whose text is returned in
 * *@out (malloc'ed, NUL-terminated) when @out is not NULL; its stdin is
 * /dev/null.  Returns the exit status (code, or 128+signal), or -1 when
 * the program cannot start.
 */
int kh_run_elf(struct kh *h, const char *path, char *const argv[],
	       char **out);

/* The same, with @run(&h->k, @arg) in place of kernel_run (a loop of
 * kernel_step, say); its return value is the status returned. */
int kh_run_elf_with(struct kh *h, const char *path, char *const argv[],
		    char **out, int (*run)(struct kernel *k, void *arg),
		    void *arg);

#endif
