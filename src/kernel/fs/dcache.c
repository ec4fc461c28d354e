/*
 * Names the kernel keeps: the path of an inode (what /proc/PID/maps and
 * /proc/PID/exe show) and of an open file.  Each is a kmalloc'ed copy of
 * exactly its length in emulated RAM, as Linux keeps a dentry's name
 * longer than DNAME_INLINE_LEN (__d_alloc) -- not a fixed array that cuts
 * a program living under a deep directory.  A name may be as long as
 * GUEST_PATH_MAX - 1 bytes.
 */
#include <errno.h>
#include <string.h>

#include "kernel/fs/fs.h"
#include "kernel/kernel.h"
#include "kernel/mm/slab.h"

char *name_dup(struct kernel *k, const char *name)
{
	size_t len = strnlen(name, GUEST_PATH_MAX);
	char *copy;

	if (len == GUEST_PATH_MAX)
		return NULL;
	copy = kmalloc(&k->mem, len + 1, GFP_KERNEL);
	if (!copy)
		return NULL;
	memcpy(copy, name, len + 1);
	return copy;
}

void name_free(struct kernel *k, const char *name)
{
	if (name)
		kfree(&k->mem, name);
}

int file_set_path(struct kernel *k, struct file *f, const char *path)
{
	char *copy = name_dup(k, path);

	if (!copy)
		return -ENOMEM;
	name_free(k, f->f_path);
	f->f_path = copy;
	return 0;
}
