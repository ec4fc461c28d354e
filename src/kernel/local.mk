# src/kernel -- the guest kernel, appended to libmmulab.a.  The directory is
# laid out as Linux's tree is: src/kernel/X/ holds what Linux keeps in X/
# (mm/, fs/, kernel/, lib/), so do_wp_page is in mm/memory.c here as there.

# lib/: lists, the seq text buffer, printk, user copies
libmmulab_a_SOURCES += src/kernel/lib/list.h src/kernel/lib/string.h src/kernel/lib/bug.h
libmmulab_a_SOURCES += src/kernel/lib/uaccess.h
libmmulab_a_SOURCES += src/kernel/lib/seq.c src/kernel/lib/seq.h
libmmulab_a_SOURCES += src/kernel/lib/printk.c src/kernel/lib/printk.h
libmmulab_a_SOURCES += src/kernel/lib/usercopy.c

# mm/: physical memory (boot, buddy, slab, counters)
libmmulab_a_SOURCES += src/kernel/mm/mm_types.h src/kernel/mm/mmzone.h
libmmulab_a_SOURCES += src/kernel/mm/mm_init.c
libmmulab_a_SOURCES += src/kernel/mm/memblock.c
libmmulab_a_SOURCES += src/kernel/mm/page_alloc.c
libmmulab_a_SOURCES += src/kernel/mm/slab.c src/kernel/mm/slab.h
libmmulab_a_SOURCES += src/kernel/mm/vmstat.c src/kernel/mm/vmstat.h

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
