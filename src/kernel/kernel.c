/*
 * Boot, the first process, and the run loop that connects the hart to the
 * kernel: run the current task for a quantum, then handle whatever trap
 * stopped it (system call, page fault, illegal instruction, breakpoint).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/bug.h"
#include "kernel/lib/string.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/replace.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/wss.h"
#include "kernel/kernel/signal.h"
#include "loader/elf.h"

void kernel_default_config(struct kernel_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram = 128ull << 20;
	mmu_default_config(&cfg->mmu);
	cfg->numa_nodes = 1;
	cfg->root = ".";
	cfg->quantum = 100000;
	cfg->seed = 1;
	cfg->min_free_kbytes = -1;
	cfg->kmsg = stderr;
}

void kernel_bug(struct kernel *k, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "mmulab: kernel BUG: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	(void)k;
	abort();
}

/* splitmix64: a small, well-mixed deterministic generator. */
static uint64_t rng_next(struct kernel *k)
{
	uint64_t z = (k->rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void kernel_random(struct kernel *k, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t v = rng_next(k);
		size_t n = len < 8 ? len : 8;
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

static uint64_t klog_clock(void *arg)
{
	return kernel_ns(arg);
}

static int create_caches(struct kernel *k)
{
	struct memory *mem = &k->mem;

	k->mm_cachep = kmem_cache_create(mem, "mm_struct", sizeof(struct mm),
					 0, SLAB_HWCACHE_ALIGN);
	k->vma_cachep = kmem_cache_create(mem, "vm_area_struct",
					  sizeof(struct vma), 0, 0);
	k->anon_vma_cachep = kmem_cache_create(
		mem, "anon_vma", sizeof(struct anon_vma), 0, 0);
	k->avc_cachep = kmem_cache_create(mem, "anon_vma_chain",
					  sizeof(struct anon_vma_chain), 0, 0);
	k->task_cachep = kmem_cache_create(mem, "task_struct",
					   sizeof(struct task), 0,
					   SLAB_HWCACHE_ALIGN);
	k->files_cachep = kmem_cache_create(mem, "files_cache",
					    sizeof(struct files), 0, 0);
	k->file_cachep = kmem_cache_create(mem, "filp", sizeof(struct file),
					   0, SLAB_HWCACHE_ALIGN);
	k->inode_cachep = kmem_cache_create(mem, "inode_cache",
					    sizeof(struct inode), 0,
					    SLAB_RECLAIM_ACCOUNT);
	if (!k->mm_cachep || !k->vma_cachep || !k->anon_vma_cachep ||
	    !k->avc_cachep || !k->task_cachep || !k->files_cachep ||
	    !k->file_cachep || !k->inode_cachep)
		return -ENOMEM;
	return 0;
}

int kernel_boot(struct kernel *k, const struct kernel_config *cfg)
{
	struct mem_boot_config mc = {
		.numa_nodes = cfg->numa_nodes,
		.min_free_kbytes = cfg->min_free_kbytes,
		/* The huge page is the leaf one level up: 2 MiB (pae) or
		 * 4 MiB (sv32). */
		.hugepage_size_kb =
			cfg->mmu.paging == PAGING_SV32 ? 4096 : 2048,
		/* lowmem = (4G - PAGE_OFFSET) - 128 MiB of vmalloc space:
		 * 896 MiB under 3G/1G, as on i386. */
		.lowmem_bytes = cfg->task_size ? (1ull << 32) - cfg->task_size -
							 (128ull << 20)
					       : 0,
	};
	int err;

	memset(k, 0, sizeof(*k));
	k->cfg = *cfg;
	k->root_fd = -1;
	INIT_LIST_HEAD(&k->tasks);
	INIT_LIST_HEAD(&k->runqueue);
	INIT_LIST_HEAD(&k->inodes);
	k->next_pid = 1;
	psi_init(&k->psi);
	k->task_size = cfg->task_size ? cfg->task_size : TASK_SIZE_DEFAULT;
	k->fault_around_bytes = 65536;
	k->next_asid = 1;
	k->asid_gen = 1;
	k->rng_state = cfg->seed;
	/* CLOCK_REALTIME starts at 2026-01-01 00:00:00 UTC, whatever the
	 * host's clock says: runs are reproducible. */
	k->ns_base = 1767225600ull * 1000000000ull;

	err = phys_init(&k->phys, cfg->ram);
	if (err)
		return err;
	err = mmu_init(&k->mmu, &k->phys, &cfg->mmu);
	if (err)
		goto fail_phys;
	cpu_init(&k->cpu, &k->mmu, 0);
	if (cfg->cost.on) {
		k->mmu.cost_clock = &k->cpu.cycle;
		k->mmu.cost_tlb_miss = cfg->cost.tlb_miss;
		k->mmu.cost_walk_access = cfg->cost.walk_access;
	}
	k->log = klog_new();
	if (!k->log) {
		err = -ENOMEM;
		goto fail_mmu;
	}
	klog_set_clock(k->log, klog_clock, k);
	if (cfg->boot_log)
		klog_set_echo(k->log, cfg->kmsg);
	printk(k->log, "Linux version 6.1.0-mmulab (mmulab) #1 SMP\n");
	printk(k->log, "Machine model: mmulab RV32IMAC, %s paging\n",
	       k->mmu.geo->name);
	err = mem_boot(&k->mem, &k->phys, k->log, &mc);
	if (err)
		goto fail_log;
	k->mem.trace = ktrace(k);
	err = create_caches(k);
	if (err)
		goto fail_mem;
	vmscan_init(k);
	err = replace_init(k);
	if (err)
		goto fail_mem;
	k->zero_page = alloc_page(&k->mem, GFP_KERNEL | __GFP_ZERO);
	if (!k->zero_page) {
		err = -ENOMEM;
		goto fail_mem;
	}
	SetPageReserved(k->zero_page);
	/* Linux's set_max_threads: at most an eighth of RAM in kernel
	 * stacks (THREAD_SIZE is two pages), at least 20. */
	k->max_threads = (int)(k->mem.totalram_pages / (8u << THREAD_SIZE_ORDER));
	if (k->max_threads < 20)
		k->max_threads = 20;
	k->zero_pfn = page_to_pfn(&k->mem, k->zero_page);
	k->root_fd = open(cfg->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (k->root_fd < 0) {
		err = -errno;
		goto fail_mem;
	}
	printk(k->log, "hostfs: sandbox root %s\n", cfg->root);
	/* From here on kernel messages (segfaults...) reach the console. */
	klog_set_echo(k->log, cfg->kmsg);
	wss_init(k);
	return 0;

fail_mem:
	replace_free(k);
	mem_shutdown(&k->mem);
fail_log:
	klog_free(k->log);
fail_mmu:
	mmu_destroy(&k->mmu);
fail_phys:
	phys_destroy(&k->phys);
	return err;
}

static void program_shown_path(struct kernel *k, const char *path, char *out,
			       size_t len)
{
	char *prog = realpath(path, NULL);
	char *root = realpath(k->cfg.root, NULL);
	size_t rl = root ? strlen(root) : 0;

	if (prog && root && !strncmp(prog, root, rl) &&
	    (prog[rl] == '/' || rl == 1)) {
		strscpy(out, prog + (rl == 1 ? 0 : rl), len);
	} else {
		/* Outside the sandbox: the guest sees the file's name, never
		 * the host directories that hold it. */
		const char *p = prog ? prog : path;
		const char *base = strrchr(p, '/');

		snprintf(out, len, "/[host]/%s", base ? base + 1 : p);
	}
	free(prog);
	free(root);
}

int kernel_spawn_init(struct kernel *k, const char *path, char *const argv[],
		      char *err, size_t errlen)
{
	struct elf_image img;
	struct task *t;
	int r;

	if (elf_load_file(&img, path, err, errlen) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		elf_free(&img);
		return -1;
	}
	t = task_alloc(k);
	if (!t) {
		snprintf(err, errlen, "out of memory creating the first task");
		goto fail;
	}
	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->rlim[i].rlim_cur = t->rlim[i].rlim_max = RLIM_INFINITY;
	t->rlim[RLIMIT_STACK].rlim_cur = 8u << 20;
	t->rlim[RLIMIT_CORE].rlim_cur = 0;
	t->rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	t->rlim[RLIMIT_NOFILE].rlim_max = 4096;
	t->rlim[RLIMIT_MEMLOCK].rlim_cur = t->rlim[RLIMIT_MEMLOCK].rlim_max =
		8u << 20;
	t->rlim[RLIMIT_NPROC].rlim_cur = t->rlim[RLIMIT_NPROC].rlim_max =
		4096;
	/* --numa-policy, in place before exec as numactl sets it. */
	t->mempolicy = k->cfg.init_mempolicy;
	t->il_prev = MAX_NUMNODES - 1;
	t->files = files_alloc(k);
	strscpy(t->cwd, "/", sizeof(t->cwd));
	if (!t->files || files_init_stdio(k, t->files) < 0) {
		snprintf(err, errlen, "out of memory creating the first task");
		goto fail;
	}
	k->init = t;
	k->current = t;
	ktrace(k)->pid = t->pid;
	k->mem.current_comm = t->comm;
	/* maps shows the program's guest path when it lies inside the
	 * sandbox, else /[host]/NAME: never the host's directories. */
	char shown[GUEST_PATH_MAX];
	program_shown_path(k, path, shown, sizeof(shown));
	r = exec_image(k, t, &img, fd, path, shown, argv, k->cfg.envp);
	close(fd);
	elf_free(&img);
	if (r < 0) {
		snprintf(err, errlen, "cannot start: %s", strerror(-r));
		return -1;
	}
	if (trace_on(ktrace(k), EV_EXEC))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_EXEC, .addr = t->pc,
			.arg = { (uint64_t)t->pid }, .str = path });
	wake_up_task(k, t);
	memcpy(k->cpu.x, t->regs, sizeof(k->cpu.x));
	k->cpu.pc = t->pc;
	k->slice_left = k->cfg.quantum;
	return 0;
fail:
	close(fd);
	elf_free(&img);
	return -1;
}

void task_charge(struct kernel *k, struct task *t)
{
	struct tlb_stats is, ds;
	uint64_t cyc = k->cpu.cycle, idle = k->idle_ns;

	mmu_tlb_stats(&k->mmu, true, &is);
	mmu_tlb_stats(&k->mmu, false, &ds);
	if (t) {
		struct task_acct *a = &t->acct;

		a->itlb_accesses += is.accesses - k->acct_snap.ia;
		a->itlb_misses += is.misses - k->acct_snap.im;
		a->dtlb_accesses += ds.accesses - k->acct_snap.da;
		a->dtlb_misses += ds.misses - k->acct_snap.dm;
		a->walks += k->mmu.st.walks - k->acct_snap.walks;
		a->walk_reads += k->mmu.st.walk_reads - k->acct_snap.walk_reads;
		a->cycles += (cyc - k->acct_snap.cycle) -
			     (idle - k->acct_snap.idle);
	}
	k->acct_snap.ia = is.accesses;
	k->acct_snap.im = is.misses;
	k->acct_snap.da = ds.accesses;
	k->acct_snap.dm = ds.misses;
	k->acct_snap.walks = k->mmu.st.walks;
	k->acct_snap.walk_reads = k->mmu.st.walk_reads;
	k->acct_snap.cycle = cyc;
	k->acct_snap.idle = idle;
}

void task_record_fill(struct kernel *k, struct task *t,
		      struct task_record *rec)
{
	if (t == k->current && t->state != TASK_ZOMBIE)
		task_charge(k, t);
	memset(rec, 0, sizeof(*rec));
	rec->pid = t->pid;
	rec->ppid = t->parent ? t->parent->pid : 0;
	memcpy(rec->comm, t->comm, sizeof(rec->comm));
	rec->comm[TASK_COMM_LEN - 1] = '\0';
	rec->exited = t->state == TASK_ZOMBIE;
	rec->exit_code = t->exit_code;
	rec->instructions = t->utime;
	rec->min_flt = t->min_flt;
	rec->maj_flt = t->maj_flt;
	rec->maxrss_kb = t->maxrss_kb;
	if (t->mm) {
		unsigned long kb = t->mm->hiwater_rss << (PAGE_SHIFT - 10);
		unsigned long now = get_mm_rss(t->mm) << (PAGE_SHIFT - 10);

		if (kb > rec->maxrss_kb)
			rec->maxrss_kb = kb;
		if (now > rec->maxrss_kb)
			rec->maxrss_kb = now;
	}
	rec->nvcsw = t->nvcsw;
	rec->nivcsw = t->nivcsw;
	rec->swapout = t->swapout + (t->mm ? t->mm->nr_swapout : 0);
	if (t->wss) {
		rec->wss_pages = t->wss->pages;
		rec->wss_peak = t->wss->peak;
		rec->wss_windows = t->wss->windows;
	}
	rec->acct = t->acct;
}

/* Put the hart's state into the current task and load @next's. */
static void context_switch(struct kernel *k, struct task *next)
{
	struct task *prev = k->current;

	if (prev == next)
		return;
	task_charge(k, prev && prev->state != TASK_ZOMBIE ? prev : NULL);
	if (prev && prev->state != TASK_ZOMBIE) {
		memcpy(prev->regs, k->cpu.x, sizeof(prev->regs));
		prev->pc = k->cpu.pc;
		/* a breakpoint it stopped at is passed when it resumes */
		prev->bp_resume = k->cpu.bp_resume;
		prev->bp_resume_pc = k->cpu.bp_resume_pc;
		/* Still runnable: the slice ran out (involuntary). */
		if (prev->state == TASK_RUNNING)
			prev->nivcsw++;
		else
			prev->nvcsw++;
	}
	if (trace_on(ktrace(k), EV_SCHED_SWITCH))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_SCHED_SWITCH, .addr = next->pc,
			.arg = { prev ? (uint64_t)prev->pid : 0,
				 (uint64_t)next->pid,
				 prev ? (uint64_t)prev->state : 0 },
			.str = next->comm });
	k->current = next;
	ktrace(k)->pid = next->pid;
	k->mem.current_comm = next->comm; /* for allocation-failure lines */
	memcpy(k->cpu.x, next->regs, sizeof(k->cpu.x));
	k->cpu.pc = next->pc;
	k->cpu.bp_resume = next->bp_resume;
	k->cpu.bp_resume_pc = next->bp_resume_pc;
	k->cpu.resv_valid = false;
	if (!prev || prev->mm != next->mm)
		switch_mm(k, next->mm);
}

