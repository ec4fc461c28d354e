/*
 * Signal handlers installed in the kernel: a SIGSEGV handler that reads
 * the faulting address and jumps out, SIGUSR1 through kill(), blocking and
 * pending, SIGCHLD from an exiting child, SA_RESETHAND and an alternate
 * signal stack.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

static jmp_buf env;
static volatile int usr1_count, chld_count, chld_status, chld_code;
static volatile long fault_offset;
static volatile int fault_code;
static char *region;
static char altstack[16384];
static volatile int on_alt;

static void on_segv(int sig, void *si, void *uc)
{
	struct linux_siginfo *li = (struct linux_siginfo *)si;
	(void)uc;
	fault_offset = (char *)li->u.si_addr - region;
	fault_code = li->si_code;
	char here;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	longjmp(env, sig);
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

static void on_chld(int sig, void *si, void *uc)
{
	struct linux_siginfo *li = (struct linux_siginfo *)si;
	(void)sig;
	(void)uc;
	chld_count++;
	chld_code = li->si_code;
	chld_status = li->u.proc.si_status;
}

int main(void)
{
	struct sigaction sa;

	region = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return 1;
	mprotect(region + 4096, 4096, PROT_READ);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SA_HANDLER3(on_segv);
	/* longjmp does not restore the mask: SA_NODEFER keeps SIGSEGV
	 * unblocked for the next fault. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	int sig = setjmp(env);
	if (!sig) {
		region[4096 + 100] = 1; /* write to a read-only page */
		puts("no fault?");
	} else {
		printf("caught signal %d at offset %ld code %d\n", sig,
		       fault_offset, fault_code);
	}
	munmap(region + 2 * 4096, 4096);
	sig = setjmp(env);
	if (!sig)
		(void)*(volatile char *)(region + 2 * 4096 + 8);
	else
		printf("caught signal %d at offset %ld code %d\n", sig,
		       fault_offset, fault_code);

	/* An alternate stack. */
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	sigaltstack(&ss, NULL);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sig = setjmp(env);
	if (!sig)
		region[4096] = 2;
	else
		printf("on the alternate stack: %s\n", on_alt ? "yes" : "no");

	/* kill() to ourselves, then blocked and pending. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("usr1 after kill: %d\n", usr1_count);
	sigset_t set, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	printf("blocked: count %d pending %d\n", usr1_count,
	       sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("unblocked: count %d\n", usr1_count);

	/* SA_RESETHAND: the second SIGUSR1 kills a child. */
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SA_HANDLER3(on_chld);
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGUSR1);
		kill(getpid(), SIGUSR1);
		_exit(7);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	printf("child: signaled %d sig %d\n", WIFSIGNALED(status),
	       WTERMSIG(status));
	printf("sigchld: count %d code %d status %d\n", chld_count, chld_code,
	       chld_status);

	/* SIG_IGN on SIGUSR2 then raise through the kernel. */
	signal(SIGUSR2, SIG_IGN);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	puts("survived SIGUSR2");
	return 0;
}
