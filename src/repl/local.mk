# src/repl -- the REPL and the script runner (front end)
libmmulab_a_SOURCES += src/repl/repl.h src/repl/repl.c src/repl/cmds.h \
	src/repl/commands.c src/repl/exec.c src/repl/views.c \
	src/repl/interactive.c src/repl/expr.h src/repl/expr.c \
	src/repl/source.c
mmulab_LDADD += $(LIBDW_LIBS)

# The REPL's tests (shell, TAP; the environment of tests/local.mk).
TESTS += tests/script.sh tests/trace.sh tests/tmux-repl.sh
EXTRA_DIST += tests/script.sh tests/trace.sh tests/tmux-repl.sh
