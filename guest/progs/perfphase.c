/*
 * perfphase: measure two phases of a program from inside it, with the
 * code one writes on Linux -- perf_event_open(2) through syscall(), a
 * group of counters read at once, PERF_EVENT_IOC_RESET/ENABLE/DISABLE
 * with PERF_IOC_FLAG_GROUP -- and print what each phase cost:
 *
 *   tight    a loop over a few cache lines (no new pages, no TLB misses)
 *   random   random reads and writes over 8 MiB (page faults, dTLB misses)
 *
 * Then the error cases of the call, one line each.
 *
 *   perfphase [ROUNDS]   ROUNDS times the random phase (default 1)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "mmulab.h"	/* mmap: <sys/mman.h> on Linux */

#define BUF_SIZE (8u << 20)

static long perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu,
			    int group_fd, unsigned long flags)
{
	return syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

static const struct {
	const char *name;
	uint32_t type;
	uint64_t config;
} events[] = {
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "context-switches", PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "dTLB-loads", PERF_TYPE_HW_CACHE,
	  PERF_COUNT_HW_CACHE_DTLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		  (PERF_COUNT_HW_CACHE_RESULT_ACCESS << 16) },
	{ "dTLB-load-misses", PERF_TYPE_HW_CACHE,
	  PERF_COUNT_HW_CACHE_DTLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		  (PERF_COUNT_HW_CACHE_RESULT_MISS << 16) },
	{ "iTLB-load-misses", PERF_TYPE_HW_CACHE,
	  PERF_COUNT_HW_CACHE_ITLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		  (PERF_COUNT_HW_CACHE_RESULT_MISS << 16) },
};
#define NR_EVENTS (sizeof(events) / sizeof(events[0]))

static int fds[NR_EVENTS];
static uint64_t ids[NR_EVENTS];

static void attr_init(struct perf_event_attr *pe, uint32_t type,
		      uint64_t config)
{
	memset(pe, 0, sizeof(*pe));
	pe->type = type;
	pe->size = sizeof(*pe);
	pe->config = config;
	pe->disabled = 1;
	pe->exclude_kernel = 1;
	pe->exclude_hv = 1;
}

