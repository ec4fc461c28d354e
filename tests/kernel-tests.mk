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
endif
