/*
 * Run statistics (--stats) and sysctl settings from the command line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/mm.h"
#include "views/stats.h"
#include "kernel/mm/vmstat.h"

static void tlb_json(FILE *f, const char *name, const struct tlb *t,
		     const struct tlb_stats *st)
{
	fprintf(f,
		"\"%s\":{\"entries\":%u,\"ways\":%u,\"accesses\":%llu,"
		"\"hits\":%llu,\"misses\":%llu,\"evictions\":%llu,"
		"\"flush_page\":%llu,\"flush_asid\":%llu,\"flush_all\":%llu}",
		name, t->nr_entries, t->ways,
		(unsigned long long)st->accesses,
		(unsigned long long)(st->accesses - st->misses),
		(unsigned long long)st->misses,
		(unsigned long long)st->evictions,
		(unsigned long long)st->flush_page,
		(unsigned long long)st->flush_asid,
		(unsigned long long)st->flush_all);
}

static void tlb_text(FILE *f, const char *name, const struct tlb *t,
		     const struct tlb_stats *st)
{
	double rate = st->accesses
			      ? 100.0 * (double)(st->accesses - st->misses) /
					(double)st->accesses
			      : 0.0;
	fprintf(f,
		"%s: %u entries %u-way: %llu accesses, %llu misses "
		"(hit rate %.3f%%), %llu evictions, flushes: %llu page "
		"%llu asid %llu all\n",
		name, t->nr_entries, t->ways,
		(unsigned long long)st->accesses,
		(unsigned long long)st->misses, rate,
		(unsigned long long)st->evictions,
		(unsigned long long)st->flush_page,
		(unsigned long long)st->flush_asid,
		(unsigned long long)st->flush_all);
}

/* ,"pressure":{"io":{"some":US,"full":US},...}: the /proc/pressure
 * totals at exit, in microseconds of virtual time (kernel/psi.h). */
static void pressure_json(FILE *f, const struct kernel *k)
{
	static const char *const names[NR_PSI_RESOURCES] = { "io", "memory",
							     "cpu" };

	fputs(",\"pressure\":{", f);
	for (int r = 0; r < NR_PSI_RESOURCES; r++)
		fprintf(f, "%s\"%s\":{\"some\":%llu,\"full\":%llu}",
			r ? "," : "", names[r],
			(unsigned long long)(k->psi.total[PSI_SOME(r)] / 1000),
			(unsigned long long)(k->psi.total[PSI_FULL(r)] / 1000));
	fputc('}', f);
}

/* Parse "key value\n" lines of a procfs text into JSON members. */
static void text_pairs_json(FILE *f, const char *text, bool meminfo,
			    bool *first)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char key[64];
		unsigned long long v;
		char line[256];
		if (len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			int ok = meminfo ? sscanf(line, "%63[^:]: %llu", key,
						  &v)
					 : sscanf(line, "%63s %llu", key, &v);
			if (ok == 2) {
				fprintf(f, "%s\"%s\":%llu", *first ? "" : ",",
					key, v);
				*first = false;
			}
		}
		p += len + (eol ? 1 : 0);
	}
}

/* @s as a JSON string: quotes, backslashes and control bytes escaped. */
static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_strings(FILE *f, char **v, int n)
{
	fputc('[', f);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_string(f, v[i]);
	}
	fputc(']', f);
}

static void run_json(FILE *f, const struct stats_run *run)
{
	fputs(",\"options\":", f);
	json_strings(f, run->options, run->nr_options);
	fputs(",\"program\":", f);
	if (run->program)
		json_string(f, run->program);
	else
		fputs("null", f);
	fputs(",\"argv\":", f);
	json_strings(f, run->argv, run->program ? run->argc : 0);
	fprintf(f, ",\"exit_status\":%d,\"stop_signal\":%d",
		run->exit_status, run->stop_signal);
}

