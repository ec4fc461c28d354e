# tests -- unit tests of the guest kernel core (src/kernel: vma, fault,
# TLB flush points, whole programs), built on the kernel test harness.

kharness_sources = tests/kharness.c tests/kharness.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_vma
TESTS += tests/test_vma
tests_test_vma_SOURCES = tests/test_vma.c $(kharness_sources)
tests_test_vma_CFLAGS = $(unit_cflags)
tests_test_vma_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_fault
TESTS += tests/test_fault
tests_test_fault_SOURCES = tests/test_fault.c $(kharness_sources)
tests_test_fault_CFLAGS = $(unit_cflags)
tests_test_fault_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_vmscan
TESTS += tests/test_vmscan
tests_test_vmscan_SOURCES = tests/test_vmscan.c $(kharness_sources)
tests_test_vmscan_CFLAGS = $(unit_cflags)
tests_test_vmscan_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_tlbflush
TESTS += tests/test_tlbflush
tests_test_tlbflush_SOURCES = tests/test_tlbflush.c $(kharness_sources)
tests_test_tlbflush_CFLAGS = $(unit_cflags)
tests_test_tlbflush_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_kernel
TESTS += tests/test_kernel
tests_test_kernel_SOURCES = tests/test_kernel.c $(kharness_sources)
tests_test_kernel_CFLAGS = $(unit_cflags)
tests_test_kernel_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_signal
TESTS += tests/test_signal
tests_test_signal_SOURCES = tests/test_signal.c $(kharness_sources)
tests_test_signal_CFLAGS = $(unit_cflags)
tests_test_signal_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_filemap
TESTS += tests/test_filemap
tests_test_filemap_SOURCES = tests/test_filemap.c $(kharness_sources)
tests_test_filemap_CFLAGS = $(unit_cflags)
tests_test_filemap_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_rmap
TESTS += tests/test_rmap
tests_test_rmap_SOURCES = tests/test_rmap.c $(kharness_sources)
tests_test_rmap_CFLAGS = $(unit_cflags)
tests_test_rmap_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_procfs
TESTS += tests/test_procfs
tests_test_procfs_SOURCES = tests/test_procfs.c $(kharness_sources)
tests_test_procfs_CFLAGS = $(unit_cflags)
tests_test_procfs_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_syscall
TESTS += tests/test_syscall
tests_test_syscall_SOURCES = tests/test_syscall.c $(kharness_sources)
tests_test_syscall_CFLAGS = $(unit_cflags)
tests_test_syscall_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_hostfs
TESTS += tests/test_hostfs
tests_test_hostfs_SOURCES = tests/test_hostfs.c $(kharness_sources)
tests_test_hostfs_CFLAGS = $(unit_cflags)
tests_test_hostfs_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_mempolicy
TESTS += tests/test_mempolicy
tests_test_mempolicy_SOURCES = tests/test_mempolicy.c $(kharness_sources)
tests_test_mempolicy_CFLAGS = $(unit_cflags)
tests_test_mempolicy_LDADD = $(unit_ldadd)
check_PROGRAMS += tests/test_perf_event
TESTS += tests/test_perf_event
tests_test_perf_event_SOURCES = tests/test_perf_event.c $(kharness_sources)
tests_test_perf_event_CFLAGS = $(unit_cflags)
tests_test_perf_event_LDADD = $(unit_ldadd)
endif
