/*
 * The Linux rv32 system-call layer under picolibc.
 *
 * picolibc is built for bare metal and leaves the POSIX entry points (read,
 * write, open, sbrk, _exit, ...) to the platform; this file supplies them as
 * Linux system calls, translating the few constants where newlib's values
 * differ from Linux's (open flags, errno numbers, struct stat).  Nothing here
 * knows about mmulab: the same binary runs under qemu-riscv32.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio-bufio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"
#include "sys/ioctl.h"
#include "sys/syscall.h"

/* Linux values, not newlib's. */
#define LX_AT_FDCWD (-100)
#define LX_AT_REMOVEDIR 0x200

int mmulab_linux_errno;

/* Linux errno -> newlib errno, for the numbers where the two differ. */
static int errno_from_linux(int e)
{
	static const struct {
		short lx, nl;
	} map[] = {
		{35, EDEADLK},	    {36, ENAMETOOLONG}, {37, ENOLCK},
		{38, ENOSYS},	    {39, ENOTEMPTY},	{40, ELOOP},
		{42, ENOMSG},	    {43, EIDRM},	{61, ENODATA},
		{62, ETIME},	    {71, EPROTO},	{75, EOVERFLOW},
		{84, EILSEQ},	    {95, EOPNOTSUPP},	{110, ETIMEDOUT},
		{125, ECANCELED},
	};
	if (e <= 34)
		return e;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].lx == e)
			return map[i].nl;
	return e;
}

/*
 * Signal numbers: newlib (picolibc) numbers them like BSD, Linux does not
 * (newlib's SIGBUS is 10, Linux's 7; SIGUSR1 30 vs 10; SIGCHLD 20 vs 17).
 * Every number and mask crossing the system-call boundary is translated.
 */
static const unsigned char sig_nl2lx[32] = {
	0,  1,	2,  3,	4,  5,	6,  0,	8,  9,	7,  11, 31, 13, 14, 15,
	23, 19, 20, 18, 17, 21, 22, 29, 24, 25, 26, 27, 28, 0,	10, 12,
};
static const unsigned char sig_lx2nl[32] = {
	0,  1,	2,  3,	4,  5,	6,  10, 8,  9,	30, 11, 31, 13, 14, 15,
	0,  20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 29, 12,
};

static int sig_to_linux(int sig)
{
	return sig > 0 && sig < 32 ? sig_nl2lx[sig] : sig;
}

static int sig_from_linux(int sig)
{
	return sig > 0 && sig < 32 ? sig_lx2nl[sig] : sig;
}

static uint64_t mask_to_linux(uint32_t set)
{
	uint64_t m = 0;
	for (int i = 1; i < 32; i++)
		if ((set >> i) & 1 && sig_nl2lx[i])
			m |= 1ull << (sig_nl2lx[i] - 1);
	return m;
}

static uint32_t mask_from_linux(uint64_t m)
{
	uint32_t set = 0;
	for (int i = 1; i < 32; i++)
		if ((m >> (i - 1)) & 1 && sig_lx2nl[i])
			set |= 1u << sig_lx2nl[i];
	return set;
}

long __sys_ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		mmulab_linux_errno = (int)-r;
		errno = errno_from_linux((int)-r);
		return -1;
	}
	return r;
}

long mmulab_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5)
{
	return __syscall6(nr, a0, a1, a2, a3, a4, a5);
}

/* syscall(2) and ioctl(2) of <sys/syscall.h> and <sys/ioctl.h>: every
 * argument is a register-sized long. */
long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __sys_ret(__syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	va_start(ap, request);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)__sys_ret(__syscall3(SYS_ioctl, fd, request, arg));
}

/* ---- process ------------------------------------------------------------ */

void _exit(int status)
{
	for (;;)
		__syscall1(SYS_exit_group, status);
}

