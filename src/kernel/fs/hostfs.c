/*
 * Files: descriptor tables, and hostfs -- the guest's view of one host
 * directory (--root) -- plus /proc, served by procfs.
 *
 * Sandboxing: every path is resolved by the host kernel with openat2() and
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
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "kernel/fs/proc.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/kernel/syscalls.h"

/* Linux open flags the guest may pass (asm-generic == x86-64 values). */
#define LX_O_ACCMODE 03
#define LX_O_CREAT 0100
#define LX_O_EXCL 0200
#define LX_O_NOCTTY 0400
#define LX_O_TRUNC 01000
#define LX_O_APPEND 02000
#define LX_O_NONBLOCK 04000
#define LX_O_DSYNC 010000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW 0400000
#define LX_O_CLOEXEC 02000000
#define LX_O_SYNC 04010000
#define LX_O_PATH 010000000
#define LX_O_TMPFILE 020200000
#define LX_O_LARGEFILE 0100000
#define LX_AT_FDCWD (-100)
#define LX_AT_REMOVEDIR 0x200
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_EMPTY_PATH 0x1000
#define PATH_MAX_GUEST 4096

/* ---- descriptor tables ---------------------------------------------------- */

struct file *file_alloc(struct kernel *k, enum file_kind kind)
{
	struct file *f = kmem_cache_zalloc(k->file_cachep, GFP_KERNEL);

	if (!f)
		return NULL;
	f->refcount = 1;
	f->kind = kind;
	f->host_fd = -1;
	return f;
}

void fput(struct kernel *k, struct file *f)
{
	if (--f->refcount > 0)
		return;
	if (f->kind == FILE_HOST && f->host_fd >= 0)
		close(f->host_fd);
	if (f->kind == FILE_PIPE)
		pipe_release(k, f);
	if (f->inode)
		inode_put(k, f->inode);
	free(f->text);
	name_free(k, f->f_path);
	kmem_cache_free(k->file_cachep, f);
}

struct files *files_alloc(struct kernel *k)
{
	struct files *fs = kmem_cache_zalloc(k->files_cachep, GFP_KERNEL);

	if (fs)
		fs->refcount = 1;
	return fs;
}

struct files *files_dup(struct kernel *k, struct files *old)
{
	struct files *fs = files_alloc(k);

	if (!fs)
		return NULL;
	for (int i = 0; i < MAX_FDS; i++) {
		fs->fd[i] = old->fd[i];
		if (fs->fd[i])
			fs->fd[i]->refcount++;
	}
	memcpy(fs->cloexec, old->cloexec, sizeof(fs->cloexec));
	return fs;
}

void files_put(struct kernel *k, struct files *fs)
{
	if (--fs->refcount > 0)
		return;
	for (int i = 0; i < MAX_FDS; i++)
		if (fs->fd[i])
			fput(k, fs->fd[i]);
	kmem_cache_free(k->files_cachep, fs);
}

static bool fd_cloexec(struct files *fs, int fd)
{
	return fs->cloexec[fd / 64] >> (fd % 64) & 1;
}

static void set_cloexec(struct files *fs, int fd, bool on)
{
	if (on)
		fs->cloexec[fd / 64] |= 1ull << (fd % 64);
	else
		fs->cloexec[fd / 64] &= ~(1ull << (fd % 64));
}

void files_close_on_exec(struct kernel *k, struct files *fs)
{
	for (int i = 0; i < MAX_FDS; i++) {
		if (fs->fd[i] && fd_cloexec(fs, i)) {
			fput(k, fs->fd[i]);
			fs->fd[i] = NULL;
			set_cloexec(fs, i, false);
		}
	}
}

struct file *fget(struct kernel *k, int fd)
{
	struct files *fs = k->current->files;

	if (fd < 0 || fd >= MAX_FDS || !fs->fd[fd])
		return NULL;
	fs->fd[fd]->refcount++;
	return fs->fd[fd];
}

static int fd_limit(struct kernel *k)
{
	uint64_t lim = k->current->rlim[RLIMIT_NOFILE].rlim_cur;

	return lim < MAX_FDS ? (int)lim : MAX_FDS;
}

int fd_install(struct kernel *k, struct file *f, int min, bool cloexec)
{
	struct files *fs = k->current->files;

	for (int i = min; i < fd_limit(k); i++) {
		if (!fs->fd[i]) {
			fs->fd[i] = f;
			set_cloexec(fs, i, cloexec);
			return i;
		}
	}
	return -EMFILE;
}

