/*
 * fuzz_syscall: the system-call layer, driven directly.
 *
 * Each input boots a kernel (fuzz_kernel.h: pid 1 from the sandbox's
 * init.elf, no stdio, a scratch mapping at FK_SCRATCH), puts the sandbox
 * back to its initial state, and issues up to MAX_CALLS calls through
 * do_syscall, as the hart's ecall would.  One record per call:
 *
 *	u8	which: < 240 picks from nrs[] below, else a raw u16 follows
 *	6 x	u8 kind, u32 value: the argument, shaped by kind (arg())
 *	u8	n, u16 offset, n bytes: poked at FK_SCRATCH + offset first
 *
 * Shaping arguments is what lets a fuzzer reach past "bad address" and
 * "bad fd": pointers land in the scratch mapping, fds are small.  The
 * input ends at its last byte or when pid 1 can no longer make calls
 * (exited, killed, asleep).  Everything is freed each time, so a leak
 * is one input's; and the directory beside the sandbox must not change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_kernel.h"
#include "kernel/syscalls.h"

#define MAX_CALLS 32

static const uint16_t nrs[] = {
	NR_getcwd, NR_dup, NR_dup3, NR_fcntl64, NR_ioctl, NR_mkdirat,
	NR_unlinkat, NR_symlinkat, NR_linkat, NR_ftruncate64, NR_faccessat,
	NR_chdir, NR_fchmodat, NR_openat, NR_close, NR_pipe2, NR_getdents64,
	NR_llseek, NR_read, NR_write, NR_readv, NR_writev, NR_pread64,
	NR_pwrite64, NR_readlinkat, NR_sync, NR_fsync, NR_fdatasync, NR_exit,
	NR_exit_group, NR_waitid, NR_set_tid_address, NR_set_robust_list,
	NR_sched_yield, NR_kill, NR_tkill, NR_tgkill, NR_sigaltstack,
	NR_rt_sigaction, NR_rt_sigprocmask, NR_rt_sigpending,
	NR_rt_sigreturn, NR_setpgid, NR_getpgid, NR_getsid, NR_setsid,
	NR_uname, NR_getrusage, NR_umask, NR_prctl, NR_getpid, NR_getppid,
	NR_getuid, NR_geteuid, NR_getgid, NR_getegid, NR_gettid, NR_sysinfo,
	NR_brk, NR_munmap, NR_mremap, NR_clone, NR_execve, NR_mmap2,
	NR_mprotect, NR_msync, NR_mlock, NR_munlock, NR_mlockall,
	NR_munlockall, NR_mincore, NR_madvise, NR_riscv_flush_icache,
	NR_prlimit64, NR_renameat2, NR_getrandom, NR_mlock2, NR_statx,
	NR_rseq, NR_clock_gettime64, NR_clock_getres_time64,
	NR_clock_nanosleep_time64, NR_futex_time64, NR_clone3,
};

static uint32_t arg(uint8_t kind, uint32_t v)
{
	switch (kind % 8) {
	case 1:		/* a pointer into the scratch mapping */
		return FK_SCRATCH + v % FK_SCRATCH_SIZE;
	case 2:		/* an fd, a signal, a small count */
		return v % 8;
	case 3:		/* a page-aligned address near the scratch */
		return FK_SCRATCH + (v % 32) * PAGE_SIZE - 8 * PAGE_SIZE;
	case 4:		/* AT_FDCWD */
		return (uint32_t)-100;
	case 5:		/* a length */
		return v % (4 * PAGE_SIZE);
	case 6:		/* one flag bit, or none */
		return v % 33 == 32 ? 0 : 1u << (v % 33);
	default:	/* as it is */
		return v;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct kernel *k;

	fuzz_sandbox_reset();
	k = fk_boot();
	for (int i = 0; i < MAX_CALLS && !fz_empty(&f); i++) {
		uint8_t which = fz_u8(&f), poke[255];
		uint32_t nr, a[6];
		long ret;

		nr = which < 240 ? nrs[which % ARRAY_SIZE(nrs)] : fz_u16(&f);
		for (int j = 0; j < 6; j++) {
			uint8_t kind = fz_u8(&f);
			a[j] = arg(kind, fz_u32(&f));
		}
		size_t n = fz_u8(&f);
		uint16_t off = fz_u16(&f);
		n = fz_bytes(&f, poke, n);
		if (n)
			(void)fk_poke(k, FK_SCRATCH + off % FK_SCRATCH_SIZE,
				      poke, (uint32_t)n);
		if (!fk_syscall(k, nr, a, &ret))
			break;
	}
	fk_shutdown(k);
	if (!fuzz_outside_intact()) {
		fprintf(stderr, "fuzz_syscall: a call escaped the sandbox\n");
		abort();
	}
	return 0;
}
