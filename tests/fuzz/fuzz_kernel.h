/*
 * Booting a guest kernel for the fuzz targets that drive it directly
 * (fuzz_syscall, fuzz_procfs, fuzz_path).
 *
 * fk_boot() boots a small kernel whose hostfs root is the fuzz sandbox
 * (fuzz.h), starts pid 1 from the sandbox's minimal init.elf through the
 * real exec path, takes away its stdio (fds 0-2 are the host's: a fuzzed
 * read must not wait on the terminal) and maps FK_SCRATCH_SIZE bytes of
 * anonymous memory at FK_SCRATCH for arguments.  fk_shutdown() frees every
 * bit of it, so LeakSanitizer sees one input's leaks on their own.
 */
#ifndef MMULAB_TESTS_FUZZ_FUZZ_KERNEL_H
#define MMULAB_TESTS_FUZZ_FUZZ_KERNEL_H

#include "kernel/fs/fs.h"
#include "kernel/fs/proc.h"
#include "kernel/kernel.h"
#include "kernel/kernel/sched.h"
#include "kernel/kernel/signal.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/seq.h"
#include "kernel/lib/uaccess.h"

#define FK_SCRATCH 0x40000000u
#define FK_SCRATCH_SIZE (64u << 10)

/* A booted kernel with pid 1 current (aborts on failure). */
struct kernel *fk_boot(void);

void fk_shutdown(struct kernel *k);

/* Copy @n bytes to guest @va of the current task; 0 or -EFAULT. */
int fk_poke(struct kernel *k, gva_t va, const void *src, uint32_t n);

/*
 * Issue system call @nr with @a as the hart's ecall would, then deliver
 * signals as the return to user mode does.  *@ret gets a0 when the call
 * completed.  Returns false when the current task can no longer issue
 * calls (it exited, was killed, or sleeps): the input ends there.
 */
bool fk_syscall(struct kernel *k, uint32_t nr, const uint32_t a[6],
		long *ret);

#endif
