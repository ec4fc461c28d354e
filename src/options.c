/*
 * The options of the subcommands that run a program (see options.h): one
 * parser, one boot, one place where host signals stop a run.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "options.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/proc.h"
#include "kernel/kernel/sysctl.h"
#include "kernel/lib/string.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/replace.h"
#include "kernel/mm/swap.h"
#include "trace/sink.h"
#include "views/refrec.h"
#include "views/stats.h"
#include "views/views.h"

extern char **environ;

/*
 * The host signal that asked the run to stop (0: none).  The one mutable
 * global of the front end: a signal handler has nowhere else to write.
 * kernel_run() reads it through cfg.stop.
 */
static volatile sig_atomic_t stop_signal;
_Static_assert(sizeof(sig_atomic_t) == sizeof(int),
	       "kernel_config.stop points at an int");

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static const char options_text[] =
	"Options:\n"
	"  --ram SIZE          guest RAM (K/M/G suffixes; 4M..16G; default 128M)\n"
	"  --paging MODE       page-table geometry: pae (default) or sv32\n"
	"  --tlb N[:WAYS]      I and D TLB entries and associativity (64:4)\n"
	"  --tlb-policy P      TLB replacement: lru (default) or plru\n"
	"  --asid              tag TLB entries with ASIDs instead of flushing\n"
	"  --numa NODES        split RAM into NODES NUMA nodes (1..8)\n"
	"  --numa-policy P     memory policy of the first process, as numactl:\n"
	"                      bind:NODES, interleave:NODES, preferred:NODE,\n"
	"                      local or default (NODES like 0-1,3)\n"
	"  --vmsplit S         user/kernel split: 3G/1G (default), 2G/2G or\n"
	"                      1G/3G (TASK_SIZE and the lowmem size follow)\n"
	"  --wss-interval N    estimate each process's working set over\n"
	"                      windows of N of its instructions (VmWSS in\n"
	"                      /proc/PID/status); 0, the default, is off\n"
	"  --root DIR[:ro]     sandbox directory the guest sees as / (default .);\n"
	"                      :ro makes it read-only (writes give EROFS)\n"
	"  --quantum N         instructions per time slice (default 100000)\n"
	"  --max-insns N       stop the run after N instructions (exit 124)\n"
	"  --seed N            seed of getrandom and AT_RANDOM (default 1)\n"
	"  --swap FILE[:SIZE][:prio=N]  swap to FILE (mkswap format; SIZE\n"
	"                      creates it); repeatable, up to 8\n"
	"  --policy P          page replacement of reclaim: lru2 (Linux's active\n"
	"                      and inactive lists, default), clock, fifo, lru or\n"
	"                      random (seeded by --seed)\n"
	"  --replacement S     global (default), local:equal or\n"
	"                      local:proportional: a process above its share of\n"
	"                      the frames loses only its own pages\n"
	"  --record-refs FILE  write every process's page-reference string to\n"
	"                      FILE for `mmulab replay` (docs/replay.md)\n"
	"  --sysctl NAME=VAL   set vm.NAME as /proc/sys/vm/NAME would\n"
	"                      (overcommit_memory, min_free_kbytes, ...)\n"
	"  --thp MODE          transparent huge pages: always, madvise\n"
	"                      (default) or never\n"
	"  --env NAME=VALUE    set a variable in the guest's environment\n"
	"  --unset NAME        remove a variable from the guest's environment\n"
	"  --boot-log          print the kernel's boot messages on stderr\n"
	"  --dump-proc FILE    when the program exits, before its memory is\n"
	"                      freed, print /proc/FILE on stderr (meminfo,\n"
	"                      vmstat, buddyinfo, zoneinfo, slabinfo, self/maps)\n"
	"  --on-exit VIEWS     as each process exits, print VIEWS on stderr:\n"
	"                      a comma list of ps, pmap, maps, smaps, status\n"
	"  --stats[=all]       print a summary of the run on stderr at exit\n"
	"                      (as perf stat); =all: every counter\n"
	"  --json              with --stats: one JSON object, on its own line\n"
	"  --stats-file FILE   write the JSON object to FILE instead\n"
	"                      (docs/stats-json.md describes it)\n"
	"  --trace EVENTS      trace events: a comma list of names (tlb:miss),\n"
	"                      globs ('tlb:*', '*fault*') or all\n"
	"  --trace-file FILE   write the trace to FILE (default stderr)\n"
	"  --trace-format F    text (default) or json (one object a line)\n"
	"  --trace-pid N       only events of pid N\n"
	"  --trace-range LO-HI only events whose virtual address is in\n"
	"                      [LO, HI] (events with none pass)\n"
	"  --pgtable-dot FILE  draw the page tables of a process as it exits\n"
	"                      (Graphviz DOT; --pgtable-pid PID, default 1)\n"
	"  --physmap-svg FILE  draw every physical frame as pid 1 exits (SVG)\n"
	"  --report FILE.html  one self-contained HTML page about the run\n"
	"  --gdb PORT          wait for gdb-multiarch on 127.0.0.1:PORT (0: any\n"
	"                      free port, printed on stderr)\n"
	"  --gdb-detach WHAT   when gdb leaves: run (the guest runs on, default)\n"
	"                      or kill\n"
	"  --gdb-reverse N     let gdb run backwards: a checkpoint every N\n"
	"                      instructions (reverse-stepi, reverse-continue)\n"
	"  --sample N          with --csv: a row of counters every N\n"
	"                      instructions of virtual time\n"
	"  --csv FILE          where --sample writes (a header row of names)\n"
	"  --no-progress       no progress line on a terminal's stderr\n"
	"  --cost SPEC         the cost model: 'default' or a comma list of\n"
	"                      tlb_miss=N,walk_access=N,minor_fault=N,\n"
	"                      major_fault=N,swap_io=N (cycles per event; the\n"
	"                      others keep their defaults 20,100,1000,100000,\n"
	"                      80000); without it cycles = instructions\n";

