/*
 * procfs (fs/procfs.c): the text of /proc files, /proc/sys writes and
 * pagemap reads.
 */
#ifndef MMULAB_KERNEL_FS_PROC_H
#define MMULAB_KERNEL_FS_PROC_H

#include "kernel/lib/seq.h"
#include "types.h"

struct kernel;

/* Write to a procfs file (sysctls, sysrq-trigger): bytes or -errno. */
long procfs_write(struct kernel *k, const char *path, const char *buf,
		  size_t len);
bool procfs_writable(const char *path);
/* The pid a /proc/PID/pagemap path names (self resolved), or 0 when @path
 * is not a pagemap. */
int procfs_pagemap_pid(struct kernel *k, const char *path);
/* Read @n bytes of task @pid's pagemap at byte @pos: bytes or -errno. */
long procfs_pagemap_read(struct kernel *k, int pid, void *buf, size_t n,
			 uint64_t pos);
/* Text of a procfs file, or -ENOENT. Caller frees seq. */
int procfs_read(struct kernel *k, const char *path, struct seq *out);

#endif