/* The standard streams of the first process: the host's fds 0-2. */
int files_init_stdio(struct kernel *k, struct files *fs)
{
	for (int i = 0; i < 3; i++) {
		struct file *f = file_alloc(k, FILE_TTY);
		if (!f)
			return -ENOMEM;
		f->host_fd = i;
		f->flags = 2; /* O_RDWR: the host decides what works */
		fs->fd[i] = f;
	}
	return 0;
}

/* ---- path resolution -------------------------------------------------------- */

/* Lexically normalise @in (absolute or relative to "/") into @out. */
static void normalize_path(const char *in, char *out, size_t outlen)
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

static bool is_proc_path(const char *norm)
{
	return !strcmp(norm, "/proc") || !strncmp(norm, "/proc/", 6);
}

/* openat2 in the sandbox: a host fd or -errno. */
static int sandbox_open(struct kernel *k, const char *path, int flags,
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
static int sandbox_parent(struct kernel *k, const char *path, char *base,
			  size_t baselen)
{
	char tmp[PATH_MAX_GUEST];

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

static long check_dirfd(struct kernel *k, int dirfd, char *path);

int hostfs_open_exec(struct kernel *k, const char *upath, char *shown,
		     size_t shownlen)
{
	char norm[PATH_MAX_GUEST], path[PATH_MAX_GUEST];

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

/* ---- the syscalls ------------------------------------------------------------ */

static long get_path(struct kernel *k, gva_t upath, char *buf)
{
	long n = strncpy_from_user(k, buf, upath, PATH_MAX_GUEST);

	if (n < 0)
		return n;
	return 0;
}

/*
 * Make @path (PATH_MAX_GUEST bytes) absolute in the guest's file system:
 * a relative path is taken from the directory @dirfd names, or from the
 * working directory for AT_FDCWD.  Returns 0, -EBADF, -ENOTDIR or
 * -ENAMETOOLONG.
 */
static long check_dirfd(struct kernel *k, int dirfd, char *path)
{
	char base[PATH_MAX_GUEST];

	if (path[0] == '/')
		return 0;
	if (dirfd == LX_AT_FDCWD) {
		strscpy(base, k->current->cwd, sizeof(base));
	} else {
		struct file *f = fget(k, dirfd);
		if (!f)
			return -EBADF;
		bool dir = f->kind == FILE_HOST && f->is_dir;
		strscpy(base, f->f_path ? f->f_path : "", sizeof(base));
		fput(k, f);
		if (!dir)
			return -ENOTDIR;
	}
	size_t bl = strlen(base), pl = strlen(path);
	if (bl + 1 + pl + 1 > PATH_MAX_GUEST)
		return -ENAMETOOLONG;
	memmove(path + bl + 1, path, pl + 1);
	memcpy(path, base, bl);
	path[bl] = '/';
	return 0;
}

/*
 * Copy the user path @upath and resolve it against @dirfd: @path gets the
 * absolute guest path (for the sandbox), @norm its lexically normalised
 * form (for the /proc checks).  Both are PATH_MAX_GUEST bytes.  An empty
 * path is -ENOENT.
 */
static long resolve_user_path(struct kernel *k, int dirfd, gva_t upath,
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
	normalize_path(path, norm, PATH_MAX_GUEST);
	return 0;
}

static long do_openat(struct kernel *k, int dirfd, gva_t upath, int flags,
		      int mode)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST];
	long err = resolve_user_path(k, dirfd, upath, path, norm);
	struct file *f;

	if (err)
		return err;
	if (is_proc_path(norm)) {
		struct seq s = {0};
		int r;
		if ((flags & LX_O_ACCMODE) != 0) {
			/* Only sysctls and the SysRq trigger take writes. */
			if (!procfs_writable(norm)) {
				r = procfs_read(k, norm, &s);
				seq_free(&s);
				return r == -ENOENT ? -ENOENT : -EACCES;
			}
			r = (flags & LX_O_ACCMODE) == 2 ? procfs_read(k, norm, &s)
							: 0;
		} else {
			r = procfs_read(k, norm, &s);
		}
		if (r < 0) {
			seq_free(&s);
			return r;
		}
		f = file_alloc(k, FILE_PROC);
		if (!f) {
			seq_free(&s);
			return -ENOMEM;
		}
		f->text = s.buf;
		f->text_len = s.len;
		f->flags = (unsigned)flags;
		/* pagemap is generated at each read, for the task the path
		 * named when it was opened. */
		f->pagemap_pid = procfs_pagemap_pid(k, norm);
		if (file_set_path(k, f, norm)) {
			fput(k, f);
			return -ENOMEM;
		}
	} else {
		int allowed = LX_O_ACCMODE | LX_O_CREAT | LX_O_EXCL |
			      LX_O_NOCTTY | LX_O_TRUNC | LX_O_APPEND |
			      LX_O_NONBLOCK | LX_O_DIRECTORY | LX_O_NOFOLLOW |
			      LX_O_DSYNC | LX_O_SYNC | LX_O_LARGEFILE;
		int hfd = sandbox_open(k, path, flags & allowed, mode & 07777);
		if (hfd < 0)
			return hfd;
		f = file_alloc(k, FILE_HOST);
		if (!f) {
			close(hfd);
			return -ENOMEM;
		}
		struct stat st;
		f->host_fd = hfd;
		f->flags = (unsigned)flags;
		if (file_set_path(k, f, norm)) {
			fput(k, f);
			return -ENOMEM;
		}
		if (fstat(hfd, &st) == 0) {
			f->is_dir = S_ISDIR(st.st_mode);
			if (S_ISREG(st.st_mode)) {
				f->inode = inode_get_host(k, hfd, norm);
				if (f->inode && (flags & LX_O_TRUNC))
					filemap_truncate(k, f->inode, 0);
			}
		}
	}
	int fd = fd_install(k, f, 0, flags & LX_O_CLOEXEC);
	if (fd < 0)
		fput(k, f);
	return fd;
}

static long file_read(struct kernel *k, struct file *f, void *buf, size_t n,
		      int64_t off)
{
	if (f->is_dir)
		return -EISDIR;
	if ((f->flags & LX_O_ACCMODE) == 1)
		return -EBADF;
	if (f->kind == FILE_PROC && f->pagemap_pid) {
		uint64_t pos = off < 0 ? f->pos : (uint64_t)off;
		long r = procfs_pagemap_read(k, f->pagemap_pid, buf, n, pos);
		if (r > 0 && off < 0)
			f->pos = pos + (uint64_t)r;
		return r;
	}
	if (f->kind == FILE_PROC) {
		uint64_t pos = off < 0 ? f->pos : (uint64_t)off;
		if (pos >= f->text_len)
			return 0;
		if (n > f->text_len - pos)
			n = f->text_len - pos;
		memcpy(buf, f->text + pos, n);
		if (off < 0)
			f->pos = pos + n;
		return (long)n;
	}
	if (f->inode) {
		uint64_t pos = off < 0 ? (uint64_t)lseek(f->host_fd, 0, SEEK_CUR)
				       : (uint64_t)off;
		long r = filemap_rw(k, f->inode, buf, n, pos, false);
		if (r > 0 && off < 0)
			lseek(f->host_fd, (off_t)(pos + (uint64_t)r), SEEK_SET);
		return r;
	}
	ssize_t r = off < 0 ? read(f->host_fd, buf, n)
			    : pread(f->host_fd, buf, n, (off_t)off);
	return r < 0 ? -errno : r;
}

static long file_write(struct kernel *k, struct file *f, const void *buf,
		       size_t n, int64_t off)
{
	if ((f->flags & LX_O_ACCMODE) == 0)
		return -EBADF;
	if (f->kind == FILE_PROC)
		return procfs_write(k, f->f_path, buf, n);
	if (f->inode) {
		uint64_t pos;
		if (off >= 0)
			pos = (uint64_t)off;
		else if (f->flags & LX_O_APPEND)
			pos = f->inode->size;
		else
			pos = (uint64_t)lseek(f->host_fd, 0, SEEK_CUR);
		long r = filemap_rw(k, f->inode, (void *)buf, n, pos, true);
		if (r > 0 && off < 0)
			lseek(f->host_fd, (off_t)(pos + (uint64_t)r), SEEK_SET);
		return r;
	}
	if (f->kind == FILE_TTY)
		fflush(NULL); /* keep the kernel log ordered with guest output */
	ssize_t r = off < 0 ? write(f->host_fd, buf, n)
			    : pwrite(f->host_fd, buf, n, (off_t)off);
	return host_write_done(k, f, buf, r < 0 ? -errno : r);
}

#define IO_CHUNK 65536

static long sys_read_write(struct kernel *k, int fd, gva_t ubuf, uint32_t len,
			   int64_t off, bool write)
{
	struct file *f = fget(k, fd);
	long total = 0;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_PIPE) {
		long r;
		if (off >= 0)
			r = -ESPIPE;
		else if ((f->flags & LX_O_ACCMODE) != (write ? 1u : 0u))
			r = -EBADF;
		else
			r = write ? pipe_write(k, f, ubuf, len)
				  : pipe_read(k, f, ubuf, len);
		fput(k, f);
		return r;
	}
	if (off >= 0 && (f->kind != FILE_HOST || !f->inode) &&
	    f->kind != FILE_PROC) {
		fput(k, f);
		return -ESPIPE;
	}
	uint8_t *buf = malloc(len < IO_CHUNK ? (len ? len : 1) : IO_CHUNK);
	if (!buf) {
		fput(k, f);
		return -ENOMEM;
	}
	while ((uint32_t)total < len) {
		uint32_t n = len - (uint32_t)total;
		if (n > IO_CHUNK)
			n = IO_CHUNK;
		long r;
		int64_t o = off < 0 ? -1 : off + total;
		if (write) {
			if (copy_from_user(k, buf, ubuf + total, n) < 0) {
				r = -EFAULT;
			} else {
				r = file_write(k, f, buf, n, o);
			}
		} else {
			r = file_read(k, f, buf, n, o);
			if (r > 0 && copy_to_user(k, ubuf + total, buf,
						  (uint32_t)r) < 0)
				r = -EFAULT;
		}
		if (r < 0) {
			if (!total)
				total = r;
			break;
		}
		total += r;
		if ((uint32_t)r < n)
			break;
		/* A terminal read returns what one line gave. */
		if (!write && f->kind == FILE_TTY)
			break;
	}
	if (!len && !write)
		total = file_read(k, f, buf, 0, off);
	free(buf);
	fput(k, f);
	return total;
}

