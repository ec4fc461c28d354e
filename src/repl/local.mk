# src/repl -- the REPL and the script runner (front end)
libmmulab_a_SOURCES += src/repl/repl.h src/repl/repl.c src/repl/cmds.h \
	src/repl/commands.c src/repl/exec.c src/repl/views.c \
	src/repl/interactive.c src/repl/expr.h src/repl/expr.c \
	src/repl/source.c
libmmulab_a_SOURCES += src/repl/experiments.c
mmulab_LDADD += $(LIBDW_LIBS)

# The REPL's tests (shell, TAP; the environment of tests/local.mk).
TESTS += tests/script.sh tests/trace.sh tests/tmux-repl.sh tests/disasm.sh
EXTRA_DIST += examples tests/script.sh tests/trace.sh tests/tmux-repl.sh \
	tests/disasm.sh

# tests/disasm.sh's host tool: the disassembler over raw bytes.
check_PROGRAMS += tests/disasm_raw
tests_disasm_raw_SOURCES = tests/disasm_raw.c
tests_disasm_raw_LDADD = libmmulab.a

# A libFuzzer target for the expression evaluator and the command
# interpreter (tests/fuzz/fuzz_repl.c), built with clang over the
# library's sources with ASan and UBSan: `make fuzz-repl`.
FUZZ_REPL_CC = clang
FUZZ_REPL_TIME = 60
FUZZ_REPL_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
EXTRA_DIST += tests/fuzz/fuzz_repl.c
CLEANFILES += tests/fuzz/fuzz_repl

tests/fuzz/fuzz_repl: $(top_srcdir)/tests/fuzz/fuzz_repl.c \
		$(addprefix $(top_srcdir)/,$(libmmulab_a_SOURCES))
	@mkdir -p tests/fuzz
	$(AM_V_CCLD)$(FUZZ_REPL_CC) $(FUZZ_REPL_FLAGS) -std=gnu11 $(DEFS) \
		$(AM_CPPFLAGS) $(LIBDW_CFLAGS) -o $@ $< \
		$(addprefix $(top_srcdir)/,$(filter %.c,$(libmmulab_a_SOURCES))) \
		$(LIBELF_LIBS) $(READLINE_LIBS) $(LIBDW_LIBS)

fuzz-repl: tests/fuzz/fuzz_repl
	@mkdir -p fuzz-corpus/fuzz_repl
	MMULAB_FUZZ_ELF=guest/bin/hello.elf tests/fuzz/fuzz_repl \
		-max_total_time=$(FUZZ_REPL_TIME) -max_len=512 \
		-timeout=10 fuzz-corpus/fuzz_repl

.PHONY: fuzz-repl
