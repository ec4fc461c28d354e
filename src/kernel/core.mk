# src/kernel core: address spaces, faults, processes, files, system calls.
libmmulab_a_SOURCES += src/kernel/kernel.h
libmmulab_a_SOURCES += src/kernel/kernel.c

# mm/: address spaces, faults, the page cache
libmmulab_a_SOURCES += src/kernel/mm/mm.h src/kernel/mm/internal.h src/kernel/mm/swap.h
libmmulab_a_SOURCES += src/kernel/mm/rmap.h src/kernel/mm/pagemap.h
libmmulab_a_SOURCES += src/kernel/kernel/sched.h src/kernel/fs/fs.h src/kernel/fs/proc.h
libmmulab_a_SOURCES += src/kernel/mm/vma.c
libmmulab_a_SOURCES += src/kernel/mm/pgtable.c
libmmulab_a_SOURCES += src/kernel/mm/rmap.c
libmmulab_a_SOURCES += src/kernel/mm/swap.c
libmmulab_a_SOURCES += src/kernel/mm/memory.c
libmmulab_a_SOURCES += src/kernel/mm/mman.h src/kernel/mm/mmap.c
libmmulab_a_SOURCES += src/kernel/mm/mprotect.c src/kernel/mm/mremap.c
libmmulab_a_SOURCES += src/kernel/mm/madvise.c src/kernel/mm/mincore.c
libmmulab_a_SOURCES += src/kernel/mm/mlock.c src/kernel/mm/msync.c
libmmulab_a_SOURCES += src/kernel/mm/filemap.c
libmmulab_a_SOURCES += src/kernel/mm/readahead.c
libmmulab_a_SOURCES += src/kernel/mm/page-writeback.c
libmmulab_a_SOURCES += src/kernel/mm/swapfile.c
libmmulab_a_SOURCES += src/kernel/mm/swap_state.c src/kernel/mm/vmscan.c
libmmulab_a_SOURCES += src/kernel/mm/replace.c src/kernel/mm/replace.h
libmmulab_a_SOURCES += src/kernel/mm/oom_kill.c src/kernel/mm/workingset.c
libmmulab_a_SOURCES += src/kernel/mm/mempolicy.h src/kernel/mm/mempolicy.c
libmmulab_a_SOURCES += src/kernel/mm/wss.h src/kernel/mm/wss.c
# huge pages: the hugetlb pool and transparent huge pages
libmmulab_a_SOURCES += src/kernel/mm/huge_mm.h src/kernel/mm/hugetlb.c
libmmulab_a_SOURCES += src/kernel/mm/huge_memory.c

# kernel/: processes, signals, system calls, sysctls
libmmulab_a_SOURCES += src/kernel/kernel/process.c
libmmulab_a_SOURCES += src/kernel/kernel/perf_event.h src/kernel/kernel/perf_event.c
libmmulab_a_SOURCES += src/kernel/kernel/signal.h src/kernel/kernel/signal.c
libmmulab_a_SOURCES += src/kernel/kernel/syscalls.h
libmmulab_a_SOURCES += src/kernel/kernel/syscall.c
libmmulab_a_SOURCES += src/kernel/kernel/syscall_table.c
libmmulab_a_SOURCES += src/kernel/kernel/sysctl.h src/kernel/kernel/sysctl.c
libmmulab_a_SOURCES += src/kernel/kernel/psi.h src/kernel/kernel/psi.c

# fs/: exec, hostfs, procfs, pipes
libmmulab_a_SOURCES += src/kernel/fs/exec.c
libmmulab_a_SOURCES += src/kernel/fs/namei.h src/kernel/fs/namei.c
libmmulab_a_SOURCES += src/kernel/fs/file.c
libmmulab_a_SOURCES += src/kernel/fs/hostfs.c
libmmulab_a_SOURCES += src/kernel/fs/procfs.c
libmmulab_a_SOURCES += src/kernel/fs/pipe.c
libmmulab_a_SOURCES += src/kernel/fs/tty.c src/kernel/fs/dcache.c

# Front-end views over the kernel (procps-style listings, --stats).
libmmulab_a_SOURCES += src/views/views.h src/views/views.c
libmmulab_a_SOURCES += src/views/stats.h src/views/stats.c
libmmulab_a_SOURCES += src/views/watch.h src/views/watch.c

# Conformance checks run by mmulab alone: the hostfs sandbox, and what
# qemu-user cannot serve as the oracle for (see the scripts' headers).
TESTS += tests/sandbox.sh tests/conform.sh
EXTRA_DIST += tests/sandbox.sh tests/conform.sh tests/conform
