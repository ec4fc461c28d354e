/*
 * Linux interfaces that picolibc does not declare, provided by the mmulab
 * guest runtime for programs that run under mmulab and qemu-riscv32 alike.
 * Values are Linux's (asm-generic), not newlib's.
 */
#ifndef MMULAB_GUEST_H
#define MMULAB_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_GROWSDOWN 0x100
#define MAP_DENYWRITE 0x800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_FAILED ((void *)-1)

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...);
int msync(void *addr, size_t len, int flags);
int madvise(void *addr, size_t len, int advice);
int mincore(void *addr, size_t len, unsigned char *vec);
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);

/* Resource limits: RLIMIT_*, struct rlimit, getrlimit and setrlimit are in
 * the runtime's <sys/resource.h>; the 64-bit names as well. */
#include <sys/resource.h>
struct rlimit64 {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};
int getrlimit64(int resource, struct rlimit64 *rl);
int setrlimit64(int resource, const struct rlimit64 *rl);

/*
 * Resource usage as Linux reports it (picolibc's struct rusage has only the
 * two times): page faults, peak RSS, context switches.
 */
/* (Also <sys/resource.h>'s struct rusage and getrusage.) */
struct linux_rusage {
	long ru_utime_sec, ru_utime_usec;
	long ru_stime_sec, ru_stime_usec;
	long ru_maxrss;		/* peak resident set, kB */
	long ru_ixrss, ru_idrss, ru_isrss;
	long ru_minflt;		/* page faults without I/O */
	long ru_majflt;		/* page faults that read from disk */
	long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;		/* voluntary context switches */
	long ru_nivcsw;		/* involuntary */
};
int linux_getrusage(int who, struct linux_rusage *ru);

/*
 * Clocks.  picolibc declares clock_gettime only in some configurations;
 * the ids are newlib's (the runtime translates them to Linux's).
 */
#include <time.h>
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID ((clockid_t)2)
#endif
int clock_gettime(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);

/* Process control. */
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
pid_t getppid(void);
pid_t gettid(void);
int sched_yield(void);

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};
int uname(struct utsname *u);

/*
 * Signals through the kernel: sigaction(), sigaltstack() and sigpending()
 * of the runtime install handlers in the kernel (picolibc's own signal()
 * and raise() keep them inside the library).  Flags picolibc lacks:
 */
#include <signal.h>
#ifndef SA_SIGINFO
#define SA_SIGINFO 0x2
#endif
#ifndef SA_ONSTACK
#define SA_ONSTACK 0x4
#endif
#ifndef SA_RESTART
#define SA_RESTART 0x10
#endif
#ifndef SA_NODEFER
#define SA_NODEFER 0x20
#endif
#ifndef SA_RESETHAND
#define SA_RESETHAND 0x40
#endif
int sigpending(sigset_t *set);
int pipe2(int fds[2], int flags);
/* picolibc's struct sigaction has no sa_sigaction: store a three-argument
 * handler in sa_handler with SA_SIGINFO, through this cast. */
#define SA_HANDLER3(f) ((void (*)(int))(void (*)(void))(f))

/* The head of Linux's siginfo, as an SA_SIGINFO handler receives it. */
struct linux_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		void *si_addr;		/* SIGSEGV, SIGBUS, SIGILL */
		struct {
			int si_pid;	/* kill(), SIGCHLD */
			unsigned si_uid;
			int si_status;	/* SIGCHLD */
		} proc;
	} u;
};

/* A raw system call: returns the kernel's value, -errno on failure. */
long mmulab_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5);

/* Linux errno value of the last failed call (errno holds picolibc's). */
extern int mmulab_linux_errno;

unsigned long getauxval(unsigned long type);
void __mmulab_stdio_init(void);

#endif
