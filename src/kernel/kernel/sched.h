/*
 * Tasks: creation, sleeping and waking, exit and reaping
 * (kernel/process.c; Linux include/linux/sched.h).
 */
#ifndef MMULAB_KERNEL_KERNEL_SCHED_H
#define MMULAB_KERNEL_KERNEL_SCHED_H

#include "kernel/kernel.h"

/* rv32 Linux: THREAD_SIZE = 2 pages (KernelStack in meminfo). */
#define THREAD_SIZE_ORDER 1

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
struct task *find_task(struct kernel *k, int pid);
void task_exit(struct kernel *k, struct task *t, int status, int sig);
void switch_mm(struct kernel *k, struct mm *mm);

/* ---- exec.c ------------------------------------------------------------- */
/* Bytes argv and envp may take in all (strings, NULs and pointers; each
 * string at most 32 pages): Linux's limit from RLIMIT_STACK. */
size_t exec_arg_limit(const struct task *t);
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

#endif
