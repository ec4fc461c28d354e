/*
 * The text sink and what both sinks share: the filter and the names of
 * each event's arguments (docs/events.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace/sink.h"

/*
 * Argument names per event.  A name starting "pa" or "table_pa" is a
 * physical address, "va" a virtual one, "pte"/"flags" a bit pattern:
 * those print in hex.  NULL: an argument the event does not use (or one
 * not documented yet, printed as argN when non-zero).
 */
static const char *const arg_names[NR_TRACE_EVENTS][5] = {
	[EV_TLB_HIT] = { "set", "way", "pa", "asid" },
	[EV_TLB_MISS] = { "set", "asid" },
	[EV_TLB_FILL] = { "pa", "set", "way", "flags", "level" },
	[EV_TLB_EVICT] = { "set", "way", "pfn", "asid", "flags" },
	[EV_TLB_FLUSH] = { "kind", "asid", "count", "all_asids" },
	[EV_WALK_LEVEL] = { "level", "index", "pte", "table_pa", "va" },
	[EV_WALK_DONE] = { "pa", "fault", "level", "pte", "reads" },
	[EV_FAULT] = { "flags", "pc" },
	[EV_FAULT_DONE] = { "result", "vm_fault", "stack_grew", "pfn",
			    "accerr" },
	[EV_COW_COPY] = { "new_pfn", "old_pfn" },
	[EV_COW_REUSE] = { "pfn" },
	[EV_ZERO_PAGE] = { "pfn" },
	[EV_ANON_PAGE] = { "pfn" },
	[EV_PAGE_ALLOC] = { "pfn", "order", "gfp", "zone", "node" },
	[EV_PAGE_FREE] = { "pfn", "order", NULL, "zone", "node" },
	[EV_SLAB_ALLOC] = { "size", "slot", "gfp" },
	[EV_SLAB_FREE] = { "size", "slot" },
	[EV_PAGECACHE_ADD] = { "pfn", "ino", "index", "dev", "cached" },
	[EV_PAGECACHE_DEL] = { "pfn", "ino", "index", "dev", "cached" },
	[EV_SYSCALL_ENTER] = { "nr", "a0", "a1", "a2", "a3" },
	[EV_SYSCALL_EXIT] = { "ret", "nr" },
	[EV_SIGNAL_GENERATE] = { "sig", "target", "code", "result" },
	[EV_SIGNAL_DELIVER] = { "sig", "code", "handler", "sa_flags",
				"action" },
	[EV_SCHED_SWITCH] = { "prev", "next", "prev_state" },
	[EV_FORK] = { "parent", "child", "clone_flags" },
	[EV_EXEC] = { "pid" },
	[EV_EXIT] = { "pid", "status", "code", "signal", "init" },
	[EV_READAHEAD] = { "index", "nr", "async_size", "async", "ino" },
};

/* mm:fault_done's result (docs/events.md, "Fault results"). */
static const char *const fault_results[] = {
	"none", "zero-page", "anon", "file-minor", "file-major", "file-cow",
	"cow-copy", "cow-reuse", "write-notify", "swap-in", "spurious",
	"sigsegv", "sigbus", "oom",
};

const char *trace_fault_result(uint64_t v)
{
	return v < sizeof(fault_results) / sizeof(fault_results[0])
		       ? fault_results[v]
		       : NULL;
}

const char *trace_arg_name(unsigned type, unsigned i)
{
	return type < NR_TRACE_EVENTS && i < 5 ? arg_names[type][i] : NULL;
}

bool trace_arg_hex(const char *name)
{
	static const char *const hex[] = {
		"pte", "flags", "pfn", "new_pfn", "old_pfn", "gfp", "pc",
		"vm_fault", "handler", "sa_flags", "clone_flags", "a0", "a1",
		"a2", "a3", "status",
	};

	if (!strncmp(name, "pa", 2) || !strncmp(name, "va", 2) ||
	    !strncmp(name, "table_pa", 8))
		return true;
	for (size_t i = 0; i < sizeof(hex) / sizeof(hex[0]); i++)
		if (!strcmp(name, hex[i]))
			return true;
	return false;
}

