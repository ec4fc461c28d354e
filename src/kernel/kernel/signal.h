/*
 * Linux's signal numbers and signal codes (asm-generic), as the guest sees
 * them.  LX_ keeps them apart from the host's <signal.h> macros.
 */
#ifndef MMULAB_KERNEL_SIGNAL_H
#define MMULAB_KERNEL_SIGNAL_H

enum {
	LX_SIGHUP = 1, LX_SIGINT = 2, LX_SIGQUIT = 3, LX_SIGILL = 4, LX_SIGTRAP = 5,
	LX_SIGABRT = 6, LX_SIGBUS = 7, LX_SIGFPE = 8, LX_SIGKILL = 9, LX_SIGUSR1 = 10,
	LX_SIGSEGV = 11, LX_SIGUSR2 = 12, LX_SIGPIPE = 13, LX_SIGALRM = 14, LX_SIGTERM = 15,
	LX_SIGSTKFLT = 16, LX_SIGCHLD = 17, LX_SIGCONT = 18, LX_SIGSTOP = 19, LX_SIGTSTP = 20,
	LX_SIGTTIN = 21, LX_SIGTTOU = 22, LX_SIGURG = 23, LX_SIGXCPU = 24, LX_SIGXFSZ = 25,
	LX_SIGVTALRM = 26, LX_SIGPROF = 27, LX_SIGWINCH = 28, LX_SIGIO = 29, LX_SIGPWR = 30,
	LX_SIGSYS = 31,
};

/* si_code values. */
enum {
	LX_SI_USER = 0,
	LX_SEGV_MAPERR = 1, LX_SEGV_ACCERR = 2,
	LX_BUS_ADRALN = 1, LX_BUS_ADRERR = 2,
	LX_ILL_ILLOPC = 1,
	LX_TRAP_BRKPT = 1,
	LX_CLD_EXITED = 1, LX_CLD_KILLED = 2, LX_CLD_DUMPED = 3,
};

#include "types.h"

struct kernel;
struct task;

/* Queue signal @sig for @t (default actions only for now). */
void send_signal(struct kernel *k, struct task *t, int sig);
/* Deliver a fault signal to the current task, logging like Linux. */
void force_sig_fault(struct kernel *k, int sig, int code, gva_t addr);
/* Queue @sig for @t with the first 8 words of its siginfo. */
void send_signal_info(struct kernel *k, struct task *t, int sig,
		      const int32_t *info);
/* Deliver pending signals to the current task before it runs again. */
void signal_return_to_user(struct kernel *k);

/*
 * After KSTOP_SIGNAL: drop the signal the debugger saw and deliver
 * k->sig_resume in its place (0: none), then go on returning to user
 * mode (which may stop again for the next pending signal).
 */
void signal_resume_traced(struct kernel *k);

#endif
