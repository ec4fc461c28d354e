/*
 * A file unlinked and a new one created in its place: the new file's
 * contents are its own, never the old file's pages from the page cache,
 * even when the host gives the new file the old one's inode number.
 *
 *   fsreuse [ROUNDS]   (ROUNDS defaults to 64)
 *
 * Each round creates "fsreuse.tmp", writes 16 bytes of its own, extends it
 * to 4 KiB with ftruncate (the rest reads as zeros), fsyncs and closes it
 * (the cache keeps its pages, the host descriptor goes), reads it back
 * through a new open, fills it with its pattern, reads it again, and
 * unlinks it.  Then ROUNDS/4 rounds rename a new file over a cached one
 * and create a third.  Prints the rounds whose reads saw other bytes; the
 * same output under qemu-riscv32.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

#define NAME "fsreuse.tmp"
#define NEW "fsreuse.new"
#define OTHER "fsreuse.3"
#define NR_renameat2 276
#define AT_FDCWD_ (-100)

static char buf[4096], got[4096];

/* Create @name with 16 bytes of @tag and zeros up to 4 KiB (ftruncate);
 * -1 on failure. */
static int make_small(const char *name, const char *tag)
{
	int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0644);

	memset(buf, 0, sizeof(buf));
	snprintf(buf, 16, "%s", tag);
	if (fd < 0 || write(fd, buf, 16) != 16 ||
	    ftruncate(fd, sizeof(buf)) || fsync(fd) || close(fd))
		return -1;
	return 0;
}

/* Does @name read back as buf?  -1 when it cannot be read. */
static int same(const char *name)
{
	int fd = open(name, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : pread(fd, got, sizeof(got), 0);

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(got))
		return -1;
	return !memcmp(buf, got, sizeof(buf));
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 64, bad = 0;

	for (int r = 0; r < rounds; r++) {
		int fd = open(NAME, O_RDWR | O_CREAT | O_EXCL, 0644);

		if (fd < 0) {
			printf("round %d: create failed\n", r);
			return 1;
		}
		memset(buf, 0, sizeof(buf));
		sprintf(buf, "round %d", r);
		if (write(fd, buf, 16) != 16 || ftruncate(fd, sizeof(buf)) ||
		    fsync(fd) || close(fd)) {
			printf("round %d: write failed\n", r);
			return 1;
		}
		for (int pass = 0; pass < 2; pass++) {
			fd = open(NAME, O_RDWR);
			if (fd < 0 || pread(fd, got, sizeof(got), 0) !=
					      (ssize_t)sizeof(got)) {
				printf("round %d: read failed\n", r);
				return 1;
			}
			if (memcmp(buf, got, sizeof(buf))) {
				printf("round %d pass %d: read \"%.12s\", "
				       "byte 100 %#x\n", r, pass, got,
				       got[100] & 0xff);
				bad++;
			}
			/* the second pass: the whole page is the pattern */
			memset(buf, 'A' + r % 26, sizeof(buf));
			if (pwrite(fd, buf, sizeof(buf), 0) !=
				    (ssize_t)sizeof(buf) || fsync(fd) || close(fd)) {
				printf("round %d: rewrite failed\n", r);
				return 1;
			}
		}
		unlink(NAME);
	}
	/* rename over a cached file, then create another one */
	for (int r = 0; r < rounds / 4; r++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "old %d", r);
		if (make_small(NAME, tag) || same(NAME) != 1) {
			printf("rename round %d: setup failed\n", r);
			return 1;
		}
		snprintf(tag, sizeof(tag), "new %d", r);
		if (make_small(NEW, tag) ||
		    mmulab_syscall(NR_renameat2, AT_FDCWD_, (long)NEW, AT_FDCWD_,
				   (long)NAME, 0, 0)) {
			printf("rename round %d: rename failed\n", r);
			return 1;
		}
		if (same(NAME) != 1) {
			printf("rename round %d: renamed file reads \"%.12s\"\n",
			       r, got);
			bad++;
		}
		snprintf(tag, sizeof(tag), "other %d", r);
		if (make_small(OTHER, tag)) {
			printf("rename round %d: create failed\n", r);
			return 1;
		}
		if (same(OTHER) != 1) {
			printf("rename round %d: new file reads \"%.12s\"\n",
			       r, got);
			bad++;
		}
		unlink(OTHER);
		unlink(NAME);
	}
	printf("fsreuse: %d rounds, %d reads saw other bytes\n", rounds, bad);
	return bad != 0;
}
