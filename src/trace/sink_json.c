/*
 * The JSON-lines sink: one object per event, the text sink's names as
 * keys, numbers as numbers ("va" and "pa" tell the address kinds apart).
 */
#include <stdarg.h>
#include <string.h>

#include "trace/sink.h"



/* A JSON string: names and comms are short and printable, but escape
 * whatever is not. */
static void put_string(struct trace_buf *o, const char *s)
{
	trace_buf_put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			trace_buf_put(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			trace_buf_put(o, "\\u%04x", c);
		else
			trace_buf_put(o, "%c", c);
	}
	trace_buf_put(o, "\"");
}

size_t trace_format_json(const struct trace_event *ev, char *buf, size_t len)
{
	struct trace_buf o = { buf, len, 0 };
	const char *name = trace_event_name(ev->type);

	if (!len)
		return 0;
	buf[0] = '\0';
	trace_buf_put(&o, "{\"t\":%llu,\"pid\":%d,\"event\":", (unsigned long long)ev->time,
	    ev->pid);
	put_string(&o, name ? name : "?");
	if (ev->str) {
		trace_buf_put(&o, ",\"str\":");
		put_string(&o, ev->str);
	}
	if (ev->flags & TEV_WALKER)
		trace_buf_put(&o, ",\"walker\":true");
	if (trace_is_access(ev->type))
		trace_buf_put(&o, ",\"access\":\"%s\"", trace_access_name(ev->flags));
	if (ev->flags & TEV_ITLB)
		trace_buf_put(&o, ",\"itlb\":true");
	if (ev->addr || trace_is_access(ev->type))
		trace_buf_put(&o, ",\"%s\":%llu", ev->flags & TEV_PHYS ? "pa" : "va",
		    (unsigned long long)ev->addr);
	for (unsigned i = 0; i < 5; i++) {
		const char *an = trace_arg_name(ev->type, i);
		if (an && ev->type == EV_SYSCALL_EXIT && i == 0)
			trace_buf_put(&o, ",\"ret\":%lld", (long long)ev->arg[0]);
		else if (an)
			trace_buf_put(&o, ",\"%s\":%llu", an,
			    (unsigned long long)ev->arg[i]);
		else if (ev->arg[i])
			trace_buf_put(&o, ",\"arg%u\":%llu", i,
			    (unsigned long long)ev->arg[i]);
	}
	/* a truncated object is still closed */
	if (o.pos + 2 > o.len)
		o.pos = o.len - 2;
	trace_buf_put(&o, "}");
	return o.pos;
}

void trace_sink_json(void *arg, const struct trace_event *ev)
{
	struct trace_file_sink *s = arg;
	char line[768];

	if (!trace_filter_match(&s->filter, ev))
		return;
	trace_format_json(ev, line, sizeof(line));
	fputs(line, s->f);
	fputc('\n', s->f);
	s->lines++;
}
