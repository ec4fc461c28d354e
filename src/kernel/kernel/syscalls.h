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
	NR_ftruncate64 = 46,
	NR_faccessat = 48,
	NR_chdir = 49,
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
	NR_futex_time64 = 422,
	NR_clone3 = 435,
};

/* The handlers, grouped by where they live. */
struct kernel;
struct file;

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
long sys_mincore(struct kernel *k, gva_t addr, uint32_t len, gva_t vec);
long sys_mlock(struct kernel *k, gva_t addr, uint32_t len, unsigned flags);
long sys_munlock(struct kernel *k, gva_t addr, uint32_t len);
long sys_mlockall(struct kernel *k, int flags);
long sys_munlockall(struct kernel *k);
long sys_msync(struct kernel *k, gva_t addr, uint32_t len, int flags);
long sys_pipe2(struct kernel *k, gva_t ufds, int flags);

/* The system-call edge (kernel/syscall.c): decode the ecall, dispatch. */
void do_syscall(struct kernel *k);


#endif
