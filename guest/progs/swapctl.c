/*
 * swapon(2) and swapoff(2) from the guest, with /proc/swaps, meminfo's
 * swap lines and /proc/self/status's VmSwap, oom_score_adj and oom_score.
 *
 *   swapctl FILE MIB
 *
 * FILE is a swap file of the sandbox that is already on (given with
 * --swap); MIB should be more than the RAM.  The program fills MIB (the
 * first pages written go to swap), unmaps the upper half so that the rest
 * fits in RAM, shows that part of it is in swap (VmSwap > 0), turns swap
 * off -- every page comes back -- checks the data, turns swap on again
 * and checks once more.  Needs CAP_SYS_ADMIN (EPERM otherwise: the test skips).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

#define NR_swapon 224
#define NR_swapoff 225

static long field(const char *path, const char *key)
{
	static char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static size_t check(uint32_t *buf, size_t words)
{
	size_t bad = 0;

	for (size_t i = 0; i < words; i++)
		bad += buf[i] != (uint32_t)(i * 2654435761u);
	return bad;
}

int main(int argc, char **argv)
{
	const char *file = argc > 1 ? argv[1] : "/swap.img";
	size_t mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 4;
	size_t words = mib << 18;
	char swaps[512] = {0};

	uint32_t *buf = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < words; i++)
		buf[i] = (uint32_t)(i * 2654435761u);
	munmap((char *)buf + (mib << 19), mib << 19);
	words /= 2;
	printf("VmSwap > 0: %s\n",
	       field("/proc/self/status", "VmSwap:") > 0 ? "yes" : "no");
	int fd = open("/proc/swaps", O_RDONLY);
	read(fd, swaps, sizeof(swaps) - 1);
	close(fd);
	printf("/proc/swaps header: %s\n",
	       !strncmp(swaps, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\t"
			       "Priority\n", 39) ? "ok" : swaps);
	printf("oom_score_adj %ld, oom_score > 0: %s\n",
	       field("/proc/self/oom_score_adj", ""),
	       field("/proc/self/oom_score", "") > 0 ? "yes" : "no");
	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	write(fd, "500", 3);
	close(fd);
	printf("oom_score_adj now %ld\n", field("/proc/self/oom_score_adj", ""));

	long r = mmulab_syscall(NR_swapoff, (long)file, 0, 0, 0, 0, 0);
	if (r == -1) { /* -EPERM */
		printf("swapoff: EPERM (no CAP_SYS_ADMIN)\n");
		return 77;
	}
	printf("swapoff: %ld\n", r);
	printf("SwapTotal after swapoff: %ld kB, VmSwap %ld kB\n",
	       field("/proc/meminfo", "SwapTotal:"),
	       field("/proc/self/status", "VmSwap:"));
	printf("after swapoff: %zu bad words\n", check(buf, words));
	r = mmulab_syscall(NR_swapon, (long)file, 0, 0, 0, 0, 0);
	printf("swapon: %ld, SwapTotal > 0: %s\n", r,
	       field("/proc/meminfo", "SwapTotal:") > 0 ? "yes" : "no");
	r = mmulab_syscall(NR_swapon, (long)file, 0, 0, 0, 0, 0);
	printf("swapon again: %ld (EBUSY is -16)\n", r);
	printf("after swapon: %zu bad words\n", check(buf, words));
	return 0;
}