/*
 * A page fault at k->stop.addr: the saved trap value (cpu.tval), not
 * mmu.fault, which a debugger's probes may have changed since.
 */
static void handle_page_fault(struct kernel *k, enum cpu_trap trap)
{
	struct task *t = k->current;
	gva_t addr = k->stop.addr;
	unsigned flags = FAULT_FLAG_USER;
	bool accerr;

	if (trap == TRAP_STORE_FAULT)
		flags |= FAULT_FLAG_WRITE;
	else if (trap == TRAP_FETCH_FAULT)
		flags |= FAULT_FLAG_INSTRUCTION;
	unsigned r = handle_mm_fault(k, t->mm, addr, flags, &accerr);
	if (!(r & VM_FAULT_ERROR))
		return;
	/* Save the registers so the log and any core state are exact. */
	memcpy(t->regs, k->cpu.x, sizeof(t->regs));
	t->pc = k->cpu.pc;
	if (r & VM_FAULT_OOM) {
		/* Another victim died: the faulting access is retried. */
		out_of_memory(k, GFP_HIGHUSER_MOVABLE, 0);
	} else if (r & VM_FAULT_SIGBUS) {
		force_sig_fault(k, LX_SIGBUS, LX_BUS_ADRERR, addr);
	} else {
		force_sig_fault(k, LX_SIGSEGV, accerr ? LX_SEGV_ACCERR : LX_SEGV_MAPERR,
				addr);
	}
}