static long sys_rwv(struct kernel *k, int fd, gva_t iov, int iovcnt,
		    bool write)
{
	long total = 0;

	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		uint32_t v[2];
		if (copy_from_user(k, v, iov + 8 * (uint32_t)i, 8) < 0)
			return total ? total : -EFAULT;
		if (!v[1])
			continue;
		long r = sys_read_write(k, fd, v[0], v[1], -1, write);
		if (r == -ERESTARTSYS && total) {
			/* Some vectors are done: return them (with what this
			 * one managed before it would sleep), do not sleep. */
			wake_up_task(k, k->current);
			return total + k->current->io_progress;
		}
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((uint32_t)r < v[1])
			break;
	}
	return total;
}

static long sys_llseek(struct kernel *k, int fd, uint32_t hi, uint32_t lo,
		       gva_t result, int whence)
{
	struct file *f = fget(k, fd);
	int64_t off = (int64_t)(((uint64_t)hi << 32) | lo);
	int64_t pos;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_PIPE || f->kind == FILE_TTY) {
		fput(k, f);
		return -ESPIPE;
	}
	if (whence < 0 || whence > 4) {
		fput(k, f);
		return -EINVAL;
	}
	if (f->kind == FILE_PROC) {
		int64_t base = whence == SEEK_SET   ? 0
			       : whence == SEEK_CUR ? (int64_t)f->pos
						    : (int64_t)f->text_len;
		pos = base + off;
		if (whence > 2 || pos < 0) {
			fput(k, f);
			return -EINVAL;
		}
		f->pos = (uint64_t)pos;
	} else {
		pos = lseek(f->host_fd, off, whence);
		if (pos < 0) {
			long e = -errno;
			fput(k, f);
			return e;
		}
	}
	fput(k, f);
	uint64_t p = (uint64_t)pos;
	if (copy_to_user(k, result, &p, 8) < 0)
		return -EFAULT;
	return 0;
}

