/*
 * Processes: the task list, fork/vfork (clone), execve, exit and waitid,
 * signals with their default actions, and the round-robin scheduler.
 *
 * One hart runs the current task; the others keep their user registers in
 * struct task.  A task blocked in waitid is simply not runnable: its pc
 * stays on the ecall, and once a child changes state it runs again and the
 * call is re-issued (a restarted system call).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/kernel/perf_event.h"
#include "kernel/kernel/sched.h"
#include "kernel/mm/wss.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/kernel/signal.h"
#include "loader/elf.h"

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000

#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define WNOHANG 1
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000

struct task *find_task(struct kernel *k, int pid)
{
	struct task *t;

	list_for_each_entry(t, &k->tasks, tasks)
		if (t->pid == pid)
			return t;
	return NULL;
}

/*
 * Give @mm an ASID of the current generation.  When they run out, start a
 * new generation: flush the whole TLB, after which every mm takes a fresh
 * ASID at its next switch (the scheme of Linux's arm64/riscv ASID
 * allocators).  Sv32 has 9 ASID bits, pae is given 16.
 */
static void assign_asid(struct kernel *k, struct mm *mm)
{
	uint32_t max = k->mmu.geo->mode == PAGING_SV32 ? 511 : 65535;

	if (k->next_asid > max) {
		k->asid_gen++;
		k->next_asid = 1;
		mmu_flush_all(&k->mmu);
		count_vm_event(&k->mem, NR_TLB_LOCAL_FLUSH_ALL);
	}
	mm->asid = (uint16_t)k->next_asid++;
	mm->asid_gen = k->asid_gen;
}

void switch_mm(struct kernel *k, struct mm *mm)
{
	if (mm && k->mmu.use_asid && mm->asid_gen != k->asid_gen)
		assign_asid(k, mm);
	mmu_set_root(&k->mmu, mm ? mm->pgd : 0, mm ? mm->asid : 0);
	if (!k->mmu.use_asid)
		count_vm_event(&k->mem, NR_TLB_LOCAL_FLUSH_ALL);
}


struct task *task_alloc(struct kernel *k)
{
	struct task *t = kmem_cache_zalloc(k->task_cachep, GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = alloc_pages(&k->mem, GFP_KERNEL, THREAD_SIZE_ORDER);
	if (!t->stack) {
		kmem_cache_free(k->task_cachep, t);
		return NULL;
	}
	mod_node_page_state(&k->mem, t->stack, NR_KERNEL_STACK_KB,
			    (PAGE_SIZE << THREAD_SIZE_ORDER) / 1024);
	t->pid = k->next_pid++;
	t->cwd_fd = -1;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->perf_events);
	t->exit_signal = LX_SIGCHLD;
	t->start_time = kernel_ns(k);
	list_add_tail(&t->tasks, &k->tasks);
	k->nr_tasks++;
	return t;
}

void task_free(struct kernel *k, struct task *t)
{
	if (k->mem.current_comm == t->comm)
		k->mem.current_comm = NULL;
	list_del(&t->tasks);
	list_del(&t->sibling);
	k->nr_tasks--;
	cwd_release(t);
	wss_free(t);
	mod_node_page_state(&k->mem, t->stack, NR_KERNEL_STACK_KB,
			    -(long)(PAGE_SIZE << THREAD_SIZE_ORDER) / 1024);
	__free_pages(&k->mem, t->stack, THREAD_SIZE_ORDER);
	kmem_cache_free(k->task_cachep, t);
}

void wake_up_task(struct kernel *k, struct task *t)
{
	if (list_empty(&t->run_list))
		list_add_tail(&t->run_list, &k->runqueue);
	t->state = TASK_RUNNING;
}

static void dequeue_task(struct task *t)
{
	list_del_init(&t->run_list);
}

/* ---- signals ----------------------------------------------------------------- */

