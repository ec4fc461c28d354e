/*
 * The run report: one self-contained HTML page (no network, no external
 * file, no JavaScript) with the physical map, a fault timeline, TLB and
 * walk statistics, per-process RSS over virtual time and the process tree.
 *
 * History comes from samples taken at the scheduler's decisions (every
 * quantum, and whenever a task blocks or exits) and at each exit.  The
 * sample buffer has a fixed budget: when it fills, every other sample is
 * dropped and the spacing doubles, so a long run keeps an even picture of
 * its whole life at bounded cost.
 *
 * The page is also well-formed XML (polyglot XHTML), so `xmllint --noout`
 * checks it strictly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/mm.h"
#include "views/pictures.h"

#define REPORT_MAX_SAMPLES 1024
#define REPORT_MAX_TASKS 512

struct gsample {		/* the whole machine at one instant */
	uint64_t insns;
	uint64_t pgfault, pgmajfault;
	uint64_t dtlb_miss, itlb_miss, walks;
};

struct psample {		/* one process at gsample[g] */
	uint32_t g;
	int pid;
	unsigned long rss_kb, minflt, majflt;
};

struct seen_task {
	int pid, ppid;
	char comm[TASK_COMM_LEN];
	bool exited;
	int exit_code;		/* wait status */
	unsigned long minflt, majflt, maxrss_kb;
	uint64_t first, last;	/* instructions when first and last seen */
};

struct report {
	struct gsample *g;
	size_t ng;
	struct psample *p;
	size_t np, pcap;
	uint64_t spacing, next;	/* sample when instret >= next */
	struct seen_task *tasks;
	size_t ntasks;
	char *physmap;		/* SVG of the map as init exited */
	char init_comm[TASK_COMM_LEN]; /* k->init is gone by report time */
};

struct report *report_new(void)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->g = calloc(REPORT_MAX_SAMPLES, sizeof(*r->g));
	r->tasks = calloc(REPORT_MAX_TASKS, sizeof(*r->tasks));
	if (!r->g || !r->tasks) {
		report_free(r);
		return NULL;
	}
	return r;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	free(r->g);
	free(r->p);
	free(r->tasks);
	free(r->physmap);
	free(r);
}

void report_set_physmap(struct report *r, const char *svg, size_t len)
{
	char *c = malloc(len + 1);

	if (!c)
		return;
	memcpy(c, svg, len);
	c[len] = '\0';
	free(r->physmap);
	r->physmap = c;
}

static struct seen_task *seen(struct report *r, struct task *t,
			      uint64_t now)
{
	for (size_t i = 0; i < r->ntasks; i++)
		if (r->tasks[i].pid == t->pid)
			return &r->tasks[i];
	if (r->ntasks == REPORT_MAX_TASKS)
		return NULL;
	struct seen_task *s = &r->tasks[r->ntasks++];
	s->pid = t->pid;
	s->ppid = t->parent ? t->parent->pid : 0;
	s->first = now;
	return s;
}

static void note_task(struct seen_task *s, struct task *t, uint64_t now)
{
	memcpy(s->comm, t->comm, sizeof(s->comm));
	s->comm[TASK_COMM_LEN - 1] = '\0';
	s->minflt = t->min_flt;
	s->majflt = t->maj_flt;
	if (t->mm) {
		unsigned long rss = get_mm_rss(t->mm) << (PAGE_SHIFT - 10);
		if (rss > s->maxrss_kb)
			s->maxrss_kb = rss;
	}
	s->last = now;
}

/* Drop every other sample and double the spacing. */
static void thin(struct report *r)
{
	size_t j = 0;

	for (size_t i = 0; i < r->ng; i += 2)
		r->g[j++] = r->g[i];
	r->ng = j;
	j = 0;
	for (size_t i = 0; i < r->np; i++) {
		if (r->p[i].g & 1)
			continue;
		r->p[j] = r->p[i];
		r->p[j++].g /= 2;
	}
	r->np = j;
	r->spacing = r->spacing ? r->spacing * 2 : 1000;
}

