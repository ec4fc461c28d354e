/*
 * <sys/mman.h> for guest programs: picolibc has none.  mmap, munmap,
 * mprotect, mremap, msync, madvise, mincore, mlock and their flags, with
 * Linux's values, are declared in the runtime's mmulab.h.
 */
#ifndef MMULAB_SYS_MMAN_H
#define MMULAB_SYS_MMAN_H

#include "mmulab.h"

#endif