void fd_uninstall(struct kernel *k, int fd)
{
	struct files *fs = k->current->files;

	fput(k, fs->fd[fd]);
	fs->fd[fd] = NULL;
	set_cloexec(fs, fd, false);
}

static long sys_close(struct kernel *k, int fd)
{
	struct files *fs = k->current->files;

	if (fd < 0 || fd >= MAX_FDS || !fs->fd[fd])
		return -EBADF;
	fput(k, fs->fd[fd]);
	fs->fd[fd] = NULL;
	set_cloexec(fs, fd, false);
	return 0;
}

static long sys_dup3(struct kernel *k, int oldfd, int newfd, int flags,
		     bool is_dup3)
{
	struct files *fs = k->current->files;
	struct file *f;

	if (flags & ~LX_O_CLOEXEC)
		return -EINVAL;
	if (is_dup3 && oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= fd_limit(k))
		return -EBADF;
	f = fget(k, oldfd);
	if (!f)
		return -EBADF;
	if (fs->fd[newfd])
		fput(k, fs->fd[newfd]);
	fs->fd[newfd] = f;
	set_cloexec(fs, newfd, flags & LX_O_CLOEXEC);
	return newfd;
}

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

static long sys_fcntl(struct kernel *k, int fd, int cmd, uint32_t arg)
{
	struct files *fs = k->current->files;
	struct file *f = fget(k, fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((int)arg < 0 || (int)arg >= fd_limit(k)) {
			r = -EINVAL;
			break;
		}
		r = fd_install(k, f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (r >= 0)
			return r; /* the reference went into the table */
		break;
	case F_GETFD:
		r = fd_cloexec(fs, fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		set_cloexec(fs, fd, arg & FD_CLOEXEC);
		r = 0;
		break;
	case F_GETFL:
		r = f->flags & ~LX_O_CLOEXEC;
		break;
	case F_SETFL:
		f->flags = (f->flags & ~(LX_O_APPEND | LX_O_NONBLOCK)) |
			   (arg & (LX_O_APPEND | LX_O_NONBLOCK));
		r = 0;
		break;
	default:
		r = -EINVAL;
	}
	fput(k, f);
	return r;
}

/* Fill a Linux struct statx (the host's layout is the guest's). */
static long sys_statx(struct kernel *k, int dirfd, gva_t upath, int flags,
		      unsigned mask, gva_t ubuf)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST];
	struct statx sx;
	long err;

	memset(&sx, 0, sizeof(sx));
	err = get_path(k, upath, path);
	if (err)
		return err;
	if (!path[0] && (flags & LX_AT_EMPTY_PATH)) {
		struct file *f = fget(k, dirfd);
		if (!f)
			return -EBADF;
		if (f->kind == FILE_PIPE) {
			sx.stx_mask = STATX_BASIC_STATS;
			sx.stx_mode = S_IFIFO | 0600;
			sx.stx_nlink = 1;
			sx.stx_blksize = PAGE_SIZE;
			err = 0;
		} else if (f->kind == FILE_PROC) {
			sx.stx_mask = STATX_BASIC_STATS;
			sx.stx_mode = S_IFREG | 0444;
			sx.stx_nlink = 1;
			sx.stx_blksize = 1024;
			err = 0;
		} else {
			err = statx(f->host_fd, "", AT_EMPTY_PATH, mask, &sx) <
					      0
				      ? -errno
				      : 0;
		}
		fput(k, f);
	} else {
		if (!path[0])
			return -ENOENT;
		err = check_dirfd(k, dirfd, path);
		if (err)
			return err;
		normalize_path(path, norm, sizeof(norm));
		if (is_proc_path(norm)) {
			struct seq s = {0};
			int r = procfs_read(k, norm, &s);
			seq_free(&s);
			if (r == -EISDIR) {
				sx.stx_mode = S_IFDIR | 0555;
				sx.stx_nlink = 2;
			} else if (r < 0) {
				return r;
			} else {
				sx.stx_mode = S_IFREG | 0444;
				sx.stx_nlink = 1;
			}
			sx.stx_mask = STATX_BASIC_STATS;
			sx.stx_blksize = 1024;
			err = 0;
		} else if (flags & LX_AT_SYMLINK_NOFOLLOW) {
			char base[256];
			int pfd = sandbox_parent(k, path, base, sizeof(base));
			if (pfd < 0)
				return pfd;
			err = statx(pfd, base, AT_SYMLINK_NOFOLLOW, mask, &sx) <
					      0
				      ? -errno
				      : 0;
			close(pfd);
		} else {
			int fd = sandbox_open(k, path, O_PATH, 0);
			if (fd < 0)
				return fd;
			err = statx(fd, "", AT_EMPTY_PATH, mask, &sx) < 0
				      ? -errno
				      : 0;
			close(fd);
		}
	}
	if (err)
		return err;
	return copy_to_user(k, ubuf, &sx, sizeof(sx)) < 0 ? -EFAULT : 0;
}