pid_t getpid(void) { return (pid_t)__syscall0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)__syscall0(SYS_getppid); }
pid_t gettid(void) { return (pid_t)__syscall0(SYS_gettid); }
uid_t getuid(void) { return (uid_t)__syscall0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)__syscall0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)__syscall0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)__syscall0(SYS_getegid); }
int sched_yield(void) { return (int)__sys_ret(__syscall0(SYS_sched_yield)); }

int kill(pid_t pid, int sig)
{
	int lx = sig_to_linux(sig);
	if (sig && !lx) {
		errno = EINVAL;
		return -1;
	}
	return (int)__sys_ret(__syscall2(SYS_kill, pid, lx));
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	/* Linux's kernel sigset is 64 bits on rv32; newlib's is 32. */
	/* newlib's sigset has bit N for newlib signal N; Linux's has bit
	 * N-1 for Linux signal N. */
	uint64_t lxset = set ? mask_to_linux((uint32_t)*set) : 0;
	uint32_t kset[2] = {(uint32_t)lxset, (uint32_t)(lxset >> 32)}, kold[2];
	/* newlib: SETMASK 0, BLOCK 1, UNBLOCK 2; Linux: BLOCK 0, UNBLOCK 1,
	 * SETMASK 2. */
	int lxhow = how == SIG_BLOCK	 ? 0
		    : how == SIG_UNBLOCK ? 1
		    : how == SIG_SETMASK ? 2
					 : 3;
	long r = __syscall4(SYS_rt_sigprocmask, lxhow, set ? kset : NULL,
			    old ? kold : NULL, 8);
	if (r == 0 && old)
		*old = (sigset_t)mask_from_linux(kold[0] |
						 (uint64_t)kold[1] << 32);
	return (int)__sys_ret(r);
}

pid_t fork(void)
{
	/* Linux's SIGCHLD (17), not newlib's (20): the exit signal is a
	 * kernel number, and qemu-user refuses any other one. */
	return (pid_t)__sys_ret(__syscall5(SYS_clone, 17, 0, 0, 0, 0));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)__sys_ret(__syscall3(SYS_execve, path, argv, envp));
}

/* struct siginfo as Linux lays it out for SIGCHLD on a 32-bit ABI. */
struct lx_siginfo {
	int si_signo, si_errno, si_code;
	int si_pid, si_uid, si_status;
	int pad[26];
};

#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define LX_WEXITED 4
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3