static void handle_trap(struct kernel *k, enum cpu_trap trap)
{
	struct task *t = k->current;

	switch (trap) {
	case TRAP_NONE:
	case TRAP_BUDGET:
	case TRAP_BREAKPOINT: case TRAP_WATCHPOINT: /* a debugger's */
		break;
	case TRAP_ECALL:
		do_syscall(k);
		break;
	case TRAP_FETCH_FAULT:
	case TRAP_LOAD_FAULT:
	case TRAP_STORE_FAULT:
		handle_page_fault(k, trap);
		break;
	case TRAP_MISALIGNED_AMO:
		memcpy(t->regs, k->cpu.x, sizeof(t->regs));
		t->pc = k->cpu.pc;
		force_sig_fault(k, LX_SIGBUS, LX_BUS_ADRALN, k->stop.addr);
		break;
	case TRAP_ILLEGAL:
		memcpy(t->regs, k->cpu.x, sizeof(t->regs));
		t->pc = k->cpu.pc;
		force_sig_fault(k, LX_SIGILL, LX_ILL_ILLOPC, k->cpu.pc);
		break;
	case TRAP_EBREAK:
		memcpy(t->regs, k->cpu.x, sizeof(t->regs));
		t->pc = k->cpu.pc;
		force_sig_fault(k, LX_SIGTRAP, LX_TRAP_BRKPT, k->cpu.pc);
		break;
	}
}

