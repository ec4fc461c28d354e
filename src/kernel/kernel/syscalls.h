/*
 * Linux rv32 system call numbers (include/uapi/asm-generic/unistd.h; rv32
 * has no time32 calls, no plain lseek/fstat/wait4/getrlimit).
 */
#ifndef MMULAB_KERNEL_SYSCALLS_H
#define MMULAB_KERNEL_SYSCALLS_H

#include "types.h"

enum {
	NR_getcwd = 17,
	NR_dup = 23,
	NR_dup3 = 24,
	NR_fcntl64 = 25,
	NR_ioctl = 29,
	NR_mkdirat = 34,
	NR_unlinkat = 35,
	NR_symlinkat = 36,
	NR_linkat = 37,
	NR_truncate64 = 45,
	NR_ftruncate64 = 46,
	NR_faccessat = 48,
	NR_chdir = 49,
	NR_fchdir = 50,
	NR_fchmodat = 53,
	NR_openat = 56,
	NR_close = 57,
	NR_pipe2 = 59,
	NR_getdents64 = 61,
	NR_llseek = 62,
	NR_read = 63,
	NR_write = 64,
	NR_readv = 65,
	NR_writev = 66,
	NR_pread64 = 67,
	NR_pwrite64 = 68,
	NR_readlinkat = 78,
	NR_sync = 81,
	NR_fsync = 82,
	NR_fdatasync = 83,
	NR_exit = 93,
	NR_exit_group = 94,
	NR_waitid = 95,
	NR_set_tid_address = 96,
	NR_set_robust_list = 99,
	NR_sched_yield = 124,
	NR_kill = 129,
	NR_tkill = 130,
	NR_tgkill = 131,
	NR_sigaltstack = 132,
	NR_rt_sigaction = 134,
	NR_rt_sigprocmask = 135,
	NR_rt_sigpending = 136,
	NR_rt_sigreturn = 139,
	NR_setpgid = 154,
	NR_getpgid = 155,
	NR_getsid = 156,
	NR_setsid = 157,
	NR_uname = 160,
	NR_getrusage = 165,
	NR_umask = 166,
	NR_prctl = 167,
	NR_getpid = 172,
	NR_getppid = 173,
	NR_getuid = 174,
	NR_geteuid = 175,
	NR_getgid = 176,
	NR_getegid = 177,
	NR_gettid = 178,
	NR_sysinfo = 179,
	NR_brk = 214,
	NR_munmap = 215,
	NR_mremap = 216,
	NR_clone = 220,
	NR_execve = 221,
	NR_mmap2 = 222,
	NR_fadvise64_64 = 223,
	NR_swapon = 224,
	NR_swapoff = 225,
	NR_mprotect = 226,
	NR_msync = 227,
	NR_mlock = 228,
	NR_munlock = 229,
	NR_mlockall = 230,
	NR_munlockall = 231,
	NR_mincore = 232,
	NR_madvise = 233,
	NR_mbind = 235,
	NR_get_mempolicy = 236,
	NR_set_mempolicy = 237,
	NR_perf_event_open = 241,
	NR_riscv_flush_icache = 259,
	NR_prlimit64 = 261,
	NR_renameat2 = 276,
	NR_getrandom = 278,
	NR_mlock2 = 284,
	NR_statx = 291,
	NR_rseq = 293,
	NR_clock_gettime64 = 403,
	NR_clock_getres_time64 = 406,
	NR_clock_nanosleep_time64 = 407,
	NR_utimensat_time64 = 412,
	NR_futex_time64 = 422,
	NR_clone3 = 435,
};

/*
 * The system-call table (kernel/syscall_table.c), as xv6's syscalls[] and
 * Linux's sys_call_table: one row per Linux rv32 number the kernel knows.
 * do_syscall() dispatches through it; tracers use the same rows to name a
 * call and decode its arguments strace-style.
 *
 * A row's handler takes the six argument registers a0..a5 as they are and
 * converts them to the types of its sys_*() function (the role of Linux's
 * SYSCALL_DEFINEx wrappers).  A row without a handler is a number the
 * kernel can name but does not implement: it returns -ENOSYS, as any
 * number without a row does.
 */
