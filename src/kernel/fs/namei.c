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
#include <string.h>
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
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? (uint64_t)mode : 0,
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
 * Make @path (GUEST_PATH_MAX bytes) absolute in the guest's file system:
 * a relative path is taken from the directory @dirfd names, or from the
 * working directory for AT_FDCWD.  Returns 0, -EBADF, -ENOTDIR or
 * -ENAMETOOLONG.
 */
long check_dirfd(struct kernel *k, int dirfd, char *path)
{
	char base[GUEST_PATH_MAX];

	if (path[0] == '/')
		return 0;
	if (dirfd == LX_AT_FDCWD) {
		strscpy(base, k->current->cwd, sizeof(base));
	} else {
		struct file *f = fget(k, dirfd);
		if (!f)
			return -EBADF;
		bool dir = f->kind == FILE_HOST && f->is_dir;
		strscpy(base, f->path, sizeof(base));
		fput(k, f);
		if (!dir)
			return -ENOTDIR;
	}
	size_t bl = strlen(base), pl = strlen(path);
	if (bl + 1 + pl + 1 > GUEST_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(path + bl + 1, path, pl + 1);
	memcpy(path, base, bl);
	path[bl] = '/';
	return 0;
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

/*
 * Resolve @upath against @dirfd to a sandbox parent directory (a host fd
 * the caller closes) and the last component @base.  A /proc path gives
 * @proc_err (nothing there can be created or removed).
 */
int resolve_parent(struct kernel *k, int dirfd, gva_t upath,
			  char *base, size_t baselen, int proc_err)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
	long err = resolve_user_path(k, dirfd, upath, path, norm);

	if (err)
		return (int)err;
	if (is_proc_path(norm))
		return proc_err;
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
