# src/repl -- the REPL and the script runner (front end)
libmmulab_a_SOURCES += src/repl/repl.h src/repl/repl.c src/repl/cmds.h \
	src/repl/commands.c src/repl/exec.c src/repl/views.c \
	src/repl/interactive.c src/repl/expr.h src/repl/expr.c \
	src/repl/source.c src/repl/memviews.c
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

# The REPL's libFuzzer target, tests/fuzz/fuzz_repl.c, is built and run
# with the others (tests/fuzz/local.mk): `make fuzz FUZZ_TARGETS=fuzz_repl`.