/* The next runnable task after the current one, round robin. */
static struct task *pick_next(struct kernel *k)
{
	if (list_empty(&k->runqueue))
		return NULL;
	return list_first_entry(&k->runqueue, struct task, run_list);
}

/* The wait queue of sleeping tasks: its address is their wait_on. */
static char timer_queue;

long task_sleep(struct kernel *k, struct task *t)
{
	t->state = TASK_BLOCKED;
	t->wait_on = &timer_queue;
	list_del_init(&t->run_list);
	return -ERESTARTSYS;
}

/*
 * Wake the sleepers whose deadline has passed.  With @idle (nothing can
 * run), first let virtual time jump to the earliest deadline, counting
 * the jump as idle time.  Returns true when a task was woken.
 */
static bool timer_wake(struct kernel *k, bool idle)
{
	struct task *t;
	uint64_t now = kernel_ns(k), first = UINT64_MAX;
	bool woke = false;

	list_for_each_entry(t, &k->tasks, tasks)
		if (t->state == TASK_BLOCKED && t->wait_on == &timer_queue &&
		    t->sleep_until < first)
			first = t->sleep_until;
	if (first == UINT64_MAX)
		return false;
	if (idle && first > now) {
		k->idle_ns += first - now;
		k->cpu.cycle = first;
		now = first;
	}
	list_for_each_entry(t, &k->tasks, tasks) {
		if (t->state == TASK_BLOCKED && t->wait_on == &timer_queue &&
		    t->sleep_until <= now) {
			wake_up_task(k, t);
			woke = true;
		}
	}
	return woke;
}

