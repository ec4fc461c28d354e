/*
 * The system-call edge: decode an ecall (number in a7, arguments in
 * a0..a5), run the handler, put the result in a0 (-errno on failure) and
 * step past the ecall.  Handlers return -errno; the conversion to the
 * guest's register happens here only.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/pagemap.h"
#include "kernel/kernel/syscalls.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

static long sys_clock_gettime64(struct kernel *k, int clk, gva_t uts)
{
	uint64_t ns;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = k->ns_base + kernel_ns(k);
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns = kernel_ns(k);
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns = k->current->utime;
		break;
	default:
		return -EINVAL;
	}
	/* struct __kernel_timespec: 64-bit seconds, 64-bit nanoseconds. */
	int64_t ts[2] = {(int64_t)(ns / 1000000000u),
			 (int64_t)(ns % 1000000000u)};
	return copy_to_user(k, uts, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

static long sys_clock_nanosleep(struct kernel *k, int clk, int flags,
				gva_t ureq, gva_t urem)
{
	struct task *t = k->current;
	int64_t ts[2];

	/* Re-issued after sleeping: done once the deadline has passed. */
	if (t->sleep_until) {
		if (kernel_ns(k) >= t->sleep_until) {
			t->sleep_until = 0;
			return 0;
		}
		return task_sleep(k, t);
	}
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC &&
	    clk != CLOCK_BOOTTIME)
		return -EINVAL;
	if (copy_from_user(k, ts, ureq, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts[0] * 1000000000u + (uint64_t)ts[1];
	if (flags & 1) { /* TIMER_ABSTIME */
		uint64_t now = kernel_ns(k) +
			       (clk == CLOCK_REALTIME ? k->ns_base : 0);
		ns = ns > now ? ns - now : 0;
	}
	(void)urem;
	/* Virtual time: the task sleeps while the others run; when nobody
	 * can run, the clock jumps to the earliest deadline. */
	t->sleep_until = kernel_ns(k) + (ns ? ns : 1);
	return task_sleep(k, t);
}

static long sys_uname(struct kernel *k, gva_t ubuf)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	strcpy(u[0], "Linux");
	strcpy(u[1], "mmulab");
	strcpy(u[2], "6.1.0-mmulab");
	strcpy(u[3], "#1 SMP mmulab");
	strcpy(u[4], "riscv32");
	strcpy(u[5], "(none)");
	return copy_to_user(k, ubuf, u, sizeof(u)) < 0 ? -EFAULT : 0;
}

static long sys_getrandom(struct kernel *k, gva_t ubuf, uint32_t len,
			  unsigned flags)
{
	uint8_t buf[256];
	uint32_t done = 0;

	if (flags & ~7u)
		return -EINVAL;
	if (len > 33554431)
		len = 33554431;
	while (done < len) {
		uint32_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		kernel_random(k, buf, n);
		if (copy_to_user(k, ubuf + done, buf, n) < 0)
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

static long sys_sysinfo(struct kernel *k, gva_t ubuf)
{
	/* struct sysinfo on a 32-bit ABI: longs are 4 bytes. */
	uint32_t si[16] = {0};
	struct memory *mem = &k->mem;

	si[0] = (uint32_t)(kernel_ns(k) / 1000000000u);
	si[4] = (uint32_t)mem->totalram_pages;
	si[5] = (uint32_t)nr_free_pages(mem);
	si[6] = (uint32_t)global_node_page_state(mem, NR_SHMEM);
	si[8] = (uint32_t)mem->swap_total_pages;
	si[9] = (uint32_t)mem->swap_free_pages;
	uint16_t procs = (uint16_t)k->nr_tasks;
	memcpy(&si[10], &procs, 2);
	unsigned long highfree = 0;
	for (int n = 0; n < mem->nr_nodes; n++)
		highfree += zone_page_state(
			&mem->node[n]->node_zones[ZONE_HIGHMEM], NR_FREE_PAGES);
	si[11] = (uint32_t)mem->totalhigh_pages;
	si[12] = (uint32_t)highfree;
	si[13] = PAGE_SIZE; /* mem_unit */
	return copy_to_user(k, ubuf, si, sizeof(si)) < 0 ? -EFAULT : 0;
}

static long dispatch(struct kernel *k, unsigned nr, const uint32_t *a)
{
	struct task *t = k->current;
	bool handled;
	long r = hostfs_syscall(k, nr, a, &handled);

	if (handled)
		return r;
	switch (nr) {
	case NR_exit:
	case NR_exit_group:
		task_exit(k, t, (int)a[0], 0);
		return -EJUSTRETURN;
	case NR_brk:
		return sys_brk(k, a[0]);
	case NR_mmap2:
		return sys_mmap(k, a[0], a[1], (int)a[2], (int)a[3], (int)a[4],
				a[5]);
	case NR_munmap:
		return sys_munmap(k, a[0], a[1]);
	case NR_mprotect:
		return sys_mprotect(k, a[0], a[1], (int)a[2]);
	case NR_mremap:
		return sys_mremap(k, a[0], a[1], a[2], (int)a[3], a[4]);
	case NR_madvise:
		return sys_madvise(k, a[0], a[1], (int)a[2]);
	case NR_mincore:
		return sys_mincore(k, a[0], a[1], a[2]);
	case NR_mlock:
		return sys_mlock(k, a[0], a[1], 0);
	case NR_mlock2:
		return sys_mlock(k, a[0], a[1], a[2]);
	case NR_munlock:
		return sys_munlock(k, a[0], a[1]);
	case NR_mlockall:
		return sys_mlockall(k, (int)a[0]);
	case NR_munlockall:
		return sys_munlockall(k);
	case NR_msync:
		return sys_msync(k, a[0], a[1], (int)a[2]);
	case NR_clone:
		/* RISC-V uses CLONE_BACKWARDS: flags, sp, ptid, tls, ctid. */
		return sys_clone(k, a[0], a[1], a[2], a[3], a[4]);
	case NR_execve:
		return sys_execve(k, a[0], a[1], a[2]);
	case NR_waitid:
		return sys_waitid(k, (int)a[0], (int)a[1], a[2], (int)a[3],
				  a[4]);
	case NR_getrusage:
		return sys_getrusage(k, (int)a[0], a[1]);
	case NR_kill:
		return sys_kill(k, (int)a[0], (int)a[1]);
	case NR_tkill:
	case NR_tgkill: {
		int pid = nr == NR_tkill ? (int)a[0] : (int)a[1];
		int sig = nr == NR_tkill ? (int)a[1] : (int)a[2];
		if (pid <= 0)
			return -EINVAL;
		return sys_kill(k, pid, sig);
	}
	case NR_rt_sigaction:
		return sys_rt_sigaction(k, (int)a[0], a[1], a[2], a[3]);
	case NR_rt_sigreturn:
		return sys_rt_sigreturn(k);
	case NR_sigaltstack:
		return sys_sigaltstack(k, a[0], a[1]);
	case NR_rt_sigpending:
		return sys_rt_sigpending(k, a[0], a[1]);
	case NR_rt_sigprocmask:
		return sys_rt_sigprocmask(k, (int)a[0], a[1], a[2], a[3]);
	case NR_getpid:
	case NR_gettid:
		return t->pid;
	case NR_getppid:
		return t->parent ? t->parent->pid : 0;
	case NR_getuid:
		return getuid();
	case NR_geteuid:
		return geteuid();
	case NR_getgid:
		return getgid();
	case NR_getegid:
		return getegid();
	case NR_getpgid:
	case NR_getsid:
		return 1;
	case NR_setpgid:
	case NR_setsid:
		return -EPERM;
	case NR_umask:
		return 022;
	case NR_set_tid_address:
		t->clear_child_tid = a[0];
		return t->pid;
	case NR_set_robust_list:
	case NR_rseq:
		return -ENOSYS;
	case NR_sched_yield:
		k->yield = true;
		return 0;
	case NR_uname:
		return sys_uname(k, a[0]);
	case NR_sysinfo:
		return sys_sysinfo(k, a[0]);
	case NR_prlimit64:
		return sys_prlimit64(k, (int)a[0], a[1], a[2], a[3]);
	case NR_getrandom:
		return sys_getrandom(k, a[0], a[1], a[2]);
	case NR_clock_gettime64:
		return sys_clock_gettime64(k, (int)a[0], a[1]);
	case NR_clock_getres_time64: {
		int64_t ts[2] = {0, 1};
		if (a[0] > CLOCK_BOOTTIME)
			return -EINVAL;
		if (a[1] && copy_to_user(k, a[1], ts, sizeof(ts)) < 0)
			return -EFAULT;
		return 0;
	}
	case NR_clock_nanosleep_time64:
		return sys_clock_nanosleep(k, (int)a[0], (int)a[1], a[2], a[3]);
	case NR_riscv_flush_icache:
		return 0;
	}
	return -ENOSYS;
}

void do_syscall(struct kernel *k)
{
	struct cpu *c = &k->cpu;
	uint32_t a[6];
	unsigned nr = c->x[17];

	memcpy(a, &c->x[10], sizeof(a));
	k->nr_syscalls++;
	if (trace_on(ktrace(k), EV_SYSCALL_ENTER))
		trace_emit(ktrace(k), &(struct trace_event){ .type = EV_SYSCALL_ENTER, .addr = c->pc, .arg = { nr, a[0], a[1], a[2], a[3] } });
	long r = dispatch(k, nr, a);
	if (trace_on(ktrace(k), EV_SYSCALL_EXIT))
		trace_emit(ktrace(k), &(struct trace_event){ .type = EV_SYSCALL_EXIT, .addr = c->pc, .arg = { (uint64_t)r, nr } });
	/* Progress of a write that slept belongs to that one call: any
	 * other outcome than sleeping again ends it. */
	if (r != -ERESTARTSYS && k->current)
		k->current->io_progress = 0;
	if (r == -ERESTARTSYS || r == -EJUSTRETURN)
		return; /* pc unchanged (blocked) or already set (exec) */
	c->x[10] = (uint32_t)r;
	c->pc += 4;
}
