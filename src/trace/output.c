/*
 * The command line's tracer: --trace EVENTS, --trace-file, --trace-format,
 * --trace-pid and --trace-range checked and turned into one sink.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace/sink.h"

int trace_output_open(struct trace_output *out,
		      const struct trace_output_opts *o, char *err,
		      size_t errlen)
{
	char bad[64];

	memset(out, 0, sizeof(*out));
	trace_filter_init(&out->sink.filter);
	out->fn = trace_sink_text;
	if (o->format && strcmp(o->format, "text")) {
		if (strcmp(o->format, "json")) {
			snprintf(err, errlen, "--trace-format: unknown format "
					      "'%s' (text or json)", o->format);
			return -1;
		}
		out->fn = trace_sink_json;
	}
	if (!o->events) {
		if (o->file || o->format || o->pid || o->range) {
			snprintf(err, errlen, "--trace-file, --trace-format, "
					      "--trace-pid and --trace-range "
					      "need --trace EVENTS");
			return -1;
		}
		return 0;
	}
	if (trace_parse_mask(o->events, &out->mask, bad, sizeof(bad)) < 0) {
		snprintf(err, errlen, "--trace: unknown event '%s' (names like "
				      "tlb:miss, globs like 'tlb:*', or all)",
			 bad);
		return -1;
	}
	if (o->pid) {
		char *end;
		errno = 0;
		long v = strtol(o->pid, &end, 10);
		if (errno || *end || !*o->pid || v <= 0 || v > 1 << 22) {
			snprintf(err, errlen, "--trace-pid: bad pid '%s'",
				 o->pid);
			return -1;
		}
		out->sink.filter.pid = (int32_t)v;
	}
	if (o->range && trace_parse_range(o->range, &out->sink.filter) < 0) {
		snprintf(err, errlen, "--trace-range: expected VA-VA with the "
				      "first not above the second, got '%s'",
			 o->range);
		return -1;
	}
	out->sink.f = stderr;
	if (o->file) {
		out->sink.f = fopen(o->file, "w");
		if (!out->sink.f) {
			snprintf(err, errlen, "--trace-file: cannot write '%s': "
					      "%s", o->file, strerror(errno));
			return -1;
		}
		out->own_file = true;
	}
	return 0;
}

void trace_output_close(struct trace_output *out)
{
	if (!out->sink.f)
		return;
	if (out->own_file)
		fclose(out->sink.f);
	else
		fflush(out->sink.f);
	out->sink.f = NULL;
}

void trace_buf_put(struct trace_buf *o, const char *fmt, ...)
{
	va_list ap;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
	if (o->pos >= o->len)
		o->pos = o->len - 1;
}