/*
 * Resolve @upath against @dirfd to a sandbox parent directory (a host fd
 * the caller closes) and the last component @base.  A /proc path gives
 * @proc_err (nothing there can be created or removed).
 */
static int resolve_parent(struct kernel *k, int dirfd, gva_t upath,
			  char *base, size_t baselen, int proc_err)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST];
	long err = resolve_user_path(k, dirfd, upath, path, norm);

	if (err)
		return (int)err;
	if (is_proc_path(norm))
		return proc_err;
	return sandbox_parent(k, path, base, baselen);
}

static long sys_unlinkat(struct kernel *k, int dirfd, gva_t upath, int flags)
{
	char base[256];
	long err;

	if (flags & ~LX_AT_REMOVEDIR)
		return -EINVAL;
	int pfd = resolve_parent(k, dirfd, upath, base, sizeof(base), -EACCES);
	if (pfd < 0)
		return pfd;
	err = unlinkat(pfd, base, flags & LX_AT_REMOVEDIR ? AT_REMOVEDIR : 0) <
			      0
		      ? -errno
		      : 0;
	close(pfd);
	return err;
}

#define LX_RENAME_NOREPLACE 1
#define LX_RENAME_EXCHANGE 2
#define LX_RENAME_WHITEOUT 4
#define LX_AT_SYMLINK_FOLLOW 0x400

