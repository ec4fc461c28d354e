# tests -- Criterion unit tests (added by each module's local.mk), and the
# integration and differential suites that run guest programs.  Every test
# speaks TAP so that skips are reported as skips.

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	CRITERION_OUTPUTS='tap:-'; export CRITERION_OUTPUTS; \
	CRITERION_NO_EARLY_EXIT=1; export CRITERION_NO_EARLY_EXIT; \
	MMULAB='$(abs_top_builddir)/mmulab'; export MMULAB; \
	GUEST_BIN='$(abs_top_builddir)/guest/bin'; export GUEST_BIN; \
	BUILDS_TOP='$(abs_top_builddir)'; export BUILDS_TOP; \
	QEMU_RISCV32='$(QEMU_RISCV32)'; export QEMU_RISCV32; \
	GUEST_CC='$(GUEST_CC)'; export GUEST_CC; \
	GUEST_CFLAGS='$(GUEST_CFLAGS)'; export GUEST_CFLAGS; \
	GUEST_LIBS='$(GUEST_LIBS)'; export GUEST_LIBS; \
	GUEST_RT_OBJS='$(addprefix $(abs_top_builddir)/,$(GUEST_RT_OBJS))'; export GUEST_RT_OBJS; \
	srcdir='$(srcdir)'; export srcdir; \
	top_srcdir='$(top_srcdir)'; export top_srcdir; \
	LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0'; \
	export LSAN_OPTIONS;

# Unit tests link the library and Criterion; main.c is never linked into them.
unit_ldadd = libmmulab.a $(CRITERION_LIBS) $(LIBELF_LIBS)
unit_cflags = $(AM_CFLAGS) $(CRITERION_CFLAGS) -Wno-missing-prototypes

if !HAVE_CRITERION
TESTS += tests/skip-criterion.sh
endif
EXTRA_DIST += tests/skip-criterion.sh tests/lsan.supp

# Integration and differential suites (shell, TAP).
# One line each, so that branches adding tests merge cleanly.
TESTS += tests/cli.sh
EXTRA_DIST += tests/cli.sh
TESTS += tests/robust.sh
EXTRA_DIST += tests/robust.sh
TESTS += tests/longpath.sh
EXTRA_DIST += tests/longpath.sh
TESTS += tests/regress.sh
EXTRA_DIST += tests/regress.sh
TESTS += tests/hostile.sh
EXTRA_DIST += tests/hostile.sh
TESTS += tests/watch.sh
EXTRA_DIST += tests/watch.sh
TESTS += tests/diff/diff-guest.sh
EXTRA_DIST += tests/diff/diff-guest.sh
TESTS += tests/diff/diff-sv32.sh
EXTRA_DIST += tests/diff/diff-sv32.sh
TESTS += tests/pressure.sh
EXTRA_DIST += tests/pressure.sh
EXTRA_DIST += tests/diff/cases.txt \
	tests/diff/stdin-text.txt tests/diff/rand-insn.sh tests/diff/rand-dump.c

if HAVE_CRITERION
check_PROGRAMS += tests/test_printk
TESTS += tests/test_printk
tests_test_printk_SOURCES = tests/test_printk.c
tests_test_printk_CFLAGS = $(unit_cflags)
tests_test_printk_LDADD = $(unit_ldadd)
endif

# Determinism across builds: tests/builds.sh compares this build with an
# -O0 build and an ASan+UBSan build of the same sources.  When MMULAB_O0
# and MMULAB_SAN are not given it makes them itself with
# `make check-builds-bins` (the distribution tree copied into
# $(CHECK_BUILDS_DIR), configured twice; rebuilt only when ./mmulab is
# newer).  `make check-builds` runs just this test.
TESTS += tests/builds.sh
EXTRA_DIST += tests/builds.sh
CHECK_BUILDS_DIR = check-builds
clean-local: clean-check-builds
clean-check-builds:
	rm -rf $(CHECK_BUILDS_DIR) check-builds.log