/* One group, the first event its leader; 0 or -1 after a message. */
static int open_group(void)
{
	for (size_t i = 0; i < NR_EVENTS; i++) {
		struct perf_event_attr pe;

		attr_init(&pe, events[i].type, events[i].config);
		pe.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID |
				 PERF_FORMAT_TOTAL_TIME_ENABLED |
				 PERF_FORMAT_TOTAL_TIME_RUNNING;
		fds[i] = (int)perf_event_open(&pe, 0, -1, i ? fds[0] : -1, 0);
		if (fds[i] < 0) {
			printf("perf_event_open %s: %s\n", events[i].name,
			       strerror(errno));
			return -1;
		}
		if (ioctl(fds[i], PERF_EVENT_IOC_ID, &ids[i]) < 0) {
			printf("PERF_EVENT_IOC_ID: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void report(const char *phase)
{
	uint64_t buf[3 + 2 * NR_EVENTS];
	ssize_t n = read(fds[0], buf, sizeof(buf));

	if (n != (ssize_t)sizeof(buf) || buf[0] != NR_EVENTS) {
		printf("%s: read gave %ld bytes\n", phase, (long)n);
		return;
	}
	printf("%s: enabled == running: %s\n", phase,
	       buf[1] == buf[2] ? "yes" : "no");
	for (size_t i = 0; i < NR_EVENTS; i++) {
		uint64_t v = buf[3 + 2 * i], id = buf[4 + 2 * i];

		printf("%s: %-17s %llu%s\n", phase, events[i].name,
		       (unsigned long long)v, id == ids[i] ? "" : " (bad id)");
	}
}

static void start(void)
{
	ioctl(fds[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
	ioctl(fds[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

static void stop(void)
{
	ioctl(fds[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
}

static volatile uint32_t sink;

static void tight(void)
{
	static volatile uint32_t a[64];
	uint32_t s = 0;

	for (uint32_t i = 0; i < 200000; i++) {
		a[i & 63] += i;
		s += a[(i * 7) & 63];
	}
	sink = s;
}

static void random_phase(volatile uint8_t *buf, int rounds)
{
	uint32_t x = 12345, s = 0;

	for (int r = 0; r < rounds; r++) {
		for (uint32_t i = 0; i < 40000; i++) {
			x = x * 1664525u + 1013904223u;
			uint32_t off = (x >> 8) % BUF_SIZE;
			if (i & 1)
				buf[off] = (uint8_t)i;
			else
				s += buf[off];
		}
	}
	sink = s;
}

static const char *errname(int e)
{
	switch (e) {
	case 0: return "success";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	case ESRCH: return "ESRCH";
	case ENOSPC: return "ENOSPC";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	case ESPIPE: return "ESPIPE";
	}
	return "another error";
}

/* perf_event_open of (@type, @config) with @size, @pid, @cpu. */
static const char *try_open(uint32_t type, uint64_t config, uint32_t size,
			    pid_t pid, int cpu, int group_fd)
{
	struct perf_event_attr pe;
	long fd;

	attr_init(&pe, type, config);
	pe.size = size;
	errno = 0;
	fd = perf_event_open(&pe, pid, cpu, group_fd, 0);
	if (fd >= 0) {
		close((int)fd);
		return "success";
	}
	return errname(errno);
}

static void errors(void)
{
	uint64_t small[1];
	struct perf_event_attr pe;

	printf("error: bad hardware config: %s\n",
	       try_open(PERF_TYPE_HARDWARE, 1000, sizeof(pe), 0, -1, -1));
	printf("error: branch-misses (not counted here): %s\n",
	       try_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES,
			sizeof(pe), 0, -1, -1));
	printf("error: a size below PERF_ATTR_SIZE_VER0: %s\n",
	       try_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 8, 0,
			-1, -1));
	printf("error: no such pid: %s\n",
	       try_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS,
			sizeof(pe), 99999, -1, -1));
	printf("error: group_fd not an event: %s\n",
	       try_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS,
			sizeof(pe), 0, -1, 1));
	errno = 0;
	printf("error: attr at a bad address: %s\n",
	       perf_event_open((struct perf_event_attr *)8, 0, -1, -1, 0) < 0
		       ? errname(errno)
		       : "success");
	errno = 0;
	printf("error: read into 4 bytes of a group of %u: %s\n",
	       (unsigned)NR_EVENTS,
	       read(fds[0], small, 4) < 0 ? errname(errno) : "success");
	errno = 0;
	printf("error: write to an event: %s\n",
	       write(fds[0], small, 8) < 0 ? errname(errno) : "success");
	errno = 0;
	printf("error: an unknown ioctl: %s\n",
	       ioctl(fds[0], 0x5401, small) < 0 ? errname(errno)
						 : "success");
}

/* One event alone, its own fd, read after a dup(): the count goes on. */
static void single(void)
{
	struct perf_event_attr pe;
	uint64_t before[1], after[1];
	int fd, fd2;

	attr_init(&pe, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS);
	pe.disabled = 0;
	fd = (int)perf_event_open(&pe, 0, -1, -1, 0);
	if (fd < 0) {
		printf("single: %s\n", strerror(errno));
		return;
	}
	fd2 = dup(fd);
	if (read(fd, before, 8) != 8 || read(fd2, after, 8) != 8)
		printf("single: read failed\n");
	else
		printf("single: instructions go on through a dup: %s\n",
		       after[0] > before[0] ? "yes" : "no");
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	read(fd, before, 8);
	tight();
	read(fd2, after, 8);
	printf("single: a disabled event stands still: %s\n",
	       after[0] == before[0] ? "yes" : "no");
	close(fd);
	close(fd2);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1;
	uint8_t *buf;

	if (rounds < 1)
		rounds = 1;
	/* a host that refuses perf (qemu-user): nothing more to say */
	if (open_group() < 0)
		return 0;
	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		printf("out of memory\n");
		return 1;
	}
	start();
	tight();
	stop();
	report("tight");
	start();
	random_phase(buf, rounds);
	stop();
	report("random");
	single();
	errors();
	munmap(buf, BUF_SIZE);
	return 0;
}