/*
 * Nothing can run but some tasks sleep (on pipes, in waitid with only
 * sleeping children): no event can ever wake them.  Linux would hang;
 * a laboratory reports the deadlock and kills them.  Returns true when it
 * killed anything.
 */
static bool kill_deadlocked(struct kernel *k)
{
	struct task *t;
	bool any = false;

	for (bool found = true; found;) {
		found = false;
		list_for_each_entry(t, &k->tasks, tasks) {
			if (t->state == TASK_ZOMBIE)
				continue;
			if (!any)
				printk(k->log, "deadlock: every process is "
					       "asleep; killing them\n");
			any = found = true;
			struct task *cur = k->current;
			k->current = t;
			task_exit(k, t, 0, LX_SIGKILL);
			k->current = cur == t ? NULL : cur;
			break;
		}
	}
	return any;
}

/*
 * The slice is over, the task gave it up, or it cannot run: rotate the
 * run queue and switch to the next runnable task.  Returns SCHED_RAN when
 * a task is on the hart, SCHED_AGAIN when the caller must look again (a
 * sleeper was woken by a jump of virtual time, a deadlock was broken, or
 * the task switched to died on the way in), SCHED_DONE when none is left.
 */
enum { SCHED_RAN, SCHED_AGAIN, SCHED_DONE };