check-builds-bins: $(CHECK_BUILDS_DIR)/stamp
$(CHECK_BUILDS_DIR)/stamp: mmulab
	rm -rf $(CHECK_BUILDS_DIR)
	$(MKDIR_P) $(CHECK_BUILDS_DIR)
	$(MAKE) $(AM_MAKEFLAGS) distdir distdir=$(CHECK_BUILDS_DIR)/src
	$(MKDIR_P) $(CHECK_BUILDS_DIR)/O0 $(CHECK_BUILDS_DIR)/san
	cd $(CHECK_BUILDS_DIR)/O0 && ../src/configure -q $(CHECK_BUILDS_FLAGS) CFLAGS='-O0 -g' \
		&& $(MAKE) $(AM_MAKEFLAGS) mmulab
	cd $(CHECK_BUILDS_DIR)/san && ../src/configure -q --enable-sanitizers $(CHECK_BUILDS_FLAGS) \
		&& $(MAKE) $(AM_MAKEFLAGS) mmulab
	touch $@
check-builds: mmulab guest check-builds-bins
	MMULAB='$(abs_top_builddir)/mmulab' \
	MMULAB_O0='$(abs_top_builddir)/$(CHECK_BUILDS_DIR)/O0/mmulab' \
	MMULAB_SAN='$(abs_top_builddir)/$(CHECK_BUILDS_DIR)/san/mmulab' \
	GUEST_BIN='$(abs_top_builddir)/guest/bin' \
	LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0' \
	$(SHELL) $(top_srcdir)/tests/builds.sh
.PHONY: check-builds check-builds-bins clean-check-builds

if HAVE_CRITERION
check_PROGRAMS += tests/test_options
TESTS += tests/test_options
tests_test_options_SOURCES = tests/test_options.c
tests_test_options_CFLAGS = $(unit_cflags)
tests_test_options_LDADD = $(unit_ldadd)
endif

# NUMA memory policies, /proc/pressure and --vmsplit (numa branch).
TESTS += tests/numa.sh
EXTRA_DIST += tests/numa.sh
# The page cache, readahead and madvise (branch pcache).
TESTS += tests/pcache.sh
EXTRA_DIST += tests/pcache.sh
if HAVE_CRITERION
check_PROGRAMS += tests/test_readahead
TESTS += tests/test_readahead
tests_test_readahead_SOURCES = tests/test_readahead.c
tests_test_readahead_CFLAGS = $(unit_cflags)
tests_test_readahead_LDADD = $(unit_ldadd)
endif
# Measuring a run: --stats, per-process JSON, --cost, --sample/--csv,
# perf_event_open, the progress line (issue 10).
TESTS += tests/cockpit.sh
EXTRA_DIST += tests/cockpit.sh
# huge pages: the hugetlb pool, MAP_HUGETLB, THP (tests/test_huge.c) and
# the end-to-end checks with guest programs (tests/huge.sh)
if HAVE_CRITERION
check_PROGRAMS += tests/test_huge
TESTS += tests/test_huge
tests_test_huge_SOURCES = tests/test_huge.c tests/kharness.c tests/kharness.h
tests_test_huge_CFLAGS = $(unit_cflags)
tests_test_huge_LDADD = $(unit_ldadd)
endif
TESTS += tests/huge.sh
EXTRA_DIST += tests/huge.sh
# Replacement experiments: the replay policies and --policy/--record-refs.
if HAVE_CRITERION
check_PROGRAMS += tests/test_replay
TESTS += tests/test_replay
tests_test_replay_SOURCES = tests/test_replay.c
tests_test_replay_CFLAGS = $(unit_cflags)
tests_test_replay_LDADD = $(unit_ldadd)
endif
TESTS += tests/replace.sh
EXTRA_DIST += tests/replace.sh
# tests/man.sh: mmulab.1 against the command table, --help and make install
TESTS += tests/man.sh
EXTRA_DIST += tests/man.sh
# The lessons of examples/ (branch lessons): every examples/*.mmu passes its
# expect lines; tests/guestcc.sh: textbook programs compile, ours without
# warnings.
TESTS += tests/lessons.sh
EXTRA_DIST += tests/lessons.sh
TESTS += tests/guestcc.sh
EXTRA_DIST += tests/guestcc.sh