struct kernel;
struct file;

/* How to show one argument (what strace would print). */
enum syscall_arg {
	ARG_INT,	/* signed decimal */
	ARG_UINT,	/* unsigned decimal (sizes, counts) */
	ARG_HEX,	/* 0x... */
	ARG_OCT,	/* 0644: modes */
	ARG_PTR,	/* user pointer: NULL or 0x... */
	ARG_STR,	/* user NUL-terminated string: "..." */
	ARG_STRV,	/* user array of string pointers (argv): ["a", "b"] */
	ARG_FD,		/* a descriptor */
	ARG_DIRFD,	/* a descriptor or AT_FDCWD */
	ARG_FLAGS_OPEN,	/* O_RDONLY|O_CREAT|... */
	ARG_FLAGS_AT,	/* AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|... */
	ARG_PROT,	/* PROT_READ|PROT_WRITE|... */
	ARG_MMAP_FLAGS,	/* MAP_PRIVATE|MAP_ANONYMOUS|... */
	ARG_MREMAP_FLAGS, /* MREMAP_MAYMOVE|MREMAP_FIXED|... */
	ARG_MADVISE,	/* MADV_DONTNEED... */
	ARG_CLONE_FLAGS, /* CLONE_VM|...|SIGCHLD */
	ARG_SIG,	/* SIGSEGV... */
	ARG_SIGHOW,	/* SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK */
	ARG_FCNTL_CMD,	/* F_GETFL... */
	ARG_WHENCE,	/* SEEK_SET... */
	ARG_CLOCK,	/* CLOCK_MONOTONIC... */
	ARG_BUF_IN,	/* user bytes the call reads; length in the next arg */
	ARG_BUF_OUT,	/* user bytes the call fills: shown as a pointer */
	ARG_OFF_LOHI,	/* 64-bit value: this arg low word, the next high */
	ARG_OFF_HILO,	/* 64-bit value: this arg high word, the next low */
	ARG_SKIP,	/* consumed by the argument before it: not shown */
};

/* How to show the result. */
enum syscall_ret {
	RET_INT,	/* decimal, or -1 ENAME (message) */
	RET_FD,		/* a new descriptor */
	RET_SIZE,	/* a byte count */
	RET_HEX,	/* an address (brk, mmap2, mremap) */
	RET_NONE,	/* never returns on success (exit, exit_group) */
};

typedef long (*syscall_fn)(struct kernel *k, const uint32_t a[6]);

struct syscall_desc {
	unsigned nr;		/* Linux rv32 number */
	const char *name;	/* as strace prints it: "openat", "mmap2" */
	syscall_fn handler;	/* NULL: known, not implemented (-ENOSYS) */
	uint8_t nargs;		/* arguments used, a0..a(nargs-1) */
	uint8_t arg[6];		/* enum syscall_arg, per argument */
	uint8_t ret;		/* enum syscall_ret */
};

/* Numbers below this may have a row. */
#define NR_SYSCALLS 436

/* The row of @nr, or NULL when the kernel does not know the number. */
const struct syscall_desc *syscall_desc(unsigned nr);
/* The row named @name ("openat"), or NULL. */
const struct syscall_desc *syscall_desc_by_name(const char *name);
/*
 * Decode the arguments @a of a call to @d into @buf as strace shows them
 * between the parentheses: `AT_FDCWD, "/etc/passwd", O_RDONLY`.  User
 * memory (strings, argv arrays, write buffers; 32 bytes shown, then
 * "...") is read through kernel_peek: nothing is faulted in, no A/D bit,
 * counter or TLB entry changes; a page of a vma never touched reads as
 * zeros, an address no page backs is shown as its pointer.  Call it
 * before the handler runs (a0 is the result afterwards).  Returns the
 * length of the full text (as snprintf: truncated when >= @len).
 */
