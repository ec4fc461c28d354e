/*
 * Inodes, open files and descriptor tables (Linux include/linux/fs.h and
 * fdtable.h), hostfs and pipes.
 */
#ifndef MMULAB_KERNEL_FS_FS_H
#define MMULAB_KERNEL_FS_FS_H

#include "kernel/lib/list.h"
#include "types.h"

struct kernel;
struct files;
struct task;

/* Linux's PATH_MAX: the longest path, its NUL included. */
#define GUEST_PATH_MAX 4096

/*
 * A kernel copy of @name in emulated RAM, exactly its size (names.c):
 * NULL when memory is short or @name has GUEST_PATH_MAX bytes or more.
 * name_free() takes NULL.
 */
char *name_dup(struct kernel *k, const char *name);
void name_free(struct kernel *k, const char *name);
struct file;
/* Give @f the name @path (a copy): 0 or -ENOMEM.  fput() frees it. */
int file_set_path(struct kernel *k, struct file *f, const char *path);

/*
 * Readahead state (Linux's struct file_ra_state, mm/readahead.c): the
 * current window [start, start + size) of which the last async_size pages
 * are still ahead of the reader (the first of them carries PG_readahead).
 */
struct file_ra_state {
	unsigned long start;
	unsigned int size;
	unsigned int async_size;
	unsigned int ra_pages;	/* the window's maximum (read_ahead_kb) */
	unsigned int mmap_miss;	/* mmap faults that missed the cache */
	uint64_t prev_pos;	/* where the last read ended, or ~0 */
	bool random;		/* POSIX_FADV_RANDOM (FMODE_RANDOM) */
};

/* Where an inode's data comes from. */
enum inode_kind { INODE_HOST, INODE_MEM };

struct inode {
	int refcount;
	enum inode_kind kind;
	int host_fd;		/* INODE_HOST: an O_RDONLY/O_RDWR host fd */
	uint64_t ino, dev;
	uint64_t size;		/* bytes */
	char *i_name;		/* the path /proc/PID/maps shows, any
				 * length (name_dup) */
	struct list_head list;	/* in k->inodes */
	/* The page cache: a radix tree of pages by index (filemap.c). */
	void *pc_root;
	unsigned long nrpages;
	/* Readahead of file faults: mmulab's vmas reference the inode, not
	 * the open file, so mappings share this state. */
	struct file_ra_state ra;
	bool readable, writable;	/* what host_fd allows */
	bool idle_fd;		/* unused, keeps host_fd for dirty pages */
	uint64_t dirtied_when;	/* virtual ns its first dirty page came */
};

/* Get the inode of a host file (shared per (dev, ino)); NULL on error. */
struct inode *inode_get_host(struct kernel *k, int host_fd, const char *path);
void inode_put(struct kernel *k, struct inode *inode);
/*
 * The host file (@dev, @ino) has lost its last name (unlink, rename over
 * it): its inode goes now with its page cache if nobody uses it, since
 * nobody can open the file again and the host may give its number to the
 * next file created (which must not find these pages).
 */
void inode_host_unlinked(struct kernel *k, uint64_t dev, uint64_t ino);
/* A shmem inode of @size bytes for MAP_SHARED|MAP_ANONYMOUS; NULL if OOM. */
struct inode *shmem_inode_create(struct kernel *k, uint64_t size);

static inline struct inode *inode_ref(struct inode *inode)
{
	inode->refcount++;
	return inode;
}

/* ---- files (file.c, hostfs.c, procfs.c) ----------------------------------------- */
enum file_kind { FILE_HOST, FILE_PROC, FILE_TTY, FILE_PIPE, FILE_PERF };
struct pipe;
struct perf_event;

struct file {
	int refcount;
	enum file_kind kind;
	int host_fd;		/* FILE_HOST / FILE_TTY */
	unsigned flags;		/* Linux O_* flags */
	struct inode *inode;	/* FILE_HOST regular files (for mmap) */
	struct file_ra_state f_ra; /* read()'s readahead (readahead.c) */
	bool is_dir;
	char *text;		/* FILE_PROC: the snapshot */
	size_t text_len;
	uint64_t pos;		/* FILE_PROC */
	struct pipe *pipe;	/* FILE_PIPE */
	struct perf_event *perf; /* FILE_PERF (kernel/perf_event.c) */
	int pagemap_pid;	/* FILE_PROC: /proc/PID/pagemap of this task */
	char *f_path;		/* normalised guest path (dirfd-relative
				 * lookups start here; file_set_path), or
				 * NULL (ttys, pipes) */
};

struct files *files_alloc(struct kernel *k);
struct files *files_dup(struct kernel *k, struct files *old);
void files_put(struct kernel *k, struct files *f);
void files_close_on_exec(struct kernel *k, struct files *f);
struct file *fget(struct kernel *k, int fd);
struct file *file_alloc(struct kernel *k, enum file_kind kind);
/* Install @f at the lowest free fd >= @min (consumes the reference);
 * returns the fd or -EMFILE. */
int fd_install(struct kernel *k, struct file *f, int min, bool cloexec);
/* The lowest free fd of the current task (fd_install at it takes it), or
 * -EMFILE.  Nothing is reserved: take it before anything else can. */
int get_unused_fd(struct kernel *k);
/* The current task's descriptor limit (RLIMIT_NOFILE, at most MAX_FDS). */
int fd_limit(struct kernel *k);
/* The close-on-exec bit of @fd in @fs. */
bool fd_cloexec(struct files *fs, int fd);
void set_cloexec(struct files *fs, int fd, bool on);
/* Close @fd of the current task. */
void fput(struct kernel *k, struct file *f);
/* Open the sandbox path @path for exec: the host fd or -errno; @shown
 * gets the absolute guest path (for maps). */
int hostfs_open_exec(struct kernel *k, const char *path, char *shown,
		     size_t shownlen);
/* A host write(2) of @buf on @f returned @r: SIGPIPE on EPIPE, console
 * tracking (tty.c).  Returns @r. */
long host_write_done(struct kernel *k, struct file *f, const void *buf,
		     long r);
/*
 * The working directory (namei.c) is a host O_PATH descriptor, so that it
 * follows its directory when renamed.  cwd_fork gives child @c a copy of
 * @p's (0 or -ENOMEM); cwd_release drops @t's.
 */
int cwd_fork(struct task *c, const struct task *p);
void cwd_release(struct task *t);
/* Set up fds 0-2 of the first task on the host's stdio. */
int files_init_stdio(struct kernel *k, struct files *fs);

void fd_uninstall(struct kernel *k, int fd);
/* pipe.c */
long pipe_read(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len);
long pipe_write(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len);
void pipe_release(struct kernel *k, struct file *f);

#endif
