/*
 * hostfs: the file system calls on the guest's view of one host directory
 * (--root) -- open, read/write, stat, the name calls (unlink, rename,
 * link, symlink, mkdir, chmod), getdents, the working directory -- plus
 * /proc, served by procfs.  Paths are resolved in fs/namei.c, descriptor
 * tables live in fs/file.c.
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
#include "kernel/kernel/perf_event.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/bug.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/fs/namei.h"

/* ---- a read-only root (--root DIR:ro) --------------------------------------- */

static bool root_readonly(const struct kernel *k)
{
	return k->cfg.root_readonly;
}

/* Creating @name in @pfd on a read-only root: EEXIST if it is there (as
 * Linux's filename_create finds it first), else EROFS. */
static long erofs_create(int pfd, const char *name)
{
	struct stat st;

	return fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? -EEXIST
								 : -EROFS;
}

/*
 * May open(@path, @flags) proceed on a read-only root?  0 when it only
 * reads an existing file (O_CREAT of one that exists is a plain open);
 * otherwise the error Linux gives: ENOENT and the like from the lookup,
 * EEXIST for O_EXCL, EROFS for writing, truncating or creating.
 */
static long erofs_open(struct kernel *k, const char *path, int flags)
{
	int how = O_PATH | (flags & (LX_O_NOFOLLOW | LX_O_DIRECTORY));
	int fd = sandbox_open(k, path, how, 0);
	char base[256];

	if (fd == -ENOENT && (flags & LX_O_CREAT)) {
		/* Creating: the parent must exist for EROFS. */
		int pfd = sandbox_parent(k, path, base, sizeof(base));
		if (pfd < 0)
			return pfd;
		close(pfd);
		return -EROFS;
	}
	if (fd < 0)
		return fd;
	close(fd);
	if ((flags & (LX_O_CREAT | LX_O_EXCL)) == (LX_O_CREAT | LX_O_EXCL))
		return -EEXIST;
	if ((flags & LX_O_ACCMODE) != 0 || (flags & LX_O_TRUNC))
		return -EROFS;
	return 0;
}

/*
 * No failed open has a side effect: the descriptor slot and the struct
 * file are secured before the host is asked to create or truncate
 * anything, as Linux's do_sys_openat2 takes the fd first.
 */
long sys_openat(struct kernel *k, int dirfd, gva_t upath, int flags,
		int mode)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
	long err = resolve_user_path(k, dirfd, upath, path, norm);
	struct file *f;
	int fd;

	if (err)
		return err;
	fd = get_unused_fd(k);
	if (fd < 0)
		return fd;
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
		/* O_DIRECT is kept by mmulab, never given to the host. */
		if (root_readonly(k)) {
			err = erofs_open(k, path, flags);
			if (err)
				return err;
			flags &= ~(LX_O_CREAT | LX_O_EXCL);
		}
		/* Everything that can fail for want of memory comes before
		 * the host sees the open (O_CREAT, O_TRUNC). */
		f = file_alloc(k, FILE_HOST);
		if (!f)
			return -ENOMEM;
		if (file_set_path(k, f, norm)) {
			fput(k, f);
			return -ENOMEM;
		}
		int hfd = sandbox_open(k, path, flags & allowed, mode & 07777);
		if (hfd < 0) {
			fput(k, f);
			return hfd;
		}
		struct stat st;
		f->host_fd = hfd;
		f->flags = (unsigned)flags;
		if (fstat(hfd, &st) == 0) {
			f->is_dir = S_ISDIR(st.st_mode);
			if (S_ISREG(st.st_mode)) {
				f->inode = inode_get_host(k, hfd, norm);
				if (f->inode && (flags & LX_O_TRUNC))
					filemap_truncate(k, f->inode, 0);
				file_ra_state_init(&f->f_ra);
			}
		}
	}
	/* The slot was free and nothing has taken it since. */
	if (fd_install(k, f, fd, flags & LX_O_CLOEXEC) != fd)
		kernel_bug(k, "openat: fd %d was taken", fd);
	return fd;
}

/*
 * O_DIRECT: the bytes move between the host file and the buffer, around
 * the page cache, whose pages of the range are written back first and
 * dropped (or, when mapped, read again after a write), as Linux's
 * generic direct I/O does.  The alignment was checked by the caller.
 */