static void take_sample(struct report *r, struct kernel *k)
{
	struct tlb_stats is, ds;
	struct task *t;
	uint64_t now = k->cpu.instret;

	if (r->ng == REPORT_MAX_SAMPLES)
		thin(r);
	mmu_tlb_stats(&k->mmu, true, &is);
	mmu_tlb_stats(&k->mmu, false, &ds);
	r->g[r->ng] = (struct gsample){
		.insns = now,
		.pgfault = k->mem.vm_events[PGFAULT],
		.pgmajfault = k->mem.vm_events[PGMAJFAULT],
		.dtlb_miss = ds.misses,
		.itlb_miss = is.misses,
		.walks = k->mmu.st.walks,
	};
	list_for_each_entry(t, &k->tasks, tasks) {
		struct seen_task *s;

		if (t->state == TASK_ZOMBIE || !t->mm)
			continue;
		s = seen(r, t, now);
		if (s)
			note_task(s, t, now);
		if (r->np == r->pcap) {
			size_t cap = r->pcap ? r->pcap * 2 : 256;
			struct psample *p = realloc(r->p, cap * sizeof(*p));
			if (!p)
				continue;
			r->p = p;
			r->pcap = cap;
		}
		r->p[r->np++] = (struct psample){
			.g = (uint32_t)r->ng,
			.pid = t->pid,
			.rss_kb = get_mm_rss(t->mm) << (PAGE_SHIFT - 10),
			.minflt = t->min_flt,
			.majflt = t->maj_flt,
		};
	}
	r->ng++;
	r->next = now + r->spacing;
}

void report_sample(struct report *r, struct kernel *k)
{
	if (r->ng && k->cpu.instret < r->next)
		return;
	take_sample(r, k);
}

void report_task_exit_seen(struct report *r, struct kernel *k,
			   struct task *t)
{
	uint64_t now = k->cpu.instret;
	struct seen_task *s = seen(r, t, now);

	/* The last sample of a process shows it at its largest, just
	 * before its memory goes. */
	take_sample(r, k);
	if (t == k->init)
		memcpy(r->init_comm, t->comm, sizeof(r->init_comm) - 1);
	if (!s)
		return;
	note_task(s, t, now);
	s->exited = true;
	s->exit_code = t->exit_code;
}

/* ---- HTML ---------------------------------------------------------------- */

static void html_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				fputc(*s, out);
			else
				fputc('?', out);
		}
	}
}

static const char *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

#define CH_W 720
#define CH_H 220
#define CH_L 70		/* left margin for the y labels */
#define CH_B 30

/* Axes and labels of a chart whose x runs 0..@xmax and y 0..@ymax. */
static void chart_axes(FILE *out, const char *ylabel, uint64_t xmax,
		       uint64_t ymax)
{
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" font-family=\"monospace\" font-size=\"10\">\n"
		"<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\" "
		"fill=\"#fafafa\" stroke=\"#888\"/>\n",
		CH_L + CH_W + 10, CH_H + CH_B, CH_L, CH_W, CH_H);
	for (int i = 0; i <= 4; i++) {
		int y = CH_H - i * CH_H / 4;
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu"
			"</text>\n",
			CH_L - 4, y + 3,
			(unsigned long long)(ymax * (uint64_t)i / 4));
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%llu"
			"</text>\n",
			CH_L + i * CH_W / 4, CH_H + 14,
			(unsigned long long)(xmax * (uint64_t)i / 4));
	}
	fprintf(out,
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">instructions "
		"retired (virtual time)</text>\n"
		"<text x=\"4\" y=\"10\">%s</text>\n",
		CH_L + CH_W / 2, CH_H + 27, ylabel);
}

static double sx(uint64_t x, uint64_t xmax)
{
	return CH_L + (xmax ? (double)x * CH_W / (double)xmax : 0);
}

static double sy(uint64_t y, uint64_t ymax)
{
	return CH_H - (ymax ? (double)y * CH_H / (double)ymax : 0);
}

