# src/trace -- the event layer (a leaf: depends on types.h only)
libmmulab_a_SOURCES += src/trace/event.h src/trace/event.c
libmmulab_a_SOURCES += src/trace/sink.h src/trace/sink_text.c \
	src/trace/sink_json.c src/trace/output.c

if HAVE_CRITERION
check_PROGRAMS += tests/test_trace_sink
TESTS += tests/test_trace_sink
tests_test_trace_sink_SOURCES = tests/test_trace_sink.c
tests_test_trace_sink_CFLAGS = $(unit_cflags)
tests_test_trace_sink_LDADD = $(unit_ldadd)
endif