static long direct_rw(struct kernel *k, struct file *f, void *buf, size_t n,
		      uint64_t pos, bool write)
{
	struct inode *inode = f->inode;
	ssize_t r;

	if (filemap_invalidate_range(k, inode, pos, n, false) < 0)
		return -EIO;
	r = write ? pwrite(f->host_fd, buf, n, (off_t)pos)
		  : pread(f->host_fd, buf, n, (off_t)pos);
	if (r < 0)
		return -errno;
	count_vm_events(&k->mem, write ? PGPGOUT : PGPGIN, (r + 1023) / 1024);
	if (write) {
		if (pos + (uint64_t)r > inode->size)
			inode->size = pos + (uint64_t)r;
		if (filemap_invalidate_range(k, inode, pos, (uint64_t)r,
					     true) < 0)
			return -EIO;
	}
	return r;
}

/* O_DIRECT's alignment: buffer, position and length on the 512-byte
 * logical block (ext4 on a 512-byte-sector disk); else EINVAL. */
static bool direct_misaligned(struct file *f, gva_t ubuf, uint32_t len,
			      int64_t off)
{
	uint64_t pos;

	if (f->kind != FILE_HOST || !f->inode || !(f->flags & LX_O_DIRECT))
		return false;
	if (off >= 0)
		pos = (uint64_t)off;
	else if ((f->flags & LX_O_APPEND) && (f->flags & LX_O_ACCMODE))
		pos = f->inode->size;
	else
		pos = (uint64_t)lseek(f->host_fd, 0, SEEK_CUR);
	return ((uint64_t)ubuf | len | pos) & 511;
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
		long r = (f->flags & LX_O_DIRECT)
				 ? direct_rw(k, f, buf, n, pos, false)
				 : filemap_rw_ra(k, f->inode, &f->f_ra, buf, n,
						 pos, false);
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
		long r = (f->flags & LX_O_DIRECT)
				 ? direct_rw(k, f, (void *)buf, n, pos, true)
				 : filemap_rw(k, f->inode, (void *)buf, n, pos,
					      true);
		if (r > 0 && off < 0)
			lseek(f->host_fd, (off_t)(pos + (uint64_t)r), SEEK_SET);
		return r;
	}
	if (f->kind == FILE_TTY && k->tty_hook)
		k->tty_hook(k->tty_hook_arg);
	if (f->kind == FILE_TTY)
		fflush(NULL); /* keep the kernel log ordered with guest output */
	ssize_t r = off < 0 ? write(f->host_fd, buf, n)
			    : pwrite(f->host_fd, buf, n, (off_t)off);
	return host_write_done(k, f, buf, r < 0 ? -errno : r);
}

#define IO_CHUNK 65536

/*
 * copy_from_user/copy_to_user of as much of @len as is accessible from
 * the start, page by page (the same faults, in the same order): returns
 * the bytes copied.
 */
static uint32_t copy_from_user_upto(struct kernel *k, void *dst, gva_t src,
				    uint32_t len)
{
	uint32_t done = 0;

	while (done < len) {
		uint32_t n = PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1));
		if (n > len - done)
			n = len - done;
		if (copy_from_user(k, (uint8_t *)dst + done, src + done, n) < 0)
			break;
		done += n;
	}
	return done;
}

static uint32_t copy_to_user_upto(struct kernel *k, gva_t dst, const void *src,
				  uint32_t len)
{
	uint32_t done = 0;

	while (done < len) {
		uint32_t n = PAGE_SIZE - ((dst + done) & (PAGE_SIZE - 1));
		if (n > len - done)
			n = len - done;
		if (copy_to_user(k, dst + done, (const uint8_t *)src + done, n) <
		    0)
			break;
		done += n;
	}
	return done;
}

/* Move the position of @f back by @n bytes read but not delivered.  A
 * terminal or other unseekable file cannot take them back. */
static void file_unread(struct file *f, uint32_t n)
{
	if (f->kind == FILE_PROC)
		f->pos -= n;
	else if (f->kind == FILE_HOST)
		(void)lseek(f->host_fd, -(off_t)n, SEEK_CUR);
}

