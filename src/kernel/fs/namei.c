/*
 * Path resolution in the hostfs sandbox (Linux fs/namei.c).
 *
 * Every path is resolved by the host kernel with openat2() and
 * RESOLVE_IN_ROOT against the root directory fd, so "..", absolute paths
 * and symlinks are all confined to the root (a symlink to /etc/passwd
 * resolves to ROOT/etc/passwd).  Calls that act on a name rather than an
 * open file (unlinkat, mkdirat, statx with AT_SYMLINK_NOFOLLOW) resolve the
 * parent directory that way and act on the last component relative to it.
 * /proc paths never reach the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/fs/fs.h"
#include "kernel/fs/namei.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"

/* Lexically normalise @in (absolute or relative to "/") into @out. */
void normalize_path(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	const char *p = in;

	out[0] = '\0';
	while (*p) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - s);
		if (!len || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
			continue;
		}
		if (n + 1 + len + 1 > outlen)
			break;
		out[n++] = '/';
		memcpy(out + n, s, len);
		n += len;
		out[n] = '\0';
	}
	if (!n) {
		out[0] = '/';
		out[1] = '\0';
	}
}

bool is_proc_path(const char *norm)
{
	return !strcmp(norm, "/proc") || !strncmp(norm, "/proc/", 6);
}