static int schedule(struct kernel *k)
{
	struct task *t = k->current, *next;

	/* Rotate: the current task goes to the back. */
	if (t && t->state == TASK_RUNNING && !list_empty(&t->run_list)) {
		list_del(&t->run_list);
		list_add_tail(&t->run_list, &k->runqueue);
	}
	reap_orphans(k);
	kswapd_run(k);
	wb_periodic(k);
	timer_wake(k, false);
	next = pick_next(k);
	if (!next && timer_wake(k, true)) {
		wb_periodic(k); /* the flusher ran while time jumped */
		return SCHED_AGAIN;
	}
	if (!next && kill_deadlocked(k))
		return SCHED_AGAIN;
	if (!next)
		return SCHED_DONE;
	context_switch(k, next);
	signal_return_to_user(k);
	k->slice_left = k->cfg.quantum;
	k->yield = false;
	if (next->state != TASK_RUNNING) {
		/* A pending signal killed it on the way in. */
		if (next->state == TASK_ZOMBIE)
			k->current = NULL;
		return SCHED_AGAIN;
	}
	return SCHED_RAN;
}

static bool need_resched(const struct kernel *k)
{
	const struct task *t = k->current;

	return !t || t->state != TASK_RUNNING || k->slice_left == 0 ||
	       k->yield;
}

/* Handle @trap of @t (the current task when it trapped) and return to
 * user mode: deliver pending signals, forget the task if it died. */
static void finish_trap(struct kernel *k, struct task *t, enum cpu_trap trap)
{
	handle_trap(k, trap);
	if (k->current == t)
		signal_return_to_user(k);
	if (t->state == TASK_ZOMBIE && k->current == t)
		k->current = NULL;
}

/* Is @trap one the caller asked to see before it is handled? */
static bool stop_before(enum cpu_trap trap, unsigned mask)
{
	switch (trap) {
	case TRAP_ECALL:
		return mask & KSTOP_ON_SYSCALL;
	case TRAP_FETCH_FAULT:
	case TRAP_LOAD_FAULT:
	case TRAP_STORE_FAULT:
	case TRAP_MISALIGNED_AMO:
		return mask & KSTOP_ON_FAULT;
	case TRAP_ILLEGAL:
		return mask & KSTOP_ON_ILLEGAL;
	default:
		return false;
	}
}

/*
 * The loop is kernel_run()'s, cut so that it can stop anywhere: every
 * piece of state it carries between iterations (the slice left, a trap
 * not yet handled) lives in struct kernel.  The hart's own state is the
 * same however a run is cut: cpu_run() of n then m instructions is
 * cpu_run() of n + m (the page lookup at its entry hits the I-TLB's most
 * recent entry, which changes no replacement order and is counted as the
 * fetch it replaces).  Exactness rules: signals are delivered, and a trap
 * handled, only where the uncut loop does it -- after a trap, or when the
 * slice runs out -- never because a step's budget ran out.
 */
