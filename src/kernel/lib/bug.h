/*
 * BUG(): a broken kernel invariant (Linux include/asm-generic/bug.h).
 */
#ifndef MMULAB_KERNEL_LIB_BUG_H
#define MMULAB_KERNEL_LIB_BUG_H

#include "types.h"

struct kernel;

/* A broken kernel invariant: log it and abort (never returns). */
void kernel_bug(struct kernel *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn, cold));

#endif
