/*
 * Lesson: mmap of a file, MAP_SHARED vs MAP_PRIVATE
 * (examples/lesson-mmap.mmu).
 *
 * Both kinds of mapping read the file's pages from the page cache.  A store
 * through a MAP_SHARED mapping writes the page-cache page itself: every
 * other mapper of the file sees it at once, read() sees it, and it reaches
 * the file on disk (msync, or later writeback).  A store through a
 * MAP_PRIVATE mapping faults and the kernel gives this mapping its own
 * copy of the page (copy-on-write): the file and the other mappers never
 * see it.  Until that first store, a private mapping still shows the
 * shared page, including other processes' shared writes.
 *
 * Usage: lesson_mmap [FILE]   (default lesson-mmap.txt, left behind so
 * that you can look at it afterwards: its first bytes are "Shared...")
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define LEN (2 * PAGE)

/* The three mappings and what the file holds at the end: the REPL
 * script looks at them at after_stores and lesson_done. */
char *shared, *other, *priv;
char file_at_0, file_at_100, file_at_4096;

void __attribute__((noinline)) after_stores(void) { __asm__ volatile(""); }
void __attribute__((noinline)) lesson_done(void) { __asm__ volatile(""); }

static char file_byte(int fd, off_t off)
{
	char c = '?';

	if (pread(fd, &c, 1, off) != 1)
		return '?';
	return c;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "lesson-mmap.txt";
	static char page[PAGE];
	pid_t pid;
	int fd, status;

	/* a file of two pages: "file page 0 ...", "file page 1 ..." */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		memset(page, '.', PAGE);
		page[PAGE - 1] = '\n';
		snprintf(page, 32, "file page %d", i);
		page[strlen(page)] = ' ';
		if (write(fd, page, PAGE) != PAGE) {
			perror("write");
			return 1;
		}
	}
	shared = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	other = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	priv = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (shared == MAP_FAILED || other == MAP_FAILED || priv == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("three mappings of %s: shared (rw), other (shared, ro), "
	       "private (rw)\n", path);

	/* 1. a store through the shared mapping */
	memcpy(shared, "Shared", 6);
	printf("store 'Shared' through shared[0]:\n");
	printf("  other[0..5] = %.6s, private[0..5] = %.6s, file bytes 0..5 "
	       "(read) = ", other, priv);
	for (int i = 0; i < 6; i++)
		putchar(file_byte(fd, i));
	putchar('\n');

	/* 2. a store through the private mapping: copy-on-write */
	memcpy(priv + PAGE, "Private", 7);
	printf("store 'Private' through private[4096]:\n");
	printf("  shared[4096..] = %.11s, file byte 4096 = '%c' (unchanged)\n",
	       shared + PAGE, file_byte(fd, PAGE));

	/* 3. after its copy, the private page no longer follows the file */
	memcpy(shared + PAGE, "Later", 5);
	printf("store 'Later' through shared[4096]:\n");
	printf("  private[4096..] = %.7s (its own copy), other[4096..] = %.5s\n",
	       priv + PAGE, other + PAGE);

	after_stores();

	/* 4. another process: a child maps the file shared and writes */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			       fd, 0);
		if (m == MAP_FAILED)
			_exit(1);
		memcpy(m + 100, "child", 5);
		_exit(munmap(m, PAGE) ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	printf("a child stored 'child' at offset 100 of its own shared map:\n");
	printf("  shared[100..] = %.5s, private[100..] = %.5s (page 0 not "
	       "copied yet)\n", shared + 100, priv + 100);

	if (msync(shared, LEN, MS_SYNC) < 0)
		perror("msync");
	munmap(shared, LEN);
	munmap(other, LEN);
	munmap(priv, LEN);
	close(fd);

	/* 5. the file as anyone reads it now */
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	printf("%s after munmap: offset 0 \"", path);
	for (int i = 0; i < 6; i++)
		putchar(file_byte(fd, i));
	printf("\", offset 100 \"");
	for (int i = 100; i < 105; i++)
		putchar(file_byte(fd, i));
	printf("\", offset 4096 \"");
	for (int i = PAGE; i < PAGE + 5; i++)
		putchar(file_byte(fd, i));
	printf("\"\n");
	file_at_0 = file_byte(fd, 0);
	file_at_100 = file_byte(fd, 100);
	file_at_4096 = file_byte(fd, PAGE);
	close(fd);
	lesson_done();
	return 0;
}