void run_options_usage(FILE *f)
{
	fputs(options_text, f);
}

enum {
	OPT_RAM = 256, OPT_PAGING, OPT_TLB, OPT_TLB_POLICY, OPT_ASID,
	OPT_NUMA, OPT_ROOT, OPT_QUANTUM, OPT_SEED, OPT_SYSCTL, OPT_ENV,
	OPT_UNSET, OPT_BOOT_LOG, OPT_DUMP_PROC, OPT_STATS, OPT_JSON,
	OPT_STATS_FILE, OPT_ON_EXIT, OPT_SWAP, OPT_MAX_INSNS,
	OPT_TRACE, OPT_TRACE_FILE, OPT_TRACE_FORMAT, OPT_TRACE_PID,
	OPT_TRACE_RANGE,
	OPT_PGTABLE_DOT, OPT_PGTABLE_PID, OPT_PHYSMAP_SVG, OPT_REPORT,
	OPT_GDB, OPT_GDB_DETACH, OPT_GDB_REVERSE,
	OPT_NUMA_POLICY, OPT_VMSPLIT, OPT_WSS_INTERVAL,
	OPT_SAMPLE, OPT_CSV, OPT_NO_PROGRESS, OPT_COST,
	OPT_THP,
	OPT_POLICY, OPT_REPLACEMENT, OPT_RECORD_REFS,
	/* Parsed so that the message names them; not in this build. */
	OPT_NOT_BUILT,
};

static const struct option long_options[] = {
	{ "ram", required_argument, NULL, OPT_RAM },
	{ "paging", required_argument, NULL, OPT_PAGING },
	{ "tlb", required_argument, NULL, OPT_TLB },
	{ "tlb-policy", required_argument, NULL, OPT_TLB_POLICY },
	{ "asid", no_argument, NULL, OPT_ASID },
	{ "numa", required_argument, NULL, OPT_NUMA },
	{ "numa-policy", required_argument, NULL, OPT_NUMA_POLICY },
	{ "vmsplit", required_argument, NULL, OPT_VMSPLIT },
	{ "wss-interval", required_argument, NULL, OPT_WSS_INTERVAL },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "quantum", required_argument, NULL, OPT_QUANTUM },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "sysctl", required_argument, NULL, OPT_SYSCTL },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "unset", required_argument, NULL, OPT_UNSET },
	{ "boot-log", no_argument, NULL, OPT_BOOT_LOG },
	{ "dump-proc", required_argument, NULL, OPT_DUMP_PROC },
	{ "on-exit", required_argument, NULL, OPT_ON_EXIT },
	{ "stats", optional_argument, NULL, OPT_STATS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "stats-file", required_argument, NULL, OPT_STATS_FILE },
	{ "swap", required_argument, NULL, OPT_SWAP },
	{ "max-insns", required_argument, NULL, OPT_MAX_INSNS },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "replacement", required_argument, NULL, OPT_REPLACEMENT },
	{ "record-refs", required_argument, NULL, OPT_RECORD_REFS },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "trace-file", required_argument, NULL, OPT_TRACE_FILE },
	{ "trace-format", required_argument, NULL, OPT_TRACE_FORMAT },
	{ "trace-pid", required_argument, NULL, OPT_TRACE_PID },
	{ "trace-range", required_argument, NULL, OPT_TRACE_RANGE },
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "gdb-detach", required_argument, NULL, OPT_GDB_DETACH },
	{ "gdb-reverse", required_argument, NULL, OPT_GDB_REVERSE },
	{ "pgtable-dot", required_argument, NULL, OPT_PGTABLE_DOT },
	{ "pgtable-pid", required_argument, NULL, OPT_PGTABLE_PID },
	{ "physmap-svg", required_argument, NULL, OPT_PHYSMAP_SVG },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "thp", required_argument, NULL, OPT_THP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One line on stderr naming what is wrong; always returns -1. */
static int __attribute__((format(printf, 1, 2))) bad(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mmulab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try 'mmulab --help')\n", stderr);
	return -1;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Set NAME=VALUE in the guest environment: 0 or -ENOMEM. */
