/*
 * Names in the sandbox: renameat2 (with RENAME_NOREPLACE), linkat,
 * symlinkat, readlinkat, fchmodat and fsync, through raw system calls
 * (picolibc has no wrappers for them).
 */
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <string.h>
#include "mmulab.h"
int main(void)
{
	int fd = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, "abc", 3);
	close(fd);
	long r = mmulab_syscall(276, -100, (long)"a.txt", -100, (long)"b.txt",
				0, 0);
	printf("rename %ld\n", r);
	r = mmulab_syscall(37, -100, (long)"b.txt", -100, (long)"c.txt", 0, 0);
	printf("link %ld\n", r);
	r = mmulab_syscall(36, (long)"b.txt", -100, (long)"d.lnk", 0, 0, 0);
	printf("symlink %ld\n", r);
	char buf[64] = { 0 };
	r = mmulab_syscall(78, -100, (long)"d.lnk", (long)buf, 64, 0, 0);
	printf("readlink %ld %s\n", r, buf);
	fd = open("d.lnk", O_RDONLY);
	memset(buf, 0, 64);
	read(fd, buf, 10);
	printf("via link: %s\n", buf);
	close(fd);
	r = mmulab_syscall(276, -100, (long)"b.txt", -100, (long)"c.txt", 1, 0);
	printf("rename noreplace %ld\n", r);
	r = mmulab_syscall(53, -100, (long)"c.txt", 0600, 0, 0, 0);
	printf("chmod %ld\n", r);
	fd = open("c.txt", O_RDWR);
	printf("fsync %ld\n", mmulab_syscall(82, fd, 0, 0, 0, 0, 0));
	close(fd);
	unlink("b.txt");
	unlink("c.txt");
	unlink("d.lnk");
	return 0;
}
