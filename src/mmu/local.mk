# src/mmu -- appended to libmmulab.a
libmmulab_a_SOURCES += \
	src/mmu/phys.c src/mmu/phys.h \
	src/mmu/pte.c src/mmu/pte.h \
	src/mmu/tlb.c src/mmu/tlb.h \
	src/mmu/walk.c src/mmu/mmu.c src/mmu/mmu.h \
	src/mmu/watch.c src/mmu/watch.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_phys tests/test_walk tests/test_tlb tests/test_mmu
TESTS += tests/test_phys tests/test_walk tests/test_tlb tests/test_mmu

tests_test_phys_SOURCES = tests/test_phys.c
tests_test_phys_CFLAGS = $(unit_cflags)
tests_test_phys_LDADD = $(unit_ldadd)

tests_test_walk_SOURCES = tests/test_walk.c tests/vm_harness.c tests/vm_harness.h
tests_test_walk_CFLAGS = $(unit_cflags)
tests_test_walk_LDADD = $(unit_ldadd)

tests_test_tlb_SOURCES = tests/test_tlb.c
tests_test_tlb_CFLAGS = $(unit_cflags)
tests_test_tlb_LDADD = $(unit_ldadd)

tests_test_mmu_SOURCES = tests/test_mmu.c tests/vm_harness.c tests/vm_harness.h
tests_test_mmu_CFLAGS = $(unit_cflags)
tests_test_mmu_LDADD = $(unit_ldadd)
endif
