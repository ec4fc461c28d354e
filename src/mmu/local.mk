# src/mmu -- appended to libmmulab.a
libmmulab_a_SOURCES += \
	src/mmu/phys.c src/mmu/phys.h \
	src/mmu/pte.c src/mmu/pte.h \
	src/mmu/tlb.c src/mmu/tlb.h \
	src/mmu/walk.c src/mmu/mmu.c src/mmu/mmu.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_mmu
TESTS += tests/test_mmu

tests_test_mmu_SOURCES = tests/test_mmu.c tests/vm_harness.c tests/vm_harness.h
tests_test_mmu_CFLAGS = $(unit_cflags)
tests_test_mmu_LDADD = $(unit_ldadd)
endif