pid_t waitpid(pid_t pid, int *status, int options)
{
	struct lx_siginfo si;
	int idtype = pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID;
	int id = pid > 0 ? pid : pid < -1 ? -pid : 0;

	memset(&si, 0, sizeof si);
	long r = __syscall5(SYS_waitid, idtype, id, &si,
			    LX_WEXITED | (options & WNOHANG), 0);
	if (r < 0)
		return (pid_t)__sys_ret(r);
	if (si.si_pid == 0)
		return 0;
	if (status) {
		if (si.si_code == CLD_EXITED)
			*status = (si.si_status & 0xff) << 8;
		else if (si.si_code == CLD_DUMPED)
			*status = (sig_from_linux(si.si_status) & 0x7f) | 0x80;
		else
			*status = sig_from_linux(si.si_status) & 0x7f;
	}
	return si.si_pid;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int uname(struct utsname *u)
{
	return (int)__sys_ret(__syscall1(SYS_uname, u));
}

/* ---- memory ------------------------------------------------------------- */

static uintptr_t cur_brk;

void *sbrk(ptrdiff_t incr)
{
	if (!cur_brk)
		cur_brk = (uintptr_t)__syscall1(SYS_brk, 0);
	uintptr_t old = cur_brk, want = old + incr;
	if (incr) {
		uintptr_t got = (uintptr_t)__syscall1(SYS_brk, want);
		if (got != want) {
			errno = ENOMEM;
			mmulab_linux_errno = 12;
			return (void *)-1;
		}
		cur_brk = got;
	}
	return (void *)old;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (off & 4095) {
		errno = EINVAL;
		mmulab_linux_errno = 22;
		return MAP_FAILED;
	}
	return (void *)__sys_ret(__syscall6(SYS_mmap2, (long)addr, (long)len,
					    prot, flags, fd, off >> 12));
}

int munmap(void *addr, size_t len)
{
	return (int)__sys_ret(__syscall2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)__sys_ret(__syscall3(SYS_mprotect, addr, len, prot));
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;
	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__sys_ret(__syscall5(SYS_mremap, old, old_len, new_len,
					    flags, new_addr));
}

int msync(void *addr, size_t len, int flags)
{
	return (int)__sys_ret(__syscall3(SYS_msync, addr, len, flags));
}

int madvise(void *addr, size_t len, int advice)
{
	return (int)__sys_ret(__syscall3(SYS_madvise, addr, len, advice));
}

int mincore(void *addr, size_t len, unsigned char *vec)
{
	return (int)__sys_ret(__syscall3(SYS_mincore, addr, len, vec));
}

int mlock(const void *addr, size_t len)
{
	return (int)__sys_ret(__syscall2(SYS_mlock, addr, len));
}

int munlock(const void *addr, size_t len)
{
	return (int)__sys_ret(__syscall2(SYS_munlock, addr, len));
}

int mlockall(int flags)
{
	return (int)__sys_ret(__syscall1(SYS_mlockall, flags));
}

int munlockall(void)
{
	return (int)__sys_ret(__syscall0(SYS_munlockall));
}

int getrlimit64(int resource, struct rlimit64 *rl)
{
	return (int)__sys_ret(__syscall4(SYS_prlimit64, 0, resource, 0, rl));
}

int setrlimit64(int resource, const struct rlimit64 *rl)
{
	return (int)__sys_ret(__syscall4(SYS_prlimit64, 0, resource, rl, 0));
}

int prlimit(pid_t pid, int resource, const struct rlimit *new_rl,
	    struct rlimit *old_rl);
int prlimit(pid_t pid, int resource, const struct rlimit *new_rl,
	    struct rlimit *old_rl)
{
	return (int)__sys_ret(__syscall4(SYS_prlimit64, pid, resource, new_rl,
					 old_rl));
}

int getrlimit(int resource, struct rlimit *rl)
{
	return prlimit(0, resource, NULL, rl);
}

int setrlimit(int resource, const struct rlimit *rl)
{
	return prlimit(0, resource, rl, NULL);
}

/* Linux's struct sysinfo (sysinfo(2)), for the sizes of memory. */
struct lx_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[8];
};

/* The values glibc's sysconf gives on Linux, for the names programs ask. */
long sysconf(int name)
{
	struct lx_sysinfo si;
	struct rlimit rl;

	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 100;
	case _SC_ARG_MAX:
		return 32 * 4096;	/* the kernel's MAX_ARG_STRLEN */
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	case _SC_OPEN_MAX:
	case _SC_CHILD_MAX:
		if (getrlimit(name == _SC_OPEN_MAX ? RLIMIT_NOFILE
						   : RLIMIT_NPROC, &rl) < 0)
			return -1;
		return rl.rlim_cur > 0x7fffffff ? -1 : (long)rl.rlim_cur;
	case _SC_PHYS_PAGES:
	case _SC_AVPHYS_PAGES:
		if (__sys_ret(__syscall1(SYS_sysinfo, &si)) < 0)
			return -1;
		return (long)((unsigned long long)(name == _SC_PHYS_PAGES ?
			si.totalram : si.freeram) * si.mem_unit / 4096);
	}
	errno = EINVAL;
	return -1;
}

/* ---- files -------------------------------------------------------------- */