long sys_kill(struct kernel *k, int pid, int sig)
{
	struct task *t;
	int found = 0;

	if (sig < 0 || sig >= NR_SIGNALS)
		return -EINVAL;
	if (pid > 0) {
		/* A zombie still exists until reaped: the signal is
		 * accepted and has no effect (send_signal drops it). */
		t = find_task(k, pid);
		if (!t)
			return -ESRCH;
		if (sig)
			send_signal(k, t, sig);
		return 0;
	}
	/* pid 0, -1 and process groups: everyone but the caller (for -1) or
	 * everyone (one process group, 1, holds all tasks here). */
	if (pid < -1 && (pid == INT_MIN || -pid != 1))
		return -ESRCH;
	struct task *tmp;
	list_for_each_entry_safe(t, tmp, &k->tasks, tasks) {
		if (t->state == TASK_ZOMBIE)
			continue;
		if (pid == -1 && (t == k->current || t->pid == 1))
			continue;
		found++;
		if (sig && t != k->current)
			send_signal(k, t, sig);
	}
	if (sig && pid != -1 && k->current->state != TASK_ZOMBIE) {
		found++;
		send_signal(k, k->current, sig);
	}
	return found ? 0 : -ESRCH;
}

/* ---- exit and wait -------------------------------------------------------------- */

static bool wait_matches(const struct task *parent, const struct task *child)
{
	switch (parent->wait_idtype) {
	case P_ALL:
		return true;
	case P_PID:
		return child->pid == parent->wait_id;
	case P_PGID:
		return true; /* one process group */
	}
	return false;
}

/* Reparent @t's children: to init, or nobody (auto-reaped) when init is
 * gone or @t is init. */
static void forget_original_parent(struct kernel *k, struct task *t)
{
	struct task *c, *tmp;
	struct task *reaper = k->init && k->init != t &&
					      k->init->state != TASK_ZOMBIE
				      ? k->init
				      : NULL;

	list_for_each_entry_safe(c, tmp, &t->children, sibling) {
		list_del_init(&c->sibling);
		c->parent = reaper;
		if (reaper)
			list_add_tail(&c->sibling, &reaper->children);
		if (c->state == TASK_ZOMBIE) {
			if (reaper) {
				if (reaper->state == TASK_WAIT_CHILD)
					wake_up_task(k, reaper);
			} else {
				task_free(k, c);
			}
		}
	}
}

static unsigned long task_maxrss_kb(const struct task *t);

/* Keep what --stats --json says of @t, which is about to go. */
static void record_exit(struct kernel *k, struct task *t)
{
	if (k->nr_records == k->cap_records) {
		size_t cap = k->cap_records ? k->cap_records * 2 : 16;
		struct task_record *r;

		/* a bounded log (docs/stats-json.md): the first 65536 */
		if (cap > (1u << 16))
			return;
		r = realloc(k->records, cap * sizeof(*r));
		if (!r)
			return;
		k->records = r;
		k->cap_records = cap;
	}
	task_record_fill(k, t, &k->records[k->nr_records++]);
}