/* Events about one access: they say load, store or fetch. */
bool trace_is_access(unsigned type)
{
	return type == EV_TLB_HIT || type == EV_TLB_MISS ||
	       type == EV_TLB_FILL || type == EV_WALK_LEVEL ||
	       type == EV_WALK_DONE || type == EV_FAULT;
}

const char *trace_access_name(unsigned flags)
{
	return flags & TEV_WRITE ? "store" : flags & TEV_EXEC ? "fetch"
							      : "load";
}

void trace_filter_init(struct trace_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->pid = -1;
}

static int parse_addr(const char *s, const char **end, uint64_t *v)
{
	char *e;

	if (*s == '-' || *s == '+' || !*s)
		return -1;
	errno = 0;
	*v = strtoull(s, &e, 0);
	if (errno || e == s || *v > 0xffffffffull)
		return -1;
	*end = e;
	return 0;
}

int trace_parse_range(const char *s, struct trace_filter *f)
{
	uint64_t lo, hi;
	const char *e;

	if (parse_addr(s, &e, &lo) < 0 || *e != '-' ||
	    parse_addr(e + 1, &e, &hi) < 0 || *e || hi < lo)
		return -1;
	f->range = true;
	f->lo = lo;
	f->hi = hi;
	return 0;
}

/* The virtual address an event is about, if any. */
static bool event_va(const struct trace_event *ev, uint64_t *va)
{
	if (ev->type == EV_WALK_LEVEL) {
		*va = ev->arg[4];
		return true;
	}
	if (ev->flags & TEV_PHYS)
		return false;
	*va = ev->addr;
	return ev->addr != 0 || trace_is_access(ev->type);
}

bool trace_filter_match(const struct trace_filter *f,
			const struct trace_event *ev)
{
	uint64_t va;

	if (f->pid >= 0 && ev->pid != f->pid)
		return false;
	if (f->range && event_va(ev, &va) && (va < f->lo || va > f->hi))
		return false;
	return true;
}


size_t trace_format_text(const struct trace_event *ev, char *buf, size_t len)
{
	struct trace_buf o = { buf, len, 0 };
	const char *name = trace_event_name(ev->type);

	if (!len)
		return 0;
	buf[0] = '\0';
	trace_buf_put(&o, "t=%llu pid=%d %s", (unsigned long long)ev->time, ev->pid,
	    name ? name : "?");
	if (ev->str)
		trace_buf_put(&o, " %s", ev->str);
	if (ev->flags & TEV_WALKER)
		trace_buf_put(&o, " walker");
	if (trace_is_access(ev->type))
		trace_buf_put(&o, " %s", trace_access_name(ev->flags));
	if (ev->addr || trace_is_access(ev->type)) {
		if (ev->flags & TEV_PHYS)
			trace_buf_put(&o, " pa=0x%09llx", (unsigned long long)ev->addr);
		else
			trace_buf_put(&o, " va=0x%08llx", (unsigned long long)ev->addr);
	}
	for (unsigned i = 0; i < 5; i++) {
		const char *an = trace_arg_name(ev->type, i);
		if (!an) {
			if (ev->arg[i])
				trace_buf_put(&o, " arg%u=%llu", i,
				    (unsigned long long)ev->arg[i]);
			continue;
		}
		if (ev->type == EV_FAULT_DONE && i == 0 &&
		    trace_fault_result(ev->arg[0]))
			trace_buf_put(&o, " result=%s", trace_fault_result(ev->arg[0]));
		else if (ev->type == EV_SYSCALL_EXIT && i == 0)
			trace_buf_put(&o, " ret=%lld", (long long)ev->arg[0]);
		else if (trace_arg_hex(an))
			trace_buf_put(&o, " %s=0x%llx", an, (unsigned long long)ev->arg[i]);
		else
			trace_buf_put(&o, " %s=%llu", an, (unsigned long long)ev->arg[i]);
	}
	return o.pos;
}

void trace_sink_text(void *arg, const struct trace_event *ev)
{
	struct trace_file_sink *s = arg;
	char line[512];

	if (!trace_filter_match(&s->filter, ev))
		return;
	trace_format_text(ev, line, sizeof(line));
	fputs(line, s->f);
	fputc('\n', s->f);
	s->lines++;
}
