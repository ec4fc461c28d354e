/*
 * --sample N --csv FILE and the progress line (meter.h).
 *
 * The CSV has one row per live process at each sample (pid 0 when none
 * is alive), so that a plot can follow a process or the machine; the
 * machine's counters are repeated on every row of a sample.  Its first
 * seven columns are the series' original contract (docs/pictures.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/mm/vmstat.h"
#include "views/meter.h"

const char meter_csv_header[] =
	"insns,pid,rss_kb,minflt,majflt,dtlb_miss,itlb_miss,time_ns,cycles,"
	"pgfault,pgmajfault,zero_page,zero_fill,cow_copy,swap_in_faults,"
	"walks,rss_total_kb,rss_first_kb,free_pages,pswpin,pswpout,nr_procs";

/* Rows are written every this many instructions at most when only the
 * progress line is drawn (it looks at the host clock in between). */
#define METER_CHUNK (1u << 21)

static double host_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void erase(struct meter *m)
{
	if (m->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		m->shown = false;
	}
}

static void tty_hook(void *arg)
{
	erase(arg);
}

int meter_open(struct meter *m, struct kernel *k, const char *path,
	       uint64_t every, bool progress)
{
	memset(m, 0, sizeof(*m));
	m->every = every;
	m->progress = progress && isatty(STDERR_FILENO);
	if (path) {
		m->csv = fopen(path, "w");
		if (!m->csv)
			return -errno;
		fprintf(m->csv, "%s\n", meter_csv_header);
	}
	if (m->progress) {
		m->started = m->drawn = host_seconds();
		k->tty_hook = tty_hook;
		k->tty_hook_arg = m;
		klog_set_echo_hook(k->log, tty_hook, m);
	}
	return 0;
}

static unsigned long rss_kb(const struct task *t)
{
	return t->mm ? get_mm_rss(t->mm) << (PAGE_SHIFT - 10) : 0;
}

static void row(struct meter *m, struct kernel *k)
{
	struct tlb_stats is, ds;
	unsigned long pgfault = 0, pgmaj = 0, in = 0, out = 0, total = 0;
	unsigned long first = 0;
	unsigned nr = 0;
	struct task *t;
	char common[512];
	uint64_t now = k->cpu.instret;

	if (m->rows && now == m->last_row)
		return;
	m->rows = true;
	m->last_row = now;
	mmu_tlb_stats(&k->mmu, true, &is);
	mmu_tlb_stats(&k->mmu, false, &ds);
	vmstat_lookup(&k->mem, "pgfault", &pgfault);
	vmstat_lookup(&k->mem, "pgmajfault", &pgmaj);
	vmstat_lookup(&k->mem, "pswpin", &in);
	vmstat_lookup(&k->mem, "pswpout", &out);
	list_for_each_entry(t, &k->tasks, tasks) {
		if (t->state == TASK_ZOMBIE || !t->mm)
			continue;
		total += rss_kb(t);
		if (t->pid == 1)
			first = rss_kb(t);
		nr++;
	}
	snprintf(common, sizeof(common),
		 "%llu,%llu,%lu,%lu,%llu,%llu,%llu,%llu,%llu,%lu,%lu,%lu,"
		 "%lu,%lu,%u",
		 (unsigned long long)kernel_ns(k),
		 (unsigned long long)k->cpu.cycle, pgfault, pgmaj,
		 (unsigned long long)k->fault_kinds[FR_ZERO_PAGE],
		 (unsigned long long)k->fault_kinds[FR_ANON],
		 (unsigned long long)(k->fault_kinds[FR_COW_COPY] +
				      k->fault_kinds[FR_FILE_COW]),
		 (unsigned long long)k->fault_kinds[FR_SWAP_IN],
		 (unsigned long long)k->mmu.st.walks, total, first,
		 nr_free_pages(&k->mem), in, out, nr);
	list_for_each_entry(t, &k->tasks, tasks) {
		if (t->state == TASK_ZOMBIE || !t->mm)
			continue;
		fprintf(m->csv, "%llu,%d,%lu,%lu,%lu,%llu,%llu,%s\n",
			(unsigned long long)now, t->pid, rss_kb(t), t->min_flt,
			t->maj_flt, (unsigned long long)ds.misses,
			(unsigned long long)is.misses, common);
	}
	if (!nr)
		fprintf(m->csv, "%llu,0,0,0,0,%llu,%llu,%s\n",
			(unsigned long long)now, (unsigned long long)ds.misses,
			(unsigned long long)is.misses, common);
}

static void draw(struct meter *m, struct kernel *k)
{
	double now = host_seconds();
	unsigned long pgfault = 0, pgmaj = 0, rss = 0;
	struct task *t;

	/* A short run never shows it; then a few times a second. */
	if (now - m->started < 0.5 || now - m->drawn < 0.25)
		return;
	vmstat_lookup(&k->mem, "pgfault", &pgfault);
	vmstat_lookup(&k->mem, "pgmajfault", &pgmaj);
	list_for_each_entry(t, &k->tasks, tasks)
		if (t->state != TASK_ZOMBIE)
			rss += rss_kb(t);
	double rate = (double)(k->cpu.instret - m->drawn_insns) /
		      (now - m->drawn);
	if (klog_console_midline(k->log) && !m->shown)
		return; /* the guest is mid-line: leave its line alone */
	fprintf(stderr, "\r\033[Kmmulab: %.1fM insns, %lu faults (%lu major), "
			"RSS %lu kB, %.1fM insns/s",
		(double)k->cpu.instret / 1e6, pgfault, pgmaj, rss, rate / 1e6);
	fflush(stderr);
	m->shown = true;
	m->drawn = now;
	m->drawn_insns = k->cpu.instret;
}

int meter_run(struct meter *m, struct kernel *k, struct pictures *p)
{
	enum kstop r;

	if (m->csv) {
		m->next = k->cpu.instret / m->every * m->every;
		if (m->next <= k->cpu.instret) {
			row(m, k);
			m->next += m->every;
		}
	}
	do {
		uint64_t budget = UINT64_MAX, now = k->cpu.instret;

		if (k->cfg.max_insns) {
			if (now >= k->cfg.max_insns) {
				k->insn_limit_hit = true;
				break;
			}
			budget = k->cfg.max_insns - now;
		}
		if (m->csv && m->next - now < budget)
			budget = m->next - now;
		if (m->progress && budget > METER_CHUNK)
			budget = METER_CHUNK;
		if (p->report && budget > 10000)
			budget = 10000;
		r = kernel_step(k, budget, 0);
		while (m->csv && k->cpu.instret >= m->next) {
			row(m, k);
			m->next += m->every;
		}
		if (p->report)
			report_sample(p->report, k);
		if (m->progress)
			draw(m, k);
	} while (r != KSTOP_DONE && r != KSTOP_INTERRUPTED);
	return k->init_status;
}

int meter_close(struct meter *m, struct kernel *k)
{
	int err = 0;

	erase(m);
	if (k && k->tty_hook == tty_hook) {
		k->tty_hook = NULL;
		k->tty_hook_arg = NULL;
		klog_set_echo_hook(k->log, NULL, NULL);
	}
	if (m->csv) {
		if (k)
			row(m, k);
		if (ferror(m->csv))
			err = -EIO;
		if (fclose(m->csv) != 0 && !err)
			err = -errno;
		m->csv = NULL;
	}
	return err;
}
