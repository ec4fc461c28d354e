# src/loader -- appended to libmmulab.a
libmmulab_a_SOURCES += src/loader/elf.c src/loader/elf.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_elf
TESTS += tests/test_elf
tests_test_elf_SOURCES = tests/test_elf.c
tests_test_elf_CFLAGS = $(unit_cflags)
tests_test_elf_LDADD = $(unit_ldadd)
endif