static long sys_renameat2(struct kernel *k, int odirfd, gva_t oldp,
			  int ndirfd, gva_t newp, unsigned flags)
{
	char ob[256], nb[256];
	long err;

	if (flags & ~(LX_RENAME_NOREPLACE | LX_RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & LX_RENAME_NOREPLACE) && (flags & LX_RENAME_EXCHANGE))
		return -EINVAL;
	int opfd = resolve_parent(k, odirfd, oldp, ob, sizeof(ob), -EACCES);
	if (opfd < 0)
		return opfd;
	int npfd = resolve_parent(k, ndirfd, newp, nb, sizeof(nb), -EACCES);
	if (npfd < 0) {
		close(opfd);
		return npfd;
	}
	err = syscall(SYS_renameat2, opfd, ob, npfd, nb, flags) < 0 ? -errno
								    : 0;
	close(opfd);
	close(npfd);
	return err;
}

static long sys_linkat(struct kernel *k, int odirfd, gva_t oldp, int ndirfd,
		       gva_t newp, int flags)
{
	char ob[256], nb[256];
	long err;

	if (flags & ~(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
		return -EINVAL;
	if (flags)
		return -EINVAL; /* following links here would leave the root */
	int opfd = resolve_parent(k, odirfd, oldp, ob, sizeof(ob), -EACCES);
	if (opfd < 0)
		return opfd;
	int npfd = resolve_parent(k, ndirfd, newp, nb, sizeof(nb), -EACCES);
	if (npfd < 0) {
		close(opfd);
		return npfd;
	}
	err = linkat(opfd, ob, npfd, nb, 0) < 0 ? -errno : 0;
	close(opfd);
	close(npfd);
	return err;
}

/* The link's text is stored as given; following it always resolves
 * inside the sandbox (RESOLVE_IN_ROOT), whatever it says. */
static long sys_symlinkat(struct kernel *k, gva_t utarget, int ndirfd,
			  gva_t newp)
{
	char target[PATH_MAX_GUEST], nb[256];
	long err = get_path(k, utarget, target);

	if (err)
		return err;
	if (!target[0])
		return -ENOENT;
	int npfd = resolve_parent(k, ndirfd, newp, nb, sizeof(nb), -EACCES);
	if (npfd < 0)
		return npfd;
	err = symlinkat(target, npfd, nb) < 0 ? -errno : 0;
	close(npfd);
	return err;
}

static long sys_readlinkat(struct kernel *k, int dirfd, gva_t upath,
			   gva_t ubuf, int32_t size)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST], base[256];
	char link[PATH_MAX_GUEST];
	long n;

	if (size <= 0)
		return -EINVAL;
	long err = resolve_user_path(k, dirfd, upath, path, norm);
	if (err)
		return err;
	if (is_proc_path(norm)) {
		char self[32];
		snprintf(self, sizeof(self), "/proc/%d/exe", k->current->pid);
		if (strcmp(norm, "/proc/self/exe") && strcmp(norm, self))
			return -EINVAL; /* not a link */
		if (!k->current->mm || !k->current->mm->exe_file)
			return -ENOENT;
		n = (long)strlen(k->current->mm->exe_file->i_name);
		memcpy(link, k->current->mm->exe_file->i_name, (size_t)n);
	} else {
		int pfd = sandbox_parent(k, path, base, sizeof(base));
		if (pfd < 0)
			return pfd;
		n = readlinkat(pfd, base, link, sizeof(link));
		err = n < 0 ? -errno : 0;
		close(pfd);
		if (err)
			return err;
	}
	if (n > size)
		n = size;
	return copy_to_user(k, ubuf, link, (uint32_t)n) < 0 ? -EFAULT : n;
}

static long sys_fchmodat(struct kernel *k, int dirfd, gva_t upath,
			 unsigned mode)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST], fdpath[32];
	long err = resolve_user_path(k, dirfd, upath, path, norm);

	if (err)
		return err;
	if (is_proc_path(norm))
		return -EPERM;
	/* chmod follows symlinks: resolve the target inside the root, then
	 * change it through its O_PATH descriptor, never by name. */
	int fd = sandbox_open(k, path, O_PATH, 0);
	if (fd < 0)
		return fd;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	err = chmod(fdpath, mode & 07777) < 0 ? -errno : 0;
	close(fd);
	return err;
}

