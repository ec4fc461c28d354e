/*
 * /proc/self/pagemap: a page is absent until touched, present after; a
 * read-only touch of anonymous memory maps the shared zero page; the
 * frame of a private page changes when copy-on-write breaks after fork.
 * mmulab only (tests/conform.sh): under qemu this is the host's pagemap.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

static uint64_t entry(const void *addr)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (off_t)((uintptr_t)addr / 4096 * 8);
	if (fd < 0 || pread(fd, &e, 8, off) != 8)
		printf("pagemap read failed\n");
	close(fd);
	return e;
}

#define PRESENT(e) ((int)((e) >> 63 & 1))
#define EXCLUSIVE(e) ((int)((e) >> 56 & 1))
#define PFN(e) ((e) & ((1ull << 55) - 1))

int main(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char c;

	printf("untouched: present %d\n", PRESENT(entry(p)));
	c = p[4096];
	(void)c;
	uint64_t zero = entry(p + 4096);
	printf("read-only touch: present %d\n", PRESENT(zero));
	p[0] = 1;
	uint64_t a = entry(p);
	printf("written: present %d exclusive %d\n", PRESENT(a), EXCLUSIVE(a));
	printf("zero page differs from the written page: %d\n",
	       PFN(zero) != PFN(a));
	fflush(stdout);
	if (fork() == 0) {
		uint64_t before = entry(p);
		p[0] = 2; /* copy on write */
		uint64_t after = entry(p);
		printf("child: shared before write %d, frame changed %d, "
		       "exclusive after %d\n",
		       !EXCLUSIVE(before), PFN(before) != PFN(after),
		       EXCLUSIVE(after));
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
	printf("parent: frame unchanged %d\n", PFN(entry(p)) == PFN(a));
	return 0;
}
