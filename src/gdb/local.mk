# src/gdb -- host gdb support: mmulab-gdb.py is copied next to the binary,
# where gdb auto-loads it (objfile-gdb.py) from a safe path.
noinst_DATA = mmulab-gdb.py
mmulab-gdb.py: $(top_srcdir)/src/gdb/mmulab-gdb.py
	$(AM_V_GEN)cp $(top_srcdir)/src/gdb/mmulab-gdb.py $@
CLEANFILES += mmulab-gdb.py
EXTRA_DIST += src/gdb/mmulab-gdb.py

TESTS += tests/hostgdb.sh
EXTRA_DIST += tests/hostgdb.sh examples/lesson-host-gdb
