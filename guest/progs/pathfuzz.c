/*
 * Path fuzzer: thousands of seeded name calls (open, unlink, rmdir,
 * mkdir, rename, link, symlink, readlink, truncate, utimensat, chdir,
 * fchdir, getcwd, statx) on paths built from hostile pieces ("..", ".",
 * "/", symlinks, trailing slashes, /proc links, over-long names).  The
 * kernel must never fail and nothing outside the sandbox may change
 * (tests/sandbox.sh checks a sentinel next to the root).  Run under
 * mmulab only, with --root on a scratch directory, never under qemu:
 * there the calls would reach the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmulab.h"

#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
#define AT_FDCWD (-100)

static uint32_t state = 0x2545f491u;

static uint32_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

static const char *const pieces[] = {
	"..",	".",   "",	"a",	    "b",	 "sub",	 "lnk", "abs",
	"loop", "up",  "../..", "proc",	    "self",	 "fd",	 "3",	"cwd",
	"root", "exe", "x:ro",	"sentinel", "..sandbox", "data",
};

static char longname[300];

/* A random path of up to 6 pieces, maybe absolute, maybe with a slash
 * at the end. */
static void make_path(char *p, size_t len)
{
	size_t n = 0;
	int parts = 1 + (int)(rnd() % 6);

	p[0] = '\0';
	if (rnd() % 2)
		p[n++] = '/';
	for (int i = 0; i < parts; i++) {
		const char *s = rnd() % 40 ? pieces[rnd() % (sizeof(pieces) /
							     sizeof(*pieces))] :
					     longname;
		size_t l = strlen(s);
		if (n + l + 2 >= len)
			break;
		memcpy(p + n, s, l);
		n += l;
		if (i + 1 < parts || rnd() % 4 == 0)
			p[n++] = '/';
	}
	p[n] = '\0';
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;
	static char p1[512], p2[512], buf[512];
	long fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };

	memset(longname, 'L', sizeof(longname) - 1);
	SYS(34, AT_FDCWD, "/a", 0755, 0, 0, 0);
	SYS(34, AT_FDCWD, "/a/b", 0755, 0, 0, 0);
	SYS(36, "a/b", AT_FDCWD, "/lnk", 0, 0, 0);
	SYS(36, "/a", AT_FDCWD, "/abs", 0, 0, 0);
	SYS(36, "loop", AT_FDCWD, "/loop", 0, 0, 0);
	SYS(36, "../../../../../", AT_FDCWD, "/up", 0, 0, 0);
	for (int r = 0; r < rounds; r++) {
		int dirfd = rnd() % 3 ? AT_FDCWD : (int)fds[rnd() % 8];
		int64_t ts[4] = { rnd(), rnd() % 1000000000, rnd(), rnd() };
		long fd;

		make_path(p1, sizeof(p1));
		make_path(p2, sizeof(p2));
		switch (rnd() % 15) {
		case 0:
		case 1:
			fd = SYS(56, dirfd, p1, rnd() & 0x2c3c3, 0644, 0, 0);
			if (fd >= 0) {
				int slot = (int)(rnd() % 8);
				if (fds[slot] >= 0)
					SYS(57, fds[slot], 0, 0, 0, 0, 0);
				fds[slot] = fd;
			}
			break;
		case 2:
			SYS(35, dirfd, p1, rnd() % 2 ? 0x200 : 0, 0, 0, 0);
			break;
		case 3:
			SYS(34, dirfd, p1, 0755, 0, 0, 0);
			break;
		case 4:
			SYS(276, dirfd, p1, AT_FDCWD, p2, rnd() % 3, 0);
			break;
		case 5:
			SYS(37, dirfd, p1, AT_FDCWD, p2, 0, 0);
			break;
		case 6:
			SYS(36, p1, dirfd, p2, 0, 0, 0);
			break;
		case 7:
			SYS(78, dirfd, p1, buf, sizeof(buf), 0, 0);
			break;
		case 8:
			SYS(45, p1, rnd() % 16, 0, 0, 0, 0);
			break;
		case 9:
			SYS(412, dirfd, rnd() % 8 ? p1 : NULL,
			    rnd() % 2 ? ts : NULL, rnd() % 2 ? 0x100 : 0, 0, 0);
			break;
		case 10:
			SYS(49, p1, 0, 0, 0, 0, 0);
			break;
		case 11:
			SYS(50, fds[rnd() % 8], 0, 0, 0, 0, 0);
			break;
		case 12:
			SYS(17, buf, rnd() % 2 ? sizeof(buf) : rnd() % 8, 0, 0,
			    0, 0);
			break;
		case 13:
			SYS(291, dirfd, p1, rnd() % 2 ? 0x100 : 0x1000, 0xfff,
			    buf, 0);
			break;
		default:
			SYS(48, dirfd, p1, rnd() % 8, 0, 0, 0);
		}
	}
	printf("pathfuzz: %d rounds done\n", rounds);
	return 0;
}
