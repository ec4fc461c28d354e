/*
 * Copies between the kernel and user memory (lib/usercopy.c).
 */
#ifndef MMULAB_KERNEL_LIB_UACCESS_H
#define MMULAB_KERNEL_LIB_UACCESS_H

#include "types.h"

struct kernel;

int copy_from_user(struct kernel *k, void *dst, gva_t src, uint32_t len)
	__must_check;
int copy_to_user(struct kernel *k, gva_t dst, const void *src, uint32_t len)
	__must_check;
/* Copy a NUL-terminated string of at most @max bytes (incl. NUL); returns
 * its length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(struct kernel *k, char *dst, gva_t src, uint32_t max);

#endif
