/*
 * Declarations shared inside the guest kernel (not for the front ends).
 */
#ifndef MMULAB_KERNEL_INTERNAL_H
#define MMULAB_KERNEL_INTERNAL_H

#include "kernel/kernel.h"
#include "kernel/mm/mmzone.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/mm_types.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/seq.h"
#include "kernel/mm/slab.h"

/* Copy a string, truncating to fit @size bytes (always terminated). */
static inline void strscpy(char *dst, const char *src, size_t size)
{
	size_t n = __builtin_strlen(src);

	if (n >= size)
		n = size - 1;
	__builtin_memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A broken kernel invariant: log it and abort (never returns). */
void kernel_bug(struct kernel *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn, cold));

/* ---- pgtable.c ----------------------------------------------------------- */
void flush_tlb_page(struct kernel *k, struct mm *mm, gva_t addr);
pte_t mk_pte_prot(unsigned long vm_flags, bool writable);

/* ---- rmap.c ------------------------------------------------------------- */
/* Drop a reference to a user page; the last one frees it (and, for an
 * anonymous page, its hold on the anon_vma). */
void release_page(struct kernel *k, struct page *page);

/* ---- lru.c: the LRU lists reclaim will scan ---------------------------- */
/* Put a newly mapped or cached page on its LRU list (inactive first). */
void lru_add_page(struct kernel *k, struct page *page);
/* Take @page off its LRU list (before it is freed). */
void lru_del_page(struct kernel *k, struct page *page);
/* Mlocked pages: PG_mlocked, NR_MLOCK and the unevictable list.  A page
 * is unlocked when its last mapping goes or its vma is munlocked. */
void mlock_page(struct kernel *k, struct page *page);
void munlock_page(struct kernel *k, struct page *page);
/* Lock or unlock the present pages of [start, end) of @vma. */
void mlock_range(struct kernel *k, struct vma *vma, gva_t start, gva_t end,
		 bool lock);

/* ---- overcommit accounting (mmap.c) ------------------------------------ */
/* Charge @npages of commitment (VM_ACCOUNT); 0 or -ENOMEM per policy. */
int vm_acct_memory(struct kernel *k, long npages) __must_check;
void vm_unacct_memory(struct kernel *k, long npages);

/* ---- swap.c: swap entries (the swap device arrives with reclaim) ------- */
void swap_free_entry(struct kernel *k, pte_t entry);
int swap_duplicate(struct kernel *k, pte_t entry) __must_check;

/* ---- filemap.c: inodes and the page cache ------------------------------ */

/* Where an inode's data comes from. */
enum inode_kind { INODE_HOST, INODE_MEM };

struct inode {
	int refcount;
	enum inode_kind kind;
	int host_fd;		/* INODE_HOST: an O_RDONLY/O_RDWR host fd */
	uint64_t ino, dev;
	uint64_t size;		/* bytes */
	char path[64];		/* as shown in /proc/PID/maps */
	struct list_head list;	/* in k->inodes */
	/* The page cache: a radix tree of pages by index (filemap.c). */
	void *pc_root;
	unsigned long nrpages;
};

/* Get the inode of a host file (shared per (dev, ino)); NULL on error. */
struct inode *inode_get_host(struct kernel *k, int host_fd, const char *path);
void inode_put(struct kernel *k, struct inode *inode);
/* A shmem inode of @size bytes for MAP_SHARED|MAP_ANONYMOUS; NULL if OOM. */
struct inode *shmem_inode_create(struct kernel *k, uint64_t size);

/* The rss counter of a page-cache @page: RssShmem or RssFile. */
static inline int mm_counter_file(const struct page *page)
{
	const struct inode *inode = page->mapping;

	return inode && inode->kind == INODE_MEM ? MM_SHMEMPAGES
						 : MM_FILEPAGES;
}
static inline struct inode *inode_ref(struct inode *inode)
{
	inode->refcount++;
	return inode;
}

/*
 * The page-cache page at @index of @inode, read in when missing (*major
 * set).  Returns the page with a reference the caller owns, or NULL when
 * @index is beyond the end of the file (SIGBUS) or memory is short.
 */
struct page *filemap_get_page(struct kernel *k, struct inode *inode,
			      unsigned long index, bool *major, bool *oom);
void set_page_dirty(struct kernel *k, struct page *page);
/* Write a dirty page-cache page back to its file. */
int filemap_writepage(struct kernel *k, struct page *page);
/* Write back every dirty page of @inode in [first, last]. */
void filemap_sync_range(struct kernel *k, struct inode *inode,
			unsigned long first, unsigned long last);
