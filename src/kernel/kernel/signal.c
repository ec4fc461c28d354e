/*
 * Signals: generation, default actions, and delivery to user handlers
 * through a Linux RISC-V rt_sigframe.
 *
 * A signal is pending until the task next returns to user mode
 * (signal_return_to_user(), called by the run loop after every trap and
 * when a task is switched in).  Then, unblocked pending signals are taken
 * lowest number first: ignored ones are dropped, default actions
 * terminate (or are ignored), and a handler gets a frame on the user stack
 * (or the alternate stack with SA_ONSTACK):
 *
 *   sp -> struct rt_sigframe { siginfo (128 bytes); ucontext (816 bytes) }
 *   a0 = signal, a1 = &frame.info, a2 = &frame.uc, ra = the sigreturn
 *   trampoline in the [vdso] page, pc = handler.
 *
 * rt_sigreturn (139) restores the registers and mask saved in the frame.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/fs/fs.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/swap.h"
#include "kernel/kernel/signal.h"

#define SA_SIGINFO 0x00000004u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

/* Layout of the RISC-V rt_sigframe on rv32 (arch/riscv/kernel/signal.c). */
#define FRAME_INFO 0
#define FRAME_UC 128
#define UC_FLAGS 0
#define UC_LINK 4
#define UC_STACK 8	/* ss_sp, ss_flags, ss_size */
#define UC_SIGMASK 20	/* 8 bytes, then padding to 128 bytes of sigset */
#define UC_MCONTEXT 160	/* 16-aligned: struct sigcontext */
#define SC_REGS 0	/* pc, x1..x31 */
#define SC_FPSTATE 128	/* union __riscv_fp_state: 528 bytes, zero */
#define UC_SIZE (UC_MCONTEXT + 128 + 528)
#define FRAME_SIZE (FRAME_UC + UC_SIZE)

/*
 * Masks use Linux's sigset_t layout everywhere, inside the kernel too:
 * bit N-1 is signal N, so signal 64 is bit 63.
 */
static inline uint64_t sigbit(int sig)
{
	return 1ull << (sig - 1);
}

static const uint64_t sig_kernel_only =
	(1ull << (LX_SIGKILL - 1)) | (1ull << (LX_SIGSTOP - 1));

static bool sig_default_ignored(int sig)
{
	return sig == LX_SIGCHLD || sig == LX_SIGURG || sig == LX_SIGWINCH ||
	       sig == LX_SIGCONT || sig == LX_SIGSTOP || sig == LX_SIGTSTP ||
	       sig == LX_SIGTTIN || sig == LX_SIGTTOU;
}

static bool sig_ignored(const struct task *t, int sig)
{
	const struct sigaction_k *sa = &t->sigaction[sig];

	if (sig == LX_SIGKILL)
		return false;
	/* No job control is modelled: stop signals change nothing. */
	if (sig == LX_SIGSTOP)
		return true;
	return sa->handler == 1 || (sa->handler == 0 && sig_default_ignored(sig));
}

/* Does a debugger see @sig of @t before it is delivered (kernel.h)? */
static bool sig_traced(const struct kernel *k, const struct task *t, int sig)
{
	return unlikely(k->sig_traced) && t->pid == k->sig_traced &&
	       sig != LX_SIGKILL && sig != LX_SIGSTOP;
}

/* signal:signal_generate's result (arg[3]) */
enum { SIGGEN_PENDING, SIGGEN_IGNORED, SIGGEN_KILLED };
/* signal:signal_deliver's action (arg[4]) */
enum { SIGDEL_HANDLER, SIGDEL_DEFAULT, SIGDEL_IGNORED };

static void __cold signal_generate_event(struct kernel *k, struct task *t,
					 int sig, int code, gva_t addr,
					 int result)
{
	trace_emit(ktrace(k), &(struct trace_event){
		.type = EV_SIGNAL_GENERATE, .addr = addr,
		.arg = { (uint64_t)sig, (uint64_t)t->pid, (uint64_t)code,
			 (uint64_t)result } });
}

static void __cold signal_deliver_event(struct kernel *k, struct task *t,
					int sig, int code, int action)
{
	trace_emit(ktrace(k), &(struct trace_event){
		.type = EV_SIGNAL_DELIVER, .addr = k->cpu.pc,
		.arg = { (uint64_t)sig, (uint64_t)code,
			 t->sigaction[sig].handler, t->sigaction[sig].flags,
			 (uint64_t)action } });
}