static long open_flags_to_linux(int f)
{
	long lx = f & O_ACCMODE;
	if (f & O_CREAT)
		lx |= 0100;
	if (f & O_EXCL)
		lx |= 0200;
	if (f & O_TRUNC)
		lx |= 01000;
	if (f & O_APPEND)
		lx |= 02000;
	if (f & O_NONBLOCK)
		lx |= 04000;
	if (f & O_DIRECTORY)
		lx |= 0200000;
	if (f & O_CLOEXEC)
		lx |= 02000000;
	return lx;
}

int open(const char *path, int flags, ...)
{
	int mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return (int)__sys_ret(__syscall4(SYS_openat, LX_AT_FDCWD, path,
					 open_flags_to_linux(flags), mode));
}

int close(int fd)
{
	return (int)__sys_ret(__syscall1(SYS_close, fd));
}

ssize_t read(int fd, void *buf, size_t n)
{
	return (ssize_t)__sys_ret(__syscall3(SYS_read, fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return (ssize_t)__sys_ret(__syscall3(SYS_write, fd, buf, n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	/* rv32 passes a 64-bit argument in two registers, low word first,
	 * with no alignment padding (as musl's __SYSCALL_LL_O). */
	long long o = off;
	return (ssize_t)__sys_ret(__syscall5(SYS_pread64, fd, buf, n,
					     (long)o, (long)(o >> 32)));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	long long o = off;
	return (ssize_t)__sys_ret(__syscall5(SYS_pwrite64, fd, buf, n,
					     (long)o, (long)(o >> 32)));
}

off_t lseek(int fd, off_t off, int whence)
{
	uint32_t result[2];
	long long o = off;
	long r = __syscall5(SYS_llseek, fd, (long)(o >> 32), (long)o, result,
			    whence);
	if (r < 0)
		return (off_t)__sys_ret(r);
	return (off_t)result[0];
}

int dup(int fd)
{
	return (int)__sys_ret(__syscall1(SYS_dup, fd));
}

int dup2(int fd, int fd2)
{
	if (fd == fd2) {
		/* dup3 refuses equal descriptors; dup2 checks validity. */
		long r = __syscall2(SYS_fcntl64, fd, 1 /* F_GETFD */);
		return r < 0 ? (int)__sys_ret(r) : fd;
	}
	return (int)__sys_ret(__syscall3(SYS_dup3, fd, fd2, 0));
}

int fsync(int fd)
{
	return (int)__sys_ret(__syscall1(SYS_fsync, fd));
}

int fdatasync(int fd)
{
	return (int)__sys_ret(__syscall1(SYS_fdatasync, fd));
}

int unlink(const char *path)
{
	return (int)__sys_ret(__syscall3(SYS_unlinkat, LX_AT_FDCWD, path, 0));
}

int rmdir(const char *path)
{
	return (int)__sys_ret(__syscall3(SYS_unlinkat, LX_AT_FDCWD, path,
					 LX_AT_REMOVEDIR));
}

int ftruncate(int fd, off_t len)
{
	long long l = len;
	return (int)__sys_ret(__syscall3(SYS_ftruncate64, fd, (long)l,
					 (long)(l >> 32)));
}

char *getcwd(char *buf, size_t size)
{
	long r = __sys_ret(__syscall2(SYS_getcwd, buf, size));
	return r < 0 ? NULL : buf;
}

int isatty(int fd)
{
	char termios[64];
	long r = __syscall3(SYS_ioctl, fd, 0x5401 /* TCGETS */, termios);
	if (r < 0) {
		__sys_ret(r);
		return 0;
	}
	return 1;
}

/* struct statx, the only stat call rv32 has. */
struct lx_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t pad;
};
struct lx_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct lx_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};

#define AT_EMPTY_PATH 0x1000
#define STATX_BASIC_STATS 0x7ff

static int do_statx(int dirfd, const char *path, int flags, struct stat *st)
{
	struct lx_statx sx;
	long r = __syscall5(SYS_statx, dirfd, path, flags, STATX_BASIC_STATS,
			    &sx);
	if (r < 0)
		return (int)__sys_ret(r);
	memset(st, 0, sizeof *st);
	st->st_dev = (dev_t)((sx.stx_dev_major << 8) | sx.stx_dev_minor);
	st->st_ino = (ino_t)sx.stx_ino;
	st->st_mode = sx.stx_mode;
	st->st_nlink = sx.stx_nlink;
	st->st_uid = sx.stx_uid;
	st->st_gid = sx.stx_gid;
	st->st_rdev = (dev_t)((sx.stx_rdev_major << 8) | sx.stx_rdev_minor);
	st->st_size = (off_t)sx.stx_size;
	st->st_blksize = sx.stx_blksize;
	st->st_blocks = sx.stx_blocks;
	st->st_atim.tv_sec = (time_t)sx.stx_atime.tv_sec;
	st->st_atim.tv_nsec = sx.stx_atime.tv_nsec;
	st->st_mtim.tv_sec = (time_t)sx.stx_mtime.tv_sec;
	st->st_mtim.tv_nsec = sx.stx_mtime.tv_nsec;
	st->st_ctim.tv_sec = (time_t)sx.stx_ctime.tv_sec;
	st->st_ctim.tv_nsec = sx.stx_ctime.tv_nsec;
	return 0;
}

int stat(const char *path, struct stat *st)
{
	return do_statx(LX_AT_FDCWD, path, 0, st);
}

int fstat(int fd, struct stat *st)
{
	return do_statx(fd, "", AT_EMPTY_PATH, st);
}

/* ---- time and randomness ----------------------------------------------- */

struct lx_timespec64 {
	int64_t tv_sec;
	int32_t tv_nsec;
	int32_t pad;
};

/* newlib's clock ids -> Linux's (newlib: REALTIME 1, MONOTONIC 4...). */
static long clock_to_linux(clockid_t clk)
{
	static const signed char map[10] = {5, 0, 2, 3, 1, 4, 6, 7, 8, 9};
	return (unsigned long)clk < 10 ? map[clk] : -1;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	struct lx_timespec64 t;
	long r = __syscall2(SYS_clock_gettime64, clock_to_linux(clk), &t);
	if (r < 0)
		return (int)__sys_ret(r);
	ts->tv_sec = (time_t)t.tv_sec;
	ts->tv_nsec = t.tv_nsec;
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;
	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

clock_t times(struct tms *t)
{
	struct timespec ts = {0, 0};
	clock_gettime(2 /* CLOCK_PROCESS_CPUTIME_ID */, &ts);
	clock_t ticks = (clock_t)(ts.tv_sec * 100 + ts.tv_nsec / 10000000);
	if (t) {
		t->tms_utime = ticks;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return ticks;
}

int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	long r = __syscall3(SYS_getrandom, buf, len, 0);
	return r < 0 ? (int)__sys_ret(r) : 0;
}

/* ---- stdio: buffered streams over fds 0-2 ------------------------------ */

static char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ], stderr_buf[64];

static struct __file_bufio bufio_in = FDEV_SETUP_BUFIO(
	0, stdin_buf, BUFSIZ, read, write, lseek, close, __SRD, 0);
static struct __file_bufio bufio_out = FDEV_SETUP_BUFIO(
	1, stdout_buf, BUFSIZ, read, write, lseek, close, __SWR, 0);
static struct __file_bufio bufio_err = FDEV_SETUP_BUFIO(
	2, stderr_buf, sizeof stderr_buf, read, write, lseek, close, __SWR,
	__BLBF);

FILE *const stdin = &bufio_in.xfile.cfile.file;
FILE *const stdout = &bufio_out.xfile.cfile.file;
FILE *const stderr = &bufio_err.xfile.cfile.file;

static void flush_std(void)
{
	fflush(stdout);
	fflush(stderr);
}

void __mmulab_stdio_init(void)
{
	/* Line-buffer a terminal, fully buffer anything else, as glibc does. */
	if (isatty(1))
		bufio_out.bflags |= __BLBF;
	atexit(flush_std);
}

/* ---- signals through the kernel ------------------------------------------ */

/*
 * picolibc's signal() and raise() keep handlers inside the library; these
 * install them in the kernel instead, so faults and kill() reach them.
 * The kernel's struct sigaction on RISC-V: handler, flags, 64-bit mask.
 */
#define LX_SA_NOCLDSTOP 0x00000001
#define LX_SA_NOCLDWAIT 0x00000002
#define LX_SA_SIGINFO 0x00000004
#define LX_SA_ONSTACK 0x08000000
#define LX_SA_RESTART 0x10000000
#define LX_SA_NODEFER 0x40000000
#define LX_SA_RESETHAND 0x80000000

/* The handlers the program installed, by newlib signal number.  The
 * kernel calls sig_dispatch, which translates the number. */
static struct sigaction user_action[32];

static void sig_dispatch(int lxsig, void *info, void *uc)
{
	int sig = sig_from_linux(lxsig);
	struct sigaction *sa = &user_action[sig];

	if (sa->sa_flags & SA_SIGINFO)
		((void (*)(int, void *, void *))(void (*)(void))sa->sa_handler)(
			sig, info, uc);
	else
		sa->sa_handler(sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	uint32_t kact[4];
	int lx = sig_to_linux(sig);
	long r;

	if (sig <= 0 || sig >= 32 || !lx) {
		errno = EINVAL;
		return -1;
	}
	if (act) {
		int f = act->sa_flags;
		bool fn = act->sa_handler != SIG_DFL &&
			  act->sa_handler != SIG_IGN;
		uint64_t mask = mask_to_linux((uint32_t)act->sa_mask);
		kact[0] = fn ? (uint32_t)(uintptr_t)sig_dispatch
			     : (uint32_t)(uintptr_t)act->sa_handler;
		kact[1] = (fn ? LX_SA_SIGINFO : 0) |
			  (f & SA_NOCLDSTOP ? LX_SA_NOCLDSTOP : 0) |
			  (f & SA_ONSTACK ? LX_SA_ONSTACK : 0) |
			  (f & SA_RESTART ? LX_SA_RESTART : 0) |
			  (f & SA_NODEFER ? LX_SA_NODEFER : 0) |
			  (f & SA_RESETHAND ? LX_SA_RESETHAND : 0);
		kact[2] = (uint32_t)mask;
		kact[3] = (uint32_t)(mask >> 32);
	}
	struct sigaction prev = user_action[sig];
	r = __syscall4(SYS_rt_sigaction, lx, act ? kact : NULL, NULL, 8);
	if (r < 0)
		return (int)__sys_ret(r);
	if (act)
		user_action[sig] = *act;
	if (old)
		*old = prev;
	return 0;
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	uint32_t kss[3], kold[3];
	long r;

	if (ss) {
		kss[0] = (uint32_t)(uintptr_t)ss->ss_sp;
		kss[1] = (ss->ss_flags & SS_DISABLE) ? 2 : 0;
		kss[2] = (uint32_t)ss->ss_size;
	}
	r = __syscall2(SYS_sigaltstack, ss ? kss : NULL, old ? kold : NULL);
	if (r < 0)
		return (int)__sys_ret(r);
	if (old) {
		old->ss_sp = (void *)(uintptr_t)kold[0];
		old->ss_flags = (kold[1] & 2 ? SS_DISABLE : 0) |
				(kold[1] & 1 ? SS_ONSTACK : 0);
		old->ss_size = kold[2];
	}
	return 0;
}

int sigpending(sigset_t *set)
{
	uint32_t k[2];
	long r = __syscall2(SYS_rt_sigpending, k, 8);
	if (r < 0)
		return (int)__sys_ret(r);
	*set = (sigset_t)mask_from_linux(k[0] | (uint64_t)k[1] << 32);
	return 0;
}

int pipe2(int fds[2], int flags)
{
	long lx = 0;
	if (flags & O_NONBLOCK)
		lx |= 04000;
	if (flags & O_CLOEXEC)
		lx |= 02000000;
	return (int)__sys_ret(__syscall2(SYS_pipe2, fds, lx));
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

static int open_flags_from_linux(long lx)
{
	int f = (int)(lx & O_ACCMODE);
	if (lx & 0100)
		f |= O_CREAT;
	if (lx & 0200)
		f |= O_EXCL;
	if (lx & 01000)
		f |= O_TRUNC;
	if (lx & 02000)
		f |= O_APPEND;
	if (lx & 04000)
		f |= O_NONBLOCK;
	if (lx & 0200000)
		f |= O_DIRECTORY;
	return f;
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	switch (cmd) {
	case F_GETFL: {
		long r = __syscall2(SYS_fcntl64, fd, F_GETFL);
		return r < 0 ? (int)__sys_ret(r) : open_flags_from_linux(r);
	}
	case F_SETFL:
		arg = open_flags_to_linux((int)arg);
		break;
	case F_DUPFD:
	case F_GETFD:
	case F_SETFD:
		break;
	default:
		if (cmd != 1030 /* F_DUPFD_CLOEXEC */) {
			errno = EINVAL;
			return -1;
		}
	}
	return (int)__sys_ret(__syscall3(SYS_fcntl64, fd, cmd, arg));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)__sys_ret(__syscall3(SYS_mkdirat, LX_AT_FDCWD, path, mode));
}

int chdir(const char *path)
{
	return (int)__sys_ret(__syscall1(SYS_chdir, path));
}

int access(const char *path, int mode)
{
	return (int)__sys_ret(__syscall4(SYS_faccessat, LX_AT_FDCWD, path,
					 mode, 0));
}

int getrusage(int who, struct rusage *ru)
{
	struct linux_rusage lr;
	if (linux_getrusage(who, &lr) < 0)
		return -1;
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = lr.ru_utime_sec;
	ru->ru_utime.tv_usec = lr.ru_utime_usec;
	ru->ru_stime.tv_sec = lr.ru_stime_sec;
	ru->ru_stime.tv_usec = lr.ru_stime_usec;
	ru->ru_maxrss = lr.ru_maxrss;
	ru->ru_ixrss = lr.ru_ixrss;
	ru->ru_idrss = lr.ru_idrss;
	ru->ru_isrss = lr.ru_isrss;
	ru->ru_minflt = lr.ru_minflt;
	ru->ru_majflt = lr.ru_majflt;
	ru->ru_nswap = lr.ru_nswap;
	ru->ru_inblock = lr.ru_inblock;
	ru->ru_oublock = lr.ru_oublock;
	ru->ru_msgsnd = lr.ru_msgsnd;
	ru->ru_msgrcv = lr.ru_msgrcv;
	ru->ru_nsignals = lr.ru_nsignals;
	ru->ru_nvcsw = lr.ru_nvcsw;
	ru->ru_nivcsw = lr.ru_nivcsw;
	return 0;
}

int linux_getrusage(int who, struct linux_rusage *ru)
{
	return (int)__sys_ret(__syscall2(SYS_getrusage, who, ru));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct lx_timespec64 t = {req->tv_sec, (int32_t)req->tv_nsec, 0};
	struct lx_timespec64 r = {0, 0, 0};
	long e = __syscall4(SYS_clock_nanosleep_time64, 1 /* Linux MONOTONIC */, 0, &t,
			    rem ? &r : NULL);
	if (e < 0) {
		if (rem) {
			rem->tv_sec = (time_t)r.tv_sec;
			rem->tv_nsec = r.tv_nsec;
		}
		return (int)__sys_ret(e);
	}
	return 0;
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = {(time_t)seconds, 0};
	return nanosleep(&ts, NULL) < 0 ? seconds : 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};
	return nanosleep(&ts, NULL);
}
