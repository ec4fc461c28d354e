/*
 * Trace sinks: the tracer's output as text lines or JSON lines, with a
 * pid and a virtual-address-range filter (mmulab run --trace ...).
 *
 * Every line carries the virtual time (instructions retired), the pid,
 * and each address marked as virtual ("va=0x...") or physical
 * ("pa=0x..."); accesses made by the page walker say "walker" and are
 * never confused with the program's own.  Text:
 *
 *   t=1234 pid=1 tlb:miss dtlb load va=0x00012f40 set=4 asid=0
 *   t=1234 pid=1 mmu:walk_level walker load pa=0x007e1b0a0 level=2 ...
 *
 * JSON lines: {"t":1234,"pid":1,"event":"tlb:miss","va":77632,...}
 * with the same names.  Field meanings: docs/events.md.
 */
#ifndef MMULAB_TRACE_SINK_H
#define MMULAB_TRACE_SINK_H

#include <stdio.h>

#include "trace/event.h"

struct trace_filter {
	int32_t pid;		/* only this pid; -1 = every task */
	bool range;		/* a virtual address range is set */
	uint64_t lo, hi;	/* [lo, hi]: events whose virtual address
				 * lies outside are dropped */
};

/* A bounded line being built: appends stop (truncating) at @len - 1. */
struct trace_buf {
	char *buf;
	size_t len, pos;
};

void trace_buf_put(struct trace_buf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct trace_file_sink {
	FILE *f;
	struct trace_filter filter;
	uint64_t lines;		/* written so far */
};

/* No filter: every pid, every address. */
void trace_filter_init(struct trace_filter *f);
/* Parse "LO-HI" (hex or decimal, inclusive) into @f; 0 or -1. */
int trace_parse_range(const char *s, struct trace_filter *f);
/* Whether @ev passes @f. */
bool trace_filter_match(const struct trace_filter *f,
			const struct trace_event *ev);

/* One event as a text line / a JSON object, without the newline; the
 * length written (truncated to @len - 1). */
size_t trace_format_text(const struct trace_event *ev, char *buf, size_t len);
size_t trace_format_json(const struct trace_event *ev, char *buf, size_t len);

/* Shared by the formatters: the name of argument @i of event @type (NULL
 * when unused), whether an argument of that name prints in hex, whether
 * an event is about one access, and that access's name (load, store,
 * fetch) from TEV_* flags. */
const char *trace_arg_name(unsigned type, unsigned i);
bool trace_arg_hex(const char *name);
bool trace_is_access(unsigned type);
const char *trace_access_name(unsigned flags);
/* The name of mm:fault_done's result ("file-major"), NULL if unknown. */
const char *trace_fault_result(uint64_t v);

/* trace_fn sinks; @arg is a struct trace_file_sink. */
void trace_sink_text(void *arg, const struct trace_event *ev);
void trace_sink_json(void *arg, const struct trace_event *ev);

/* ---- the command line's tracer (run --trace ...) ------------------------ */

struct trace_output_opts {
	const char *events;	/* --trace: comma list, globs, "all" */
	const char *file;	/* --trace-file, NULL = stderr */
	const char *format;	/* --trace-format: "text" (default), "json" */
	const char *pid;	/* --trace-pid N */
	const char *range;	/* --trace-range LO-HI */
};

struct trace_output {
	struct trace_file_sink sink;
	uint64_t mask;		/* the events asked for */
	trace_fn fn;		/* trace_sink_text or trace_sink_json */
	bool own_file;		/* close sink.f at the end */
};

/*
 * Check @o and open the output.  Returns 0, or -1 with a one-line reason
 * in @err naming the option ("--trace: unknown event 'tlb:mis'").
 */
int trace_output_open(struct trace_output *out,
		      const struct trace_output_opts *o, char *err,
		      size_t errlen);
/* Flush and close the file (if we opened it). */
void trace_output_close(struct trace_output *out);

#endif
