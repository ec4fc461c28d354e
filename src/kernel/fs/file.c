/*
 * Open files and descriptor tables (Linux fs/file.c, fs/fcntl.c): file
 * references, the per-process table with its close-on-exec bits, and the
 * calls that only touch the table (close, dup, dup3, fcntl).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/fs/namei.h"
#include "kernel/fs/proc.h"
#include "kernel/kernel/perf_event.h"
#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

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
	if (f->kind == FILE_PERF)
		perf_release(k, f);
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

bool fd_cloexec(struct files *fs, int fd)
{
	return fs->cloexec[fd / 64] >> (fd % 64) & 1;
}

void set_cloexec(struct files *fs, int fd, bool on)
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

int fd_limit(struct kernel *k)
{
	uint64_t lim = k->current->rlim[RLIMIT_NOFILE].rlim_cur;

	return lim < MAX_FDS ? (int)lim : MAX_FDS;
}

int get_unused_fd(struct kernel *k)
{
	struct files *fs = k->current->files;

	for (int i = 0; i < fd_limit(k); i++)
		if (!fs->fd[i])
			return i;
	return -EMFILE;
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

void fd_uninstall(struct kernel *k, int fd)
{
	struct files *fs = k->current->files;

	fput(k, fs->fd[fd]);
	fs->fd[fd] = NULL;
	set_cloexec(fs, fd, false);
}

long sys_close(struct kernel *k, int fd)
{
	struct files *fs = k->current->files;

	if (fd < 0 || fd >= MAX_FDS || !fs->fd[fd])
		return -EBADF;
	fput(k, fs->fd[fd]);
	fs->fd[fd] = NULL;
	set_cloexec(fs, fd, false);
	return 0;
}

long sys_dup3(struct kernel *k, int oldfd, int newfd, int flags)
{
	struct files *fs = k->current->files;
	struct file *f;

	if (flags & ~LX_O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
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

long sys_fcntl64(struct kernel *k, int fd, int cmd, uint32_t arg)
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
	case F_SETFL: {
		/* O_DIRECT where direct I/O exists (regular files); on a
		 * pipe it would be packet mode, which mmulab does not have:
		 * ignored there, as before. */
		unsigned setfl = LX_O_APPEND | LX_O_NONBLOCK;
		if (f->kind == FILE_HOST && f->inode)
			setfl |= LX_O_DIRECT;
		else if ((arg & LX_O_DIRECT) && f->kind != FILE_PIPE) {
			r = -EINVAL;
			break;
		}
		f->flags = (f->flags & ~setfl) | (arg & setfl);
		r = 0;
		break;
	}
	default:
		r = -EINVAL;
	}
	fput(k, f);
	return r;
}

long sys_dup(struct kernel *k, int oldfd)
{
	struct file *f = fget(k, oldfd);

	if (!f)
		return -EBADF;
	int fd = fd_install(k, f, 0, false);
	if (fd < 0)
		fput(k, f);
	return fd;
}