size_t syscall_format_args(struct kernel *k, const struct syscall_desc *d,
			   const uint32_t a[6], char *buf, size_t len);
/*
 * The same after the call returned @ret (@a as they were at entry: a0 now
 * holds the result): an output buffer (ARG_BUF_OUT) of a call returning a
 * byte count shows the bytes it filled, as strace prints read(2):
 * `3, "hello\n", 4096`.
 */
size_t syscall_format_args_exit(struct kernel *k,
				const struct syscall_desc *d,
				const uint32_t a[6], long ret, char *buf,
				size_t len);
/*
 * Show the result @ret of @d (a0 as a signed value): `3`, `0x2000c000`,
 * `-1 ENOENT (No such file or directory)`, `?` for a call that does not
 * return (exit, a successful execve: -EJUSTRETURN), `? ERESTARTSYS (To be
 * restarted)` for one that sleeps and will be issued again.  @d may be
 * NULL (unknown number).  Returns as syscall_format_args().
 */
size_t syscall_format_ret(const struct syscall_desc *d, long ret, char *buf,
			  size_t len);
/* "ENOENT" for 2; NULL when the number has no name here. */
const char *errno_name(int err);

/* ---- the handlers, grouped by where they live ----------------------------- */

/* kernel/syscall.c */
long sys_exit(struct kernel *k, int status);
long sys_exit_group(struct kernel *k, int status);
long sys_tkill(struct kernel *k, int pid, int sig);
long sys_tgkill(struct kernel *k, int tgid, int pid, int sig);
long sys_getpid(struct kernel *k);
long sys_gettid(struct kernel *k);
long sys_getppid(struct kernel *k);
long sys_getuid(struct kernel *k);
long sys_geteuid(struct kernel *k);
long sys_getgid(struct kernel *k);
long sys_getegid(struct kernel *k);
long sys_getpgid(struct kernel *k, int pid);
long sys_getsid(struct kernel *k, int pid);
long sys_setpgid(struct kernel *k, int pid, int pgid);
long sys_setsid(struct kernel *k);
long sys_umask(struct kernel *k, unsigned mask);
long sys_set_tid_address(struct kernel *k, gva_t tidptr);
long sys_sched_yield(struct kernel *k);
long sys_uname(struct kernel *k, gva_t ubuf);
long sys_sysinfo(struct kernel *k, gva_t ubuf);
long sys_getrandom(struct kernel *k, gva_t ubuf, uint32_t len,
		   unsigned flags);
long sys_clock_gettime64(struct kernel *k, int clk, gva_t uts);
long sys_clock_getres_time64(struct kernel *k, unsigned clk, gva_t uts);
long sys_clock_nanosleep_time64(struct kernel *k, int clk, int flags,
				gva_t ureq, gva_t urem);
long sys_riscv_flush_icache(struct kernel *k, gva_t start, gva_t end,
			    unsigned flags);

/* kernel/: signal.c, process.c */
long sys_rt_sigreturn(struct kernel *k);
long sys_sigaltstack(struct kernel *k, gva_t uss, gva_t uoss);
long sys_rt_sigpending(struct kernel *k, gva_t uset, uint32_t size);
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

/* mm/: mmap.c, mprotect.c, mremap.c, madvise.c, mlock.c, msync.c, mincore.c */
long sys_brk(struct kernel *k, gva_t brk);
long sys_mmap(struct kernel *k, gva_t addr, uint32_t len, int prot, int flags,
	      int fd, uint32_t pgoff);
long sys_munmap(struct kernel *k, gva_t addr, uint32_t len);
long sys_mprotect(struct kernel *k, gva_t addr, uint32_t len, int prot);
long sys_mremap(struct kernel *k, gva_t addr, uint32_t old_len,
		uint32_t new_len, int flags, gva_t new_addr);
long sys_madvise(struct kernel *k, gva_t addr, uint32_t len, int advice);
long sys_fadvise64_64(struct kernel *k, int fd, uint32_t off_lo,
		      uint32_t off_hi, uint32_t len_lo, uint32_t len_hi,
		      int advice);
