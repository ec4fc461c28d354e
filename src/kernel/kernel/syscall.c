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

long sys_clock_gettime64(struct kernel *k, int clk, gva_t uts)
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

long sys_clock_nanosleep_time64(struct kernel *k, int clk, int flags,
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

long sys_uname(struct kernel *k, gva_t ubuf)
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

long sys_getrandom(struct kernel *k, gva_t ubuf, uint32_t len,
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

long sys_sysinfo(struct kernel *k, gva_t ubuf)
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

long sys_clock_getres_time64(struct kernel *k, unsigned clk, gva_t uts)
{
	int64_t ts[2] = {0, 1};

	if (clk > CLOCK_BOOTTIME)
		return -EINVAL;
	if (uts && copy_to_user(k, uts, ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

long sys_exit(struct kernel *k, int status)
{
	task_exit(k, k->current, status, 0);
	return -EJUSTRETURN;
}

long sys_exit_group(struct kernel *k, int status)
{
	return sys_exit(k, status);
}

long sys_tkill(struct kernel *k, int pid, int sig)
{
	if (pid <= 0)
		return -EINVAL;
	return sys_kill(k, pid, sig);
}

/* One thread per process: the thread group is the process. */
long sys_tgkill(struct kernel *k, int tgid, int pid, int sig)
{
	(void)tgid;
	return sys_tkill(k, pid, sig);
}

long sys_getpid(struct kernel *k)
{
	return k->current->pid;
}

long sys_gettid(struct kernel *k)
{
	return k->current->pid;
}

long sys_getppid(struct kernel *k)
{
	return k->current->parent ? k->current->parent->pid : 0;
}

long sys_getuid(struct kernel *k)
{
	(void)k;
	return getuid();
}

long sys_geteuid(struct kernel *k)
{
	(void)k;
	return geteuid();
}

long sys_getgid(struct kernel *k)
{
	(void)k;
	return getgid();
}

long sys_getegid(struct kernel *k)
{
	(void)k;
	return getegid();
}

/* Every task is in session 1, process group 1, and cannot leave it. */
long sys_getpgid(struct kernel *k, int pid)
{
	(void)k;
	(void)pid;
	return 1;
}

long sys_getsid(struct kernel *k, int pid)
{
	return sys_getpgid(k, pid);
}

long sys_setpgid(struct kernel *k, int pid, int pgid)
{
	(void)k;
	(void)pid;
	(void)pgid;
	return -EPERM;
}

long sys_setsid(struct kernel *k)
{
	(void)k;
	return -EPERM;
}

long sys_umask(struct kernel *k, unsigned mask)
{
	(void)k;
	(void)mask;
	return 022;
}

long sys_set_tid_address(struct kernel *k, gva_t tidptr)
{
	k->current->clear_child_tid = tidptr;
	return k->current->pid;
}

long sys_sched_yield(struct kernel *k)
{
	k->yield = true;
	return 0;
}

/* Every store reaches the decoded-instruction cache already. */
long sys_riscv_flush_icache(struct kernel *k, gva_t start, gva_t end,
			    unsigned flags)
{
	(void)k;
	(void)start;
	(void)end;
	(void)flags;
	return 0;
}

void do_syscall(struct kernel *k)
{
	struct cpu *c = &k->cpu;
	uint32_t a[6];
	unsigned nr = c->x[17];

	memcpy(a, &c->x[10], sizeof(a));
	k->nr_syscalls++;
	const struct syscall_desc *d = syscall_desc(nr);
	if (trace_on(ktrace(k), EV_SYSCALL_ENTER))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_SYSCALL_ENTER, .addr = c->pc,
			.arg = { nr, a[0], a[1], a[2], a[3] },
			.str = d ? d->name : NULL });
	long r = d && d->handler ? d->handler(k, a) : -ENOSYS;
	if (trace_on(ktrace(k), EV_SYSCALL_EXIT))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_SYSCALL_EXIT, .addr = c->pc,
			.arg = { (uint64_t)r, nr },
			.str = d ? d->name : NULL });
	/* Progress of a write that slept belongs to that one call: any
	 * other outcome than sleeping again ends it. */
	if (r != -ERESTARTSYS && k->current)
		k->current->io_progress = 0;
	if (r == -ERESTARTSYS || r == -EJUSTRETURN)
		return; /* pc unchanged (blocked) or already set (exec) */
	c->x[10] = (uint32_t)r;
	c->pc += 4;
}