enum kstop kernel_step(struct kernel *k, uint64_t budget, unsigned stop_mask)
{
	uint64_t exits = k->stop.nr_exits;

#define EXITED() ((stop_mask & KSTOP_ON_EXIT) && k->stop.nr_exits != exits)
	if (k->done)
		return KSTOP_DONE;
	if (unlikely(k->sig_stopped)) {
		struct task *t = k->current;

		if (k->sig_resume < 0)
			return KSTOP_SIGNAL; /* undecided */
		signal_resume_traced(k);
		if (t && t->state == TASK_ZOMBIE && k->current == t)
			k->current = NULL;
		if (k->sig_stopped)
			return KSTOP_SIGNAL;
		if (EXITED())
			return KSTOP_EXIT;
	}
	if (k->trap_pending) {
		k->trap_pending = false;
		finish_trap(k, k->trap_task, k->stop.trap);
		if (unlikely(k->sig_stopped))
			return KSTOP_SIGNAL;
		if (EXITED())
			return KSTOP_EXIT;
	}
	for (;;) {
		/* A host signal asked the run to stop: between slices, so
		 * never in the middle of a trap. */
		if (unlikely(k->cfg.stop && *k->cfg.stop))
			return KSTOP_INTERRUPTED;
		if (need_resched(k)) {
			int r = schedule(k);

			if (r == SCHED_DONE) {
				reap_orphans(k);
				fflush(stdout);
				k->done = true;
				return KSTOP_DONE;
			}
			if (unlikely(k->sig_stopped))
				return KSTOP_SIGNAL;
			if (EXITED())
				return KSTOP_EXIT;
			if (r == SCHED_AGAIN)
				continue;
		}
		if (!budget)
			return KSTOP_BUDGET;

		struct task *t = k->current;
		uint64_t before = k->cpu.instret, cycle0 = k->cpu.cycle;
		uint64_t lim = budget < k->slice_left ? budget : k->slice_left;

		/* Working-set windows end between instructions: cut the run
		 * there (a cut run is the same run, see above). */
		if (unlikely(k->cfg.wss_interval)) {
			uint64_t w = wss_budget(k, t);

			if (w < lim)
				lim = w ? w : 1;
		}
		enum cpu_trap trap = cpu_run(&k->cpu, lim);
		uint64_t ran = k->cpu.instret - before;

		t->utime += ran;
		if (unlikely(k->cfg.wss_interval))
			wss_tick(k, t);
		/* cpu pressure: others waited for the hart meanwhile. */
		if (!list_is_singular(&k->runqueue) &&
		    !list_empty(&k->runqueue))
			psi_stall(k, PSI_CPU, k->cpu.cycle - cycle0, false);
		budget -= ran;
		k->slice_left = ran >= k->slice_left ? 0 : k->slice_left - ran;
		if (trap == TRAP_BUDGET && k->slice_left) {
			if (budget)
				continue; /* a working-set window ended */
			return KSTOP_BUDGET; /* ours, not the slice's */
		}
		if (trap != TRAP_BUDGET) {
			k->stop.trap = trap;
			k->stop.pc = k->cpu.pc;
			k->stop.addr = trap == TRAP_ECALL ||
						       trap == TRAP_EBREAK ||
						       trap == TRAP_ILLEGAL ||
						       trap == TRAP_BREAKPOINT
					       ? k->cpu.pc
					       : k->cpu.tval;
			k->stop.pid = t->pid;
		}
		if (trap == TRAP_BREAKPOINT || trap == TRAP_WATCHPOINT) {
			/* The debugger's: nothing for the kernel to do,
			 * unless the slice ended with it (a watchpoint on
			 * its last instruction): then as at a budget stop. */
			if (!k->slice_left)
				finish_trap(k, t, TRAP_BUDGET);
			return trap == TRAP_BREAKPOINT ? KSTOP_BREAKPOINT
						       : KSTOP_WATCHPOINT;
		}
		if (trap == TRAP_EBREAK &&
		    (k->debugger || (stop_mask & KSTOP_ON_EBREAK)))
			return KSTOP_EBREAK;
		if (stop_before(trap, stop_mask)) {
			k->trap_pending = true;
			k->trap_task = t;
			return KSTOP_TRAP;
		}
		finish_trap(k, t, trap);
		if (unlikely(k->sig_stopped))
			return KSTOP_SIGNAL;
		if (EXITED())
			return KSTOP_EXIT;
	}
#undef EXITED
}

