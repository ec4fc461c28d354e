/*
 * The reference recorder (--record-refs): a trace sink on the machine's
 * tracer.  A reference is a counted TLB lookup that found its page (a hit,
 * or a miss whose walk filled the TLB), made by the program: fetches,
 * loads and stores; the kernel's own copies to and from user memory are
 * not references.  An access that faults is made again after the fault;
 * its first attempt is dropped (a protection fault on a TLB hit shows as
 * a hit, then the fault: the recorder holds each process's last
 * reference back until the next one and forgets it when a user fault on
 * its page follows).  Runs of the same page of one process are collapsed.
 *
 * The file (docs/replay.md): the line "# mmulab-refs 1", comment lines,
 * then one line per reference: "PID VPN" (VPN in hex, no 0x).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/mm/mm.h"
#include "trace/event.h"
#include "views/refrec.h"

#define NO_PAGE UINT64_MAX

struct refrec_pid {
	uint64_t last;		/* last page written for this pid */
	uint64_t pending;	/* held back (NO_PAGE: none) */
};

struct refrec {
	FILE *f;
	int sink;
	bool was_fast;
	struct refrec_pid *pids;	/* indexed by pid */
	size_t nr_pids;
	bool nomem;
};

static struct refrec_pid *pid_state(struct refrec *rr, int pid)
{
	if (pid < 0)
		return NULL;
	if ((size_t)pid >= rr->nr_pids) {
		size_t n = rr->nr_pids ? rr->nr_pids : 64;
		struct refrec_pid *p;

		while (n <= (size_t)pid)
			n *= 2;
		p = realloc(rr->pids, n * sizeof(*p));
		if (!p) {
			rr->nomem = true;
			return NULL;
		}
		for (size_t i = rr->nr_pids; i < n; i++)
			p[i] = (struct refrec_pid){ NO_PAGE, NO_PAGE };
		rr->pids = p;
		rr->nr_pids = n;
	}
	return &rr->pids[pid];
}

static void flush_pending(struct refrec *rr, int pid, struct refrec_pid *s)
{
	if (s->pending == NO_PAGE)
		return;
	if (s->pending != s->last) {
		fprintf(rr->f, "%d %llx\n", pid,
			(unsigned long long)s->pending);
		s->last = s->pending;
	}
	s->pending = NO_PAGE;
}

static void refrec_event(void *arg, const struct trace_event *ev)
{
	struct refrec *rr = arg;
	struct refrec_pid *s = pid_state(rr, ev->pid);
	uint64_t vpn = ev->addr >> PAGE_SHIFT;

	if (!s)
		return;
	switch (ev->type) {
	case EV_FAULT:
		/* The access that faulted will be made again. */
		if ((ev->arg[0] & FAULT_FLAG_USER) && s->pending == vpn)
			s->pending = NO_PAGE;
		return;
	case EV_EXIT:
	case EV_EXEC:
		flush_pending(rr, ev->pid, s);
		/* A new address space: its first page is a new reference. */
		s->last = NO_PAGE;
		return;
	case EV_TLB_HIT:
	case EV_TLB_FILL:
		if (ev->flags & TEV_WALKER)
			return;
		if (s->pending == vpn)
			return;
		flush_pending(rr, ev->pid, s);
		if (vpn != s->last)
			s->pending = vpn;
		return;
	}
}

struct refrec *refrec_attach(struct kernel *k, const char *path, char *err,
			     size_t errlen)
{
	struct refrec *rr = calloc(1, sizeof(*rr));

	if (!rr) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rr->f = fopen(path, "w");
	if (!rr->f) {
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(errno));
		free(rr);
		return NULL;
	}
	fputs("# mmulab-refs 1\n"
	      "# PID VPN(hex): each page referenced by an instruction fetch, "
	      "load or store; runs of one page collapsed (docs/replay.md)\n",
	      rr->f);
	rr->sink = trace_add_sink(ktrace(k),
				  TRACE_BIT(EV_TLB_HIT) |
					  TRACE_BIT(EV_TLB_FILL) |
					  TRACE_BIT(EV_FAULT) |
					  TRACE_BIT(EV_EXIT) |
					  TRACE_BIT(EV_EXEC),
				  refrec_event, rr);
	if (rr->sink < 0) {
		snprintf(err, errlen, "no free trace sink");
		fclose(rr->f);
		free(rr);
		return NULL;
	}
	rr->was_fast = mmu_fast(&k->mmu);
	mmu_set_fast(&k->mmu, false);
	return rr;
}

int refrec_detach(struct kernel *k, struct refrec *rr, char *err,
		  size_t errlen)
{
	int r = 0;

	if (!rr)
		return 0;
	trace_remove_sink(ktrace(k), rr->sink);
	if (rr->was_fast)
		mmu_set_fast(&k->mmu, true);
	for (size_t pid = 0; pid < rr->nr_pids; pid++)
		flush_pending(rr, (int)pid, &rr->pids[pid]);
	if (rr->nomem) {
		snprintf(err, errlen, "out of memory: references lost");
		r = -1;
	}
	if (ferror(rr->f) | (fclose(rr->f) != 0)) {
		snprintf(err, errlen, "write error: %s", strerror(errno));
		r = -1;
	}
	free(rr->pids);
	free(rr);
	return r;
}