static long do_read_write(struct kernel *k, int fd, gva_t ubuf, uint32_t len,
			   int64_t off, bool write)
{
	struct file *f = fget(k, fd);
	long total = 0;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_PERF) {
		long r = off >= 0 ? -ESPIPE
			 : write ? -EINVAL
				 : perf_read(k, f, ubuf, len);
		fput(k, f);
		return r;
	}
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
	if (direct_misaligned(f, ubuf, len, off)) {
		fput(k, f);
		return -EINVAL;
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
		uint32_t done = n;
		if (write) {
			/* Write what can be read of the buffer: a fault in
			 * the middle gives a short count, as on Linux. */
			done = copy_from_user_upto(k, buf, ubuf + total, n);
			r = done ? file_write(k, f, buf, done, o) : -EFAULT;
		} else {
			r = file_read(k, f, buf, n, o);
			if (r > 0) {
				done = copy_to_user_upto(k, ubuf + total, buf,
							 (uint32_t)r);
				if (done < (uint32_t)r) {
					/* Give back what did not reach the
					 * buffer; the count is short. */
					if (o < 0)
						file_unread(f, (uint32_t)r - done);
					r = done ? (long)done : -EFAULT;
				}
			}
		}
		if (r < 0) {
			if (!total)
				total = r;
			break;
		}
		total += r;
		if ((uint32_t)r < n || done < n)
			break; /* end of file, or a fault in the buffer */
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

static long do_rwv(struct kernel *k, int fd, gva_t iov, int iovcnt,
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
		long r = do_read_write(k, fd, v[0], v[1], -1, write);
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

long sys_llseek(struct kernel *k, int fd, uint32_t hi, uint32_t lo,
		gva_t result, int whence)
{
	struct file *f = fget(k, fd);
	int64_t off = (int64_t)(((uint64_t)hi << 32) | lo);
	int64_t pos;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_PIPE || f->kind == FILE_TTY ||
	    f->kind == FILE_PERF) {
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

/* Fill a Linux struct statx (the host's layout is the guest's). */
long sys_statx(struct kernel *k, int dirfd, gva_t upath, int flags,
	       unsigned mask, gva_t ubuf)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
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
		} else if ((flags & LX_AT_SYMLINK_NOFOLLOW) &&
			   !must_follow_last(path)) {
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

/* Is @name in @pfd a directory (following nothing)?  -errno if absent. */
static int is_dir_at(int pfd, const char *name)
{
	struct stat st;

	if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return S_ISDIR(st.st_mode);
}

/*
 * The new name of link, symlink (and mkdir when @dir is false) written
 * with trailing slashes or as "."/"..": Linux's filename_create refuses
 * to create it (EEXIST if something is there, else ENOENT).  0 if fine.
 */
static long check_create_name(int pfd, const char *name,
			      const struct last_component *last, bool dir)
{
	if (last->type != LAST_NORM)
		return -EEXIST;
	if (last->slash && !dir)
		return is_dir_at(pfd, name) >= 0 ? -EEXIST : -ENOENT;
	return 0;
}

long sys_unlinkat(struct kernel *k, int dirfd, gva_t upath, int flags)
{
	struct last_component last;
	bool rmdir = flags & LX_AT_REMOVEDIR;
	char base[256];
	long err = 0;

	if (flags & ~LX_AT_REMOVEDIR)
		return -EINVAL;
	int pfd = resolve_parent(k, dirfd, upath, base, sizeof(base), -EACCES,
				 &last);
	if (pfd < 0)
		return pfd;
	/* Linux's do_rmdir and do_unlinkat on "/", ".", "..", "name/". */
	if (last.type != LAST_NORM) {
		err = !rmdir			   ? -EISDIR
		      : last.type == LAST_DOTDOT ? -ENOTEMPTY
		      : last.type == LAST_DOT	   ? -EINVAL
						   : -EBUSY;
	} else if (last.slash && !rmdir) {
		int d = is_dir_at(pfd, base);
		err = d < 0 ? d : d ? -EISDIR : -ENOTDIR;
	}
	struct stat st;
	bool last_name = !err && !rmdir &&
			 fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			 S_ISREG(st.st_mode) && st.st_nlink == 1;

	if (!err)
		err = root_readonly(k) ? -EROFS
		      : unlinkat(pfd, base, rmdir ? AT_REMOVEDIR : 0) < 0
			      ? -errno
			      : 0;
	if (!err && last_name)
		inode_host_unlinked(k, (uint64_t)st.st_dev,
				    (uint64_t)st.st_ino);
	close(pfd);
	return err;
}

#define LX_RENAME_NOREPLACE 1
#define LX_RENAME_EXCHANGE 2
#define LX_RENAME_WHITEOUT 4
#define LX_AT_SYMLINK_FOLLOW 0x400

/*
 * The two names of rename and link, each resolved to its parent directory
 * (*opfd, *npfd, both to close) and last component (@ob, @nb: 256 bytes).
 * 0, or -errno with nothing left open.
 */
static long resolve_two_parents(struct kernel *k, int odirfd, gva_t oldp,
				char *ob, struct last_component *ol, int *opfd,
				int ndirfd, gva_t newp, char *nb,
				struct last_component *nl, int *npfd)
{
	*opfd = resolve_parent(k, odirfd, oldp, ob, 256, -EACCES, ol);
	if (*opfd < 0)
		return *opfd;
	*npfd = resolve_parent(k, ndirfd, newp, nb, 256, -EACCES, nl);
	if (*npfd < 0) {
		close(*opfd);
		return *npfd;
	}
	return 0;
}

long sys_renameat2(struct kernel *k, int odirfd, gva_t oldp, int ndirfd,
		   gva_t newp, unsigned flags)
{
	struct last_component ol, nl;
	char ob[256], nb[256];
	long err = 0;

	if (flags & ~(LX_RENAME_NOREPLACE | LX_RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & LX_RENAME_NOREPLACE) && (flags & LX_RENAME_EXCHANGE))
		return -EINVAL;
	int opfd, npfd;

	err = resolve_two_parents(k, odirfd, oldp, ob, &ol, &opfd, ndirfd,
				  newp, nb, &nl, &npfd);
	if (err)
		return err;
	if (ol.type != LAST_NORM || nl.type != LAST_NORM) {
		err = -EBUSY;
	} else if (ol.slash || nl.slash) {
		/* Trailing slashes are for directories only. */
		int d = is_dir_at(opfd, ob);
		err = d < 0 ? d : d ? 0 : -ENOTDIR;
	}
	if (!err && root_readonly(k))
		err = -EROFS;
	/* a regular file renamed over loses its last name */
	struct stat os, ns;
	bool replaced = !err && !(flags & LX_RENAME_EXCHANGE) &&
			fstatat(npfd, nb, &ns, AT_SYMLINK_NOFOLLOW) == 0 &&
			S_ISREG(ns.st_mode) && ns.st_nlink == 1 &&
			fstatat(opfd, ob, &os, AT_SYMLINK_NOFOLLOW) == 0 &&
			(os.st_dev != ns.st_dev || os.st_ino != ns.st_ino);

	if (!err && syscall(SYS_renameat2, opfd, ob, npfd, nb, flags) < 0)
		err = -errno;
	if (!err && replaced)
		inode_host_unlinked(k, (uint64_t)ns.st_dev,
				    (uint64_t)ns.st_ino);
	close(opfd);
	close(npfd);
	return err;
}

long sys_linkat(struct kernel *k, int odirfd, gva_t oldp, int ndirfd,
		gva_t newp, int flags)
{
	struct last_component ol, nl;
	char ob[256], nb[256];
	long err = 0;

	if (flags & ~(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
		return -EINVAL;
	if (flags)
		return -EINVAL; /* following links here would leave the root */
	int opfd, npfd;

	err = resolve_two_parents(k, odirfd, oldp, ob, &ol, &opfd, ndirfd,
				  newp, nb, &nl, &npfd);
	if (err)
		return err;
	if (ol.type != LAST_NORM || ol.slash) {
		/* Only a directory can be named so: no hard links to it. */
		int d = ol.type == LAST_NORM ? is_dir_at(opfd, ob) : 1;
		err = d < 0 ? d : d ? -EPERM : -ENOTDIR;
	}
	if (!err) {
		int d = is_dir_at(opfd, ob);
		err = d < 0 ? d : check_create_name(npfd, nb, &nl, false);
	}
	if (!err && root_readonly(k))
		err = erofs_create(npfd, nb);
	if (!err && linkat(opfd, ob, npfd, nb, 0) < 0)
		err = -errno;
	close(opfd);
	close(npfd);
	return err;
}

/* The link's text is stored as given; following it always resolves
 * inside the sandbox (RESOLVE_IN_ROOT), whatever it says. */
long sys_symlinkat(struct kernel *k, gva_t utarget, int ndirfd, gva_t newp)
{
	struct last_component nl;
	char target[GUEST_PATH_MAX], nb[256];
	long err = get_path(k, utarget, target);

	if (err)
		return err;
	if (!target[0])
		return -ENOENT;
	int npfd = resolve_parent(k, ndirfd, newp, nb, sizeof(nb), -EACCES,
				  &nl);
	if (npfd < 0)
		return npfd;
	err = check_create_name(npfd, nb, &nl, false);
	if (!err && root_readonly(k))
		err = erofs_create(npfd, nb);
	if (!err && symlinkat(target, npfd, nb) < 0)
		err = -errno;
	close(npfd);
	return err;
}

/*
 * What /proc/PID/fd/N says of @f: the guest path of a host file where it
 * is now ("... (deleted)" once removed), "pipe:[N]", or for the host's
 * stdio a name that does not reveal the host's file system.
 */
static long file_link_text(struct kernel *k, struct file *f, char *out,
			   size_t len)
{
	struct stat st;
	int n;

	switch (f->kind) {
	case FILE_HOST: {
		long r = hostfs_fd_path(k, f->host_fd, out, len);
		if (r != -ENOENT)
			return r;
		n = snprintf(out, len, "%s (deleted)", f->f_path ? f->f_path : "");
		break;
	}
	case FILE_PROC:
		n = snprintf(out, len, "%s", f->f_path ? f->f_path : "");
		break;
	case FILE_PIPE:
		/* The pipe's guest physical address: the same for both ends
		 * and for every run, as an inode number would be. */
		n = snprintf(out, len, "pipe:[%lu]",
			     (unsigned long)((uint8_t *)f->pipe - k->phys.ram));
		break;
	case FILE_PERF:
		n = snprintf(out, len, "anon_inode:[perf_event]");
		break;
	default: /* FILE_TTY: the host's fds 0-2 */
		if (fstat(f->host_fd, &st) < 0)
			n = snprintf(out, len, "/dev/null");
		else if (S_ISFIFO(st.st_mode))
			n = snprintf(out, len, "pipe:[%lu]", (unsigned long)st.st_ino);
		else if (S_ISSOCK(st.st_mode))
			n = snprintf(out, len, "socket:[%lu]",
				     (unsigned long)st.st_ino);
		else if (isatty(f->host_fd))
			n = snprintf(out, len, "/dev/tty");
		else if (S_ISREG(st.st_mode) &&
			 hostfs_fd_path(k, f->host_fd, out, len) >= 0)
			return (long)strlen(out);
		else
			n = snprintf(out, len, "/dev/null");
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : n;
}

/*
 * The text of the /proc link @norm (normalised): /proc/self, and
 * /proc/{self,PID}/{exe,cwd,root,fd/N}.  None points outside the root:
 * root is "/", cwd and fd/N are guest paths.  Returns the length,
 * -EINVAL when @norm is not a link, -ENOENT when it does not exist.
 */
static long proc_readlink(struct kernel *k, const char *norm, char *out,
			  size_t len)
{
	const char *p = norm + strlen("/proc");
	struct task *t;
	long n;

	if (!strcmp(p, "/self"))
		return snprintf(out, len, "%d", k->current->pid);
	if (!strncmp(p, "/self/", 6)) {
		t = k->current;
		p += 6;
	} else if (p[0] == '/' && p[1] >= '0' && p[1] <= '9') {
		char *end;
		long pid = strtol(p + 1, &end, 10);
		if (*end != '/')
			return -EINVAL;
		t = pid > 0 && pid < INT32_MAX ? find_task(k, (int)pid) : NULL;
		if (!t)
			return -ENOENT;
		p = end + 1;
	} else {
		return -EINVAL;
	}
	if (!strcmp(p, "root"))
		return snprintf(out, len, "/");
	if (!strcmp(p, "exe")) {
		if (!t->mm || !t->mm->exe_file)
			return -ENOENT;
		return snprintf(out, len, "%s", t->mm->exe_file->i_name);
	}
	if (!strcmp(p, "cwd")) {
		n = hostfs_cwd_path(k, t, out, len);
		if (n == -ENOENT)
			n = snprintf(out, len, "%s (deleted)", t->cwd);
		return n;
	}
	if (!strncmp(p, "fd/", 3) && p[3] >= '0' && p[3] <= '9') {
		char *end;
		long fd = strtol(p + 3, &end, 10);
		if (*end || !t->files || fd >= MAX_FDS || !t->files->fd[fd])
			return -ENOENT;
		return file_link_text(k, t->files->fd[fd], out, len);
	}
	return -EINVAL;
}

long sys_readlinkat(struct kernel *k, int dirfd, gva_t upath, gva_t ubuf,
		    int32_t size)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX], base[256];
	char link[GUEST_PATH_MAX];
	long n;

	if (size <= 0)
		return -EINVAL;
	long err = resolve_user_path(k, dirfd, upath, path, norm);
	if (err)
		return err;
	if (is_proc_path(norm)) {
		n = proc_readlink(k, norm, link, sizeof(link));
		if (n < 0)
			return n;
	} else if (must_follow_last(path)) {
		/* "lnk/", "." or "..": a directory once followed, never a
		 * link (or the error of following it). */
		int fd = sandbox_open(k, path, O_PATH, 0);
		if (fd < 0)
			return fd;
		close(fd);
		return -EINVAL;
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

long sys_fchmodat(struct kernel *k, int dirfd, gva_t upath, unsigned mode)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX], fdpath[32];
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
	if (root_readonly(k))
		err = -EROFS;
	else
		err = chmod(fdpath, mode & 07777) < 0 ? -errno : 0;
	close(fd);
	return err;
}

long sys_fsync(struct kernel *k, int fd)
{
	struct file *f = fget(k, fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_HOST && f->inode) {
		filemap_write_and_wait(k, f->inode);
		if (fsync(f->host_fd) < 0)
			err = -errno;
	} else if (f->kind == FILE_PIPE || f->kind == FILE_PROC ||
		   f->kind == FILE_PERF) {
		err = -EINVAL;
	}
	fput(k, f);
	return err;
}

long sys_mkdirat(struct kernel *k, int dirfd, gva_t upath, int mode)
{
	char base[256];
	long err;
	struct last_component last;
	int pfd = resolve_parent(k, dirfd, upath, base, sizeof(base), -EEXIST,
				 &last);

	if (pfd < 0)
		return pfd;
	err = check_create_name(pfd, base, &last, true);
	if (!err && root_readonly(k))
		err = erofs_create(pfd, base);
	if (!err && mkdirat(pfd, base, (mode_t)mode & 07777) < 0)
		err = -errno;
	close(pfd);
	return err;
}

long sys_faccessat(struct kernel *k, int dirfd, gva_t upath, int mode)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
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
	if (!err && (mode & 2) && root_readonly(k)) {
		/* W_OK on a read-only file system (devices excepted). */
		struct stat st;
		if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) ||
					    S_ISDIR(st.st_mode) ||
					    S_ISLNK(st.st_mode)))
			err = -EROFS;
	}
	close(fd);
	return err;
}

