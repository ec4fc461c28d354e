# src/kernel -- appended to libmmulab.a
libmmulab_a_SOURCES += src/kernel/list.h
libmmulab_a_SOURCES += src/kernel/seq.c src/kernel/seq.h
libmmulab_a_SOURCES += src/kernel/printk.c src/kernel/printk.h
libmmulab_a_SOURCES += src/kernel/mm_types.h
libmmulab_a_SOURCES += src/kernel/memory.h
libmmulab_a_SOURCES += src/kernel/boot.c
libmmulab_a_SOURCES += src/kernel/memblock.c
libmmulab_a_SOURCES += src/kernel/page_alloc.c
libmmulab_a_SOURCES += src/kernel/slab.c src/kernel/slab.h
libmmulab_a_SOURCES += src/kernel/vmstat.c src/kernel/vmstat.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_buddy
TESTS += tests/test_buddy
tests_test_buddy_SOURCES = tests/test_buddy.c
tests_test_buddy_CFLAGS = $(unit_cflags)
tests_test_buddy_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_slab
TESTS += tests/test_slab
tests_test_slab_SOURCES = tests/test_slab.c
tests_test_slab_CFLAGS = $(unit_cflags)
tests_test_slab_LDADD = $(unit_ldadd)

check_PROGRAMS += tests/test_boot
TESTS += tests/test_boot
tests_test_boot_SOURCES = tests/test_boot.c
tests_test_boot_CFLAGS = $(unit_cflags)
tests_test_boot_LDADD = $(unit_ldadd)
endif