/* The cached page at @index of @inode, or NULL (no reference taken). */
struct page *filemap_find_page(struct kernel *k, struct inode *inode,
			       unsigned long index);
/* read/write through the page cache (see filemap.c); bytes or -errno. */
long filemap_rw(struct kernel *k, struct inode *inode, void *buf, size_t len,
		uint64_t off, bool write);
/* msync/fsync: collect dirty bits from shared mappings, write every dirty
 * page back and write-protect the mappings again. */
void filemap_write_and_wait(struct kernel *k, struct inode *inode);
/* Unmap pages at or beyond page @first from every mapping of @inode. */
void unmap_mapping_range(struct kernel *k, struct inode *inode,
			 unsigned long first);
/* Drop the clean, unmapped page-cache pages of @inode (drop_caches). */
void filemap_drop_clean(struct kernel *k, struct inode *inode);
/* Write to a procfs file (sysctls, sysrq-trigger): bytes or -errno. */
long procfs_write(struct kernel *k, const char *path, const char *buf,
		  size_t len);
bool procfs_writable(const char *path);
/* The pid a /proc/PID/pagemap path names (self resolved), or 0 when @path
 * is not a pagemap. */
int procfs_pagemap_pid(struct kernel *k, const char *path);
/* Read @n bytes of task @pid's pagemap at byte @pos: bytes or -errno. */
long procfs_pagemap_read(struct kernel *k, int pid, void *buf, size_t n,
			 uint64_t pos);
/* Drop cached pages of @inode at or after @index (truncate). */
void filemap_truncate(struct kernel *k, struct inode *inode, uint64_t size);

/* ---- uaccess.c --------------------------------------------------------- */
int copy_from_user(struct kernel *k, void *dst, gva_t src, uint32_t len)
	__must_check;
int copy_to_user(struct kernel *k, gva_t dst, const void *src, uint32_t len)
	__must_check;
/* Copy a NUL-terminated string of at most @max bytes (incl. NUL); returns
 * its length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(struct kernel *k, char *dst, gva_t src, uint32_t max);

/* ---- process.c ---------------------------------------------------------- */
/* Kernel-internal return codes of system calls, never seen by the guest. */
#define ERESTARTSYS 512	/* blocked: re-issue the ecall when woken */
#define EJUSTRETURN 518	/* registers already set (execve) */
/*
 * Does the current task hold capability @cap (Linux numbering)?  The guest
 * runs with the host user's identity (getuid() is the host's), so it holds
 * exactly the host process's effective capabilities, as it would under
 * qemu-user on the same host.
 */
#define CAP_IPC_LOCK 14
#define CAP_SYS_ADMIN 21
#define CAP_SYS_RESOURCE 24
bool capable(struct kernel *k, int cap);
struct task *task_alloc(struct kernel *k);
/* Put @t to sleep until t->sleep_until; returns -ERESTARTSYS. */
long task_sleep(struct kernel *k, struct task *t);
/* Unlink a reaped task and free it with its kernel stack. */
void task_free(struct kernel *k, struct task *t);
void wake_up_task(struct kernel *k, struct task *t);
void reap_orphans(struct kernel *k);
int files_init_stdio(struct kernel *k, struct files *fs);
struct task *find_task(struct kernel *k, int pid);
void task_exit(struct kernel *k, struct task *t, int status, int sig);
/* Queue signal @sig for @t (default actions only for now). */
void send_signal(struct kernel *k, struct task *t, int sig);
/* Deliver a fault signal to the current task, logging like Linux. */
void force_sig_fault(struct kernel *k, int sig, int code, gva_t addr);
/* Queue @sig for @t with the first 8 words of its siginfo. */
void send_signal_info(struct kernel *k, struct task *t, int sig,
		      const int32_t *info);
/* Deliver pending signals to the current task before it runs again. */
void signal_return_to_user(struct kernel *k);
long sys_rt_sigreturn(struct kernel *k);
long sys_sigaltstack(struct kernel *k, gva_t uss, gva_t uoss);
long sys_rt_sigpending(struct kernel *k, gva_t uset, uint32_t size);
void switch_mm(struct kernel *k, struct mm *mm);
long sys_clone(struct kernel *k, uint32_t flags, gva_t newsp, gva_t ptid,
	       gva_t tls, gva_t ctid);
long sys_execve(struct kernel *k, gva_t path, gva_t argv, gva_t envp);
long sys_waitid(struct kernel *k, int idtype, int id, gva_t infop,
		int options, gva_t ru);