void task_exit(struct kernel *k, struct task *t, int status, int sig)
{
	if (t->state == TASK_ZOMBIE)
		return;
	dequeue_task(t);
	t->wait_on = NULL; /* closing its files must not wake it */
	t->exit_code = sig ? (sig & 0x7f) : (status & 0xff) << 8;
	k->stop.nr_exits++;
	k->stop.pid = t->pid;
	k->stop.exit_code = t->exit_code;
	/* The task is whole here (its mm too): subscribers of
	 * sched:sched_process_exit (the --on-exit views) look at it now. */
	if (trace_on(ktrace(k), EV_EXIT))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_EXIT,
			.arg = { (uint64_t)t->pid, (uint64_t)t->exit_code,
				 (uint64_t)status & 0xff, (uint64_t)sig,
				 t == k->init },
			.str = t->comm });
	t->exit_sig = sig;
	if (t->clear_child_tid && t->mm && t == k->current) {
		uint32_t zero = 0;
		if (copy_to_user(k, t->clear_child_tid, &zero, 4) < 0) {
			/* Linux ignores a bad clear_child_tid too. */
		}
	}
	t->maxrss_kb = task_maxrss_kb(t);
	if (t == k->current)
		task_charge(k, t);
	perf_event_exit_task(k, t);
	if (t->mm) {
		struct mm *mm = t->mm;

		t->swapout += mm->nr_swapout;
		if (t == k->current) {
			/* Leave the dying address space before freeing it. */
			switch_mm(k, NULL);
		}
		t->mm = NULL;
		mmput(k, mm);
	}
	if (t->files) {
		files_put(k, t->files);
		t->files = NULL;
	}
	if (t->vfork_parent) {
		wake_up_task(k, t->vfork_parent);
		t->vfork_parent = NULL;
	}
	/* A vfork child of ours must not wake us once we are gone. */
	struct task *c;
	list_for_each_entry(c, &k->tasks, tasks)
		if (c->vfork_parent == t)
			c->vfork_parent = NULL;
	forget_original_parent(k, t);
	t->state = TASK_ZOMBIE;
	dequeue_task(t);
	record_exit(k, t);
	if (t == k->init) {
		k->init_exited = true;
		k->init_status = sig ? 128 + sig : status & 0xff;
	}
	struct task *p = t->parent;
	if (!p) {
		if (t != k->current)
			task_free(k, t);
		return;
	}
	if (p->state == TASK_WAIT_CHILD)
		wake_up_task(k, p);
	if (t->exit_signal && p->sigaction[t->exit_signal].handler > 1) {
		/* SIGCHLD with CLD_EXITED/CLD_KILLED, pid, uid, status. */
		int32_t info[8] = {t->exit_signal, 0, sig ? 2 : 1, t->pid, 0,
				   sig ? sig : status & 0xff};
		send_signal_info(k, p, t->exit_signal, info);
	}
	/* A parent that ignores SIGCHLD explicitly gets its children
	 * reaped automatically (SA_NOCLDWAIT semantics). */
	if (p->sigaction[LX_SIGCHLD].handler == 1 && t != k->current) {
		t->parent = NULL;
		task_free(k, t);
	}
}

/* Reap zombies that nobody will wait for: exited with no parent. */
void reap_orphans(struct kernel *k)
{
	struct task *t, *tmp;

	list_for_each_entry_safe(t, tmp, &k->tasks, tasks)
		if (t->state == TASK_ZOMBIE && t != k->current &&
		    (!t->parent ||
		     t->parent->sigaction[LX_SIGCHLD].handler == 1))
			task_free(k, t);
}

/* struct siginfo for SIGCHLD on rv32 (128 bytes). */
static int put_siginfo(struct kernel *k, gva_t infop, struct task *c)
{
	int32_t si[32] = {0};

	if (!infop)
		return 0;
	si[0] = LX_SIGCHLD;
	si[2] = c->exit_sig ? LX_CLD_KILLED : LX_CLD_EXITED;
	si[3] = c->pid;
	si[4] = 0; /* uid */
	si[5] = c->exit_sig ? c->exit_sig : (c->exit_code >> 8) & 0xff;
	return copy_to_user(k, infop, si, sizeof(si));
}

/* Peak RSS of @t in kB, its live address space included. */
static unsigned long task_maxrss_kb(const struct task *t)
{
	unsigned long kb = t->maxrss_kb;

	if (t->mm) {
		unsigned long rss = get_mm_rss(t->mm);
		unsigned long hw = t->mm->hiwater_rss > rss ? t->mm->hiwater_rss
							    : rss;
		if (hw << 2 > kb)
			kb = hw << 2;
	}
	return kb;
}

/*
 * struct rusage as rv32 Linux lays it out: two 32-bit timevals, then
 * fourteen 32-bit longs.  @both adds the task's reaped children (wait's
 * view of a child); otherwise the task alone.
 */
static int put_rusage(struct kernel *k, gva_t uru, const struct task *t,
		      bool both)
{
	uint32_t ru[18] = {0};
	uint64_t ns = t->utime + (both ? t->cutime : 0);
	unsigned long maxrss = task_maxrss_kb(t);

	if (both && t->cmaxrss_kb > maxrss)
		maxrss = t->cmaxrss_kb;
	ru[0] = (uint32_t)(ns / 1000000000u);
	ru[1] = (uint32_t)(ns % 1000000000u / 1000u);
	ru[4] = (uint32_t)maxrss;
	ru[8] = (uint32_t)(t->min_flt + (both ? t->cmin_flt : 0));
	ru[9] = (uint32_t)(t->maj_flt + (both ? t->cmaj_flt : 0));
	ru[16] = (uint32_t)(t->nvcsw + (both ? t->cnvcsw : 0));
	ru[17] = (uint32_t)(t->nivcsw + (both ? t->cnivcsw : 0));
	return copy_to_user(k, uru, ru, sizeof(ru));
}