long sys_getdents64(struct kernel *k, int fd, gva_t ubuf, uint32_t len)
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

static long do_ftruncate(struct kernel *k, int fd, uint64_t len)
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

/* The page-cache inode of host file @hfd, if it has one (no reference). */
static struct inode *find_host_inode(struct kernel *k, int hfd)
{
	struct inode *inode;
	struct stat st;

	if (fstat(hfd, &st) < 0)
		return NULL;
	list_for_each_entry(inode, &k->inodes, list)
		if (inode->kind == INODE_HOST &&
		    inode->dev == (uint64_t)st.st_dev &&
		    inode->ino == (uint64_t)st.st_ino)
			return inode;
	return NULL;
}

/* truncate(2): as ftruncate on the file @upath names (following links). */
long sys_truncate64(struct kernel *k, gva_t upath, uint32_t len_lo,
		    uint32_t len_hi)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
	int64_t len = (int64_t)(((uint64_t)len_hi << 32) | len_lo);
	long err = resolve_user_path(k, LX_AT_FDCWD, upath, path, norm);
	struct stat st;

	if (err)
		return err;
	if (len < 0)
		return -EINVAL;
	if (is_proc_path(norm))
		return -EACCES;
	int fd = sandbox_open(k, path, O_PATH, 0);
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (root_readonly(k))
		return -EROFS;
	fd = sandbox_open(k, path, O_WRONLY, 0);
	if (fd < 0)
		return fd;
	if (ftruncate(fd, (off_t)len) < 0) {
		err = -errno;
	} else {
		struct inode *inode = find_host_inode(k, fd);
		if (inode)
			filemap_truncate(k, inode, (uint64_t)len);
	}
	close(fd);
	return err;
}