static void rss_chart(struct report *r, FILE *out)
{
	uint64_t xmax = r->ng ? r->g[r->ng - 1].insns : 0, ymax = 4;

	for (size_t i = 0; i < r->np; i++)
		if (r->p[i].rss_kb > ymax)
			ymax = r->p[i].rss_kb;
	chart_axes(out, "RSS (kB)", xmax, ymax);
	for (size_t t = 0; t < r->ntasks; t++) {
		int pid = r->tasks[t].pid;
		const char *col = palette[t % ARRAY_SIZE(palette)];
		bool any = false;

		for (size_t i = 0; i < r->np; i++) {
			if (r->p[i].pid != pid)
				continue;
			fprintf(out, "%s%.1f,%.1f",
				any ? " "
				    : "<polyline fill=\"none\" "
				      "stroke-width=\"1.5\" points=\"",
				sx(r->g[r->p[i].g].insns, xmax),
				sy(r->p[i].rss_kb, ymax));
			any = true;
		}
		if (any)
			fprintf(out, "\" stroke=\"%s\"><title>pid %d</title>"
				     "</polyline>\n",
				col, pid);
	}
	/* Legend: the first ten processes. */
	for (size_t t = 0; t < r->ntasks && t < 10; t++) {
		fprintf(out,
			"<text x=\"%d\" y=\"%zu\" fill=\"%s\">pid %d ",
			CH_L + 8, 14 + t * 12,
			palette[t % ARRAY_SIZE(palette)], r->tasks[t].pid);
		html_escape(out, r->tasks[t].comm);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
}

/* Faults per interval between samples, as bars; major faults in red. */
static void fault_chart(struct report *r, FILE *out)
{
	uint64_t xmax = r->ng ? r->g[r->ng - 1].insns : 0, ymax = 4;

	for (size_t i = 1; i < r->ng; i++)
		if (r->g[i].pgfault - r->g[i - 1].pgfault > ymax)
			ymax = r->g[i].pgfault - r->g[i - 1].pgfault;
	chart_axes(out, "page faults per interval", xmax, ymax);
	for (size_t i = 1; i < r->ng; i++) {
		uint64_t n = r->g[i].pgfault - r->g[i - 1].pgfault;
		uint64_t m = r->g[i].pgmajfault - r->g[i - 1].pgmajfault;
		double x0 = sx(r->g[i - 1].insns, xmax);
		double x1 = sx(r->g[i].insns, xmax);
		double w = x1 - x0 < 1 ? 1 : x1 - x0;

		if (!n)
			continue;
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" fill=\"#3070d0\"><title>%llu faults "
			"(%llu major) up to instruction %llu</title></rect>\n",
			x0, sy(n, ymax), w, CH_H - sy(n, ymax),
			(unsigned long long)n, (unsigned long long)m,
			(unsigned long long)r->g[i].insns);
		if (m)
			fprintf(out,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"#d62728\"/>\n",
				x0, sy(m, ymax), w, CH_H - sy(m, ymax));
	}
	fputs("</svg>\n", out);
}

static void tlb_row(FILE *out, const char *name, const struct tlb *t,
		    const struct tlb_stats *s)
{
	uint64_t hits = s->accesses - s->misses;

	fprintf(out,
		"<tr><td>%s</td><td>%u</td><td>%u</td><td>%llu</td>"
		"<td>%llu</td><td>%llu</td><td>%.3f%%</td><td>%llu</td>"
		"<td>%llu/%llu/%llu</td></tr>\n",
		name, t->nr_entries, t->ways,
		(unsigned long long)s->accesses, (unsigned long long)hits,
		(unsigned long long)s->misses,
		s->accesses ? 100.0 * (double)s->misses / (double)s->accesses
			    : 0.0,
		(unsigned long long)s->evictions,
		(unsigned long long)s->flush_page,
		(unsigned long long)s->flush_asid,
		(unsigned long long)s->flush_all);
}

static bool known_pid(const struct report *r, int pid)
{
	for (size_t i = 0; i < r->ntasks; i++)
		if (r->tasks[i].pid == pid)
			return true;
	return false;
}

/* The children of @ppid as a nested list; @ppid 0 lists the roots (and
 * the orphans whose parent was never seen). */
