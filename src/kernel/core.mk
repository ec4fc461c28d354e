# src/kernel core: address spaces, faults, processes, files, system calls.
libmmulab_a_SOURCES += src/kernel/kernel.h src/kernel/internal.h
libmmulab_a_SOURCES += src/kernel/mm.h src/kernel/syscalls.h
libmmulab_a_SOURCES += src/kernel/stats.h src/kernel/stats.c
libmmulab_a_SOURCES += src/kernel/kernel.c
libmmulab_a_SOURCES += src/kernel/vma.c
libmmulab_a_SOURCES += src/kernel/pgtable.c
libmmulab_a_SOURCES += src/kernel/rmap.c
libmmulab_a_SOURCES += src/kernel/lru.c
libmmulab_a_SOURCES += src/kernel/fault.c
libmmulab_a_SOURCES += src/kernel/mmap.c
libmmulab_a_SOURCES += src/kernel/filemap.c
libmmulab_a_SOURCES += src/kernel/swap.c
libmmulab_a_SOURCES += src/kernel/uaccess.c
libmmulab_a_SOURCES += src/kernel/exec.c
libmmulab_a_SOURCES += src/kernel/process.c
libmmulab_a_SOURCES += src/kernel/hostfs.c
libmmulab_a_SOURCES += src/kernel/procfs.c
libmmulab_a_SOURCES += src/kernel/syscall.c
libmmulab_a_SOURCES += src/kernel/views.h src/kernel/views.c
libmmulab_a_SOURCES += src/kernel/signal.h src/kernel/signal.c
libmmulab_a_SOURCES += src/kernel/pipe.c
libmmulab_a_SOURCES += src/kernel/sysctl.h src/kernel/sysctl.c

# Conformance checks run by mmulab alone: the hostfs sandbox, and what
# qemu-user cannot serve as the oracle for (see the scripts' headers).
TESTS += tests/sandbox.sh tests/conform.sh
EXTRA_DIST += tests/sandbox.sh tests/conform.sh tests/conform
