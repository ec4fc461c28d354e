/*
 * Files in the sandbox and file mappings: create/write/read/lseek/pread/
 * pwrite/ftruncate/unlink, MAP_SHARED stores seen by read(), MAP_PRIVATE
 * stores never reaching the file, dup/dup2/dup3 and close-on-exec flags,
 * a directory listing (sorted here: getdents64 order is the host's).
 * Everything happens in a scratch directory under the current one.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define PAGE 4096
#define DIR_NAME "filemap-dir"
#define F(name) DIR_NAME "/" name

#define LX_AT_FDCWD (-100)
#define LX_AT_REMOVEDIR 0x200
#define LX_O_CLOEXEC 02000000
#define LX_F_GETFD 1
#define LX_F_SETFD 2
#define LX_F_GETFL 3
#define LX_FD_CLOEXEC 1

static void report(const char *what, long r)
{
	if (r < 0)
		printf("%-36s errno %d\n", what, mmulab_linux_errno);
	else
		printf("%-36s %ld\n", what, r);
}

static long sys(long nr, long a, long b, long c)
{
	return __sys_ret(mmulab_syscall(nr, a, b, c, 0, 0, 0));
}

static int make_dir(const char *path, mode_t mode)
{
	return (int)__sys_ret(mmulab_syscall(34 /* mkdirat */, LX_AT_FDCWD,
					     (long)path, mode, 0, 0, 0));
}

static void cleanup(void)
{
	static const char *const names[] = {"a.txt", "b.txt", "c.txt",
					    "map.bin", "trunc.bin", "sub"};
	char path[64];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), DIR_NAME "/%s", names[i]);
		unlink(path);
		rmdir(path);
	}
	rmdir(DIR_NAME);
}