long sys_getrusage(struct kernel *k, int who, gva_t uru)
{
	struct task *t = k->current;

	if (who == 0 || who == 1) /* RUSAGE_SELF, RUSAGE_THREAD */
		return put_rusage(k, uru, t, false) < 0 ? -EFAULT : 0;
	if (who != -1) /* RUSAGE_CHILDREN */
		return -EINVAL;
	uint32_t ru[18] = {0};
	ru[0] = (uint32_t)(t->cutime / 1000000000u);
	ru[1] = (uint32_t)(t->cutime % 1000000000u / 1000u);
	ru[4] = (uint32_t)t->cmaxrss_kb;
	ru[8] = (uint32_t)t->cmin_flt;
	ru[9] = (uint32_t)t->cmaj_flt;
	ru[16] = (uint32_t)t->cnvcsw;
	ru[17] = (uint32_t)t->cnivcsw;
	return copy_to_user(k, uru, ru, sizeof(ru)) < 0 ? -EFAULT : 0;
}

long sys_waitid(struct kernel *k, int idtype, int id, gva_t infop,
		int options, gva_t ru)
{
	struct task *t = k->current, *c, *tmp;
	bool any = false;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	if (idtype == P_PID && id <= 0)
		return -EINVAL;
	t->wait_idtype = idtype;
	t->wait_id = id;
	list_for_each_entry_safe(c, tmp, &t->children, sibling) {
		if (!wait_matches(t, c))
			continue;
		any = true;
		if (c->state != TASK_ZOMBIE || !(options & WEXITED))
			continue;
		if (put_siginfo(k, infop, c) < 0)
			return -EFAULT;
		if (ru && put_rusage(k, ru, c, true) < 0)
			return -EFAULT;
		if (!(options & WNOWAIT)) {
			t->cmin_flt += c->min_flt + c->cmin_flt;
			t->cmaj_flt += c->maj_flt + c->cmaj_flt;
			t->cutime += c->utime + c->cutime;
			t->cnvcsw += c->nvcsw + c->cnvcsw;
			t->cnivcsw += c->nivcsw + c->cnivcsw;
			unsigned long m = c->maxrss_kb > c->cmaxrss_kb
						  ? c->maxrss_kb
						  : c->cmaxrss_kb;
			if (m > t->cmaxrss_kb)
				t->cmaxrss_kb = m;
			task_free(k, c);
		}
		return 0;
	}
	if (!any)
		return -ECHILD;
	if (options & WNOHANG) {
		/* Linux zeroes si_signo and si_pid when nothing is ready. */
		if (infop) {
			int32_t si[32] = {0};
			if (copy_to_user(k, infop, si, sizeof(si)) < 0)
				return -EFAULT;
		}
		return 0;
	}
	/* Block: not runnable until a child exits; the ecall reruns. */
	t->state = TASK_WAIT_CHILD;
	dequeue_task(t);
	return -ERESTARTSYS;
}

/* ---- fork ----------------------------------------------------------------------- */

