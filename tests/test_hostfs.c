/*
 * hostfs path resolution (fs/namei.c, fs/hostfs.c), called as the guest
 * calls it: "..", symlinks inside and out of the root, absolute symlinks,
 * dirfd-relative lookups, trailing slashes, ENOTDIR, ELOOP, ENAMETOOLONG,
 * a renamed working directory, and that no answer names a host path.
 *
 * Each test gets a fresh sandbox:
 *	ROOT/data		"root-data"
 *	ROOT/sub/file		"sub-file"
 *	ROOT/etc/passwd		"sandbox passwd"
 *	ROOT/lnk -> sub/file	ROOT/abs -> /sub	ROOT/out -> /etc/passwd
 *	ROOT/up -> ../../../../etc/hostname	(outside: inside the root, missing)
 *	ROOT/loop1 -> loop2 -> loop1
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kharness.h"

#define AT_FDCWD_ (-100)
#define O_RDONLY_ 0
#define O_WRONLY_ 1
#define O_CREAT_ 0100
#define O_DIRECTORY_ 0200000
#define O_NOFOLLOW_ 0400000
#define AT_REMOVEDIR_ 0x200

static struct kh *h;
static char root[64];
static gva_t ubuf; /* a user page for path strings */
static gva_t uout; /* a user page for results */

static void put(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f, "%s", p);
	fputs(text, f);
	fclose(f);
}

static void lnk(const char *target, const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	cr_assert_eq(symlink(target, p), 0);
}

static void setup(void)
{
	char p[256];

	strcpy(root, "/tmp/test_hostfs.XXXXXX");
	cr_assert_not_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/sub", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc", root);
	mkdir(p, 0755);
	put("data", "root-data");
	put("sub/file", "sub-file");
	put("etc/passwd", "sandbox passwd");
	lnk("sub/file", "lnk");
	lnk("/sub", "abs");
	lnk("/etc/passwd", "out");
	lnk("../../../../etc/hostname", "up");
	lnk("loop2", "loop1");
	lnk("loop1", "loop2");
	struct kh_config cfg = { .root = root };
	h = kh_boot(&cfg);
	ubuf = kh_mmap_anon(h, 0, 2 * PAGE_SIZE, KH_PROT_RW);
	uout = kh_mmap_anon(h, 0, 2 * PAGE_SIZE, KH_PROT_RW);
}