static void task_tree(struct report *r, FILE *out, int ppid, int depth)
{
	bool open = false;

	if (depth > 64)
		return;
	for (size_t i = 0; i < r->ntasks; i++) {
		struct seen_task *s = &r->tasks[i];
		bool root = ppid ? s->ppid == ppid
				 : !s->ppid || !known_pid(r, s->ppid);

		if (!root || s->pid == ppid)
			continue;
		if (!open)
			fputs("<ul>\n", out);
		open = true;
		fprintf(out, "<li><b>%d</b> ", s->pid);
		html_escape(out, s->comm);
		fprintf(out, " &#8212; minflt %lu, majflt %lu, peak RSS %lu kB",
			s->minflt, s->majflt, s->maxrss_kb);
		if (s->exited) {
			if (s->exit_code & 0x7f)
				fprintf(out, ", killed by signal %d",
					s->exit_code & 0x7f);
			else
				fprintf(out, ", exit %d",
					(s->exit_code >> 8) & 0xff);
		}
		fputs("\n", out);
		task_tree(r, out, s->pid, depth + 1);
		fputs("</li>\n", out);
	}
	if (open)
		fputs("</ul>\n", out);
}

int report_html(struct report *r, struct kernel *k, FILE *out)
{
	struct tlb_stats is, ds;

	mmu_tlb_stats(&k->mmu, true, &is);
	mmu_tlb_stats(&k->mmu, false, &ds);
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	      "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<title>mmulab run report</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;max-width:960px}\n"
	      "table{border-collapse:collapse}td,th{border:1px solid #aaa;"
	      "padding:2px 6px;text-align:right}th{background:#eee}\n"
	      "h2{border-bottom:1px solid #ccc}\n"
	      "</style>\n</head>\n<body>\n<h1>mmulab run report</h1>\n",
	      out);
	fputs("<p>Program: ", out);
	html_escape(out, r->init_comm);
	fprintf(out,
		"; exit status %d; %llu instructions, %llu cycles, %llu "
		"system calls; %s paging, %llu MiB RAM.</p>\n",
		k->init_status, (unsigned long long)k->cpu.instret,
		(unsigned long long)k->cpu.cycle,
		(unsigned long long)k->nr_syscalls, k->mmu.geo->name,
		(unsigned long long)(k->phys.size >> 20));

	fputs("<h2>Physical memory</h2>\n<p>Every frame as the first "
	      "process exited, coloured by owner.</p>\n",
	      out);
	if (r->physmap)
		fputs(r->physmap, out);
	else
		physmap_svg(k, out);

	fputs("<h2>Page faults over time</h2>\n", out);
	fprintf(out,
		"<p>%lu page faults, %lu major, in %zu samples.</p>\n",
		k->mem.vm_events[PGFAULT], k->mem.vm_events[PGMAJFAULT],
		r->ng);
	fault_chart(r, out);

	fputs("<h2>Resident set size over time</h2>\n", out);
	rss_chart(r, out);

	fputs("<h2>TLB and page walks</h2>\n<table>\n<tr><th>TLB</th>"
	      "<th>entries</th><th>ways</th><th>lookups</th><th>hits</th>"
	      "<th>misses</th><th>miss rate</th><th>evictions</th>"
	      "<th>flushes page/asid/all</th></tr>\n",
	      out);
	tlb_row(out, "itlb", &k->mmu.itlb, &is);
	tlb_row(out, "dtlb", &k->mmu.dtlb, &ds);
	fprintf(out,
		"</table>\n<p>%llu page walks read %llu page-table entries "
		"(%.2f per walk); %llu accesses faulted.</p>\n",
		(unsigned long long)k->mmu.st.walks,
		(unsigned long long)k->mmu.st.walk_reads,
		k->mmu.st.walks ? (double)k->mmu.st.walk_reads /
					  (double)k->mmu.st.walks
				: 0.0,
		(unsigned long long)k->mmu.st.faults);

	fputs("<h2>Processes</h2>\n", out);
	task_tree(r, out, 0, 0);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -EIO : 0;
}
