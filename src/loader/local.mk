# src/loader -- appended to libmmulab.a
libmmulab_a_SOURCES += src/loader/elf.c src/loader/elf.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_elf
TESTS += tests/test_elf
tests_test_elf_SOURCES = tests/test_elf.c
tests_test_elf_CFLAGS = $(unit_cflags)
tests_test_elf_LDADD = $(unit_ldadd)
endif

# differential test generator: a host program that writes a random RV32IMAC
# instruction sequence as assembly for one seed; tests/diff/rand-insn.sh
# builds and runs those under qemu-riscv32 and mmulab.  (tests/diff/ as a
# whole, rand-dump.c included, is in EXTRA_DIST via tests/local.mk.)
check_PROGRAMS += tests/diff/gen_rand
tests_diff_gen_rand_SOURCES = tests/diff/gen_rand.c
TESTS += tests/diff/rand-insn.sh
