/*
 * vm sysctls from inside the guest: read and write /proc/sys/vm, strict
 * overcommit refusing a mapping larger than CommitLimit, drop_caches and
 * the SysRq trigger.  mmulab only (tests/conform.sh): under qemu these
 * files are the host's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

static void show(const char *name)
{
	char path[128], buf[64] = {0};
	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: open failed, linux errno %d\n", name,
		       mmulab_linux_errno);
		return;
	}
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("%s = %s", name, buf);
}

static int set(const char *name, const char *value)
{
	char path[128];
	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -mmulab_linux_errno;
	ssize_t n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -mmulab_linux_errno : 0;
}

int main(void)
{
	show("overcommit_memory");
	show("overcommit_ratio");
	show("swappiness");
	show("max_map_count");
	show("drop_caches");
	printf("set swappiness 100: %d\n", set("swappiness", "100\n"));
	show("swappiness");
	printf("set swappiness 500: %d\n", set("swappiness", "500"));
	printf("set swappiness junk: %d\n", set("swappiness", "abc"));
	printf("set nonexistent: %d\n", set("nonexistent", "1"));

	void *big = mmap(NULL, 512u << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("512 MiB with overcommit 0: %s\n",
	       big == MAP_FAILED ? "refused" : "granted");
	if (big != MAP_FAILED)
		munmap(big, 512u << 20);
	printf("set overcommit_memory 2: %d\n", set("overcommit_memory", "2"));
	big = mmap(NULL, 512u << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("512 MiB with overcommit 2: %s (linux errno %d)\n",
	       big == MAP_FAILED ? "refused" : "granted", mmulab_linux_errno);
	void *ro = mmap(NULL, 512u << 20, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("512 MiB read-only with overcommit 2: %s\n",
	       ro == MAP_FAILED ? "refused" : "granted");
	set("overcommit_memory", "0");
	printf("drop_caches 3: %d\n", set("drop_caches", "3"));
	printf("drop_caches 9: %d\n", set("drop_caches", "9"));
	int fd = open("/proc/sysrq-trigger", O_WRONLY);
	printf("sysrq-trigger: %s\n", fd >= 0 ? "opened" : "refused");
	if (fd >= 0) {
		write(fd, "m", 1);
		close(fd);
	}
	printf("read sysrq-trigger: %s\n",
	       open("/proc/sysrq-trigger", O_RDONLY) < 0 ? "refused" : "opened");
	printf("write meminfo: %s\n",
	       open("/proc/meminfo", O_WRONLY) < 0 ? "refused" : "opened");
	return 0;
}
