/*
 * Testing aids for "watching never changes behaviour" (see watch.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "views/watch.h"

/* What a debugger does at a stop: read the registers' neighbourhood. */
static void look_around(struct kernel *k, int pid)
{
	uint8_t buf[64];

	if (pid <= 0)
		return;
	(void)!kernel_peek(k, pid, k->cpu.pc, buf, 16);
	(void)!kernel_peek(k, pid, k->cpu.x[2], buf, sizeof(buf));
	(void)!kernel_peek(k, pid, k->stop.addr, buf, 8);
}

int watch_run_stepped(struct kernel *k, uint64_t budget)
{
	unsigned mask = KSTOP_ON_SYSCALL | KSTOP_ON_FAULT | KSTOP_ON_ILLEGAL |
			KSTOP_ON_EXIT;
	if (getenv("MMULAB_STEP_MASK")) /* to bisect a difference */
		mask = (unsigned)strtoul(getenv("MMULAB_STEP_MASK"), NULL, 0);

	for (;;) {
		enum kstop why = kernel_step(k, budget, mask);

		if (why == KSTOP_DONE)
			break;
		if (why == KSTOP_TRAP)
			look_around(k, k->stop.pid);
	}
	return k->init_status;
}

#define WATCH_RING 256

struct watch {
	struct kernel *k;
	int handle;
	uint64_t count[NR_TRACE_EVENTS];
	uint64_t bad;		/* malformed events */
	uint64_t last_time;
	unsigned head;
	struct trace_event ring[WATCH_RING]; /* the last events */
};

/* Record @ev and check what every event must satisfy. */
static void watch_event(void *arg, const struct trace_event *ev)
{
	struct watch *w = arg;

	if (ev->type >= NR_TRACE_EVENTS || ev->time < w->last_time) {
		w->bad++;
		return;
	}
	w->last_time = ev->time;
	w->count[ev->type]++;
	w->ring[w->head++ % WATCH_RING] = *ev;
	switch (ev->type) {
	case EV_SLAB_ALLOC:
	case EV_SLAB_FREE:
	case EV_EXEC:
		if (!ev->str)
			w->bad++;
		break;
	case EV_SYSCALL_ENTER:
		/* a debugger's look at every system call */
		look_around(w->k, w->k->current ? w->k->current->pid : 0);
		break;
	default:
		break;
	}
}

struct watch *watch_attach(struct kernel *k)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->k = k;
	w->handle = trace_add_sink(ktrace(k), TRACE_ALL, watch_event, w);
	if (w->handle < 0) {
		free(w);
		return NULL;
	}
	return w;
}

int watch_detach(struct kernel *k, struct watch *w, const char *path)
{
	int r = 0;

	trace_remove_sink(ktrace(k), w->handle);
	if (path) {
		FILE *f = fopen(path, "w");

		if (!f) {
			r = -1;
		} else {
			for (unsigned i = 0; i < NR_TRACE_EVENTS; i++)
				fprintf(f, "%s %llu\n", trace_event_name(i),
					(unsigned long long)w->count[i]);
			fprintf(f, "bad %llu\n", (unsigned long long)w->bad);
			if (fclose(f))
				r = -1;
		}
	}
	free(w);
	return r;
}
