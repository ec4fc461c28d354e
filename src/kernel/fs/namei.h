/*
 * Path resolution in the hostfs sandbox (fs/namei.c), shared by hostfs.c,
 * file.c and exec: the guest's Linux open/AT constants, and the helpers
 * that turn a user path into a host descriptor confined to the root.
 */
#ifndef MMULAB_KERNEL_FS_NAMEI_H
#define MMULAB_KERNEL_FS_NAMEI_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/fs/fs.h"
#include "types.h"

struct kernel;
struct task;

/* Linux open flags the guest may pass (asm-generic == x86-64 values). */
#define LX_O_ACCMODE 03
#define LX_O_CREAT 0100
#define LX_O_EXCL 0200
#define LX_O_NOCTTY 0400
#define LX_O_TRUNC 01000
#define LX_O_APPEND 02000
#define LX_O_NONBLOCK 04000
#define LX_O_DSYNC 010000
#define LX_O_DIRECT 040000
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

/* Lexically normalise @in (absolute or relative to "/") into @out. */
void normalize_path(const char *in, char *out, size_t outlen);
/* Is the normalised path @norm in /proc (served by procfs)? */
bool is_proc_path(const char *norm);
/* openat2 of the guest path @path in the sandbox: a host fd or -errno. */
int sandbox_open(struct kernel *k, const char *path, int flags, int mode);
/*
 * Split the guest path @path into its parent directory, opened in the
 * sandbox (a host O_PATH fd the caller closes, or -errno), and the last
 * component, copied to @base (never "." or ".." unless the path is "/").
 */
int sandbox_parent(struct kernel *k, const char *path, char *base,
		   size_t baselen);
/* Copy the user path @upath into @buf (GUEST_PATH_MAX bytes): 0 or -errno. */
long get_path(struct kernel *k, gva_t upath, char *buf);
/*
 * The guest path of host descriptor @hfd where it is now, copied to @out
 * (@len bytes): its length, or -ENOENT when it was removed or is not
 * under the root (never a host path outside it), or -ENAMETOOLONG.
 */
long hostfs_fd_path(struct kernel *k, int hfd, char *out, size_t len);
/* The working directory of @t as a guest path, as hostfs_fd_path. */
long hostfs_cwd_path(struct kernel *k, const struct task *t, char *out,
		     size_t len);
/* Make @t's working directory the host directory @hfd (consumed; -1 for
 * one named by @path alone: "/" or a /proc directory). */
void cwd_set(struct task *t, int hfd, const char *path);
/*
 * Make @path (GUEST_PATH_MAX bytes) absolute in the guest's file system:
 * a relative path is taken from the directory @dirfd names, or from the
 * working directory for AT_FDCWD, where they are now.  Returns 0,
 * -EBADF, -ENOTDIR, -ENOENT or -ENAMETOOLONG.
 */
long check_dirfd(struct kernel *k, int dirfd, char *path);
/*
 * Copy the user path @upath and resolve it against @dirfd: @path gets the
 * absolute guest path, @norm its lexically normalised form (for the /proc
 * checks).  Both are GUEST_PATH_MAX bytes.  An empty path is -ENOENT.
 */
long resolve_user_path(struct kernel *k, int dirfd, gva_t upath, char *path,
		       char *norm);
/* The last component of a path as written (Linux's LAST_* types): a
 * name, none ("/"), "." or "..", and whether slashes follow it. */
struct last_component {
	enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT } type;
	bool slash;
};

/* What the last component of @path is, as written. */
void last_component(const char *path, struct last_component *last);

/* Must the last component of @path be followed even when the call says
 * not to (AT_SYMLINK_NOFOLLOW, readlink)?  Linux follows "name/", "."
 * and "..": they name directories. */
static inline bool must_follow_last(const char *path)
{
	struct last_component last;

	last_component(path, &last);
	return last.type != LAST_NORM || last.slash;
}

/*
 * Resolve @upath against @dirfd to a sandbox parent directory (a host fd
 * the caller closes) and the last component @base, lexically normalised
 * (so never "." or ".."); @last (if not NULL) says what the component was
 * as written, for the callers' Linux errors.  A /proc path gives
 * @proc_err (nothing there can be created or removed).
 */
int resolve_parent(struct kernel *k, int dirfd, gva_t upath, char *base,
		   size_t baselen, int proc_err, struct last_component *last);

#endif
