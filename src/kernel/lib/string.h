/*
 * String helpers of the guest kernel (Linux lib/string.c).
 */
#ifndef MMULAB_KERNEL_LIB_STRING_H
#define MMULAB_KERNEL_LIB_STRING_H

#include "types.h"

/* Copy a string, truncating to fit @size bytes (always terminated). */
static inline void strscpy(char *dst, const char *src, size_t size)
{
	size_t n = __builtin_strlen(src);

	if (n >= size)
		n = size - 1;
	__builtin_memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The part of @path after its last '/' (Linux's kbasename). */
static inline const char *kbasename(const char *path)
{
	const char *tail = __builtin_strrchr(path, '/');

	return tail ? tail + 1 : path;
}

#endif
