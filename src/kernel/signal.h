/*
 * Linux's signal numbers and signal codes (asm-generic), as the guest sees
 * them.  The host's <signal.h> must not be included next to this header.
 */
#ifndef MMULAB_KERNEL_SIGNAL_H
#define MMULAB_KERNEL_SIGNAL_H

enum {
	SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5,
	SIGABRT = 6, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10,
	SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
	SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20,
	SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25,
	SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30,
	SIGSYS = 31,
};

/* si_code values. */
enum {
	SI_USER = 0,
	SEGV_MAPERR = 1, SEGV_ACCERR = 2,
	BUS_ADRALN = 1, BUS_ADRERR = 2,
	ILL_ILLOPC = 1,
	TRAP_BRKPT = 1,
	CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3,
};

#endif
