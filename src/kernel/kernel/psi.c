/*
 * Pressure stall information on the virtual clock; see psi.h.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/kernel/psi.h"
#include "kernel/lib/seq.h"

#define FSHIFT 11
#define FIXED_1 (1ul << FSHIFT)
#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)
/* 1 / exp(2 s / window) in fixed point (Linux's EXP_10s etc.). */
#define EXP_10s 1677
#define EXP_60s 1981
#define EXP_300s 2034

void psi_init(struct psi_group *g)
{
	memset(g, 0, sizeof(*g));
	g->avg_next_update = PSI_PERIOD_NS;
}

unsigned long psi_calc_load(unsigned long load, unsigned long exp,
			    unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* One 2 s period ends: fold the share stalled into the averages. */
static void psi_close_period(struct psi_group *g)
{
	int s;

	for (s = 0; s < NR_PSI_STATES; s++) {
		uint64_t sample = g->total[s] - g->avg_total[s];
		unsigned long pct;

		if (sample > PSI_PERIOD_NS)
			sample = PSI_PERIOD_NS;
		g->avg_total[s] += sample;
		pct = (unsigned long)(sample * 100 / PSI_PERIOD_NS) * FIXED_1;
		g->avg[s][0] = psi_calc_load(g->avg[s][0], EXP_10s, pct);
		g->avg[s][1] = psi_calc_load(g->avg[s][1], EXP_60s, pct);
		g->avg[s][2] = psi_calc_load(g->avg[s][2], EXP_300s, pct);
	}
	g->avg_next_update += PSI_PERIOD_NS;
}

void psi_update(struct kernel *k)
{
	struct psi_group *g = &k->psi;
	uint64_t now = kernel_ns(k);

	/* A long idle jump closes many periods: each decays the averages
	 * once with a zero sample (Linux's calc_load_n with missed
	 * periods).  Bound the work: after ~4000 periods (over two hours)
	 * every average is 0 anyway. */
	if (now >= g->avg_next_update &&
	    (now - g->avg_next_update) / PSI_PERIOD_NS > 4096) {
		uint64_t skip = (now - g->avg_next_update) / PSI_PERIOD_NS;
		int s;

		for (s = 0; s < NR_PSI_STATES; s++) {
			memset(g->avg[s], 0, sizeof(g->avg[s]));
			if (g->total[s] - g->avg_total[s] > PSI_PERIOD_NS)
				g->avg_total[s] = g->total[s];
		}
		g->avg_next_update += skip * PSI_PERIOD_NS;
	}
	while (now >= g->avg_next_update)
		psi_close_period(g);
}

void psi_stall(struct kernel *k, enum psi_res res, uint64_t ns, bool full)
{
	struct psi_group *g = &k->psi;
	uint64_t now = kernel_ns(k);
	uint64_t start = ns > now ? 0 : now - ns;

	/* Split the stall at the period boundaries it crosses. */
	while (start < now) {
		uint64_t end = now < g->avg_next_update ? now
							: g->avg_next_update;

		if (start < end) {
			g->total[PSI_SOME(res)] += end - start;
			if (full)
				g->total[PSI_FULL(res)] += end - start;
			start = end;
		}
		if (start >= g->avg_next_update)
			psi_close_period(g);
	}
	psi_update(k);
}

void psi_memstall(struct kernel *k, uint64_t ns, bool io)
{
	struct task *t = k->current;
	bool alone = true;

	/* Linux's full: no task of the group is running productively.
	 * On one hart a runnable task other than the stalled one would
	 * have run meanwhile. */
	if (!list_empty(&k->runqueue)) {
		struct task *o;

		list_for_each_entry(o, &k->runqueue, run_list)
			if (o != t) {
				alone = false;
				break;
			}
	}
	psi_stall(k, PSI_MEM, ns, alone);
	if (io)
		psi_stall(k, PSI_IO, ns, alone);
}

static void show_line(struct seq *s, const char *what, const struct psi_group *g,
		      int state)
{
	const unsigned long *a = g->avg[state];

	seq_printf(s, "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu "
		   "total=%llu\n", what, LOAD_INT(a[0]), LOAD_FRAC(a[0]),
		   LOAD_INT(a[1]), LOAD_FRAC(a[1]), LOAD_INT(a[2]),
		   LOAD_FRAC(a[2]),
		   (unsigned long long)(g->total[state] / 1000));
}

int psi_show(struct kernel *k, const char *name, struct seq *s)
{
	enum psi_res res;

	if (!strcmp(name, "io"))
		res = PSI_IO;
	else if (!strcmp(name, "memory"))
		res = PSI_MEM;
	else if (!strcmp(name, "cpu"))
		res = PSI_CPU;
	else
		return -ENOENT;
	psi_update(k);
	show_line(s, "some", &k->psi, PSI_SOME(res));
	show_line(s, "full", &k->psi, PSI_FULL(res));
	return 0;
}