static int env_set(struct run_options *o, const char *kv)
{
	size_t klen = strcspn(kv, "=");
	char **v;

	for (size_t i = 0; i < o->nr_env; i++) {
		if (!strncmp(o->env[i], kv, klen) && o->env[i][klen] == '=') {
			o->env[i] = (char *)kv;
			return 0;
		}
	}
	v = realloc(o->env, (o->nr_env + 2) * sizeof(char *));
	if (!v)
		return -ENOMEM;
	o->env = v;
	o->env[o->nr_env++] = (char *)kv;
	o->env[o->nr_env] = NULL;
	return 0;
}

static void env_unset(struct run_options *o, const char *name)
{
	size_t klen = strlen(name);

	for (size_t i = 0; i < o->nr_env; i++) {
		if (!strncmp(o->env[i], name, klen) && o->env[i][klen] == '=') {
			memmove(&o->env[i], &o->env[i + 1],
				(o->nr_env - i) * sizeof(char *));
			o->nr_env--;
			i--;
		}
	}
}

void run_options_init(struct run_options *o, const char *cmd)
{
	memset(o, 0, sizeof(*o));
	kernel_default_config(&o->cfg);
	o->cmd = cmd;
	o->gdb_port = -1;
	for (char **e = environ; e && *e; e++)
		if (env_set(o, *e) < 0)
			break; /* the first env_set of --env reports it */
}

static int parse_tlb(struct run_options *o, const char *arg)
{
	char buf[64];
	uint64_t n, w;
	char *colon;

	strscpy(buf, arg, sizeof(buf));
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (!parse_u64(buf, &n) || !power_of_two(n) || n > 4096)
		return bad("--tlb: bad entry count in '%s' (a power of two, "
			   "1..4096)", arg);
	w = n < 4 ? n : 4;
	if (colon && (!parse_u64(colon + 1, &w) || !power_of_two(w) || w > n))
		return bad("--tlb: bad ways in '%s' (a power of two dividing "
			   "the entries)", arg);
	o->cfg.mmu.itlb_entries = o->cfg.mmu.dtlb_entries = (unsigned)n;
	o->cfg.mmu.itlb_ways = o->cfg.mmu.dtlb_ways = (unsigned)w;
	return 0;
}

static int parse_sysctl(struct run_options *o, const char *arg)
{
	const char *n = !strncmp(arg, "vm.", 3) ? arg + 3 : arg;
	const char *eq = strchr(n, '=');
	int i = o->nr_sysctl;

	if (!eq || eq == n || (size_t)(eq - n) >= sizeof(o->sysctl[i].name))
		return bad("--sysctl: expected NAME=VALUE, got '%s'", arg);
	if (i == RUN_OPTIONS_MAX_SYSCTL)
		return bad("--sysctl: more than %d settings at '%s'",
			   RUN_OPTIONS_MAX_SYSCTL, arg);
	memcpy(o->sysctl[i].name, n, (size_t)(eq - n));
	o->sysctl[i].name[eq - n] = '\0';
	if (!vm_sysctl_exists(o->sysctl[i].name))
		return bad("--sysctl: unknown setting '%s' (see /proc/sys/vm)",
			   arg);
	o->sysctl[i].arg = arg;
	o->sysctl[i].value = eq + 1;
	o->nr_sysctl++;
	if (!strcmp(o->sysctl[i].name, "min_free_kbytes"))
		o->cfg.min_free_kbytes = atol(eq + 1);
	return 0;
}

static int parse_on_exit(struct run_options *o, const char *arg)
{
	static const struct {
		const char *name;
		unsigned bit;
	} views[] = {
		{ "ps", EXIT_VIEW_PS },	    { "pmap", EXIT_VIEW_PMAP },
		{ "maps", EXIT_VIEW_MAPS }, { "smaps", EXIT_VIEW_SMAPS },
		{ "status", EXIT_VIEW_STATUS },
	};
	const char *p = arg;

	while (*p) {
		size_t len = strcspn(p, ",");
		bool found = false;

		for (size_t i = 0; i < ARRAY_SIZE(views); i++) {
			if (strlen(views[i].name) == len &&
			    !strncmp(p, views[i].name, len)) {
				o->exit_views |= views[i].bit;
				found = true;
			}
		}
		if (!found)
			return bad("--on-exit: unknown view '%.*s' (ps, pmap, "
				   "maps, smaps, status)", (int)len, p);
		p += len + (p[len] == ',');
	}
	return 0;
}

