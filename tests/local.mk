# tests -- Criterion unit tests (added by each module's local.mk), and the
# integration and differential suites that run guest programs.  Every test
# speaks TAP so that skips are reported as skips.

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	CRITERION_OUTPUTS='tap:-'; export CRITERION_OUTPUTS; \
	CRITERION_NO_EARLY_EXIT=1; export CRITERION_NO_EARLY_EXIT; \
	MMULAB='$(abs_top_builddir)/mmulab'; export MMULAB; \
	GUEST_BIN='$(abs_top_builddir)/guest/bin'; export GUEST_BIN; \
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
# -O0 build and an ASan+UBSan build (skipped in `make check` unless
# MMULAB_O0 / MMULAB_SAN are set).  `make check-builds` makes both from
# the distribution tree in $(CHECK_BUILDS_DIR) and runs it (a few
# minutes; the guest programs of this build are reused).
TESTS += tests/builds.sh
EXTRA_DIST += tests/builds.sh
CHECK_BUILDS_DIR = check-builds
check-builds: mmulab guest
	rm -rf $(CHECK_BUILDS_DIR)
	$(MKDIR_P) $(CHECK_BUILDS_DIR)
	$(MAKE) $(AM_MAKEFLAGS) distdir distdir=$(CHECK_BUILDS_DIR)/src
	$(MKDIR_P) $(CHECK_BUILDS_DIR)/O0 $(CHECK_BUILDS_DIR)/san
	cd $(CHECK_BUILDS_DIR)/O0 && ../src/configure -q CFLAGS='-O0 -g' \
		&& $(MAKE) $(AM_MAKEFLAGS) mmulab
	cd $(CHECK_BUILDS_DIR)/san && ../src/configure -q --enable-sanitizers \
		&& $(MAKE) $(AM_MAKEFLAGS) mmulab
	MMULAB='$(abs_top_builddir)/mmulab' \
	MMULAB_O0='$(abs_top_builddir)/$(CHECK_BUILDS_DIR)/O0/mmulab' \
	MMULAB_SAN='$(abs_top_builddir)/$(CHECK_BUILDS_DIR)/san/mmulab' \
	GUEST_BIN='$(abs_top_builddir)/guest/bin' \
	LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0' \
	$(SHELL) $(top_srcdir)/tests/builds.sh
.PHONY: check-builds

if HAVE_CRITERION
check_PROGRAMS += tests/test_options
TESTS += tests/test_options
tests_test_options_SOURCES = tests/test_options.c
tests_test_options_CFLAGS = $(unit_cflags)
tests_test_options_LDADD = $(unit_ldadd)
endif

# The lessons of examples/ (branch lessons): every examples/*.mmu passes its
# expect lines; tests/guestcc.sh: textbook programs compile, ours without
# warnings.
TESTS += tests/lessons.sh
EXTRA_DIST += tests/lessons.sh
TESTS += tests/guestcc.sh
EXTRA_DIST += tests/guestcc.sh