long sys_mincore(struct kernel *k, gva_t addr, uint32_t len, gva_t vec);
long sys_mlock(struct kernel *k, gva_t addr, uint32_t len, unsigned flags);
long sys_munlock(struct kernel *k, gva_t addr, uint32_t len);
long sys_mlockall(struct kernel *k, int flags);
long sys_munlockall(struct kernel *k);
long sys_msync(struct kernel *k, gva_t addr, uint32_t len, int flags);

/* fs/: pipe.c, file.c, hostfs.c */
long sys_pipe2(struct kernel *k, gva_t ufds, int flags);
long sys_close(struct kernel *k, int fd);
long sys_dup(struct kernel *k, int fd);
long sys_dup3(struct kernel *k, int oldfd, int newfd, int flags);
long sys_fcntl64(struct kernel *k, int fd, int cmd, uint32_t arg);
long sys_openat(struct kernel *k, int dirfd, gva_t upath, int flags,
		int mode);
long sys_read(struct kernel *k, int fd, gva_t ubuf, uint32_t len);
long sys_write(struct kernel *k, int fd, gva_t ubuf, uint32_t len);
long sys_readv(struct kernel *k, int fd, gva_t iov, int iovcnt);
long sys_writev(struct kernel *k, int fd, gva_t iov, int iovcnt);
/* rv32: the 64-bit offset is the pair (lo, hi) in a3, a4. */
long sys_pread64(struct kernel *k, int fd, gva_t ubuf, uint32_t len,
		 uint32_t off_lo, uint32_t off_hi);
long sys_pwrite64(struct kernel *k, int fd, gva_t ubuf, uint32_t len,
		  uint32_t off_lo, uint32_t off_hi);
long sys_llseek(struct kernel *k, int fd, uint32_t hi, uint32_t lo,
		gva_t result, int whence);
long sys_ioctl(struct kernel *k, int fd, uint32_t cmd, gva_t arg);
long sys_statx(struct kernel *k, int dirfd, gva_t upath, int flags,
	       unsigned mask, gva_t ubuf);
long sys_unlinkat(struct kernel *k, int dirfd, gva_t upath, int flags);
long sys_mkdirat(struct kernel *k, int dirfd, gva_t upath, int mode);
long sys_faccessat(struct kernel *k, int dirfd, gva_t upath, int mode);
long sys_getdents64(struct kernel *k, int fd, gva_t ubuf, uint32_t len);
/* rv32 passes 64-bit arguments in register pairs, low word first. */
long sys_ftruncate64(struct kernel *k, int fd, uint32_t len_lo,
		     uint32_t len_hi);
long sys_truncate64(struct kernel *k, gva_t upath, uint32_t len_lo,
		    uint32_t len_hi);
long sys_utimensat_time64(struct kernel *k, int dirfd, gva_t upath,
			  gva_t utimes, int flags);
long sys_getcwd(struct kernel *k, gva_t buf, uint32_t size);
long sys_chdir(struct kernel *k, gva_t upath);
long sys_fchdir(struct kernel *k, int fd);
long sys_renameat2(struct kernel *k, int odirfd, gva_t oldp, int ndirfd,
		   gva_t newp, unsigned flags);
long sys_linkat(struct kernel *k, int odirfd, gva_t oldp, int ndirfd,
		gva_t newp, int flags);
long sys_symlinkat(struct kernel *k, gva_t utarget, int ndirfd, gva_t newp);
long sys_readlinkat(struct kernel *k, int dirfd, gva_t upath, gva_t ubuf,
		    int32_t size);
long sys_fchmodat(struct kernel *k, int dirfd, gva_t upath, unsigned mode);
long sys_fsync(struct kernel *k, int fd);
long sys_fdatasync(struct kernel *k, int fd);
long sys_sync(struct kernel *k);

/* The system-call edge (kernel/syscall.c): decode the ecall, dispatch. */
void do_syscall(struct kernel *k);

#endif
