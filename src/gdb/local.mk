# src/gdb -- the GDB remote stub (packet layer, commands, TCP server) and
# host gdb support: mmulab-gdb.py is copied next to the binary, where gdb
# auto-loads it (objfile-gdb.py) from a safe path.
libmmulab_a_SOURCES += src/gdb/rsp.h src/gdb/rsp.c
libmmulab_a_SOURCES += src/gdb/gdbstub.h src/gdb/gdbstub.c src/gdb/gdbmon.c \
	src/gdb/gdbserve.c src/gdb/reverse.h src/gdb/reverse.c

noinst_DATA = mmulab-gdb.py
mmulab-gdb.py: $(top_srcdir)/src/gdb/mmulab-gdb.py
	$(AM_V_GEN)cp $(top_srcdir)/src/gdb/mmulab-gdb.py $@
CLEANFILES += mmulab-gdb.py
EXTRA_DIST += src/gdb/mmulab-gdb.py

TESTS += tests/hostgdb.sh
EXTRA_DIST += tests/hostgdb.sh examples/lesson-host-gdb

if HAVE_CRITERION
check_PROGRAMS += tests/test_rsp tests/test_gdbstub
TESTS += tests/test_rsp tests/test_gdbstub
tests_test_rsp_SOURCES = tests/test_rsp.c
tests_test_rsp_CFLAGS = $(unit_cflags)
tests_test_rsp_LDADD = $(unit_ldadd)
tests_test_gdbstub_SOURCES = tests/test_gdbstub.c tests/kharness.c tests/kharness.h
tests_test_gdbstub_CFLAGS = $(unit_cflags)
tests_test_gdbstub_LDADD = $(unit_ldadd)
endif

TESTS += tests/gdb.sh
EXTRA_DIST += tests/gdb.sh