#define LX_UTIME_NOW ((1l << 30) - 1)
#define LX_UTIME_OMIT ((1l << 30) - 2)

/*
 * utimensat with 64-bit times (rv32 has no other): @utimes is NULL (now)
 * or two struct __kernel_timespec; a NULL @upath means the file @dirfd
 * (futimens), as does "" with AT_EMPTY_PATH.
 */
long sys_utimensat_time64(struct kernel *k, int dirfd, gva_t upath,
			  gva_t utimes, int flags)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX], base[256];
	struct timespec ts[2], *tsp = utimes ? ts : NULL;
	struct stat st;
	int64_t t[4];
	long err = 0;
	int fd;

	if (flags & ~(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(k, t, utimes, sizeof(t)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (t[2 * i + 1] != LX_UTIME_NOW &&
			    t[2 * i + 1] != LX_UTIME_OMIT &&
			    (t[2 * i + 1] < 0 || t[2 * i + 1] > 999999999))
				return -EINVAL;
			ts[i].tv_sec = (time_t)t[2 * i];
			ts[i].tv_nsec = t[2 * i + 1] == LX_UTIME_NOW	 ? UTIME_NOW
					: t[2 * i + 1] == LX_UTIME_OMIT ? UTIME_OMIT
									: (long)t[2 * i + 1];
		}
	}
	if (upath) {
		err = get_path(k, upath, path);
		if (err)
			return err;
	}
	if (!upath || (!path[0] && (flags & LX_AT_EMPTY_PATH))) {
		struct file *f = fget(k, dirfd);
		if (!f)
			return -EBADF;
		if (f->kind == FILE_PROC)
			err = -EACCES;
		else if (f->kind == FILE_PIPE)
			err = 0; /* no host file behind it */
		else if (f->kind == FILE_TTY)
			err = -EPERM; /* the host's stdio: outside the root */
		else if (root_readonly(k) && f->kind == FILE_HOST)
			err = -EROFS;
		else
			err = futimens(f->host_fd, tsp) < 0
				      ? -errno
				      : 0;
		fput(k, f);
		return err;
	}
	if (!path[0])
		return -ENOENT;
	err = check_dirfd(k, dirfd, path);
	if (err)
		return err;
	normalize_path(path, norm, sizeof(norm));
	if (is_proc_path(norm))
		return -EACCES;
	if ((flags & LX_AT_SYMLINK_NOFOLLOW) && !must_follow_last(path)) {
		fd = sandbox_parent(k, path, base, sizeof(base));
		if (fd < 0)
			return fd;
		if (fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
			err = -errno;
		else if (root_readonly(k))
			err = -EROFS;
		else if (utimensat(fd, base, tsp, AT_SYMLINK_NOFOLLOW) < 0)
			err = -errno;
	} else {
		/* Resolve inside the root, then act through the descriptor,
		 * never by name (as chmod). */
		char fdpath[32];
		fd = sandbox_open(k, path, O_PATH, 0);
		if (fd < 0)
			return fd;
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
		if (root_readonly(k))
			err = -EROFS;
		else if (utimensat(AT_FDCWD, fdpath, tsp, 0) < 0)
			err = -errno;
	}
	close(fd);
	return err;
}

long sys_ioctl(struct kernel *k, int fd, uint32_t cmd, gva_t arg)
{
	struct file *f = fget(k, fd);
	long r = -ENOTTY;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_PERF) {
		r = perf_ioctl(k, f, cmd, arg);
	} else if (cmd == 0x5401 /* TCGETS */ && f->kind == FILE_TTY &&
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

long sys_getcwd(struct kernel *k, gva_t buf, uint32_t size)
{
	char cwd[GUEST_PATH_MAX];
	long n = hostfs_cwd_path(k, k->current, cwd, sizeof(cwd));

	if (n < 0)
		return n;
	if (size < (uint32_t)n + 1)
		return -ERANGE;
	if (copy_to_user(k, buf, cwd, (uint32_t)n + 1) < 0)
		return -EFAULT;
	return n + 1;
}

/* chdir: the directory must exist in the sandbox (and be searchable). */
long sys_chdir(struct kernel *k, gva_t upath)
{
	char path[GUEST_PATH_MAX], norm[GUEST_PATH_MAX];
	long err = resolve_user_path(k, LX_AT_FDCWD, upath, path, norm);

	if (err)
		return err;
	if (is_proc_path(norm)) {
		if (strlen(norm) >= sizeof(k->current->cwd))
			return -ENAMETOOLONG;
		cwd_set(k->current, -1, norm);
		return 0;
	}
	int fd = sandbox_open(k, path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	err = faccessat(fd, "", X_OK, AT_EMPTY_PATH) < 0 ? -errno : 0;
	if (err || !strcmp(norm, "/")) {
		close(fd);
		if (!err)
			cwd_set(k->current, -1, "/");
		return err;
	}
	cwd_set(k->current, fd, norm);
	return 0;
}

long sys_fchdir(struct kernel *k, int fd)
{
	struct file *f = fget(k, fd);
	long err = 0;
	int hfd = -1;

	if (!f)
		return -EBADF;
	if (f->kind != FILE_HOST || !f->is_dir)
		err = -ENOTDIR;
	else if (faccessat(f->host_fd, "", X_OK, AT_EMPTY_PATH) < 0)
		err = -errno;
	else if ((hfd = fcntl(f->host_fd, F_DUPFD_CLOEXEC, 3)) < 0)
		err = -ENOMEM;
	if (!err)
		cwd_set(k->current, hfd, f->f_path ? f->f_path : "/");
	fput(k, f);
	return err;
}

long sys_read(struct kernel *k, int fd, gva_t ubuf, uint32_t len)
{
	return do_read_write(k, fd, ubuf, len, -1, false);
}

long sys_write(struct kernel *k, int fd, gva_t ubuf, uint32_t len)
{
	return do_read_write(k, fd, ubuf, len, -1, true);
}

long sys_readv(struct kernel *k, int fd, gva_t iov, int iovcnt)
{
	return do_rwv(k, fd, iov, iovcnt, false);
}

long sys_writev(struct kernel *k, int fd, gva_t iov, int iovcnt)
{
	return do_rwv(k, fd, iov, iovcnt, true);
}

long sys_pread64(struct kernel *k, int fd, gva_t ubuf, uint32_t len,
		 uint32_t off_lo, uint32_t off_hi)
{
	int64_t off = (int64_t)(((uint64_t)off_hi << 32) | off_lo);

	if (off < 0)
		return -EINVAL;
	return do_read_write(k, fd, ubuf, len, off, false);
}

long sys_pwrite64(struct kernel *k, int fd, gva_t ubuf, uint32_t len,
		  uint32_t off_lo, uint32_t off_hi)
{
	int64_t off = (int64_t)(((uint64_t)off_hi << 32) | off_lo);

	if (off < 0)
		return -EINVAL;
	return do_read_write(k, fd, ubuf, len, off, true);
}

long sys_ftruncate64(struct kernel *k, int fd, uint32_t len_lo,
		     uint32_t len_hi)
{
	return do_ftruncate(k, fd, ((uint64_t)len_hi << 32) | len_lo);
}

long sys_fdatasync(struct kernel *k, int fd)
{
	return sys_fsync(k, fd);
}

/*
 * fadvise64_64 (Linux's generic_fadvise): per-open-file readahead policy
 * (NORMAL, RANDOM, SEQUENTIAL: twice the window), WILLNEED reads the range
 * in now, DONTNEED writes it back and drops its clean unmapped pages (the
 * writeback is synchronous here, so written pages go too), NOREUSE does
 * nothing.  EBADF for a bad descriptor, ESPIPE for a pipe, EINVAL for a
 * negative length or an unknown advice; files without a page cache (procfs,
 * terminals) accept any valid advice and ignore it.
 */
long sys_fadvise64_64(struct kernel *k, int fd, uint32_t off_lo,
		      uint32_t off_hi, uint32_t len_lo, uint32_t len_hi,
		      int advice)
{
	int64_t off = (int64_t)(((uint64_t)off_hi << 32) | off_lo);
	int64_t len = (int64_t)(((uint64_t)len_hi << 32) | len_lo);
	struct file *f = fget(k, fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_PIPE) {
		err = -ESPIPE;
		goto out;
	}
	if (len < 0 || advice < 0 || advice > 5) {
		err = -EINVAL;
		goto out;
	}
	struct inode *inode = f->kind == FILE_HOST ? f->inode : NULL;
	if (!inode)
		goto out;
	uint64_t end = (uint64_t)off + (uint64_t)len;
	if (!len || end < (uint64_t)len || end > (uint64_t)INT64_MAX)
		end = (uint64_t)INT64_MAX;
	else
		end--;
	unsigned long first = (unsigned long)((uint64_t)off >> PAGE_SHIFT);
	uint64_t lastp = end >> PAGE_SHIFT;
	unsigned long last = lastp > ~0ul ? ~0ul : (unsigned long)lastp;
	switch (advice) {
	case 0: /* POSIX_FADV_NORMAL */
		f->f_ra.ra_pages = VM_READAHEAD_PAGES;
		f->f_ra.random = false;
		break;
	case 1: /* POSIX_FADV_RANDOM */
		f->f_ra.random = true;
		break;
	case 2: /* POSIX_FADV_SEQUENTIAL */
		f->f_ra.ra_pages = 2 * VM_READAHEAD_PAGES;
		f->f_ra.random = false;
		break;
	case 3: /* POSIX_FADV_WILLNEED */
		if (off >= 0)
			filemap_willneed(k, inode, first, last);
		break;
	case 4: /* POSIX_FADV_DONTNEED */
		if (off < 0)
			break;
		/* Whole pages only: a partial first page stays. */
		if ((uint64_t)off & (PAGE_SIZE - 1))
			first++;
		if (end != (uint64_t)INT64_MAX &&
		    ((end + 1) & (PAGE_SIZE - 1))) {
			if (!last)
				break;
			last--;
		}
		if (first <= last)
			(void)filemap_invalidate_range(
				k, inode, (uint64_t)first << PAGE_SHIFT,
				((uint64_t)(last - first) + 1) << PAGE_SHIFT,
				false);
		break;
	case 5: /* POSIX_FADV_NOREUSE */
		break;
	}
out:
	fput(k, f);
	return err;
}

/* Every file's dirty pages reach the host (and the host's disk). */
long sys_sync(struct kernel *k)
{
	filemap_sync_all(k);
	return 0;
}