static long sys_fsync(struct kernel *k, int fd)
{
	struct file *f = fget(k, fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_HOST && f->inode) {
		filemap_write_and_wait(k, f->inode);
		if (fsync(f->host_fd) < 0)
			err = -errno;
	} else if (f->kind == FILE_PIPE || f->kind == FILE_PROC) {
		err = -EINVAL;
	}
	fput(k, f);
	return err;
}

static long sys_mkdirat(struct kernel *k, int dirfd, gva_t upath, int mode)
{
	char base[256];
	long err;
	int pfd = resolve_parent(k, dirfd, upath, base, sizeof(base), -EEXIST);

	if (pfd < 0)
		return pfd;
	err = mkdirat(pfd, base, (mode_t)mode & 07777) < 0 ? -errno : 0;
	close(pfd);
	return err;
}

static long sys_faccessat(struct kernel *k, int dirfd, gva_t upath, int mode)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST];
	long err;

	if (mode & ~7)
		return -EINVAL;
	err = resolve_user_path(k, dirfd, upath, path, norm);
	if (err)
		return err;
	if (is_proc_path(norm)) {
		struct seq s = {0};
		int r = procfs_read(k, norm, &s);
		seq_free(&s);
		if (r < 0 && r != -EISDIR)
			return r;
		return (mode & 2) ? -EACCES : 0;
	}
	int fd = sandbox_open(k, path, O_PATH, 0);
	if (fd < 0)
		return fd;
	err = faccessat(fd, "", mode, AT_EMPTY_PATH) < 0 ? -errno : 0;
	close(fd);
	return err;
}

static long sys_getdents64(struct kernel *k, int fd, gva_t ubuf, uint32_t len)
{
	struct file *f = fget(k, fd);
	long r;

	if (!f)
		return -EBADF;
	if (f->kind != FILE_HOST || !f->is_dir) {
		fput(k, f);
		return -ENOTDIR;
	}
	if (len > IO_CHUNK)
		len = IO_CHUNK;
	void *buf = malloc(len ? len : 1);
	r = buf ? syscall(SYS_getdents64, f->host_fd, buf, len) : -1;
	if (r < 0)
		r = buf ? -errno : -ENOMEM;
	else if (copy_to_user(k, ubuf, buf, (uint32_t)r) < 0)
		r = -EFAULT;
	free(buf);
	fput(k, f);
	return r;
}

static long sys_ftruncate(struct kernel *k, int fd, uint64_t len)
{
	struct file *f = fget(k, fd);
	long r;

	if (!f)
		return -EBADF;
	if (f->kind != FILE_HOST || f->is_dir || (f->flags & 3) == 0)
		r = f->is_dir ? -EISDIR : -EINVAL;
	else if ((int64_t)len < 0)
		r = -EINVAL;
	else if (ftruncate(f->host_fd, (off_t)len) < 0)
		r = -errno;
	else {
		r = 0;
		if (f->inode)
			filemap_truncate(k, f->inode, len);
	}
	fput(k, f);
	return r;
}

static long sys_ioctl(struct kernel *k, int fd, uint32_t cmd, gva_t arg)
{
	struct file *f = fget(k, fd);
	long r = -ENOTTY;

	if (!f)
		return -EBADF;
	if (cmd == 0x5401 /* TCGETS */ && f->kind == FILE_TTY &&
	    isatty(f->host_fd)) {
		/* struct termios of asm-generic: 4 flags, line, 19 cc. */
		struct termios t;
		uint8_t out[36] = {0};
		if (tcgetattr(f->host_fd, &t) == 0) {
			memcpy(out, &t.c_iflag, 4);
			memcpy(out + 4, &t.c_oflag, 4);
			memcpy(out + 8, &t.c_cflag, 4);
			memcpy(out + 12, &t.c_lflag, 4);
			out[16] = t.c_line;
			memcpy(out + 17, t.c_cc, 19);
			r = copy_to_user(k, arg, out, sizeof(out)) < 0 ? -EFAULT
								      : 0;
		}
	} else if (cmd == 0x5413 /* TIOCGWINSZ */ && f->kind == FILE_TTY &&
		   isatty(f->host_fd)) {
		struct winsize ws;
		if (ioctl(f->host_fd, TIOCGWINSZ, &ws) == 0)
			r = copy_to_user(k, arg, &ws, sizeof(ws)) < 0 ? -EFAULT
								     : 0;
	}
	fput(k, f);
	return r;
}

static long sys_getcwd(struct kernel *k, gva_t buf, uint32_t size)
{
	const char *cwd = k->current->cwd;
	uint32_t n = (uint32_t)strlen(cwd) + 1;

	if (size < n)
		return -ERANGE;
	if (copy_to_user(k, buf, cwd, n) < 0)
		return -EFAULT;
	return n;
}