long sys_clone(struct kernel *k, uint32_t flags, gva_t newsp, gva_t ptid,
	       gva_t tls, gva_t ctid)
{
	struct task *p = k->current, *c;
	int nproc = 0;

	if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_NEWNS | CLONE_PIDFD))
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL; /* threads are not supported */
	struct task *it;
	list_for_each_entry(it, &k->tasks, tasks)
		if (it->state != TASK_ZOMBIE)
			nproc++;
	/* Linux exempts root's user and CAP_SYS_RESOURCE/CAP_SYS_ADMIN. */
	if ((uint64_t)nproc >= p->rlim[RLIMIT_NPROC].rlim_cur &&
	    getuid() != 0 && !capable(k, CAP_SYS_RESOURCE) &&
	    !capable(k, CAP_SYS_ADMIN))
		return -EAGAIN;
	/* The kernel's own limit, for root too (kernel.threads-max). */
	if (k->nr_tasks >= k->max_threads)
		return -EAGAIN;

	c = task_alloc(k);
	if (!c)
		return -ENOMEM;
	memcpy(c->comm, p->comm, sizeof(c->comm));
	if (cwd_fork(c, p) < 0)
		goto fail;
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	c->oom_score_adj = p->oom_score_adj;
	c->mempolicy = p->mempolicy;
	c->il_prev = p->il_prev;
	memcpy(c->sigaction, p->sigaction, sizeof(c->sigaction));
	c->sig_blocked = p->sig_blocked;
	/* An out-of-range exit signal is simply never sent, as on Linux. */
	c->exit_signal = (flags & CSIGNAL) < NR_SIGNALS ? (int)(flags & CSIGNAL)
							: 0;
	if (flags & CLONE_VM) {
		c->mm = p->mm;
		c->mm->users++;
	} else {
		c->mm = dup_mm(k, p->mm);
		if (!c->mm)
			goto fail;
	}
	if (flags & CLONE_FILES) {
		c->files = p->files;
		c->files->refcount++;
	} else {
		c->files = files_dup(k, p->files);
		if (!c->files)
			goto fail;
	}
	/* The child returns 0 from the ecall, on its own stack if given. */
	memcpy(c->regs, k->cpu.x, sizeof(c->regs));
	c->regs[10] = 0;
	c->pc = k->cpu.pc + 4;
	if (newsp)
		c->regs[2] = newsp;
	if (flags & CLONE_SETTLS)
		c->regs[4] = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;
	c->parent = (flags & CLONE_PARENT) && p->parent ? p->parent : p;
	list_add_tail(&c->sibling, &c->parent->children);
	if (flags & CLONE_PARENT_SETTID) {
		uint32_t pid = (uint32_t)c->pid;
		if (copy_to_user(k, ptid, &pid, 4) < 0) {
			task_exit(k, c, 0, LX_SIGKILL);
			return -EFAULT;
		}
	}
	if (flags & CLONE_CHILD_SETTID) {
		/* Written in the child's memory: switch there briefly. */
		uint32_t pid = (uint32_t)c->pid;
		struct mm *mine = p->mm;
		p->mm = c->mm;
		switch_mm(k, c->mm);
		int err = copy_to_user(k, ctid, &pid, 4);
		p->mm = mine;
		switch_mm(k, mine);
		if (err < 0) {
			task_exit(k, c, 0, LX_SIGKILL);
			return -EFAULT;
		}
	}
	wake_up_task(k, c);
	if (trace_on(ktrace(k), EV_FORK))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_FORK, .addr = c->pc,
			.arg = { (uint64_t)p->pid, (uint64_t)c->pid, flags },
			.str = c->comm });
	if (flags & CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits. */
		c->vfork_parent = p;
		p->state = TASK_VFORK;
		dequeue_task(p);
	}
	return c->pid;
fail:
	if (c->mm && !(flags & CLONE_VM))
		mmput(k, c->mm);
	else if (c->mm)
		c->mm->users--;
	c->mm = NULL;
	if (c->files)
		files_put(k, c->files);
	c->files = NULL;
	task_free(k, c);
	return -ENOMEM;
}

/* ---- execve -------------------------------------------------------------------- */

/* Read and check the ELF behind host @fd; -ENOEXEC, -EACCES or -EIO. */
static long read_elf(int fd, struct elf_image *img, char *msg, size_t len)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -EIO;
	if (S_ISDIR(st.st_mode))
		return -EACCES;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return -EACCES;
	if (st.st_size > (64 << 20))
		return -ENOEXEC;
	uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf)
		return -ENOMEM;
	ssize_t n = pread(fd, buf, (size_t)st.st_size, 0);
	if (n != st.st_size) {
		free(buf);
		return -EIO;
	}
	int r = elf_load_mem(img, buf, (size_t)n, msg, len);
	free(buf);
	return r < 0 ? -ENOEXEC : 0;
}

#define MAX_ARG_STRINGS 0x7fffffff