static void teardown(void)
{
	char cmd[128];

	kh_shutdown(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(hostfs, .init = setup, .fini = teardown);

/* @s as a user string (the second argument slot when @second). */
static gva_t ustr(const char *s, bool second)
{
	gva_t a = ubuf + (second ? PAGE_SIZE : 0);
	cr_assert_lt(strlen(s), PAGE_SIZE);
	cr_assert_eq(copy_to_user(&h->k, a, s, (uint32_t)strlen(s) + 1), 0);
	return a;
}

static long openat_(int dirfd, const char *path, int flags)
{
	return sys_openat(&h->k, dirfd, ustr(path, false), flags, 0644);
}

static long open_(const char *path, int flags)
{
	return openat_(AT_FDCWD_, path, flags);
}

/* The first bytes of guest fd @fd, closed after. */
static const char *slurp(long fd)
{
	static char text[64];

	cr_assert_geq(fd, 0, "open failed: %ld", fd);
	long n = sys_read(&h->k, (int)fd, uout, sizeof(text) - 1);
	cr_assert_geq(n, 0);
	cr_assert_eq(copy_from_user(&h->k, text, uout, (uint32_t)n), 0);
	text[n] = '\0';
	sys_close(&h->k, (int)fd);
	return text;
}

static const char *cwd_(void)
{
	static char text[256];
	long n = sys_getcwd(&h->k, uout, sizeof(text));
	cr_assert_gt(n, 0, "getcwd: %ld", n);
	cr_assert_eq(copy_from_user(&h->k, text, uout, (uint32_t)n), 0);
	return text;
}

static const char *readlink_(const char *path)
{
	static char text[256];
	long n = sys_readlinkat(&h->k, AT_FDCWD_, ustr(path, false), uout,
				sizeof(text) - 1);
	if (n < 0)
		snprintf(text, sizeof(text), "errno %ld", -n);
	else if (copy_from_user(&h->k, text, uout, (uint32_t)n) == 0)
		text[n] = '\0';
	return text;
}

Test(hostfs, dotdot_stops_at_the_root)
{
	cr_expect_str_eq(slurp(open_("/../../data", O_RDONLY_)), "root-data");
	cr_expect_str_eq(slurp(open_("../../../data", O_RDONLY_)), "root-data");
	cr_expect_str_eq(slurp(open_("sub/../data", O_RDONLY_)), "root-data");
	cr_expect_str_eq(slurp(open_("/sub/../../sub/file", O_RDONLY_)),
			 "sub-file");
}

Test(hostfs, symlinks_inside_and_out)
{
	cr_expect_str_eq(slurp(open_("lnk", O_RDONLY_)), "sub-file");
	/* Absolute targets are taken from the sandbox root. */
	cr_expect_str_eq(slurp(open_("abs/file", O_RDONLY_)), "sub-file");
	cr_expect_str_eq(slurp(open_("out", O_RDONLY_)), "sandbox passwd");
	/* ".." in a target stops at the root too: ROOT/etc/hostname. */
	cr_expect_eq(open_("up", O_RDONLY_), -ENOENT);
	put("etc/hostname", "sandbox host");
	cr_expect_str_eq(slurp(open_("up", O_RDONLY_)), "sandbox host");
	cr_expect_str_eq(readlink_("out"), "/etc/passwd");
	cr_expect_eq(open_("lnk", O_RDONLY_ | O_NOFOLLOW_), -ELOOP);
}

Test(hostfs, symlink_loops_are_eloop)
{
	cr_expect_eq(open_("loop1", O_RDONLY_), -ELOOP);
	cr_expect_eq(open_("loop1/x", O_RDONLY_), -ELOOP);
}

Test(hostfs, dirfd_relative)
{
	long d = open_("/sub", O_RDONLY_ | O_DIRECTORY_);
	long f = open_("/data", O_RDONLY_);

	cr_assert_geq(d, 0, "open /sub: %ld", d);
	cr_expect_str_eq(slurp(openat_((int)d, "file", O_RDONLY_)), "sub-file");
	cr_expect_str_eq(slurp(openat_((int)d, "../data", O_RDONLY_)),
			 "root-data");
	cr_expect_str_eq(slurp(openat_((int)d, "../../../data", O_RDONLY_)),
			 "root-data");
	/* An absolute path ignores the dirfd. */
	cr_expect_str_eq(slurp(openat_((int)d, "/data", O_RDONLY_)),
			 "root-data");
	cr_expect_eq(openat_((int)f, "x", O_RDONLY_), -ENOTDIR);
	cr_expect_eq(openat_(99, "x", O_RDONLY_), -EBADF);
	cr_expect_eq(openat_(-5, "x", O_RDONLY_), -EBADF);
	/* ...and an absolute path needs no valid dirfd at all. */
	cr_expect_str_eq(slurp(openat_(99, "/data", O_RDONLY_)), "root-data");
}

Test(hostfs, enotdir_and_trailing_slashes)
{
	cr_expect_eq(open_("data/x", O_RDONLY_), -ENOTDIR);
	cr_expect_eq(open_("data/", O_RDONLY_), -ENOTDIR);
	cr_expect_eq(open_("data/.", O_RDONLY_), -ENOTDIR);
	cr_expect_geq(open_("sub/", O_RDONLY_), 0);
	cr_expect_eq(open_("/sub", O_RDONLY_ | O_DIRECTORY_ | O_WRONLY_),
		     -EISDIR);
	cr_expect_eq(open_("data", O_RDONLY_ | O_DIRECTORY_), -ENOTDIR);
	/* mkdir takes a trailing slash; unlink and rename of a file do not. */
	cr_expect_eq(
		sys_mkdirat(&h->k, AT_FDCWD_, ustr("newdir/", false), 0755), 0);
	cr_expect_eq(sys_unlinkat(&h->k, AT_FDCWD_, ustr("data/", false), 0),
		     -ENOTDIR);
	cr_expect_eq(sys_renameat2(&h->k, AT_FDCWD_, ustr("data/", false),
				   AT_FDCWD_, ustr("moved", true), 0),
		     -ENOTDIR);
	cr_expect_eq(sys_renameat2(&h->k, AT_FDCWD_, ustr("data", false),
				   AT_FDCWD_, ustr("moved/", true), 0),
		     -ENOTDIR);
	cr_expect_eq(sys_symlinkat(&h->k, ustr("data", false), AT_FDCWD_,
				   ustr("newlink/", true)),
		     -ENOENT);
	char p[256];
	snprintf(p, sizeof(p), "%s/data", root);
	cr_expect_eq(access(p, F_OK), 0, "data was removed or moved");
	cr_expect_eq(sys_unlinkat(&h->k, AT_FDCWD_, ustr("newdir/", false),
				  AT_REMOVEDIR_),
		     0);
	/* A directory renamed with trailing slashes on both sides. */
	cr_expect_eq(sys_renameat2(&h->k, AT_FDCWD_, ustr("sub/", false),
				   AT_FDCWD_, ustr("sub2/", true), 0),
		     0);
	cr_expect_str_eq(slurp(open_("/sub2/file", O_RDONLY_)), "sub-file");
}

Test(hostfs, enametoolong)
{
	char name[300], path[5000];

	memset(name, 'n', 256);
	name[256] = '\0';
	cr_expect_eq(open_(name, O_RDONLY_), -ENAMETOOLONG);
	cr_expect_eq(sys_mkdirat(&h->k, AT_FDCWD_, ustr(name, false), 0755),
		     -ENAMETOOLONG);
	/* A path of PATH_MAX bytes without its NUL. */
	memset(path, 'a', sizeof(path));
	for (int i = 1; i < 4096; i += 2)
		path[i] = '/';
	cr_assert_eq(copy_to_user(&h->k, ubuf, path, 4096), 0);
	cr_expect_eq(sys_openat(&h->k, AT_FDCWD_, ubuf, O_RDONLY_, 0),
		     -ENAMETOOLONG);
	/* Empty is ENOENT; an unmapped path is EFAULT. */
	cr_expect_eq(open_("", O_RDONLY_), -ENOENT);
	cr_expect_eq(sys_openat(&h->k, AT_FDCWD_, 0x1000, O_RDONLY_, 0),
		     -EFAULT);
}

Test(hostfs, renamed_cwd_is_followed)
{
	cr_assert_eq(sys_chdir(&h->k, ustr("/sub", false)), 0);
	cr_expect_str_eq(cwd_(), "/sub");
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s/sub", root);
	snprintf(b, sizeof(b), "%s/moved", root);
	cr_assert_eq(rename(a, b), 0);
	cr_expect_str_eq(cwd_(), "/moved");
	cr_expect_str_eq(readlink_("/proc/self/cwd"), "/moved");
	cr_expect_str_eq(slurp(open_("file", O_RDONLY_)), "sub-file");
	mkdir(a, 0755); /* a new "sub" is not where we are */
	cr_expect_str_eq(slurp(open_("file", O_RDONLY_)), "sub-file");
	cr_expect_str_eq(slurp(open_("../data", O_RDONLY_)), "root-data");
	/* Removed: getcwd and relative lookups are ENOENT, as on Linux. */
	char f[300];
	snprintf(f, sizeof(f), "%s/file", b);
	unlink(f);
	rmdir(b);
	cr_expect_eq(sys_getcwd(&h->k, uout, 256), -ENOENT);
	cr_expect_eq(open_("x", O_RDONLY_ | O_CREAT_), -ENOENT);
	cr_expect_str_eq(readlink_("/proc/self/cwd"), "/sub (deleted)");
	cr_expect_eq(sys_chdir(&h->k, ustr("/", false)), 0);
	cr_expect_str_eq(cwd_(), "/");
}

/* A directory moved out of the root (by the host) is never shown by its
 * host path. */
Test(hostfs, no_host_path_outside_the_root)
{
	char a[256], b[256], link[64];
	long d = open_("/sub", O_RDONLY_ | O_DIRECTORY_);

	cr_assert_geq(d, 0);
	cr_assert_eq(sys_chdir(&h->k, ustr("/sub", false)), 0);
	snprintf(a, sizeof(a), "%s/sub", root);
	snprintf(b, sizeof(b), "%s.outside", root);
	cr_assert_eq(rename(a, b), 0);
	cr_expect_eq(sys_getcwd(&h->k, uout, 256), -ENOENT);
	snprintf(link, sizeof(link), "/proc/self/fd/%ld", d);
	const char *t = readlink_(link);
	cr_expect_null(strstr(t, "outside"), "host path shown: %s", t);
	cr_expect_null(strstr(readlink_("/proc/self/cwd"), "outside"));
	cr_expect_eq(openat_((int)d, "file", O_RDONLY_), -ENOENT);
	cr_expect_str_eq(readlink_("/proc/self/root"), "/");
	cr_assert_eq(rename(b, a), 0);
	cr_expect_str_eq(cwd_(), "/sub");
}

/* /proc paths are served by procfs, never by a ROOT/proc on the host. */
Test(hostfs, proc_never_reaches_the_host)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/proc", root);
	mkdir(p, 0755);
	put("proc/meminfo", "host file");
	const char *t = slurp(open_("/proc/meminfo", O_RDONLY_));
	cr_expect_neq(strncmp(t, "host file", 9), 0);
	cr_expect_str_eq(readlink_("/proc/self/root"), "/");
}

/* "/", "." and ".." as the last component of a name call get Linux's
 * errors and never act on the directory they collapse to. */
Test(hostfs, dot_and_dotdot_last_components)
{
	struct kernel *k = &h->k;
	char p[256];

	cr_expect_eq(sys_unlinkat(k, AT_FDCWD_, ustr("sub/.", false),
				  AT_REMOVEDIR_),
		     -EINVAL);
	cr_expect_eq(sys_unlinkat(k, AT_FDCWD_, ustr("sub/..", false),
				  AT_REMOVEDIR_),
		     -ENOTEMPTY);
	cr_expect_eq(sys_unlinkat(k, AT_FDCWD_, ustr("/", false),
				  AT_REMOVEDIR_),
		     -EBUSY);
	cr_expect_eq(sys_unlinkat(k, AT_FDCWD_, ustr("sub/.", false), 0),
		     -EISDIR);
	cr_expect_eq(sys_mkdirat(k, AT_FDCWD_, ustr("/", false), 0755),
		     -EEXIST);
	cr_expect_eq(sys_mkdirat(k, AT_FDCWD_, ustr("sub/..", false), 0755),
		     -EEXIST);
	cr_expect_eq(sys_renameat2(k, AT_FDCWD_, ustr("sub/.", false),
				   AT_FDCWD_, ustr("x", true), 0),
		     -EBUSY);
	cr_expect_eq(sys_symlinkat(k, ustr("data", false), AT_FDCWD_,
				   ustr("sub/..", true)),
		     -EEXIST);
	cr_expect_eq(sys_linkat(k, AT_FDCWD_, ustr("sub/.", false), AT_FDCWD_,
				ustr("x", true), 0),
		     -EPERM);
	snprintf(p, sizeof(p), "%s/sub/file", root);
	cr_expect_eq(access(p, F_OK), 0, "sub was removed");
}

/* truncate(path) keeps the page cache in step with the host file. */
Test(hostfs, truncate_by_path)
{
	struct kernel *k = &h->k;
	long fd = open_("/data", O_RDONLY_);
	char p[256];
	struct stat st;

	cr_assert_geq(fd, 0);
	cr_expect_eq(sys_read(k, (int)fd, uout, 64), 9); /* cached now */
	cr_expect_eq(sys_truncate64(k, ustr("lnk", false), 3, 0), 0);
	snprintf(p, sizeof(p), "%s/sub/file", root);
	cr_expect_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_size, 3);
	cr_expect_eq(sys_truncate64(k, ustr("/data", false), 4, 0), 0);
	cr_expect_str_eq(slurp(open_("/data", O_RDONLY_)), "root");
	cr_expect_eq(sys_truncate64(k, ustr("/sub", false), 0, 0), -EISDIR);
	cr_expect_eq(sys_truncate64(k, ustr("/nope", false), 0, 0), -ENOENT);
	cr_expect_eq(sys_truncate64(k, ustr("/data", false), 0, 0x80000000u),
		     -EINVAL);
	sys_close(k, (int)fd);
}