long sys_getrusage(struct kernel *k, int who, gva_t uru);
long sys_kill(struct kernel *k, int pid, int sig);
long sys_prlimit64(struct kernel *k, int pid, unsigned res, gva_t newp,
		   gva_t oldp);
long sys_rt_sigaction(struct kernel *k, int sig, gva_t act, gva_t oact,
		      uint32_t size);
long sys_rt_sigprocmask(struct kernel *k, int how, gva_t set, gva_t oset,
			uint32_t size);

/* ---- exec.c ------------------------------------------------------------- */
struct elf_image;
/*
 * Replace @t's address space with the program in @img (opened as host fd
 * @fd; @path as exec'ed, for AT_EXECFN and the command name; @shown, the
 * absolute path /proc/PID/maps prints) and build the initial stack.  On failure
 * returns -errno and @t is unchanged.
 */
int exec_image(struct kernel *k, struct task *t, struct elf_image *img,
	       int fd, const char *path, const char *shown,
	       char *const argv[], char *const envp[]) __must_check;

/* ---- mmap.c syscalls ------------------------------------------------------ */
long sys_brk(struct kernel *k, gva_t brk);
long sys_mmap(struct kernel *k, gva_t addr, uint32_t len, int prot, int flags,
	      int fd, uint32_t pgoff);
long sys_munmap(struct kernel *k, gva_t addr, uint32_t len);
long sys_mprotect(struct kernel *k, gva_t addr, uint32_t len, int prot);
long sys_mremap(struct kernel *k, gva_t addr, uint32_t old_len,
		uint32_t new_len, int flags, gva_t new_addr);
long sys_madvise(struct kernel *k, gva_t addr, uint32_t len, int advice);
long sys_mincore(struct kernel *k, gva_t addr, uint32_t len, gva_t vec);
long sys_mlock(struct kernel *k, gva_t addr, uint32_t len, unsigned flags);
long sys_munlock(struct kernel *k, gva_t addr, uint32_t len);
long sys_mlockall(struct kernel *k, int flags);
long sys_munlockall(struct kernel *k);
long sys_msync(struct kernel *k, gva_t addr, uint32_t len, int flags);

/* ---- files (hostfs.c, procfs.c) ----------------------------------------- */
enum file_kind { FILE_HOST, FILE_PROC, FILE_TTY, FILE_PIPE };
struct pipe;

struct file {
	int refcount;
	enum file_kind kind;
	int host_fd;		/* FILE_HOST / FILE_TTY */
	unsigned flags;		/* Linux O_* flags */
	struct inode *inode;	/* FILE_HOST regular files (for mmap) */
	bool is_dir;
	char *text;		/* FILE_PROC: the snapshot */
	size_t text_len;
	uint64_t pos;		/* FILE_PROC */
	struct pipe *pipe;	/* FILE_PIPE */
	int pagemap_pid;	/* FILE_PROC: /proc/PID/pagemap of this task */
	char path[256];		/* normalised guest path (dirfd-relative
				 * lookups start here) */
};

struct files *files_alloc(struct kernel *k);
struct files *files_dup(struct kernel *k, struct files *old);
void files_put(struct kernel *k, struct files *f);
void files_close_on_exec(struct kernel *k, struct files *f);
struct file *fget(struct kernel *k, int fd);
struct file *file_alloc(struct kernel *k, enum file_kind kind);
/* Install @f at the lowest free fd >= @min (consumes the reference);
 * returns the fd or -EMFILE. */
int fd_install(struct kernel *k, struct file *f, int min, bool cloexec);
/* Close @fd of the current task. */
void fd_uninstall(struct kernel *k, int fd);
/* pipe.c */
long pipe_read(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len);
long pipe_write(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len);
void pipe_release(struct kernel *k, struct file *f);
long sys_pipe2(struct kernel *k, gva_t ufds, int flags);
void fput(struct kernel *k, struct file *f);
/* Open the sandbox path @path for exec: the host fd or -errno; @shown
 * gets the absolute guest path (for maps). */
int hostfs_open_exec(struct kernel *k, const char *path, char *shown,
		     size_t shownlen);
/* The system call handler for file syscalls; -ENOSYS if not one. */
long hostfs_syscall(struct kernel *k, unsigned nr, const uint32_t *a,
		    bool *handled);
/* Text of a procfs file, or -ENOENT. Caller frees seq. */
int procfs_read(struct kernel *k, const char *path, struct seq *out);

/* ---- syscall.c ---------------------------------------------------------- */
void do_syscall(struct kernel *k);

#endif