void send_signal_info(struct kernel *k, struct task *t, int sig,
		      const int32_t *info)
{
	if (sig <= 0 || sig >= NR_SIGNALS || t->state == TASK_ZOMBIE)
		return;
	if (trace_on(ktrace(k), EV_SIGNAL_GENERATE)) {
		bool ign = sig_ignored(t, sig);
		bool kill = !ign && (sig == LX_SIGKILL ||
				     (!(t->sig_blocked & sigbit(sig)) &&
				      t != k->current &&
				      t->sigaction[sig].handler <= 1));
		signal_generate_event(k, t, sig, info ? info[2] : 0, 0,
				      ign    ? SIGGEN_IGNORED
				      : kill ? SIGGEN_KILLED
					     : SIGGEN_PENDING);
	}
	bool traced = sig_traced(k, t, sig);

	if (sig_ignored(t, sig) && !traced)
		return;
	if (sig == LX_SIGKILL) {
		task_exit(k, t, 0, sig);
		return;
	}
	t->sig_pending |= sigbit(sig);
	if (info)
		memcpy(t->sig_info[sig], info, sizeof(t->sig_info[sig]));
	else
		memset(t->sig_info[sig], 0, sizeof(t->sig_info[sig]));
	if (traced) {
		/* The debugger sees it on the task's way back to user mode
		 * (a sleeping task is woken for that, as for a handler). */
		if (!(t->sig_blocked & sigbit(sig)) && t != k->current &&
		    !sig_ignored(t, sig) &&
		    (t->state == TASK_WAIT_CHILD || t->state == TASK_BLOCKED))
			wake_up_task(k, t);
		return;
	}
	/* A task sleeping in waitid or vfork runs the handler (and then
	 * re-issues its call); a default action kills it right away. */
	if (!(t->sig_blocked & sigbit(sig)) && t != k->current) {
		if (t->sigaction[sig].handler > 1) {
			if (t->state == TASK_WAIT_CHILD ||
			    t->state == TASK_BLOCKED)
				wake_up_task(k, t);
		} else {
			task_exit(k, t, 0, sig);
		}
	}
}

void send_signal(struct kernel *k, struct task *t, int sig)
{
	int32_t info[8] = {sig, 0, LX_SI_USER,
			   k->current ? k->current->pid : 0};

	send_signal_info(k, t, sig, info);
}

/* Log a fatal fault the way Linux does, before the task dies of it. */
static void log_fault(struct kernel *k, struct task *t, int sig, int code,
		      gva_t addr)
{
	/* Linux's show_signal_msg() asks printk_ratelimit() first. */
	if (!__printk_ratelimit(k->log, "show_signal_msg"))
		return;
	if (sig == LX_SIGSEGV) {
		struct vma *vma = find_vma(t->mm, t->pc);
		int err = 4; /* user mode */
		if (code == 2)
			err |= 1; /* protection */
		if (k->cpu.cause == TRAP_STORE_FAULT)
			err |= 2;
		if (k->cpu.cause == TRAP_FETCH_FAULT)
			err |= 16;
		if (vma && vma->vm_start <= t->pc && vma->vm_file)
			printk(k->log,
			       "%s[%d]: segfault at %x ip %08x sp %08x error %x in %s[%x+%x]\n",
			       t->comm, t->pid, addr, t->pc, t->regs[2], err,
			       kbasename(vma->vm_file->i_name), vma->vm_start,
			       vma->vm_end - vma->vm_start);
		else
			printk(k->log,
			       "%s[%d]: segfault at %x ip %08x sp %08x error %x\n",
			       t->comm, t->pid, addr, t->pc, t->regs[2], err);
	} else {
		printk(k->log,
		       "%s[%d]: unhandled signal %d code 0x%x at 0x%08x\n",
		       t->comm, t->pid, sig, code, t->pc);
	}
}

void force_sig_fault(struct kernel *k, int sig, int code, gva_t addr)
{
	struct task *t = k->current;
	struct sigaction_k *sa = &t->sigaction[sig];
	int32_t info[8] = {sig, 0, code, (int32_t)addr};

	/* As Linux's force_sig_info: a blocked or ignored fault signal
	 * cannot be put off -- it reverts to the default action. */
	if ((t->sig_blocked & sigbit(sig)) || sa->handler == 1) {
		t->sig_blocked &= ~sigbit(sig);
		sa->handler = 0;
	}
	if (trace_on(ktrace(k), EV_SIGNAL_GENERATE))
		signal_generate_event(k, t, sig, code, addr,
				      sa->handler || sig_traced(k, t, sig)
					      ? SIGGEN_PENDING
					      : SIGGEN_KILLED);
	if (sa->handler == 0 && !sig_traced(k, t, sig)) {
		log_fault(k, t, sig, code, addr);
		if (trace_on(ktrace(k), EV_SIGNAL_DELIVER))
			signal_deliver_event(k, t, sig, code, SIGDEL_DEFAULT);
		task_exit(k, t, 0, sig);
		return;
	}
	t->sig_pending |= sigbit(sig);
	memcpy(t->sig_info[sig], info, sizeof(info));
}