Test(hostfs, utimensat)
{
	struct kernel *k = &h->k;
	int64_t t[4] = { 1000000000, 5, 1234567890, 0 };
	char p[256], l[256];
	struct stat st;

	cr_assert_eq(copy_to_user(k, uout, t, sizeof(t)), 0);
	cr_expect_eq(sys_utimensat_time64(k, AT_FDCWD_, ustr("lnk", false),
					  uout, 0),
		     0);
	snprintf(p, sizeof(p), "%s/sub/file", root);
	cr_expect_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mtime, 1234567890);
	cr_expect_eq(st.st_atime, 1000000000);
	/* NOFOLLOW changes the link itself. */
	t[2] = 1111111111;
	cr_assert_eq(copy_to_user(k, uout, t, sizeof(t)), 0);
	cr_expect_eq(sys_utimensat_time64(k, AT_FDCWD_, ustr("lnk", false),
					  uout, 0x100),
		     0);
	snprintf(l, sizeof(l), "%s/lnk", root);
	cr_expect_eq(lstat(l, &st), 0);
	cr_expect_eq(st.st_mtime, 1111111111);
	cr_expect_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mtime, 1234567890);
	/* futimens: a NULL path is the dirfd's file. */
	long fd = open_("/data", O_RDONLY_);
	cr_expect_eq(sys_utimensat_time64(k, (int)fd, 0, uout, 0), 0);
	snprintf(p, sizeof(p), "%s/data", root);
	cr_expect_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mtime, 1111111111);
	t[1] = 1000000000;
	cr_assert_eq(copy_to_user(k, uout, t, sizeof(t)), 0);
	cr_expect_eq(sys_utimensat_time64(k, AT_FDCWD_, ustr("/data", false),
					  uout, 0),
		     -EINVAL);
	cr_expect_eq(sys_utimensat_time64(k, AT_FDCWD_, ustr("/nope", false), 0,
					  0),
		     -ENOENT);
	cr_expect_eq(sys_utimensat_time64(k, AT_FDCWD_, ustr("", false), 0, 0),
		     -ENOENT);
}

