/*
 * Run statistics (--stats) and sysctl settings from the command line.
 */
#include <errno.h>
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

void print_stats_run(struct kernel *k, FILE *f, bool json,
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
		if (run)
			run_json(f, run);
		fputs("}\n", f);
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