/* The page holding the sigreturn trampoline: li a7, 139; ecall. */
static int map_sigreturn_page(struct kernel *k, struct mm *mm)
{
	static const uint32_t code[2] = {0x08b00893, 0x00000073};
	struct vma *vma;

	if (mm->sigpage)
		return 0;
	gva_t addr = get_unmapped_area(mm, 0, PAGE_SIZE);
	if (!addr)
		return -ENOMEM;
	vma = vma_alloc(k, mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + PAGE_SIZE;
	vma->vm_flags = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC;
	vma->vm_pgoff = addr >> PAGE_SHIFT;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, 1);
	mm->sigpage = addr;
	if (anon_vma_prepare(k, vma) < 0)
		return -ENOMEM;
	struct page *page = alloc_pages(&k->mem, GFP_HIGHUSER | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;
	memcpy(page_address(&k->mem, page), code, sizeof(code));
	pte_slot_t slot = pte_offset(k, mm, addr, true);
	if (!slot) {
		__free_pages(&k->mem, page, 0);
		return -ENOMEM;
	}
	pte_t old = ptep_get(k, slot);
	page_add_new_anon_rmap(k, page, vma, addr);
	lru_add_page(k, page);
	mm_add_rss(mm, MM_ANONPAGES, 1);
	set_pte(k, slot, pfn_pte(page_to_pfn(&k->mem, page),
				 PTE_V | PTE_R | PTE_X | PTE_U | PTE_A));
	if (pte_present(old))
		flush_tlb_page(k, mm, addr);
	return 0;
}

static bool on_sig_stack(const struct task *t, gva_t sp)
{
	return t->sas_size && sp > t->sas_sp && sp - t->sas_sp <= t->sas_size;
}

/* Build the frame for @sig and point the hart at the handler.  Returns
 * false when the frame cannot be written (the task then dies). */
static bool setup_rt_frame(struct kernel *k, struct task *t, int sig)
{
	struct sigaction_k *sa = &t->sigaction[sig];
	struct cpu *c = &k->cpu;
	uint8_t frame[FRAME_SIZE];
	gva_t sp = c->x[2];

	if (map_sigreturn_page(k, t->mm) < 0)
		return false;
	memset(frame, 0, sizeof(frame));
	memcpy(frame + FRAME_INFO, t->sig_info[sig], sizeof(t->sig_info[sig]));
	/* uc_stack describes the alternate stack as sigaltstack reports. */
	uint32_t ss[3] = {t->sas_sp,
			  t->sas_size ? (on_sig_stack(t, sp) ? SS_ONSTACK : 0)
				      : SS_DISABLE,
			  t->sas_size};
	memcpy(frame + FRAME_UC + UC_STACK, ss, sizeof(ss));
	uint64_t umask = (t->sig_blocked);
	memcpy(frame + FRAME_UC + UC_SIGMASK, &umask, 8);
	uint8_t *regs = frame + FRAME_UC + UC_MCONTEXT + SC_REGS;
	memcpy(regs, &c->pc, 4);
	memcpy(regs + 4, &c->x[1], 31 * 4);

	if ((sa->flags & SA_ONSTACK) && t->sas_size && !on_sig_stack(t, sp))
		sp = t->sas_sp + t->sas_size;
	sp = (sp - FRAME_SIZE) & ~15u;
	if (copy_to_user(k, sp, frame, sizeof(frame)) < 0)
		return false;

	c->x[10] = (uint32_t)sig;
	c->x[11] = sp + FRAME_INFO;
	c->x[12] = sp + FRAME_UC;
	c->x[1] = t->mm->sigpage;
	c->x[2] = sp;
	c->pc = sa->handler;
	c->resv_valid = false;

	t->sig_blocked |= sa->mask & ~sig_kernel_only;
	if (!(sa->flags & SA_NODEFER))
		t->sig_blocked |= sigbit(sig);
	if (sa->flags & SA_RESETHAND)
		sa->handler = 0;
	return true;
}

/* A fault's signal (si_code > 0 from the kernel) killing a traced task
 * is logged as it is delivered, not when the fault was taken. */
static bool is_fault_sig(int sig)
{
	return sig == LX_SIGSEGV || sig == LX_SIGBUS || sig == LX_SIGILL ||
	       sig == LX_SIGTRAP || sig == LX_SIGFPE;
}

/* Deliver @sig (taken off the pending set) to the current task @t.
 * Returns false when the caller must look at no further signal. */
static bool deliver_one(struct kernel *k, struct task *t, int sig)
{
	struct sigaction_k *sa = &t->sigaction[sig];

	if (sig_ignored(t, sig)) {
		if (trace_on(ktrace(k), EV_SIGNAL_DELIVER))
			signal_deliver_event(k, t, sig, t->sig_info[sig][2],
					     SIGDEL_IGNORED);
		return true;
	}
	if (trace_on(ktrace(k), EV_SIGNAL_DELIVER))
		signal_deliver_event(k, t, sig, t->sig_info[sig][2],
				     sa->handler ? SIGDEL_HANDLER
						 : SIGDEL_DEFAULT);
	if (sa->handler == 0) {
		if (k->sig_traced == t->pid && is_fault_sig(sig) &&
		    t->sig_info[sig][2] > 0)
			log_fault(k, t, sig, t->sig_info[sig][2],
				  (gva_t)t->sig_info[sig][3]);
		task_exit(k, t, 0, sig);
		return false;
	}
	if (!setup_rt_frame(k, t, sig)) {
		/* No room for the frame: Linux's force_sigsegv. */
		t->sigaction[LX_SIGSEGV].handler = 0;
		log_fault(k, t, LX_SIGSEGV, 1, k->cpu.x[2]);
		task_exit(k, t, 0, LX_SIGSEGV);
		return false;
	}
	/* One frame per return, like Linux's get_signal loop ending at the
	 * first handled signal. */
	return false;
}

void signal_resume_traced(struct kernel *k)
{
	struct task *t = k->current;
	int sig = k->sig_resume;

	k->sig_stopped = false;
	k->sig_resume = 0;
	if (!t || t->state == TASK_ZOMBIE || t->pid != k->stop.pid)
		return;
	t->sig_pending &= ~sigbit(k->stop.sig);
	if (sig > 0 && sig < NR_SIGNALS) {
		if (sig != k->stop.sig) {
			/* another signal than the one seen: as kill(2) */
			memset(t->sig_info[sig], 0, sizeof(t->sig_info[sig]));
			t->sig_info[sig][0] = sig;
		}
		if (sig == LX_SIGKILL) {
			task_exit(k, t, 0, sig);
			return;
		}
		if (!deliver_one(k, t, sig))
			return;
	}
	signal_return_to_user(k);
}

void signal_return_to_user(struct kernel *k)
{
	struct task *t = k->current;

	while (t && t->state != TASK_ZOMBIE) {
		uint64_t ready = t->sig_pending & ~t->sig_blocked;
		if (!ready)
			return;
		int sig = __builtin_ctzll(ready) + 1;
		struct sigaction_k *sa = &t->sigaction[sig];
		if (sig_traced(k, t, sig)) {
			/* ptrace's signal-delivery-stop */
			k->sig_stopped = true;
			k->sig_resume = -1;
			k->stop.sig = sig;
			k->stop.pid = t->pid;
			return;
		}
		t->sig_pending &= ~sigbit(sig);
		if (sig_ignored(t, sig)) {
			if (trace_on(ktrace(k), EV_SIGNAL_DELIVER))
				signal_deliver_event(k, t, sig,
					t->sig_info[sig][2], SIGDEL_IGNORED);
			continue;
		}
		if (trace_on(ktrace(k), EV_SIGNAL_DELIVER))
			signal_deliver_event(k, t, sig, t->sig_info[sig][2],
					     sa->handler ? SIGDEL_HANDLER
							 : SIGDEL_DEFAULT);
		if (sa->handler == 0) {
			task_exit(k, t, 0, sig);
			return;
		}
		if (!setup_rt_frame(k, t, sig)) {
			/* No room for the frame: Linux's force_sigsegv. */
			t->sigaction[LX_SIGSEGV].handler = 0;
			log_fault(k, t, LX_SIGSEGV, 1, k->cpu.x[2]);
			task_exit(k, t, 0, LX_SIGSEGV);
			return;
		}
		/* One frame per return, like Linux's get_signal loop ending
		 * at the first handled signal. */
		return;
	}
}

long sys_rt_sigreturn(struct kernel *k)
{
	struct task *t = k->current;
	struct cpu *c = &k->cpu;
	gva_t uc = c->x[2] + FRAME_UC;
	uint32_t regs[32];
	uint64_t mask;

	if (copy_from_user(k, regs, uc + UC_MCONTEXT + SC_REGS, sizeof(regs)) <
		    0 ||
	    copy_from_user(k, &mask, uc + UC_SIGMASK, 8) < 0) {
		force_sig_fault(k, LX_SIGSEGV, 0, c->x[2]);
		return -EJUSTRETURN;
	}
	c->pc = regs[0];
	memcpy(&c->x[1], &regs[1], 31 * 4);
	c->resv_valid = false;
	t->sig_blocked = (mask) & ~sig_kernel_only;
	return -EJUSTRETURN;
}

long sys_sigaltstack(struct kernel *k, gva_t uss, gva_t uoss)
{
	struct task *t = k->current;
	uint32_t ss[3];

	if (uoss) {
		uint32_t o[3] = {t->sas_sp,
				 t->sas_size ? (on_sig_stack(t, k->cpu.x[2])
							? SS_ONSTACK
							: 0)
					     : SS_DISABLE,
				 t->sas_size};
		if (copy_to_user(k, uoss, o, sizeof(o)) < 0)
			return -EFAULT;
	}
	if (!uss)
		return 0;
	if (copy_from_user(k, ss, uss, sizeof(ss)) < 0)
		return -EFAULT;
	if (on_sig_stack(t, k->cpu.x[2]))
		return -EPERM;
	if (ss[1] & ~(uint32_t)(SS_DISABLE | SS_ONSTACK | 0x80000000u))
		return -EINVAL;
	if (ss[1] & SS_DISABLE) {
		t->sas_sp = 0;
		t->sas_size = 0;
		return 0;
	}
	if (ss[2] < MINSIGSTKSZ)
		return -ENOMEM;
	t->sas_sp = ss[0];
	t->sas_size = ss[2];
	return 0;
}

long sys_rt_sigaction(struct kernel *k, int sig, gva_t act, gva_t oact,
		      uint32_t size)
{
	struct task *t = k->current;
	uint32_t buf[4];

	if (size != 8)
		return -EINVAL;
	if (sig <= 0 || sig >= NR_SIGNALS)
		return -EINVAL;
	struct sigaction_k *sa = &t->sigaction[sig];
	/* struct sigaction of asm-generic without SA_RESTORER: handler,
	 * flags, then the 64-bit mask. */
	if (act) {
		if (sig == LX_SIGKILL || sig == LX_SIGSTOP)
			return -EINVAL;
		if (copy_from_user(k, buf, act, sizeof(buf)) < 0)
			return -EFAULT;
	}
	if (oact) {
		uint64_t um = (sa->mask);
		uint32_t o[4] = {sa->handler, sa->flags, (uint32_t)um,
				 (uint32_t)(um >> 32)};
		if (copy_to_user(k, oact, o, sizeof(o)) < 0)
			return -EFAULT;
	}
	if (act) {
		sa->handler = buf[0];
		sa->flags = buf[1];
		sa->mask = (buf[2] | (uint64_t)buf[3] << 32);
		/* Setting SIG_IGN discards what is pending (POSIX). */
		if (sig_ignored(t, sig))
			t->sig_pending &= ~sigbit(sig);
	}
	return 0;
}

long sys_rt_sigprocmask(struct kernel *k, int how, gva_t set, gva_t oset,
			uint32_t size)
{
	struct task *t = k->current;
	uint64_t n, old = (t->sig_blocked);

	if (size != 8)
		return -EINVAL;
	if (set) {
		if (copy_from_user(k, &n, set, 8) < 0)
			return -EFAULT;
		n = (n) & ~sig_kernel_only;
		switch (how) {
		case 0:
			t->sig_blocked |= n;
			break;
		case 1:
			t->sig_blocked &= ~n;
			break;
		case 2:
			t->sig_blocked = n;
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset && copy_to_user(k, oset, &old, 8) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(struct kernel *k, gva_t uset, uint32_t size)
{
	struct task *t = k->current;
	uint64_t p = (t->sig_pending & t->sig_blocked);

	if (size > 8)
		return -EINVAL;
	return copy_to_user(k, uset, &p, size) < 0 ? -EFAULT : 0;
}