/* A trailing slash (or "." / "..") makes the last component followed,
 * even by readlink and AT_SYMLINK_NOFOLLOW. */
Test(hostfs, trailing_slash_follows_links)
{
	struct kernel *k = &h->k;

	cr_expect_str_eq(readlink_("abs"), "/sub");
	cr_expect_str_eq(readlink_("abs/"), "errno 22");
	cr_expect_str_eq(readlink_("lnk/"), "errno 20");
	cr_expect_str_eq(readlink_("sub/.."), "errno 22");
	/* statx with AT_SYMLINK_NOFOLLOW: "abs" is a link, "abs/" the dir. */
	struct statx sx;
	cr_expect_eq(sys_statx(k, AT_FDCWD_, ustr("abs", false), 0x100, 0xfff,
			       uout),
		     0);
	cr_assert_eq(copy_from_user(k, &sx, uout, sizeof(sx)), 0);
	cr_expect(S_ISLNK(sx.stx_mode));
	cr_expect_eq(sys_statx(k, AT_FDCWD_, ustr("abs/", false), 0x100, 0xfff,
			       uout),
		     0);
	cr_assert_eq(copy_from_user(k, &sx, uout, sizeof(sx)), 0);
	cr_expect(S_ISDIR(sx.stx_mode));
	cr_expect_eq(sys_statx(k, AT_FDCWD_, ustr("lnk/", false), 0x100, 0xfff,
			       uout),
		     -ENOTDIR);
}