/* openat2 in the sandbox: a host fd or -errno. */
int sandbox_open(struct kernel *k, const char *path, int flags,
			int mode)
{
	struct open_how how = {
		.flags = (uint64_t)flags | O_CLOEXEC,
		/* openat2 refuses a mode it would not use; O_TMPFILE
		 * includes O_DIRECTORY, so test all of its bits. */
		.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
				? (uint64_t)mode
				: 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	const char *p = *path ? path : ".";
	long fd = syscall(SYS_openat2, k->root_fd, p, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* Split @path into a sandbox parent fd and the last component. */
int sandbox_parent(struct kernel *k, const char *path, char *base,
			  size_t baselen)
{
	char tmp[GUEST_PATH_MAX];

	/* Work on the lexically normalised path: the last component can
	 * then never be "..", which would name the directory holding the
	 * root, nor ".". */
	normalize_path(path, tmp, sizeof(tmp));
	char *slash = strrchr(tmp, '/');
	const char *dir = ".";
	const char *name = tmp;
	if (slash) {
		*slash = '\0';
		dir = slash == tmp ? "/" : tmp;
		name = slash + 1;
	}
	if (!*name)
		name = ".";
	if (strlen(name) + 1 > baselen)
		return -ENAMETOOLONG;
	strcpy(base, name);
	return sandbox_open(k, dir, O_PATH | O_DIRECTORY, 0);
}

long get_path(struct kernel *k, gva_t upath, char *buf)
{
	long n = strncpy_from_user(k, buf, upath, GUEST_PATH_MAX);

	if (n < 0)
		return n;
	return 0;
}

/*
 * The guest path of the host directory (or file) @hfd, wherever it is now:
 * the host's name for it (/proc/self/fd) with the root's host path taken
 * off.  A directory that was removed, or that is no longer under the root
 * (moved away on the host), is -ENOENT: a host path outside the root is
 * never shown.  Returns the length, -ENOENT or -ENAMETOOLONG.
 *
 * Example: root /tmp/sb, @hfd names /tmp/sb/e/f -> "/e/f"; root "/" ->
 * the host path itself.
 */
long hostfs_fd_path(struct kernel *k, int hfd, char *out, size_t len)
{
	char link[40], host[GUEST_PATH_MAX + 1], root[GUEST_PATH_MAX + 1];
	struct stat st;
	ssize_t hn, rn;

	if (fstat(hfd, &st) < 0 || st.st_nlink == 0)
		return -ENOENT;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", k->root_fd);
	rn = readlink(link, root, sizeof(root) - 1);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", hfd);
	hn = readlink(link, host, sizeof(host) - 1);
	if (rn <= 0 || hn <= 0 || host[0] != '/')
		return -ENOENT;
	if (hn >= (ssize_t)sizeof(host) - 1)
		return -ENAMETOOLONG;
	root[rn] = host[hn] = '\0';
	if (rn == 1)
		rn = 0; /* the root is the host's "/" */
	if (strncmp(host, root, (size_t)rn) ||
	    (host[rn] != '/' && host[rn] != '\0'))
		return -ENOENT;
	const char *rest = host[rn] ? host + rn : "/";
	size_t n = strlen(rest);
	if (n + 1 > len)
		return -ENAMETOOLONG;
	memcpy(out, rest, n + 1);
	return (long)n;
}

/* The current task's working directory as a guest path (@len bytes). */
long hostfs_cwd_path(struct kernel *k, const struct task *t, char *out,
		     size_t len)
{
	if (t->cwd_fd < 0) {
		size_t n = strlen(t->cwd);
		if (n + 1 > len)
			return -ENAMETOOLONG;
		memcpy(out, t->cwd, n + 1);
		return (long)n;
	}
	return hostfs_fd_path(k, t->cwd_fd, out, len);
}

/*
 * Make @path (GUEST_PATH_MAX bytes) absolute in the guest's file system:
 * a relative path is taken from the directory @dirfd names, or from the
 * working directory for AT_FDCWD -- where that directory is now, since
 * both are held as host descriptors, so a renamed working directory is
 * still the one lookups start from, as on Linux.  Returns 0, -EBADF,
 * -ENOTDIR, -ENOENT (the directory was removed) or -ENAMETOOLONG.
 */
long check_dirfd(struct kernel *k, int dirfd, char *path)
{
	char base[GUEST_PATH_MAX];
	long err;

	if (path[0] == '/')
		return 0;
	if (dirfd == LX_AT_FDCWD) {
		err = hostfs_cwd_path(k, k->current, base, sizeof(base));
	} else {
		struct file *f = fget(k, dirfd);
		if (!f)
			return -EBADF;
		if (f->kind == FILE_HOST && f->is_dir)
			err = hostfs_fd_path(k, f->host_fd, base, sizeof(base));
		else
			err = -ENOTDIR;
		fput(k, f);
	}
	if (err < 0)
		return err;
	size_t bl = strlen(base), pl = strlen(path);
	if (bl + 1 + pl + 1 > GUEST_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(path + bl + 1, path, pl + 1);
	memcpy(path, base, bl);
	path[bl] = '/';
	return 0;
}

int cwd_fork(struct task *c, const struct task *p)
{
	memcpy(c->cwd, p->cwd, sizeof(c->cwd));
	c->cwd_fd = -1;
	if (p->cwd_fd >= 0) {
		c->cwd_fd = fcntl(p->cwd_fd, F_DUPFD_CLOEXEC, 3);
		if (c->cwd_fd < 0)
			return -ENOMEM;
	}
	return 0;
}

void cwd_set(struct task *t, int hfd, const char *path)
{
	if (t->cwd_fd >= 0)
		close(t->cwd_fd);
	t->cwd_fd = hfd;
	strscpy(t->cwd, path, sizeof(t->cwd));
}

void cwd_release(struct task *t)
{
	if (t->cwd_fd >= 0)
		close(t->cwd_fd);
	t->cwd_fd = -1;
}

/*
 * Copy the user path @upath and resolve it against @dirfd: @path gets the
 * absolute guest path (for the sandbox), @norm its lexically normalised
 * form (for the /proc checks).  Both are GUEST_PATH_MAX bytes.  An empty
 * path is -ENOENT.
 */
long resolve_user_path(struct kernel *k, int dirfd, gva_t upath,
			      char *path, char *norm)
{
	long err = get_path(k, upath, path);

	if (err)
		return err;
	if (!path[0])
		return -ENOENT;
	err = check_dirfd(k, dirfd, path);
	if (err)
		return err;
	normalize_path(path, norm, GUEST_PATH_MAX);
	return 0;
}

void last_component(const char *path, struct last_component *last)
{
	size_t n = strlen(path), end;

	while (n && path[n - 1] == '/')
		n--;
	end = n;
	last->slash = n && path[n] == '/';
	while (n && path[n - 1] != '/')
		n--;
	size_t len = end - n;
	if (!len)
		last->type = LAST_ROOT;
	else if (len == 1 && path[n] == '.')
		last->type = LAST_DOT;
	else if (len == 2 && path[n] == '.' && path[n + 1] == '.')
		last->type = LAST_DOTDOT;
	else
		last->type = LAST_NORM;
}

int resolve_parent(struct kernel *k, int dirfd, gva_t upath, char *base,
		   size_t baselen, int proc_err, struct last_component *last)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
	long err = resolve_user_path(k, dirfd, upath, path, norm);

	if (err)
		return (int)err;
	if (is_proc_path(norm))
		return proc_err;
	if (last)
		last_component(path, last);
	return sandbox_parent(k, path, base, baselen);
}

int hostfs_open_exec(struct kernel *k, const char *upath, char *shown,
		     size_t shownlen)
{
	char norm[GUEST_PATH_MAX], path[GUEST_PATH_MAX];

	strscpy(path, upath, sizeof(path));
	long err = k->current ? check_dirfd(k, LX_AT_FDCWD, path) : 0;
	if (err)
		return (int)err;
	normalize_path(path, norm, sizeof(norm));
	if (is_proc_path(norm))
		return -EACCES;
	strscpy(shown, norm, shownlen);
	return sandbox_open(k, path, O_RDONLY, 0);
}
