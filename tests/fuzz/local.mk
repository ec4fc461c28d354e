# tests/fuzz -- coverage-guided fuzz targets (libFuzzer; AFL++ through
# afl-clang-fast).  See docs/fuzzing.md.
#
# The targets are not automake programs: they need their own compiler
# ($(FUZZ_CC), clang) and flags, so the library's sources are compiled a
# second time here, with coverage and ASan/UBSan, into
# tests/fuzz/libmmulab_fuzz.a.  The source list is libmmulab.a's own: a
# file added to or moved in the library needs nothing here.
#
#   make check        runs each target a few seconds (tests/fuzz/run.sh)
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGETS='fuzz_elf fuzz_exec']
#             [FUZZ_ARGS='-len_control=0']  (more libFuzzer options)
#                     each target FUZZ_TIME seconds, one after the other,
#                     growing the scratch corpus fuzz-corpus/TARGET

FUZZ_ALL = fuzz_elf fuzz_exec fuzz_syscall fuzz_procfs fuzz_path fuzz_rsp \
	fuzz_repl
FUZZ_BINS = $(addprefix tests/fuzz/,$(FUZZ_ALL))
FUZZ_TIME = 60
FUZZ_TARGETS = $(FUZZ_ALL)

FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS_ALL = -std=gnu11 -g -O1 -Wall -Wextra $(WERROR) -Wshadow \
	-Wmissing-prototypes -Wno-unused-parameter $(FUZZ_SAN)
FUZZ_CPPFLAGS = $(DEFS) -I$(top_srcdir)/src -I$(top_builddir) \
	-I$(top_srcdir)/tests -I$(top_srcdir)/tests/fuzz

fuzz_lib_objs = $(patsubst %.c,tests/fuzz/obj/%.o,\
	$(filter %.c,$(libmmulab_a_SOURCES)))
# Every object depends on every header: simple, and only the fuzz build
# pays for it.
fuzz_hdrs = $(addprefix $(top_srcdir)/,$(filter %.h,$(libmmulab_a_SOURCES))) \
	$(top_srcdir)/tests/fuzz/fuzz.h $(top_srcdir)/tests/fuzz/fuzz_kernel.h \
	$(top_srcdir)/tests/vm_harness.h
fuzz_common = tests/fuzz/obj/tests/fuzz/fuzz_common.o
fuzz_kernel = $(fuzz_common) tests/fuzz/obj/tests/fuzz/fuzz_kernel.o

tests/fuzz/obj/%.o: $(top_srcdir)/%.c $(fuzz_hdrs)
	@mkdir -p $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS_ALL) $(FUZZ_COV) \
		-c -o $@ $<

tests/fuzz/libmmulab_fuzz.a: $(fuzz_lib_objs)
	$(AM_V_AR)rm -f $@ && $(AR) cr $@ $(fuzz_lib_objs) && $(RANLIB) $@

fuzz_link = $(FUZZ_CC) $(FUZZ_CFLAGS_ALL) $(FUZZ_ENGINE) -o $@ $^ \
	$(LIBELF_LIBS)

tests/fuzz/fuzz_elf: tests/fuzz/obj/tests/fuzz/fuzz_elf.o $(fuzz_common) \
		tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link)
tests/fuzz/fuzz_exec: tests/fuzz/obj/tests/fuzz/fuzz_exec.o $(fuzz_common) \
		tests/fuzz/obj/tests/vm_harness.o tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link)
tests/fuzz/fuzz_syscall: tests/fuzz/obj/tests/fuzz/fuzz_syscall.o \
		$(fuzz_kernel) tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link)
tests/fuzz/fuzz_procfs: tests/fuzz/obj/tests/fuzz/fuzz_procfs.o \
		$(fuzz_kernel) tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link)
tests/fuzz/fuzz_path: tests/fuzz/obj/tests/fuzz/fuzz_path.o \
		$(fuzz_kernel) tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link)
tests/fuzz/fuzz_rsp: tests/fuzz/obj/tests/fuzz/fuzz_rsp.o \
		$(fuzz_kernel) tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link)
# The REPL's command interpreter and expression evaluator (it loads
# $MMULAB_FUZZ_ELF, run.sh sets it to guest/bin/hello.elf).
tests/fuzz/fuzz_repl: tests/fuzz/obj/tests/fuzz/fuzz_repl.o \
		tests/fuzz/libmmulab_fuzz.a
	$(AM_V_CCLD)$(fuzz_link) $(READLINE_LIBS) $(LIBDW_LIBS)

TESTS += tests/fuzz/run.sh
AM_TESTS_ENVIRONMENT += \
	HAVE_FUZZ='$(have_fuzz)'; export HAVE_FUZZ; \
	FUZZ_BIN='$(abs_top_builddir)/tests/fuzz'; export FUZZ_BIN;

if HAVE_FUZZ
check_DATA += $(FUZZ_BINS)
fuzz-targets: $(FUZZ_BINS)
fuzz: $(addprefix tests/fuzz/,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		FUZZ_BIN='$(abs_top_builddir)/tests/fuzz' \
		FUZZ_ARGS='$(FUZZ_ARGS)' srcdir='$(srcdir)' \
		GUEST_BIN='$(abs_top_builddir)/guest/bin' \
		LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/lsan.supp' \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh --long $$t \
			$(FUZZ_TIME) fuzz-corpus || exit 1; \
	done
else
fuzz-targets fuzz:
	@echo "fuzz targets not configured: need clang and libFuzzer" \
		"(Debian packages clang libclang-rt-14-dev), see docs/fuzzing.md"; \
	exit 1
endif

EXTRA_DIST += tests/fuzz/local.mk tests/fuzz/run.sh tests/fuzz/fuzz.h \
	tests/fuzz/fuzz_common.c tests/fuzz/fuzz_kernel.h \
	tests/fuzz/fuzz_kernel.c $(addprefix tests/fuzz/,$(addsuffix .c,$(FUZZ_ALL))) \
	tests/fuzz/seeds.py tests/fuzz/corpus tests/fuzz/regress

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/obj tests/fuzz/libmmulab_fuzz.a $(FUZZ_BINS)
distclean-local: distclean-fuzz
distclean-fuzz:
	-rm -rf fuzz-corpus

.PHONY: fuzz fuzz-targets clean-fuzz distclean-fuzz