static void free_strv(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Copy a user NULL-terminated string vector. */
/* Linux's limit on argv + envp is in bytes (exec_arg_limit); it is
 * checked while copying so a guest cannot make the host hold more. */

static long copy_strv(struct kernel *k, gva_t uv, char ***out,
		      size_t *total)
{
	char **v = calloc(1, sizeof(char *));
	int n = 0;

	if (!v)
		return -ENOMEM;
	for (; uv; n++) {
		uint32_t p;
		if (n >= MAX_ARG_STRINGS) {
			free_strv(v);
			return -E2BIG;
		}
		if (copy_from_user(k, &p, uv + 4 * (uint32_t)n, 4) < 0) {
			free_strv(v);
			return -EFAULT;
		}
		if (!p)
			break;
		char *s = malloc(PAGE_SIZE * 32);
		long len = s ? strncpy_from_user(k, s, p, PAGE_SIZE * 32)
			     : -ENOMEM;
		*total += (size_t)len + 1 + sizeof(uint32_t);
		if (len >= 0 && *total > exec_arg_limit(k->current))
			len = -E2BIG;
		if (len < 0) {
			free(s);
			free_strv(v);
			return len == -ENAMETOOLONG ? -E2BIG : len;
		}
		char **nv = realloc(v, sizeof(char *) * ((size_t)n + 2));
		if (!nv) {
			free(s);
			free_strv(v);
			return -ENOMEM;
		}
		v = nv;
		v[n] = realloc(s, (size_t)len + 1);
		v[n + 1] = NULL;
	}
	*out = v;
	return 0;
}

long sys_execve(struct kernel *k, gva_t upath, gva_t uargv, gva_t uenvp)
{
	struct task *t = k->current;
	char path[4096];
	char **argv = NULL, **envp = NULL;
	struct elf_image img;
	char err_msg[128];
	long err;

	err = strncpy_from_user(k, path, upath, sizeof(path));
	if (err < 0)
		return err;
	if (!path[0])
		return -ENOENT;
	size_t total = 0;
	err = copy_strv(k, uargv, &argv, &total);
	if (err)
		return err;
	err = copy_strv(k, uenvp, &envp, &total);
	if (err)
		goto out;
	char shown[GUEST_PATH_MAX];
	int fd = hostfs_open_exec(k, path, shown, sizeof(shown));
	if (fd < 0) {
		err = fd;
		goto out;
	}
	/* Read the whole executable; the loader checks it. */
	err = read_elf(fd, &img, err_msg, sizeof(err_msg));
	if (err) {
		close(fd);
		goto out;
	}
	err = exec_image(k, t, &img, fd, path, shown, argv, envp);
	close(fd);
	elf_free(&img);
	if (err)
		goto out;
	if (trace_on(ktrace(k), EV_EXEC))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_EXEC, .addr = t->pc,
			.arg = { (uint64_t)t->pid }, .str = path });
	/* The new image starts at its entry; nothing returns to the caller. */
	k->cpu.pc = t->pc;
	memcpy(k->cpu.x, t->regs, sizeof(k->cpu.x));
	k->cpu.resv_valid = false;
	if (t->vfork_parent) {
		wake_up_task(k, t->vfork_parent);
		t->vfork_parent = NULL;
	}
	err = -EJUSTRETURN;
out:
	free_strv(argv);
	free_strv(envp);
	return err;
}

bool capable(struct kernel *k, int cap)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];

	(void)k;
	if (cap < 0 || cap >= 64 || syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

/* ---- limits ----------------------------------------------------------------------- */

long sys_prlimit64(struct kernel *k, int pid, unsigned res, gva_t newp,
		   gva_t oldp)
{
	struct task *t = pid ? find_task(k, pid) : k->current;
	struct rlimit nl;

	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (newp) {
		if (copy_from_user(k, &nl, newp, sizeof(nl)) < 0)
			return -EFAULT;
		if (nl.rlim_cur > nl.rlim_max)
			return -EINVAL;
		/* Raising the hard limit needs CAP_SYS_RESOURCE. */
		if (nl.rlim_max > t->rlim[res].rlim_max &&
		    !capable(k, CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (oldp && copy_to_user(k, oldp, &t->rlim[res], sizeof(struct rlimit)) <
			    0)
		return -EFAULT;
	if (newp)
		t->rlim[res] = nl;
	return 0;
}
