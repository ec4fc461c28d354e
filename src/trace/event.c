/*
 * The event layer's out-of-line half: sink registration and dispatch.
 */
#include <fnmatch.h>
#include <string.h>

#include "trace/event.h"

static const char *const event_names[NR_TRACE_EVENTS] = {
#define TRACE_NAME_(id, name) [id] = name,
	TRACE_EVENTS(TRACE_NAME_)
#undef TRACE_NAME_
};

const char *trace_event_name(unsigned type)
{
	return type < NR_TRACE_EVENTS ? event_names[type] : NULL;
}

static void recompute_mask(struct tracer *t)
{
	uint64_t m = 0;

	for (int i = 0; i < t->nr_sinks; i++)
		if (t->sinks[i].fn)
			m |= t->sinks[i].mask;
	t->mask = m;
}

void trace_emit(struct tracer *t, struct trace_event *ev)
{
	uint64_t bit = TRACE_BIT(ev->type);

	ev->time = t->clock ? *t->clock : 0;
	ev->pid = t->pid;
	for (int i = 0; i < t->nr_sinks; i++)
		if (t->sinks[i].fn && (t->sinks[i].mask & bit))
			t->sinks[i].fn(t->sinks[i].arg, ev);
}

int trace_add_sink(struct tracer *t, uint64_t mask, trace_fn fn, void *arg)
{
	int i;

	for (i = 0; i < t->nr_sinks; i++)
		if (!t->sinks[i].fn)
			break;
	if (i == TRACE_MAX_SINKS)
		return -1;
	if (i == t->nr_sinks)
		t->nr_sinks++;
	t->sinks[i] = (struct trace_sink){ mask & TRACE_ALL, fn, arg };
	recompute_mask(t);
	return i;
}

void trace_remove_sink(struct tracer *t, int handle)
{
	if (handle < 0 || handle >= t->nr_sinks)
		return;
	t->sinks[handle].fn = NULL;
	t->sinks[handle].mask = 0;
	while (t->nr_sinks && !t->sinks[t->nr_sinks - 1].fn)
		t->nr_sinks--;
	recompute_mask(t);
}

void trace_set_mask(struct tracer *t, int handle, uint64_t mask)
{
	if (handle < 0 || handle >= t->nr_sinks || !t->sinks[handle].fn)
		return;
	t->sinks[handle].mask = mask & TRACE_ALL;
	recompute_mask(t);
}

/* One word of a --trace list: a name, a glob, or "all". */
static int parse_word(const char *w, uint64_t *mask)
{
	bool any = false;

	if (!strcmp(w, "all")) {
		*mask |= TRACE_ALL;
		return 0;
	}
	for (unsigned i = 0; i < NR_TRACE_EVENTS; i++) {
		const char *n = event_names[i];
		const char *colon = strchr(n, ':');

		/* "tlb:miss", a glob over the full name, or the part after
		 * the colon alone ("sys_enter"). */
		if (!fnmatch(w, n, 0) || (colon && !fnmatch(w, colon + 1, 0))) {
			*mask |= TRACE_BIT(i);
			any = true;
		}
	}
	return any ? 0 : -1;
}

int trace_parse_mask(const char *spec, uint64_t *mask, char *bad,
		     size_t badlen)
{
	char word[128];

	*mask = 0;
	while (*spec) {
		size_t n = strcspn(spec, ",");

		if (n == 0 || n >= sizeof(word)) {
			if (badlen) {
				size_t c = n < badlen - 1 ? n : badlen - 1;
				memcpy(bad, spec, c);
				bad[c] = '\0';
			}
			return -1;
		}
		memcpy(word, spec, n);
		word[n] = '\0';
		if (parse_word(word, mask) < 0) {
			if (badlen) {
				strncpy(bad, word, badlen - 1);
				bad[badlen - 1] = '\0';
			}
			return -1;
		}
		spec += n;
		if (*spec == ',')
			spec++;
	}
	return 0;
}
