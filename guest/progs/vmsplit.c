/*
 * The user/kernel split as a program sees it: the top of the stack
 * vma, where mmap puts a mapping without a hint, and whether fixed
 * mappings at 0x3f000000, 0x7f000000 and 0xb0000000 are allowed.
 *
 *   vmsplit      mmulab run --vmsplit 3G/1G|2G/2G|1G/3G vmsplit.elf
 *
 * Under qemu-riscv32 the layout is qemu's own (mmulab-only program).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

static char text[16384];

int main(void)
{
	static const unsigned long fixed[] = { 0x3f000000ul, 0x7f000000ul,
					       0xb0000000ul };
	int fd = open("/proc/self/maps", O_RDONLY), n = 0, r;
	char *line, *last = NULL;

	while (fd >= 0 && (r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	if (fd >= 0)
		close(fd);
	text[n] = '\0';
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (strstr(line, "[stack]"))
			last = line;
	if (last) {
		char *dash = strchr(last, '-');
		printf("stack ends at 0x%.8s\n", dash ? dash + 1 : "?");
	}
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap without a hint: %p\n", p);
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		void *q = mmap((void *)fixed[i], 65536, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (q == MAP_FAILED) {
			printf("MAP_FIXED at %#lx: %s\n", fixed[i],
			       errno == ENOMEM ? "ENOMEM" : strerror(errno));
		} else {
			((volatile char *)q)[65535] = 1;
			printf("MAP_FIXED at %#lx: ok\n", fixed[i]);
			munmap(q, 65536);
		}
	}
	return 0;
}