/* --cost default | NAME=N[,NAME=N...]: the others keep their defaults. */
static int parse_cost(struct run_options *o, const char *arg)
{
	struct cost_model *c = &o->cfg.cost;
	const char *p = arg;

	*c = (struct cost_model){
		.on = true,
		.tlb_miss = COST_DEFAULT_TLB_MISS,
		.walk_access = COST_DEFAULT_WALK_ACCESS,
		.minor_fault = COST_DEFAULT_MINOR_FAULT,
		.major_fault = COST_DEFAULT_MAJOR_FAULT,
		.swap_io = COST_DEFAULT_SWAP_IO,
	};
	if (!strcmp(arg, "default"))
		return 0;
	if (!*arg)
		return bad("--cost: empty (default, or NAME=CYCLES,...)");
	while (*p) {
		static const char *const names[] = { "tlb_miss", "walk_access",
			"minor_fault", "major_fault", "swap_io" };
		uint32_t *field[] = { &c->tlb_miss, &c->walk_access,
				      &c->minor_fault, &c->major_fault,
				      &c->swap_io };
		size_t len = strcspn(p, ","), nlen = strcspn(p, "=,");
		char num[32];
		uint64_t v;
		int i;

		for (i = 0; i < (int)ARRAY_SIZE(names); i++)
			if (strlen(names[i]) == nlen &&
			    !strncmp(p, names[i], nlen))
				break;
		if (i == (int)ARRAY_SIZE(names))
			return bad("--cost: unknown event '%.*s' (tlb_miss, "
				   "walk_access, minor_fault, major_fault, "
				   "swap_io, or 'default')", (int)nlen, p);
		if (p[nlen] != '=' || len - nlen - 1 >= sizeof(num))
			return bad("--cost: expected %s=CYCLES in '%s'",
				   names[i], arg);
		memcpy(num, p + nlen + 1, len - nlen - 1);
		num[len - nlen - 1] = '\0';
		if (!parse_u64(num, &v) || v > 1000000000u)
			return bad("--cost: bad cycle count '%s' for %s "
				   "(0..1000000000)", num, names[i]);
		*field[i] = (uint32_t)v;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* One option: 0 or -1 after the message. */
static int parse_one(struct run_options *o, int opt, const char *arg,
		     const char *name)
{
	uint64_t v;
	struct stat st;

	switch (opt) {
	case OPT_RAM:
		if (parse_size(arg, &v) < 0 || v < PHYS_RAM_MIN ||
		    v > PHYS_RAM_MAX)
			return bad("--ram: bad size '%s' (4M..16G)", arg);
		o->cfg.ram = v;
		return 0;
	case OPT_PAGING:
		if (!strcmp(arg, "pae"))
			o->cfg.mmu.paging = PAGING_PAE;
		else if (!strcmp(arg, "sv32"))
			o->cfg.mmu.paging = PAGING_SV32;
		else
			return bad("--paging: unknown mode '%s' (pae or sv32)",
				   arg);
		return 0;
	case OPT_TLB:
		return parse_tlb(o, arg);
	case OPT_TLB_POLICY:
		if (!strcmp(arg, "lru"))
			o->cfg.mmu.policy = TLB_LRU;
		else if (!strcmp(arg, "plru"))
			o->cfg.mmu.policy = TLB_PLRU;
		else
			return bad("--tlb-policy: unknown policy '%s' (lru or "
				   "plru)", arg);
		return 0;
	case OPT_ASID:
		o->cfg.mmu.asid = true;
		return 0;
	case OPT_NUMA:
		if (!parse_u64(arg, &v) || v < 1 || v > 8)
			return bad("--numa: bad node count '%s' (1..8)", arg);
		o->cfg.numa_nodes = (int)v;
		return 0;
	case OPT_NUMA_POLICY:
		o->numa_policy = arg; /* checked against --numa at the end */
		return 0;
	case OPT_WSS_INTERVAL:
		if (!parse_u64(arg, &v) || v > (1ull << 40))
			return bad("--wss-interval: bad instruction count "
				   "'%s' (0..2^40; 0 = off)", arg);
		o->cfg.wss_interval = v;
		return 0;
	case OPT_VMSPLIT:
		if (!strcmp(arg, "3G/1G"))
			o->cfg.task_size = 0xc0000000u;
		else if (!strcmp(arg, "2G/2G"))
			o->cfg.task_size = 0x80000000u;
		else if (!strcmp(arg, "1G/3G"))
			o->cfg.task_size = 0x40000000u;
		else
			return bad("--vmsplit: unknown split '%s' (3G/1G, "
				   "2G/2G or 1G/3G)", arg);
		return 0;
	case OPT_ROOT: {
		size_t n = strlen(arg);

		/* DIR:ro -- a read-only sandbox (a directory really named
		 * so is taken as it is). */
		free(o->root_copy);
		o->root_copy = NULL;
		o->cfg.root_readonly = false;
		if (n > 3 && !strcmp(arg + n - 3, ":ro") && stat(arg, &st) < 0) {
			o->root_copy = strndup(arg, n - 3);
			if (!o->root_copy)
				return bad("--root: out of memory%s", "");
			arg = o->root_copy;
			o->cfg.root_readonly = true;
		}
		if (stat(arg, &st) < 0 || !S_ISDIR(st.st_mode))
			return bad("--root: '%s' is not a directory", arg);
		o->cfg.root = arg;
		return 0;
	}
	case OPT_QUANTUM:
		if (!parse_u64(arg, &v) || !v)
			return bad("--quantum: bad instruction count '%s'",
				   arg);
		o->cfg.quantum = v;
		return 0;
	case OPT_SEED:
		if (!parse_u64(arg, &v))
			return bad("--seed: bad number '%s'", arg);
		o->cfg.seed = v;
		return 0;
	case OPT_SYSCTL:
		return parse_sysctl(o, arg);
	case OPT_THP: {
		/* --sysctl vm.transparent_hugepage=MODE */
		static const char *const thp[] = {
			"transparent_hugepage=always",
			"transparent_hugepage=madvise",
			"transparent_hugepage=never",
		};
		for (size_t i = 0; i < ARRAY_SIZE(thp); i++)
			if (!strcmp(arg, strchr(thp[i], '=') + 1))
				return parse_sysctl(o, thp[i]);
		return bad("--thp: unknown mode '%s' (always, madvise or "
			   "never)", arg);
	}
	case OPT_ENV:
		if (!strchr(arg, '=') || arg[0] == '=')
			return bad("--env: expected NAME=VALUE, got '%s'",
				   arg);
		if (env_set(o, arg) < 0)
			return bad("--env: out of memory at '%s'", arg);
		return 0;
	case OPT_UNSET:
		env_unset(o, arg);
		return 0;
	case OPT_BOOT_LOG:
		o->cfg.boot_log = true;
		return 0;
	case OPT_DUMP_PROC:
		if (o->nr_dump_proc == RUN_OPTIONS_MAX_DUMP)
			return bad("--dump-proc: more than %d files at '%s'",
				   RUN_OPTIONS_MAX_DUMP, arg);
		if (!*arg || strlen(arg) > 200)
			return bad("--dump-proc: bad file name '%s'", arg);
		o->dump_proc[o->nr_dump_proc++] = arg;
		return 0;
	case OPT_ON_EXIT:
		return parse_on_exit(o, arg);
	case OPT_STATS:
		if (arg && strcmp(arg, "all"))
			return bad("--stats: unknown value '%s' (--stats or "
				   "--stats=all)", arg);
		o->stats = true;
		o->stats_all = arg != NULL;
		return 0;
	case OPT_SAMPLE:
		if (!parse_u64(arg, &v) || !v)
			return bad("--sample: bad instruction count '%s'", arg);
		o->sample = v;
		return 0;
	case OPT_CSV:
		if (!*arg)
			return bad("--csv: empty file name");
		o->csv = arg;
		return 0;
	case OPT_NO_PROGRESS:
		o->no_progress = true;
		return 0;
	case OPT_COST:
		return parse_cost(o, arg);
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_STATS_FILE:
		if (!*arg)
			return bad("--stats-file: empty file name");
		o->stats_file = arg;
		return 0;
	case OPT_PGTABLE_DOT:
		o->pics.pgtable_path = arg;
		return 0;
	case OPT_PGTABLE_PID:
		if (!parse_u64(arg, &v) || !v || v > INT32_MAX)
			return bad("--pgtable-pid: bad pid '%s'", arg);
		o->pics.pgtable_pid = (int)v;
		return 0;
	case OPT_PHYSMAP_SVG:
		o->pics.physmap_path = arg;
		return 0;
	case OPT_REPORT:
		o->pics.report_path = arg;
		return 0;
	case OPT_GDB:
		if (!parse_u64(arg, &v) || v > 65535)
			return bad("--gdb: bad port '%s' (0..65535)", arg);
		o->gdb_port = (int)v;
		return 0;
	case OPT_GDB_DETACH:
		if (!strcmp(arg, "run"))
			o->gdb_detach = GDB_DETACH_RUN;
		else if (!strcmp(arg, "kill"))
			o->gdb_detach = GDB_DETACH_KILL;
		else
			return bad("--gdb-detach: '%s' (run or kill)", arg);
		return 0;
	case OPT_GDB_REVERSE:
		if (!parse_u64(arg, &v) || !v)
			return bad("--gdb-reverse: bad instruction count '%s'",
				   arg);
		o->gdb_reverse = v;
		return 0;
	case OPT_MAX_INSNS:
		if (!parse_u64(arg, &v) || !v)
			return bad("--max-insns: bad instruction count '%s'",
				   arg);
		o->cfg.max_insns = v;
		return 0;
	case OPT_SWAP:
		if (o->nr_swap == MAX_SWAPFILES)
			return bad("--swap: at most %d swap files ('%s')",
				   MAX_SWAPFILES, arg);
		o->swap[o->nr_swap++] = arg;
		return 0;
	case OPT_TRACE:
		o->trace_opts.events = arg;
		return 0;
	case OPT_TRACE_FILE:
		o->trace_opts.file = arg;
		return 0;
	case OPT_TRACE_FORMAT:
		o->trace_opts.format = arg;
		return 0;
	case OPT_TRACE_PID:
		o->trace_opts.pid = arg;
		return 0;
	case OPT_TRACE_RANGE:
		o->trace_opts.range = arg;
		return 0;
	case OPT_POLICY: {
		int p = repl_policy_parse(arg);

		if (p < 0)
			return bad("--policy: unknown policy '%s' (lru2, clock, "
				   "fifo, lru or random)", arg);
		o->cfg.repl_policy = p;
		return 0;
	}
	case OPT_REPLACEMENT: {
		int sc = repl_scope_parse(arg);

		if (sc < 0)
			return bad("--replacement: unknown scope '%s' (global, "
				   "local:equal or local:proportional)", arg);
		o->cfg.repl_scope = sc;
		return 0;
	}
	case OPT_RECORD_REFS:
		if (!*arg)
			return bad("--record-refs: empty file name");
		o->record_refs = arg;
		return 0;
	case OPT_NOT_BUILT:
		return bad("--%s: not available in this build", name);
	}
	return bad("unknown option '%s'", name);
}

int parse_run_options(int argc, char **argv, struct run_options *o, int *argi)
{
	int opt, idx;

	optind = 1;
	opterr = 0;
	for (;;) {
		idx = -1;
		opt = getopt_long(argc, argv, "+:h", long_options, &idx);
		if (opt == -1)
			break;
		if (opt == 'h') {
			fputs(o->cmd && !strcmp(o->cmd, "run")
				      ? "Usage: mmulab run [OPTIONS] PROG.elf "
					"[ARGS...]\n\n"
				      : "Options of mmulab run, repl and "
					"script:\n\n",
			      stdout);
			run_options_usage(stdout);
			return RUN_OPTIONS_HELP;
		}
		if (opt == ':') {
			/* optind is past the option that lacks its value. */
			return bad("option '%s' needs an argument",
				   argv[optind - 1]);
		}
		if (opt == '?') {
			if (optopt && optopt < 256)
				return bad("unknown option '-%c'", optopt);
			return bad("unknown option '%s'", argv[optind - 1]);
		}
		/* Name the option, never its argument: with a long option
		 * idx says which one, whatever argv looks like. */
		if (parse_one(o, opt, optarg,
			      idx >= 0 ? long_options[idx].name : "?") < 0)
			return -1;
	}
	if (o->json && !o->stats && !o->stats_file)
		return bad("--json needs --stats or --stats-file");
	if (o->numa_policy) {
		char err[128];

		if (mpol_parse_str(o->numa_policy, o->cfg.numa_nodes,
				   &o->cfg.init_mempolicy, err,
				   sizeof(err)) < 0)
			return bad("--numa-policy: %s", err);
	}
	if (o->sample && !o->csv)
		return bad("--sample needs --csv FILE");
	if (o->csv && !o->sample)
		return bad("--csv needs --sample N");
	if (o->sample && o->cmd && strcmp(o->cmd, "run"))
		return bad("--sample: only with mmulab run");
	if (o->cfg.repl_scope != REPL_GLOBAL &&
	    o->cfg.repl_policy == REPL_LRU2)
		return bad("--replacement %s needs --policy clock, fifo, lru "
			   "or random", repl_scope_name(o->cfg.repl_scope));
	{
		char err[256];
		if (trace_output_open(&o->trace, &o->trace_opts, err,
				      sizeof(err)) < 0)
			return bad("%s", err);
	}
	o->nr_args = optind - 1;
	o->args = argv + 1;
	*argi = optind;
	return 0;
}

/* ---- boot ------------------------------------------------------------- */

/* Would a machine with @ram bytes and @nodes NUMA nodes boot? */
static bool machine_fits(const struct run_options *o, uint64_t ram, int nodes)
{
	struct kernel_config c = o->cfg;
	struct kernel *k = malloc(sizeof(*k));
	bool ok;

	if (!k)
		return false;
	c.ram = ram;
	c.numa_nodes = nodes;
	c.boot_log = false;
	c.kmsg = NULL;
	c.stop = NULL;
	ok = kernel_boot(k, &c) == 0;
	if (ok)
		kernel_shutdown(k);
	free(k);
	return ok;
}

/*
 * The machine did not boot with --numa N: when it boots with one node,
 * RAM is too small to cut in N.  Say by how much, by trying (the rules of
 * node boundaries belong to mm_init.c, not to a copy here).  Returns true
 * when it printed the explanation.
 */
static bool explain_numa(const struct run_options *o)
{
	uint64_t mib = 1ull << 20, ram = o->cfg.ram, need = 0;
	int nodes = o->cfg.numa_nodes, fit = 1;

	if (nodes < 2 || !machine_fits(o, ram, 1))
		return false;
	for (uint64_t r = (ram + mib - 1) / mib * mib; r <= 64 * mib;
	     r += mib) {
		if (machine_fits(o, r, nodes)) {
			need = r;
			break;
		}
	}
	for (int n = nodes - 1; n > 1; n--) {
		if (machine_fits(o, ram, n)) {
			fit = n;
			break;
		}
	}
	if (!need)
		return false;
	fprintf(stderr, "mmulab: --ram %lluM is too small for %d NUMA nodes: "
		"each node needs at least %llu MiB; use --ram %lluM or "
		"--numa %d\n",
		(unsigned long long)(ram / mib), nodes,
		(unsigned long long)(need / mib / (uint64_t)nodes),
		(unsigned long long)(need / mib), fit);
	return true;
}

static void on_stop_signal(int sig)
{
	if (stop_signal) {
		/* Asked twice: the run is not stopping, die as asked. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_signal = sig;
}

static void install_signals(struct run_options *o)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a host read of the terminal returns EINTR. */
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &sa, NULL);
	/* A closed stdout gives the guest EPIPE (and SIGPIPE), not us. */
	signal(SIGPIPE, SIG_IGN);
	o->signals_installed = true;
}

/*
 * While the MMU carries a tracer of its own, its events reach the sink
 * through this, which stamps them with the running task as the kernel's
 * tracer does.
 */
static void trace_mmu_fn(void *arg, const struct trace_event *ev)
{
	const struct run_options *o = arg;
	struct trace_event e = *ev;

	e.pid = ktrace(o->trace_mmu.k)->pid;
	o->trace_mmu.fn(o->trace_mmu.arg, &e);
}

/* --trace: the sink on the machine's tracer (and the MMU's). */
static int attach_trace(struct run_options *o, struct kernel *k)
{
	struct tracer *tr = ktrace(k);

	if (!tr->clock)
		tr->clock = &k->cpu.instret;
	o->trace_mmu.k = k;
	o->trace_mmu.fn = o->trace.fn;
	o->trace_mmu.arg = &o->trace.sink;
	if (trace_add_sink(tr, o->trace.mask, o->trace.fn, &o->trace.sink) < 0)
		return -1;
	if (&k->mmu.trace != tr &&
	    trace_add_sink(&k->mmu.trace, o->trace.mask, trace_mmu_fn, o) < 0)
		return -1;
	/* Every TLB hit is an event only when no hit bypasses the model:
	 * the fast mirrors go (the counters stay the same, mmu.h). */
	if (o->trace.mask & TRACE_BIT(EV_TLB_HIT))
		mmu_set_fast(&k->mmu, false);
	return 0;
}

int run_options_boot(struct run_options *o, struct kernel *k)
{
	int r;

	o->cfg.envp = o->env ? o->env : (char *[]){ NULL };
	r = kernel_boot(k, &o->cfg);
	if (r == -EINVAL && explain_numa(o))
		return 2;
	if (r < 0) {
		fprintf(stderr, "mmulab: cannot boot a machine of --ram %lluK "
				"and --numa %d: %s\n",
			(unsigned long long)(o->cfg.ram >> 10),
			o->cfg.numa_nodes, strerror(-r));
		return 1;
	}
	/* --on-exit and --dump-proc: subscribers of the exit event. */
	if ((o->exit_views || o->nr_dump_proc) &&
	    !(o->views = exit_views_attach(k, o->exit_views, o->dump_proc,
					   o->nr_dump_proc))) {
		fprintf(stderr, "mmulab: out of memory\n");
		goto fail_shutdown;
	}
	for (int i = 0; i < o->nr_swap; i++) {
		char err[256];

		if (swap_setup(k, o->swap[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "mmulab: --swap: %s\n", err);
			goto fail_shutdown;
		}
	}
	for (int i = 0; i < o->nr_sysctl; i++) {
		if (vm_sysctl_set(k, o->sysctl[i].name, o->sysctl[i].value) <
		    0) {
			fprintf(stderr, "mmulab: --sysctl: bad value in '%s'\n",
				o->sysctl[i].arg);
			goto fail_shutdown;
		}
	}
	if (o->stats_file) {
		o->stats_fp = fopen(o->stats_file, "w");
		if (!o->stats_fp) {
			fprintf(stderr, "mmulab: --stats-file: cannot create "
					"%s: %s\n", o->stats_file,
				strerror(errno));
			goto fail_shutdown;
		}
	}
	if (o->trace.mask && attach_trace(o, k) < 0) {
		fprintf(stderr, "mmulab: --trace: no free trace sink\n");
		goto fail_shutdown;
	}
	r = meter_open(&o->meter, k, o->csv, o->sample,
		       !o->no_progress && !strcmp(o->cmd, "run"));
	if (r < 0) {
		fprintf(stderr, "mmulab: --csv: cannot create %s: %s\n",
			o->csv, strerror(-r));
		goto fail_shutdown;
	}
	if (o->record_refs) {
		char err[256];

		o->refrec = refrec_attach(k, o->record_refs, err, sizeof(err));
		if (!o->refrec) {
			fprintf(stderr, "mmulab: --record-refs: %s\n", err);
			goto fail_shutdown;
		}
	}
	/* Last: a failure above leaves no picture file half made. */
	const char *badpath = NULL;
	r = pictures_open(k, &o->pics, &badpath);
	if (r < 0) {
		fprintf(stderr, "mmulab: cannot write '%s': %s\n", badpath,
			strerror(-r));
		goto fail_shutdown;
	}
	stop_signal = 0;
	install_signals(o);
	k->cfg.stop = (volatile int *)&stop_signal;
	return 0;

fail_shutdown:
	run_options_shutdown(o, k);
	return 2;
}

/* --record-refs: the file is complete (0), or 1 after one line. */
static int stop_recording(struct run_options *o, struct kernel *k)
{
	char err[256];
	struct refrec *rr = o->refrec;

	o->refrec = NULL;
	if (rr && refrec_detach(k, rr, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmulab: --record-refs: %s: %s\n",
			o->record_refs, err);
		return 1;
	}
	return 0;
}

void run_options_shutdown(struct run_options *o, struct kernel *k)
{
	(void)meter_close(&o->meter, NULL);
	(void)stop_recording(o, k);
	kernel_shutdown(k); /* may still end tasks: the views watch */
	exit_views_detach(k, o->views);
	o->views = NULL;
}

/*
 * Is /proc/@name a file procfs can show?  Asked of procfs itself, with
 * pid 1 standing for any PID (a child may not exist yet).
 */
static bool dump_proc_name_ok(struct kernel *k, const char *name)
{
	char path[256];
	struct seq s = { 0 };
	const char *rest = name;
	int r;

	while (*rest >= '0' && *rest <= '9')
		rest++;
	if (rest != name && (*rest == '/' || !*rest))
		snprintf(path, sizeof(path), "/proc/self%s", rest);
	else
		snprintf(path, sizeof(path), "/proc/%s", name);
	r = procfs_read(k, path, &s);
	seq_free(&s);
	return r >= 0;
}

int run_options_spawn(struct run_options *o, struct kernel *k, int argc,
		      char **argv)
{
	char err[256];

	if (argc < 1) {
		bad("%s: no program given", o->cmd ? o->cmd : "run");
		return 2;
	}
	if (kernel_spawn_init(k, argv[0], argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmulab: %s: %s\n", argv[0], err);
		return 2;
	}
	o->prog = argv[0];
	o->prog_argc = argc;
	o->prog_argv = argv;
	for (int i = 0; i < o->nr_dump_proc; i++) {
		if (!dump_proc_name_ok(k, o->dump_proc[i])) {
			fprintf(stderr, "mmulab: --dump-proc: no such file "
					"/proc/%s\n", o->dump_proc[i]);
			/* Nothing to dump when kernel_shutdown ends pid 1. */
			exit_views_detach(k, o->views);
			o->views = NULL;
			return 2;
		}
	}
	return 0;
}

int run_options_run(struct run_options *o, struct kernel *k)
{
	if (meter_active(&o->meter))
		return meter_run(&o->meter, k, &o->pics);
	return pictures_run(k, &o->pics);
}

int run_options_stopped(void)
{
	return stop_signal;
}

void run_options_resume(void)
{
	stop_signal = 0;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGQUIT: return "SIGQUIT";
	}
	return "a signal";
}

/* Write every file's dirty pages, mapped MAP_SHARED ones included. */
static void write_back_all(struct kernel *k)
{
	struct inode *inode;

	list_for_each_entry(inode, &k->inodes, list)
		filemap_write_and_wait(k, inode);
}

int run_options_finish(struct run_options *o, struct kernel *k, int status)
{
	struct stats_run run = {
		.options = o->args,
		.nr_options = o->nr_args,
		.program = o->prog,
		.argv = o->prog_argv,
		.argc = o->prog_argc,
	};
	int sig = stop_signal;

	fflush(stdout);
	int mr = meter_close(&o->meter, k);
	if (mr < 0)
		fprintf(stderr, "mmulab: --csv: cannot write %s: %s\n", o->csv,
			strerror(-mr));
	int pr = pictures_finish(k, &o->pics);
	if (pr < 0)
		fprintf(stderr, "mmulab: writing the pictures: %s\n",
			strerror(-pr));
	if (sig) {
		write_back_all(k);
		if (klog_console_midline(k->log))
			fputc('\n', stderr);
		fprintf(stderr, "mmulab: interrupted by %s; file data written "
				"back\n", signal_name(sig));
		status = 128 + sig;
	} else if (k->insn_limit_hit) {
		/* As timeout(1): the run was cut short, status 124. */
		write_back_all(k);
		if (klog_console_midline(k->log))
			fputc('\n', stderr);
		fprintf(stderr, "mmulab: --max-insns %llu reached; the guest "
				"was stopped, file data written back\n",
			(unsigned long long)k->cfg.max_insns);
		status = 124;
	}
	if (stop_recording(o, k) && !status)
		status = 1;
	run.exit_status = status;
	run.stop_signal = sig;
	if (o->stats) {
		if (klog_console_midline(k->log))
			fputc('\n', stderr);
		print_stats_mode(k, stderr, o->json, o->stats_all, &run);
		fflush(stderr);
	}
	if (o->stats_fp) {
		FILE *f = o->stats_fp;

		o->stats_fp = NULL;
		print_stats_run(k, f, true, &run);
		if (fclose(f) != 0) {
			fprintf(stderr, "mmulab: --stats-file: cannot write "
					"%s: %s\n", o->stats_file,
				strerror(errno));
			return 1;
		}
	}
	return status;
}

void run_options_free(struct run_options *o)
{
	if (o->signals_installed) {
		for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
			signal(stop_signals[i], SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
	}
	if (o->stats_fp)
		fclose(o->stats_fp);
	o->stats_fp = NULL;
	trace_output_close(&o->trace);
	free(o->env);
	o->env = NULL;
	o->nr_env = 0;
	free(o->root_copy);
	o->root_copy = NULL;
}
