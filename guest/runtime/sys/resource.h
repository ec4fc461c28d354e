/*
 * <sys/resource.h> for guest programs, as Linux has it: picolibc's struct
 * rusage holds only the two times and it has no resource limits.  This
 * header stands in for picolibc's (the runtime's directory comes first on
 * the include path, and both use the same guard).
 */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <stdint.h>
#include <sys/time.h>

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct rusage {
	struct timeval ru_utime;	/* user time used */
	struct timeval ru_stime;	/* system time used */
	long ru_maxrss;			/* peak resident set, kB */
	long ru_ixrss, ru_idrss, ru_isrss;
	long ru_minflt;			/* page faults without I/O */
	long ru_majflt;			/* page faults that read from disk */
	long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;			/* voluntary context switches */
	long ru_nivcsw;			/* involuntary */
};

int getrusage(int who, struct rusage *ru);

/* Resource limits (prlimit64 underneath: rv32 has no getrlimit). */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16

typedef uint64_t rlim_t;
#define RLIM_INFINITY (~0ULL)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

struct rlimit {
	rlim_t rlim_cur;		/* soft limit */
	rlim_t rlim_max;		/* hard limit (ceiling for rlim_cur) */
};

int getrlimit(int resource, struct rlimit *rl);
int setrlimit(int resource, const struct rlimit *rl);
#ifdef _GNU_SOURCE	/* as glibc: a Linux extension */
int prlimit(pid_t pid, int resource, const struct rlimit *new_rl,
	    struct rlimit *old_rl);
#endif

#endif