/* chdir: the directory must exist in the sandbox (and be searchable). */
static long sys_chdir(struct kernel *k, gva_t upath)
{
	char path[PATH_MAX_GUEST], norm[PATH_MAX_GUEST];
	long err = resolve_user_path(k, LX_AT_FDCWD, upath, path, norm);

	if (err)
		return err;
	if (strlen(norm) >= sizeof(k->current->cwd))
		return -ENAMETOOLONG;
	if (!is_proc_path(norm)) {
		int fd = sandbox_open(k, path, O_PATH | O_DIRECTORY, 0);
		if (fd < 0)
			return fd;
		err = faccessat(fd, "", X_OK, AT_EMPTY_PATH) < 0 ? -errno : 0;
		close(fd);
		if (err)
			return err;
	}
	strscpy(k->current->cwd, norm, sizeof(k->current->cwd));
	return 0;
}

long hostfs_syscall(struct kernel *k, unsigned nr, const uint32_t *a,
		    bool *handled)
{
	*handled = true;
	switch (nr) {
	case NR_openat:
		return do_openat(k, (int)a[0], a[1], (int)a[2], (int)a[3]);
	case NR_close:
		return sys_close(k, (int)a[0]);
	case NR_pipe2:
		return sys_pipe2(k, a[0], (int)a[1]);
	case NR_read:
		return sys_read_write(k, (int)a[0], a[1], a[2], -1, false);
	case NR_write:
		return sys_read_write(k, (int)a[0], a[1], a[2], -1, true);
	case NR_readv:
		return sys_rwv(k, (int)a[0], a[1], (int)a[2], false);
	case NR_writev:
		return sys_rwv(k, (int)a[0], a[1], (int)a[2], true);
	case NR_pread64:
	case NR_pwrite64: {
		/* rv32: the 64-bit offset is the pair a3 (low), a4 (high). */
		int64_t off = (int64_t)(((uint64_t)a[4] << 32) | a[3]);
		if (off < 0)
			return -EINVAL;
		return sys_read_write(k, (int)a[0], a[1], a[2], off,
				      nr == NR_pwrite64);
	}
	case NR_llseek:
		return sys_llseek(k, (int)a[0], a[1], a[2], a[3], (int)a[4]);
	case NR_dup: {
		struct file *f = fget(k, (int)a[0]);
		if (!f)
			return -EBADF;
		int fd = fd_install(k, f, 0, false);
		if (fd < 0)
			fput(k, f);
		return fd;
	}
	case NR_dup3:
		return sys_dup3(k, (int)a[0], (int)a[1], (int)a[2], true);
	case NR_fcntl64:
		return sys_fcntl(k, (int)a[0], (int)a[1], a[2]);
	case NR_ioctl:
		return sys_ioctl(k, (int)a[0], a[1], a[2]);
	case NR_statx:
		return sys_statx(k, (int)a[0], a[1], (int)a[2], a[3], a[4]);
	case NR_unlinkat:
		return sys_unlinkat(k, (int)a[0], a[1], (int)a[2]);
	case NR_mkdirat:
		return sys_mkdirat(k, (int)a[0], a[1], (int)a[2]);
	case NR_faccessat:
		return sys_faccessat(k, (int)a[0], a[1], (int)a[2]);
	case NR_getdents64:
		return sys_getdents64(k, (int)a[0], a[1], a[2]);
	case NR_ftruncate64:
		/* rv32 passes 64-bit arguments in unaligned register pairs,
		 * low word first: (fd, lo, hi). */
		return sys_ftruncate(k, (int)a[0],
				     ((uint64_t)a[2] << 32) | a[1]);
	case NR_getcwd:
		return sys_getcwd(k, a[0], a[1]);
	case NR_renameat2:
		return sys_renameat2(k, (int)a[0], a[1], (int)a[2], a[3], a[4]);
	case NR_linkat:
		return sys_linkat(k, (int)a[0], a[1], (int)a[2], a[3],
				  (int)a[4]);
	case NR_symlinkat:
		return sys_symlinkat(k, a[0], (int)a[1], a[2]);
	case NR_readlinkat:
		return sys_readlinkat(k, (int)a[0], a[1], a[2], (int32_t)a[3]);
	case NR_fchmodat:
		return sys_fchmodat(k, (int)a[0], a[1], a[2]);
	case NR_fsync:
	case NR_fdatasync:
		return sys_fsync(k, (int)a[0]);
	case NR_sync:
		return 0;
	case NR_chdir:
		return sys_chdir(k, a[0]);
	}
	*handled = false;
	return -ENOSYS;
}