static void basic_io(void)
{
	char buf[64];
	int fd = open(F("a.txt"), O_RDWR | O_CREAT | O_EXCL, 0644);

	report("open O_CREAT|O_EXCL", fd >= 0 ? 0 : -1);
	report("open O_EXCL again", open(F("a.txt"),
					 O_RDWR | O_CREAT | O_EXCL, 0644));
	report("write 10", write(fd, "0123456789", 10));
	report("lseek SEEK_CUR 0", lseek(fd, 0, SEEK_CUR));
	report("lseek SEEK_SET 2", lseek(fd, 2, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	report("read 4", read(fd, buf, 4));
	printf("  data %s\n", buf);
	report("lseek SEEK_END -3", lseek(fd, -3, SEEK_END));
	report("read to EOF", read(fd, buf, sizeof(buf)));
	report("read at EOF", read(fd, buf, sizeof(buf)));
	report("lseek negative", lseek(fd, -100, SEEK_SET));
	report("lseek bad whence", lseek(fd, 0, 7));
	report("pwrite at 20 (hole)", pwrite(fd, "XY", 2, 20));
	memset(buf, 'z', sizeof(buf));
	report("pread 22 at 0", pread(fd, buf, 22, 0));
	printf("  hole bytes zero %d %d tail %c%c\n", buf[10] == 0,
	       buf[19] == 0, buf[20], buf[21]);
	report("offset unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR));
	struct stat st;
	report("fstat", fstat(fd, &st));
	printf("  size %ld regular %d\n", (long)st.st_size, S_ISREG(st.st_mode));
	report("ftruncate 5", ftruncate(fd, 5));
	report("fstat size", fstat(fd, &st) < 0 ? -1 : (long)st.st_size);
	report("ftruncate grow 8192", ftruncate(fd, 8192));
	report("pread past old end", pread(fd, buf, 4, 6));
	printf("  zero %d\n", buf[0] == 0 && buf[3] == 0);
	close(fd);
	fd = open(F("a.txt"), O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	report("append write", write(fd, "END", 3));
	report("append offset", lseek(fd, 0, SEEK_CUR));
	close(fd);
	fd = open(F("a.txt"), O_RDONLY);
	report("write to O_RDONLY fd", write(fd, "x", 1));
	close(fd);
	fd = open(F("a.txt"), O_WRONLY);
	report("read from O_WRONLY fd", read(fd, buf, 1));
	close(fd);
	fd = open(F("a.txt"), O_RDWR | O_TRUNC);
	report("O_TRUNC size", lseek(fd, 0, SEEK_END));
	close(fd);
	report("open missing", open(F("missing"), O_RDONLY));
	report("open missing dir", open(DIR_NAME "/nodir/x", O_RDONLY));
	report("open file as dir", open(F("a.txt/x"), O_RDONLY));
	report("O_DIRECTORY on file", open(F("a.txt"), O_RDONLY | O_DIRECTORY));
	report("unlink", unlink(F("a.txt")));
	report("unlink again", unlink(F("a.txt")));
	close(open(F("c.txt"), O_WRONLY | O_CREAT, 0644));
	report("rmdir non-empty", rmdir(DIR_NAME));
	report("rmdir a file", rmdir(F("c.txt")));
}

static void unlinked_but_open(void)
{
	int fd = open(F("b.txt"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[8] = {0};

	write(fd, "alive", 5);
	unlink(F("b.txt"));
	report("open after unlink", open(F("b.txt"), O_RDONLY));
	report("pread unlinked open file", pread(fd, buf, 5, 0));
	printf("  data %s\n", buf);
	close(fd);
}

static void mappings(void)
{
	char buf[PAGE];
	int fd = open(F("map.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);

	memset(buf, '.', sizeof(buf));
	write(fd, buf, sizeof(buf));
	write(fd, buf, 100);
	char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		       fd, 0);
	if (s == MAP_FAILED || p == MAP_FAILED) {
		printf("mmap failed errno %d\n", mmulab_linux_errno);
		return;
	}
	memcpy(s + 10, "SHARED", 6);
	memcpy(s + PAGE + 50, "TAIL", 4);
	memset(buf, 0, 16);
	pread(fd, buf, 6, 10);
	printf("read() sees shared store: %.6s\n", buf);
	pread(fd, buf, 4, PAGE + 50);
	printf("read() sees store in last page: %.4s\n", buf);
	printf("private mapping sees it before its own write: %.6s\n", p + 10);
	memcpy(p + 20, "PRIV", 4);
	pread(fd, buf, 4, 20);
	printf("file after private store: %.4s\n", buf);
	printf("shared mapping after private store: %.4s\n", s + 20);
	/* A store past EOF in the last page stays in memory only. */
	s[PAGE + 200] = 'Q';
	struct stat st;
	fstat(fd, &st);
	printf("size after store past EOF %ld\n", (long)st.st_size);
	/* write() is seen through both mappings (private not yet COWed
	 * there). */
	pwrite(fd, "WRITE", 5, 300);
	printf("shared sees write(): %.5s private sees write(): %.5s\n",
	       s + 300, p + 300);
	/* ... but not where the private mapping made its own copy. */
	pwrite(fd, "NEWV", 4, 20);
	printf("private copy keeps its data: %.4s\n", p + 20);
	msync(s, 2 * PAGE, MS_SYNC);
	munmap(s, 2 * PAGE);
	munmap(p, 2 * PAGE);
	close(fd);
	fd = open(F("map.bin"), O_RDONLY);
	memset(buf, 0, 16);
	pread(fd, buf, 6, 10);
	printf("after munmap and reopen: %.6s\n", buf);
	fstat(fd, &st);
	printf("size %ld\n", (long)st.st_size);
	close(fd);
	unlink(F("map.bin"));
}

static void truncated_mapping(void)
{
	int fd = open(F("trunc.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[2 * PAGE];

	memset(buf, 't', sizeof(buf));
	write(fd, buf, sizeof(buf));
	char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       0);
	s[PAGE + 1] = 'u';
	ftruncate(fd, PAGE + 10);
	printf("after truncate: in-file byte %c, zeroed tail %d\n",
	       s[PAGE + 1], s[PAGE + 20] == 0);
	munmap(s, 2 * PAGE);
	close(fd);
	unlink(F("trunc.bin"));
}

static int cloexec_of(int fd)
{
	long r = sys(SYS_fcntl64, fd, LX_F_GETFD, 0);

	return r < 0 ? -mmulab_linux_errno : (int)(r & LX_FD_CLOEXEC);
}

static void descriptors(void)
{
	int fd = open(F("c.txt"), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		      0644);

	printf("O_CLOEXEC sets FD_CLOEXEC: %d\n", cloexec_of(fd));
	int d = dup(fd);
	printf("dup: lowest free %d clears cloexec %d\n", d == fd + 1,
	       cloexec_of(d));
	write(fd, "abc", 3);
	printf("dup shares the offset: %ld\n", (long)lseek(d, 0, SEEK_CUR));
	int d2 = dup2(fd, 20);
	printf("dup2 to 20: %d cloexec %d\n", d2, cloexec_of(20));
	printf("dup2 same fd: %d\n", dup2(fd, fd) == fd);
	report("dup2 bad old fd", dup2(99, 21));
	report("dup3 same fd", sys(SYS_dup3, fd, fd, 0));
	report("dup3 O_CLOEXEC", sys(SYS_dup3, fd, 22, LX_O_CLOEXEC));
	printf("dup3 cloexec %d\n", cloexec_of(22));
	report("dup3 bad flags", sys(SYS_dup3, fd, 23, 1));
	report("F_SETFD 0", sys(SYS_fcntl64, fd, LX_F_SETFD, 0));
	printf("cleared %d\n", cloexec_of(fd));
	report("F_GETFL accmode", sys(SYS_fcntl64, fd, LX_F_GETFL, 0) & 3);
	report("close 20", close(20));
	report("close 20 again", close(20));
	report("fcntl on closed", sys(SYS_fcntl64, 20, LX_F_GETFD, 0));
	report("close -1", close(-1));
	close(d);
	close(22);
	close(fd);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listing(void)
{
	char buf[1024];
	char *names[32];
	int n = 0;

	make_dir(F("sub"), 0755);
	close(open(F("a.txt"), O_WRONLY | O_CREAT, 0644));
	close(open(F("b.txt"), O_WRONLY | O_CREAT, 0644));
	int fd = open(DIR_NAME, O_RDONLY | O_DIRECTORY);
	report("open dir", fd >= 0 ? 0 : -1);
	report("read() on a directory", read(fd, buf, sizeof(buf)));
	for (;;) {
		long len = sys(SYS_getdents64, fd, (long)buf, sizeof(buf));
		if (len <= 0)
			break;
		for (long off = 0; off < len;) {
			/* d_ino 8, d_off 8, d_reclen 2, d_type 1, name */
			unsigned short reclen;
			memcpy(&reclen, buf + off + 16, 2);
			unsigned char type = (unsigned char)buf[off + 18];
			char *name = buf + off + 19;
			if (n < 32) {
				names[n] = malloc(strlen(name) + 4);
				sprintf(names[n], "%s %c", name,
					type == 4 ? 'd' : type == 8 ? 'f' : '?');
				n++;
			}
			off += reclen;
		}
	}
	close(fd);
	qsort(names, n, sizeof(names[0]), cmp_str);
	printf("listing of %s (%d entries):\n", DIR_NAME, n);
	for (int i = 0; i < n; i++) {
		printf("  %s\n", names[i]);
		free(names[i]);
	}
	report("getdents64 on a file",
	       sys(SYS_getdents64, open(F("a.txt"), O_RDONLY), (long)buf,
		   sizeof(buf)));
	struct stat st;
	report("stat dir", stat(F("sub"), &st));
	printf("  is dir %d\n", S_ISDIR(st.st_mode));
	report("rmdir sub", rmdir(F("sub")));
}

int main(void)
{
	cleanup();
	report("mkdir", make_dir(DIR_NAME, 0755));
	report("mkdir again", make_dir(DIR_NAME, 0755));
	basic_io();
	unlinked_but_open();
	mappings();
	truncated_mapping();
	descriptors();
	listing();
	cleanup();
	report("rmdir after cleanup", rmdir(DIR_NAME));
	return 0;
}