int kernel_run(struct kernel *k)
{
	enum kstop r;

	do {
		uint64_t budget = UINT64_MAX;

		if (k->cfg.max_insns) {
			if (k->cpu.instret >= k->cfg.max_insns) {
				k->insn_limit_hit = true;
				break;
			}
			budget = k->cfg.max_insns - k->cpu.instret;
		}
		r = kernel_step(k, budget, 0);
	} while (r != KSTOP_DONE && r != KSTOP_INTERRUPTED);
	return k->init_status;
}

/* ---- a debugger's view of memory ------------------------------------------ */

static struct mm *task_mm_of(struct kernel *k, int pid)
{
	struct task *t = find_task(k, pid);

	return t && t->state != TASK_ZOMBIE ? t->mm : NULL;
}

int kernel_peek(struct kernel *k, int pid, gva_t va, void *buf, size_t len)
{
	struct mm *mm = task_mm_of(k, pid);

	return mm ? access_remote_vm(k, mm, va, buf, len, false) : -ESRCH;
}

int kernel_poke(struct kernel *k, int pid, gva_t va, const void *buf,
		size_t len)
{
	struct mm *mm = task_mm_of(k, pid);

	return mm ? access_remote_vm(k, mm, va, (void *)buf, len, true)
		  : -ESRCH;
}

int kernel_peek_phys(struct kernel *k, gpa_t pa, void *buf, size_t len)
{
	return mmu_phys_read(&k->mmu, pa, buf, len);
}

int kernel_poke_phys(struct kernel *k, gpa_t pa, const void *buf, size_t len)
{
	/* drops the decoded instructions of the frames written */
	return mmu_phys_write(&k->mmu, pa, buf, len);
}

/* ---- invariants ------------------------------------------------------------- */

bool kernel_check(struct kernel *k)
{
	struct kmem_cache *s;
	struct task *t;
	bool ok = buddy_sanity(&k->mem);

	list_for_each_entry(s, &k->mem.slab_caches, list)
		ok &= kmem_cache_sanity(s);
	list_for_each_entry(t, &k->tasks, tasks) {
		const char *why = t->mm ? vma_sanity_why(t->mm) : NULL;

		if (why) {
			printk(k->log, "vma_sanity: pid %d: %s\n", t->pid, why);
			ok = false;
		}
	}
	return ok;
}

void kernel_shutdown(struct kernel *k)
{
	struct task *t, *tmp;

	/* task_exit may free other tasks (zombie children nobody will
	 * reap), so look for a live task again after each exit. */
	for (bool found = true; found;) {
		found = false;
		list_for_each_entry(t, &k->tasks, tasks) {
			if (t->state != TASK_ZOMBIE) {
				k->current = t;
				task_exit(k, t, 0, LX_SIGKILL);
				found = true;
				break;
			}
		}
	}
	list_for_each_entry_safe(t, tmp, &k->tasks, tasks)
		task_free(k, t);
	filemap_shutdown(k);
	free(k->records);
	k->records = NULL;
	k->nr_records = k->cap_records = 0;
	swap_shutdown(k);
	if (k->root_fd >= 0)
		close(k->root_fd);
	replace_free(k);
	mem_shutdown(&k->mem);
	klog_free(k->log);
	mmu_destroy(&k->mmu);
	phys_destroy(&k->phys);
}
