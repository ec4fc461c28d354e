/*
 * One copy-on-write to watch from host gdb (examples/lesson-host-gdb/):
 * the parent writes a private page at a fixed address, forks, and the
 * child writes the same page.  The child's store faults on the
 * write-protected entry fork left and the kernel copies the page in
 * do_wp_page; the parent still sees its own byte afterwards.
 */
#include <stdio.h>
#include "mmulab.h"
#include <sys/wait.h>
#include <unistd.h>

#define COW_PAGE ((void *)0x40000000)

int main(void)
{
	volatile char *p = mmap(COW_PAGE, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	int status;

	if (p != COW_PAGE) {
		perror("mmap");
		return 1;
	}
	p[0] = 'P';		/* the parent's page, now anonymous */
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		char before = p[0];
		p[0] = 'C';	/* the write that copies (do_wp_page) */
		printf("child saw %c, wrote %c\n", before, p[0]);
		return 0;
	}
	waitpid(pid, &status, 0);
	printf("parent sees %c\n", p[0]);
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0 && p[0] == 'P');
}