void print_stats(struct kernel *k, FILE *f, bool json)
{
	print_stats_run(k, f, json, NULL);
}

static int record_cmp(const void *a, const void *b)
{
	const struct task_record *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

size_t stats_processes(struct kernel *k, struct task_record **out)
{
	size_t n = k->nr_records, i = 0;
	struct task_record *v;
	struct task *t;

	list_for_each_entry(t, &k->tasks, tasks)
		if (t->state != TASK_ZOMBIE)
			n++;
	*out = NULL;
	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return 0;
	if (k->nr_records)
		memcpy(v, k->records, k->nr_records * sizeof(*v));
	i = k->nr_records;
	list_for_each_entry(t, &k->tasks, tasks)
		if (t->state != TASK_ZOMBIE)
			task_record_fill(k, t, &v[i++]);
	qsort(v, i, sizeof(*v), record_cmp);
	*out = v;
	return i;
}

static void tlb_acct_json(FILE *f, const char *name, uint64_t accesses,
			  uint64_t misses)
{
	fprintf(f, "\"%s\":{\"accesses\":%llu,\"hits\":%llu,\"misses\":%llu}",
		name, (unsigned long long)accesses,
		(unsigned long long)(accesses - misses),
		(unsigned long long)misses);
}

static void faults_json(FILE *f, const uint64_t *kinds)
{
	fputs("{", f);
	/* FR_NONE (0) never counts: every kind after it */
	for (unsigned r = 1; r < NR_FAULT_RESULTS; r++)
		fprintf(f, "%s\"%s\":%llu", r > 1 ? "," : "",
			fault_result_name(r), (unsigned long long)kinds[r]);
	fputs("}", f);
}

static void process_json(FILE *f, const struct task_record *p, bool wss)
{
	fprintf(f, "{\"pid\":%d,\"ppid\":%d,\"comm\":", p->pid, p->ppid);
	json_string(f, p->comm);
	fprintf(f, ",\"exited\":%s", p->exited ? "true" : "false");
	if (p->exited && (p->exit_code & 0x7f))
		fprintf(f, ",\"exit_status\":null,\"exit_signal\":%d",
			p->exit_code & 0x7f);
	else if (p->exited)
		fprintf(f, ",\"exit_status\":%d,\"exit_signal\":0",
			(p->exit_code >> 8) & 0xff);
	else
		fputs(",\"exit_status\":null,\"exit_signal\":null", f);
	fprintf(f, ",\"instructions\":%llu,\"cycles\":%llu,"
		   "\"minor_faults\":%lu,\"major_faults\":%lu,"
		   "\"cow_copies\":%llu,\"zero_page_faults\":%llu,"
		   "\"faults_by_kind\":",
		(unsigned long long)p->instructions,
		(unsigned long long)p->acct.cycles, p->min_flt, p->maj_flt,
		(unsigned long long)p->acct.faults[FR_COW_COPY],
		(unsigned long long)p->acct.faults[FR_ZERO_PAGE]);
	faults_json(f, p->acct.faults);
	fputs(",\"tlb\":{", f);
	tlb_acct_json(f, "itlb", p->acct.itlb_accesses, p->acct.itlb_misses);
	fputc(',', f);
	tlb_acct_json(f, "dtlb", p->acct.dtlb_accesses, p->acct.dtlb_misses);
	fprintf(f, "},\"page_walks\":%llu,\"walk_reads\":%llu,"
		   "\"peak_rss_kb\":%lu,\"swap_in\":%llu,\"swap_out\":%lu,"
		   "\"voluntary_ctxt_switches\":%lu,"
		   "\"nonvoluntary_ctxt_switches\":%lu",
		(unsigned long long)p->acct.walks,
		(unsigned long long)p->acct.walk_reads, p->maxrss_kb,
		(unsigned long long)p->acct.faults[FR_SWAP_IN], p->swapout,
		p->nvcsw, p->nivcsw);
	if (wss) /* --wss-interval (1.2) */
		fprintf(f, ",\"wss_kb\":%lu,\"wss_peak_kb\":%lu,"
			   "\"wss_windows\":%lu",
			p->wss_pages << (PAGE_SHIFT - 10),
			p->wss_peak << (PAGE_SHIFT - 10), p->wss_windows);
	fputc('}', f);
}

/* The additions of schema 1.1: faults by kind, the cost model, the
 * processes. */
static void extra_json(struct kernel *k, FILE *f)
{
	struct task_record *procs;
	size_t n = stats_processes(k, &procs);
	const struct cost_model *c = &k->cfg.cost;
	unsigned long peak = 0;

	for (size_t i = 0; i < n; i++)
		if (procs[i].maxrss_kb > peak)
			peak = procs[i].maxrss_kb;
	fprintf(f, ",\"schema_minor\":%d,\"walk_reads\":%llu,"
		   "\"elapsed_ns\":%llu,\"idle_ns\":%llu,\"peak_rss_kb\":%lu,"
		   "\"faults_by_kind\":",
		STATS_JSON_SCHEMA_MINOR,
		(unsigned long long)k->mmu.st.walk_reads,
		(unsigned long long)k->cpu.cycle,
		(unsigned long long)k->idle_ns, peak);
	faults_json(f, k->fault_kinds);
	if (c->on)
		fprintf(f, ",\"cost\":{\"tlb_miss\":%u,\"walk_access\":%u,"
			   "\"minor_fault\":%u,\"major_fault\":%u,"
			   "\"swap_io\":%u}",
			c->tlb_miss, c->walk_access, c->minor_fault,
			c->major_fault, c->swap_io);
	else
		fputs(",\"cost\":null", f);
	fputs(",\"processes\":[", f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		process_json(f, &procs[i], k->cfg.wss_interval != 0);
	}
	fputc(']', f);
	free(procs);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The perf-stat-like summary of --stats. */
static void summary_text(struct kernel *k, FILE *f,
			 const struct stats_run *run,
			 const struct tlb_stats *is,
			 const struct tlb_stats *ds)
{
	struct task_record *procs;
	size_t n = stats_processes(k, &procs);
	unsigned long peak = 0, minflt = 0, majflt = 0;
	unsigned long pgfault = 0, pswpin = 0, pswpout = 0;
	uint64_t insns = k->cpu.instret, cyc = k->cpu.cycle;
	const uint64_t *fk = k->fault_kinds;

	for (size_t i = 0; i < n; i++) {
		if (procs[i].maxrss_kb > peak)
			peak = procs[i].maxrss_kb;
		minflt += procs[i].min_flt;
		majflt += procs[i].maj_flt;
	}
	free(procs);
	vmstat_lookup(&k->mem, "pgfault", &pgfault);
	vmstat_lookup(&k->mem, "pswpin", &pswpin);
	vmstat_lookup(&k->mem, "pswpout", &pswpout);
	fputs("\n Performance counter stats for '", f);
	if (run && run->program) {
		for (int i = 0; i < run->argc; i++)
			fprintf(f, "%s%s", i ? " " : "", run->argv[i]);
	} else {
		fputs("the run", f);
	}
	fprintf(f, "' (%zu process%s):\n\n", n, n == 1 ? "" : "es");
	fprintf(f, "%16llu      instructions\n", (unsigned long long)insns);
	fprintf(f, "%16llu      cycles                    #  %.2f per "
		   "instruction%s\n",
		(unsigned long long)cyc,
		insns ? (double)cyc / (double)insns : 0.0,
		k->cfg.cost.on ? " (--cost)" : "");
	fprintf(f, "%16lu      page-faults               #  %lu minor, %lu "
		   "major\n", minflt + majflt, minflt, majflt);
	fprintf(f, "%16llu      zero-page faults\n",
		(unsigned long long)fk[FR_ZERO_PAGE]);
	fprintf(f, "%16llu      zero-fill faults\n",
		(unsigned long long)fk[FR_ANON]);
	fprintf(f, "%16llu      COW copies                #  %llu reused in "
		   "place\n",
		(unsigned long long)(fk[FR_COW_COPY] + fk[FR_FILE_COW]),
		(unsigned long long)fk[FR_COW_REUSE]);
	fprintf(f, "%16llu      iTLB-loads                #  %.2f%% misses "
		   "(%llu)\n",
		(unsigned long long)is->accesses, pct(is->misses, is->accesses),
		(unsigned long long)is->misses);
	fprintf(f, "%16llu      dTLB-loads                #  %.2f%% misses "
		   "(%llu)\n",
		(unsigned long long)ds->accesses, pct(ds->misses, ds->accesses),
		(unsigned long long)ds->misses);
	fprintf(f, "%16llu      page walks                #  %.2f entries "
		   "read each\n",
		(unsigned long long)k->mmu.st.walks,
		k->mmu.st.walks ? (double)k->mmu.st.walk_reads /
					  (double)k->mmu.st.walks
				: 0.0);
	fprintf(f, "%16lu kB   peak RSS                  #  largest process\n",
		peak);
	fprintf(f, "%16lu      swap in                   #  %lu pages out\n",
		pswpin, pswpout);
	fprintf(f, "\n%20.9f seconds virtual time      #  %.9f idle\n\n",
		(double)cyc / 1e9, (double)k->idle_ns / 1e9);
	(void)pgfault;
}

void print_stats_run(struct kernel *k, FILE *f, bool json,
		     const struct stats_run *run)
{
	print_stats_mode(k, f, json, true, run);
}

void print_stats_mode(struct kernel *k, FILE *f, bool json, bool all,
		      const struct stats_run *run)
{
	struct tlb_stats is, ds;
	struct seq vm = {0}, mi = {0};

	mmu_tlb_stats(&k->mmu, true, &is);
	mmu_tlb_stats(&k->mmu, false, &ds);
	show_vmstat(&k->mem, &vm);
	show_meminfo(&k->mem, &mi);
	if (json) {
		bool first = false;
		fprintf(f, "{\"schema_version\":%d",
			STATS_JSON_SCHEMA_VERSION);
		text_pairs_json(f, vm.buf ? vm.buf : "", false, &first);
		text_pairs_json(f, mi.buf ? mi.buf : "", true, &first);
		fprintf(f, ",\"instructions\":%llu,\"cycles\":%llu,"
			   "\"syscalls\":%llu,\"page_walks\":%llu,"
			   "\"tlb\":{",
			(unsigned long long)k->cpu.instret,
			(unsigned long long)k->cpu.cycle,
			(unsigned long long)k->nr_syscalls,
			(unsigned long long)k->mmu.st.walks);
		tlb_json(f, "itlb", &k->mmu.itlb, &is);
		fputc(',', f);
		tlb_json(f, "dtlb", &k->mmu.dtlb, &ds);
		fputc('}', f);
		pressure_json(f, k);
		extra_json(k, f);
		if (run)
			run_json(f, run);
		fputs("}\n", f);
	} else if (!all) {
		summary_text(k, f, run, &is, &ds);
	} else {
		fprintf(f, "instructions %llu\ncycles %llu\nsyscalls %llu\n"
			   "page_walks %llu\n",
			(unsigned long long)k->cpu.instret,
			(unsigned long long)k->cpu.cycle,
			(unsigned long long)k->nr_syscalls,
			(unsigned long long)k->mmu.st.walks);
		tlb_text(f, "itlb", &k->mmu.itlb, &is);
		tlb_text(f, "dtlb", &k->mmu.dtlb, &ds);
		fwrite(vm.buf, 1, vm.len, f);
		fwrite(mi.buf, 1, mi.len, f);
	}
	seq_free(&vm);
	seq_free(&mi);
}
