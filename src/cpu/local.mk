# src/cpu -- appended to libmmulab.a
libmmulab_a_SOURCES += src/cpu/cpu.c src/cpu/cpu.h src/cpu/decode.c \
	src/cpu/decode.h src/cpu/decode_inline.h src/cpu/disasm.c \
	src/cpu/exec.c src/cpu/exec.h src/cpu/debug.c src/cpu/icache.c \
	src/cpu/icache.h

if HAVE_CRITERION
check_PROGRAMS += tests/test_decode
TESTS += tests/test_decode
tests_test_decode_SOURCES = tests/test_decode.c
tests_test_decode_CFLAGS = $(unit_cflags)
tests_test_decode_LDADD = $(unit_ldadd)
endif

if HAVE_CRITERION
check_PROGRAMS += tests/test_cpu
TESTS += tests/test_cpu
tests_test_cpu_SOURCES = tests/test_cpu.c tests/vm_harness.c \
	tests/vm_harness.h
tests_test_cpu_CFLAGS = $(unit_cflags)
tests_test_cpu_LDADD = $(unit_ldadd)
endif
