/*
 * Unit tests for signal delivery (src/kernel/kernel/signal.c): the
 * rt_sigframe a handler gets and rt_sigreturn's restore, blocking and
 * pending, ignored signals, SA_RESETHAND / SA_NODEFER / SA_ONSTACK, the
 * default actions, and the task that has no room for its frame.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel/kernel/signal.h"
#include "kharness.h"

#define P PAGE_SIZE
#define STACK 0x50000000u
#define HANDLER 0x10074u
#define SA_ONSTACK 0x08000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

static struct kh *h;
static struct cpu *c;

static void setup(void)
{
	h = kh_boot(NULL);
	c = &h->k.cpu;
	kh_mmap_anon(h, STACK, 4 * P, KH_PROT_RW);
	c->x[2] = STACK + 4 * P - 32;
}

static void teardown(void)
{
	kh_shutdown(h);
}

TestSuite(signal, .init = setup, .fini = teardown);

static uint64_t bit(int sig)
{
	return 1ull << (sig - 1);
}

static void set_handler(struct task *t, int sig, uint32_t handler,
			uint32_t flags, uint64_t mask)
{
	t->sigaction[sig].handler = handler;
	t->sigaction[sig].flags = flags;
	t->sigaction[sig].mask = mask;
}

Test(signal, handler_gets_frame_and_sigreturn_restores)
{
	struct task *t = h->k.current;
	uint32_t saved[32];

	for (int i = 1; i < 32; i++)
		if (i != 2)
			c->x[i] = 0x1000u * i + 7;
	c->pc = 0x10400;
	memcpy(saved, c->x, sizeof(saved));
	set_handler(t, LX_SIGUSR1, HANDLER, 0, bit(LX_SIGUSR2));
	send_signal(&h->k, t, LX_SIGUSR1);
	cr_assert(t->sig_pending & bit(LX_SIGUSR1));
	signal_return_to_user(&h->k);

	cr_assert_eq(c->pc, HANDLER);
	cr_assert_eq(c->x[10], LX_SIGUSR1, "a0 = the signal");
	cr_assert_eq(c->x[2] & 15, 0, "the frame is 16-byte aligned");
	cr_assert_lt(c->x[2], saved[2]);
	cr_assert_eq(c->x[11], c->x[2], "a1 = &info at the frame's start");
	cr_assert_eq(c->x[12], c->x[2] + 128, "a2 = &uc after the siginfo");
	cr_assert_eq(c->x[1], t->mm->sigpage, "ra = the sigreturn page");
	cr_assert_not(t->sig_pending & bit(LX_SIGUSR1));
	cr_assert(t->sig_blocked & bit(LX_SIGUSR1), "blocked in its handler");
	cr_assert(t->sig_blocked & bit(LX_SIGUSR2), "sa_mask is added");

	/* The handler scribbles over registers, then returns. */
	for (int i = 3; i < 32; i++)
		c->x[i] = 0xdead0000u + i;
	cr_assert_eq(sys_rt_sigreturn(&h->k), -EJUSTRETURN);
	cr_assert_eq(c->pc, 0x10400);
	for (int i = 1; i < 32; i++)
		cr_assert_eq(c->x[i], saved[i], "x%d not restored", i);
	cr_assert_eq(t->sig_blocked, 0, "the old mask comes back");
}

Test(signal, blocked_signal_waits_until_unblocked)
{
	struct task *t = h->k.current;

	set_handler(t, LX_SIGUSR2, HANDLER, 0, 0);
	t->sig_blocked = bit(LX_SIGUSR2);
	c->pc = 0x10400;
	send_signal(&h->k, t, LX_SIGUSR2);
	signal_return_to_user(&h->k);
	cr_assert_eq(c->pc, 0x10400, "a blocked signal is not delivered");
	cr_assert(t->sig_pending & bit(LX_SIGUSR2));
	t->sig_blocked = 0;
	signal_return_to_user(&h->k);
	cr_assert_eq(c->pc, HANDLER);
}

Test(signal, ignored_signal_is_discarded)
{
	struct task *t = h->k.current;

	set_handler(t, LX_SIGUSR1, 1 /* SIG_IGN */, 0, 0);
	c->pc = 0x10400;
	send_signal(&h->k, t, LX_SIGUSR1);
	signal_return_to_user(&h->k);
	cr_assert_eq(c->pc, 0x10400);
	cr_assert_eq(t->sig_pending & bit(LX_SIGUSR1), 0);
	cr_assert_eq(t->state, TASK_RUNNING);
	/* SIGCHLD's default action is to ignore it. */
	send_signal(&h->k, t, LX_SIGCHLD);
	signal_return_to_user(&h->k);
	cr_assert_eq(t->state, TASK_RUNNING);
}

Test(signal, resethand_and_nodefer)
{
	struct task *t = h->k.current;

	set_handler(t, LX_SIGUSR1, HANDLER, SA_RESETHAND | SA_NODEFER, 0);
	send_signal(&h->k, t, LX_SIGUSR1);
	signal_return_to_user(&h->k);
	cr_assert_eq(c->pc, HANDLER);
	cr_assert_eq(t->sigaction[LX_SIGUSR1].handler, 0,
		     "SA_RESETHAND restores SIG_DFL");
	cr_assert_eq(t->sig_blocked & bit(LX_SIGUSR1), 0,
		     "SA_NODEFER leaves the signal unblocked");
}

Test(signal, onstack_uses_the_alternate_stack)
{
	struct task *t = h->k.current;
	gva_t alt = kh_mmap_anon(h, 0, 2 * P, KH_PROT_RW);

	t->sas_sp = alt;
	t->sas_size = 2 * P;
	set_handler(t, LX_SIGUSR1, HANDLER, SA_ONSTACK, 0);
	send_signal(&h->k, t, LX_SIGUSR1);
	signal_return_to_user(&h->k);
	cr_assert(c->x[2] > alt && c->x[2] < alt + 2 * P,
		  "frame at %#x, not on the alternate stack", c->x[2]);
	/* uc_stack reports SS_ONSTACK=0 (we were not on it) and its size. */
	uint32_t ss[3];
	cr_assert_eq(copy_from_user(&h->k, ss, c->x[2] + 128 + 8, sizeof(ss)), 0);
	cr_assert_eq(ss[0], alt);
	cr_assert_eq(ss[2], 2 * P);
}

Test(signal, default_action_kills_the_task)
{
	struct task *parent = h->k.current;
	struct task *child = kh_fork(h);

	kh_switch_to(h, child);
	send_signal(&h->k, child, LX_SIGTERM);
	signal_return_to_user(&h->k);
	cr_assert_eq(child->state, TASK_ZOMBIE);
	cr_assert_eq(child->exit_sig, LX_SIGTERM);
	cr_assert_eq(child->exit_code & 0x7f, LX_SIGTERM, "wait status: killed");
	kh_switch_to(h, parent);
}

Test(signal, no_room_for_the_frame_is_sigsegv)
{
	struct task *parent = h->k.current;
	struct task *child = kh_fork(h);

	kh_switch_to(h, child);
	set_handler(child, LX_SIGUSR1, HANDLER, 0, 0);
	c->x[2] = 0x00200000u; /* nothing mapped below */
	send_signal(&h->k, child, LX_SIGUSR1);
	signal_return_to_user(&h->k);
	cr_assert_eq(child->state, TASK_ZOMBIE);
	cr_assert_eq(child->exit_sig, LX_SIGSEGV);
	kh_switch_to(h, parent);
}
