/*
 * mmulab command line: option parsing and the subcommands; nothing else.
 *
 *   mmulab run [OPTIONS] PROG.elf [ARGS...]
 *
 * Usage errors exit 2 with one line on stderr naming the bad option.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "kernel/lib/string.h"
#include "kernel/mm/mm.h"
#include "views/stats.h"
#include "kernel/kernel/sysctl.h"
#include "views/views.h"
#include "gdb/gdbstub.h"
#include "views/pictures.h"
#include "views/watch.h"

extern char **environ;

static const char usage_text[] =
	"Usage: mmulab run [OPTIONS] PROG.elf [ARGS...]\n"
	"       mmulab --help | --version\n"
	"\n"
	"Run a static RV32IMAC Linux ELF program on an emulated MMU under a\n"
	"Linux-like guest kernel.  The exit status is the program's, or\n"
	"128+N when signal N killed it.\n"
	"\n"
	"Options:\n"
	"  --ram SIZE          guest RAM (K/M/G suffixes; 4M..16G; default 128M)\n"
	"  --paging MODE       page-table geometry: pae (default) or sv32\n"
	"  --tlb N[:WAYS]      I and D TLB entries and associativity (64:4)\n"
	"  --tlb-policy P      TLB replacement: lru (default) or plru\n"
	"  --asid              tag TLB entries with ASIDs instead of flushing\n"
	"  --numa NODES        split RAM into NODES NUMA nodes (1..8)\n"
	"  --root DIR          sandbox directory the guest sees as / (default .)\n"
	"  --quantum N         instructions per time slice (default 100000)\n"
	"  --seed N            seed of getrandom and AT_RANDOM (default 1)\n"
	"  --sysctl NAME=VAL   set vm.NAME as /proc/sys/vm/NAME would\n"
	"                      (overcommit_memory, min_free_kbytes, ...)\n"
	"  --env NAME=VALUE    set a variable in the guest's environment\n"
	"  --unset NAME        remove a variable from the guest's environment\n"
	"  --boot-log          print the kernel's boot messages on stderr\n"
	"  --dump-proc FILE    when the program exits, before its memory is\n"
	"                      freed, print /proc/FILE on stderr (meminfo,\n"
	"                      vmstat, buddyinfo, zoneinfo, slabinfo, self/maps)\n"
	"  --on-exit VIEWS     as each process exits, print VIEWS on stderr:\n"
	"                      a comma list of ps, pmap, maps, smaps, status\n"
	"  --stats             print every counter on stderr at exit\n"
	"  --json              with --stats: one JSON object\n"
	"  --pgtable-dot FILE  draw the page tables of a process as it exits\n"
	"                      (Graphviz DOT; --pgtable-pid PID, default 1)\n"
	"  --physmap-svg FILE  draw every physical frame as pid 1 exits (SVG)\n"
	"  --report FILE.html  one self-contained HTML page about the run\n"
	"  --gdb PORT          wait for gdb-multiarch on 127.0.0.1:PORT (0: any\n"
	"                      free port, printed on stderr)\n"
	"  --gdb-detach WHAT   when gdb leaves: run (the guest runs on, default)\n"
	"                      or kill\n"
	"  --gdb-reverse N     let gdb run backwards: a checkpoint every N\n"
	"                      instructions (reverse-stepi, reverse-continue)\n";

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "mmulab: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try 'mmulab --help')\n");
	exit(2);
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

struct env_list {
	char **v;
	size_t n;
};

static void env_set(struct env_list *e, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (size_t i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], kv, klen) && e->v[i][klen] == '=') {
			e->v[i] = (char *)kv;
			return;
		}
	}
	e->v = realloc(e->v, (e->n + 2) * sizeof(char *));
	if (!e->v) {
		perror("mmulab");
		exit(1);
	}
	e->v[e->n++] = (char *)kv;
	e->v[e->n] = NULL;
}

static void env_unset(struct env_list *e, const char *name)
{
	size_t klen = strlen(name);

	for (size_t i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], name, klen) && e->v[i][klen] == '=') {
			memmove(&e->v[i], &e->v[i + 1],
				(e->n - i) * sizeof(char *));
			e->n--;
			i--;
		}
	}
}

enum {
	OPT_RAM = 256, OPT_PAGING, OPT_TLB, OPT_TLB_POLICY, OPT_ASID,
	OPT_NUMA, OPT_ROOT, OPT_QUANTUM, OPT_SEED, OPT_SYSCTL, OPT_ENV,
	OPT_UNSET, OPT_BOOT_LOG, OPT_DUMP_PROC, OPT_STATS, OPT_JSON,
	OPT_ON_EXIT, OPT_SWAP, OPT_POLICY, OPT_TRACE, OPT_TRACE_FILE, OPT_GDB,
	OPT_PGTABLE_DOT, OPT_PGTABLE_PID, OPT_PHYSMAP_SVG, OPT_REPORT,
	OPT_GDB_DETACH, OPT_GDB_REVERSE,
};

static const struct option run_options[] = {
	{"ram", required_argument, NULL, OPT_RAM},
	{"paging", required_argument, NULL, OPT_PAGING},
	{"tlb", required_argument, NULL, OPT_TLB},
	{"tlb-policy", required_argument, NULL, OPT_TLB_POLICY},
	{"asid", no_argument, NULL, OPT_ASID},
	{"numa", required_argument, NULL, OPT_NUMA},
	{"root", required_argument, NULL, OPT_ROOT},
	{"quantum", required_argument, NULL, OPT_QUANTUM},
	{"seed", required_argument, NULL, OPT_SEED},
	{"sysctl", required_argument, NULL, OPT_SYSCTL},
	{"env", required_argument, NULL, OPT_ENV},
	{"unset", required_argument, NULL, OPT_UNSET},
	{"boot-log", no_argument, NULL, OPT_BOOT_LOG},
	{"dump-proc", required_argument, NULL, OPT_DUMP_PROC},
	{"on-exit", required_argument, NULL, OPT_ON_EXIT},
	{"stats", no_argument, NULL, OPT_STATS},
	{"json", no_argument, NULL, OPT_JSON},
	{"swap", required_argument, NULL, OPT_SWAP},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"trace", required_argument, NULL, OPT_TRACE},
	{"trace-file", required_argument, NULL, OPT_TRACE_FILE},
	{"gdb", required_argument, NULL, OPT_GDB},
	{"pgtable-dot", required_argument, NULL, OPT_PGTABLE_DOT},
	{"pgtable-pid", required_argument, NULL, OPT_PGTABLE_PID},
	{"physmap-svg", required_argument, NULL, OPT_PHYSMAP_SVG},
	{"report", required_argument, NULL, OPT_REPORT},
	{"gdb-detach", required_argument, NULL, OPT_GDB_DETACH},
	{"gdb-reverse", required_argument, NULL, OPT_GDB_REVERSE},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct sysctl_set {
	const char *arg;
	char *name;
	const char *value;
};

static int cmd_run(int argc, char **argv)
{
	struct kernel_config cfg;
	struct env_list env = {0};
	const char *dump[16];
	int ndump = 0;
	struct sysctl_set sysctls[16];
	int nsysctl = 0;
	bool stats = false, json = false;
	unsigned exit_views = 0;
	struct pictures pics = {0};
	int gdb_port = -1;
	enum gdb_detach gdb_detach = GDB_DETACH_RUN;
	uint64_t gdb_reverse = 0;
	int opt;

	kernel_default_config(&cfg);
	for (char **e = environ; e && *e; e++)
		env_set(&env, *e);

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:h", run_options, NULL)) != -1) {
		const char *arg = optarg;
		uint64_t v;
		switch (opt) {
		case OPT_RAM:
			if (parse_size(arg, &v) < 0 || v < PHYS_RAM_MIN ||
			    v > PHYS_RAM_MAX)
				usage_error("--ram: bad size '%s' (4M..16G)",
					    arg);
			cfg.ram = v;
			break;
		case OPT_PAGING:
			if (!strcmp(arg, "pae"))
				cfg.mmu.paging = PAGING_PAE;
			else if (!strcmp(arg, "sv32"))
				cfg.mmu.paging = PAGING_SV32;
			else
				usage_error("--paging: unknown mode '%s' "
					    "(pae or sv32)",
					    arg);
			break;
		case OPT_TLB: {
			char buf[64];
			uint64_t n, w;
			snprintf(buf, sizeof(buf), "%s", arg);
			char *colon = strchr(buf, ':');
			if (colon)
				*colon = '\0';
			if (!parse_u64(buf, &n) || !power_of_two(n) ||
			    n > 4096)
				usage_error("--tlb: bad entry count in '%s' "
					    "(a power of two, 1..4096)",
					    arg);
			w = n < 4 ? n : 4;
			if (colon && (!parse_u64(colon + 1, &w) ||
				      !power_of_two(w) || w > n))
				usage_error("--tlb: bad ways in '%s' (a power "
					    "of two dividing the entries)",
					    arg);
			cfg.mmu.itlb_entries = cfg.mmu.dtlb_entries =
				(unsigned)n;
			cfg.mmu.itlb_ways = cfg.mmu.dtlb_ways = (unsigned)w;
			break;
		}
		case OPT_TLB_POLICY:
			if (!strcmp(arg, "lru"))
				cfg.mmu.policy = TLB_LRU;
			else if (!strcmp(arg, "plru"))
				cfg.mmu.policy = TLB_PLRU;
			else
				usage_error("--tlb-policy: unknown policy '%s' "
					    "(lru or plru)",
					    arg);
			break;
		case OPT_ASID:
			cfg.mmu.asid = true;
			break;
		case OPT_NUMA:
			if (!parse_u64(arg, &v) || v < 1 || v > 8)
				usage_error("--numa: bad node count '%s' "
					    "(1..8)",
					    arg);
			cfg.numa_nodes = (int)v;
			break;
		case OPT_ROOT: {
			struct stat st;
			if (stat(arg, &st) < 0 || !S_ISDIR(st.st_mode))
				usage_error("--root: '%s' is not a directory",
					    arg);
			cfg.root = arg;
			break;
		}
		case OPT_QUANTUM:
			if (!parse_u64(arg, &v) || !v)
				usage_error("--quantum: bad instruction count "
					    "'%s'",
					    arg);
			cfg.quantum = v;
			break;
		case OPT_SEED:
			if (!parse_u64(arg, &v))
				usage_error("--seed: bad number '%s'", arg);
			cfg.seed = v;
			break;
		case OPT_SYSCTL: {
			const char *eq = strchr(arg, '=');
			char name[64];
			const char *n = !strncmp(arg, "vm.", 3) ? arg + 3 : arg;
			if (!eq || eq == n || (size_t)(eq - n) >= sizeof(name) ||
			    nsysctl == (int)ARRAY_SIZE(sysctls))
				usage_error("--sysctl: expected NAME=VALUE, "
					    "got '%s'",
					    arg);
			memcpy(name, n, (size_t)(eq - n));
			name[eq - n] = '\0';
			if (!vm_sysctl_exists(name))
				usage_error("--sysctl: unknown setting '%s' "
					    "(see /proc/sys/vm)",
					    arg);
			sysctls[nsysctl].arg = arg;
			sysctls[nsysctl].name = strdup(name);
			sysctls[nsysctl++].value = eq + 1;
			if (!strcmp(name, "min_free_kbytes"))
				cfg.min_free_kbytes = atol(eq + 1);
			break;
		}
		case OPT_ENV:
			if (!strchr(arg, '=') || arg[0] == '=')
				usage_error("--env: expected NAME=VALUE, got "
					    "'%s'",
					    arg);
			env_set(&env, arg);
			break;
		case OPT_UNSET:
			env_unset(&env, arg);
			break;
		case OPT_BOOT_LOG:
			cfg.boot_log = true;
			break;
		case OPT_DUMP_PROC:
			if (ndump == (int)ARRAY_SIZE(dump))
				usage_error("--dump-proc: too many files (%s)",
					    arg);
			dump[ndump++] = arg;
			break;
		case OPT_ON_EXIT: {
			static const struct {
				const char *name;
				unsigned bit;
			} views[] = {
				{"ps", EXIT_VIEW_PS},	  {"pmap", EXIT_VIEW_PMAP},
				{"maps", EXIT_VIEW_MAPS}, {"smaps", EXIT_VIEW_SMAPS},
				{"status", EXIT_VIEW_STATUS},
			};
			char buf[128];
			strscpy(buf, arg, sizeof(buf));
			for (char *tok = strtok(buf, ","); tok;
			     tok = strtok(NULL, ",")) {
				bool found = false;
				for (size_t i = 0; i < ARRAY_SIZE(views); i++)
					if (!strcmp(tok, views[i].name)) {
						exit_views |= views[i].bit;
						found = true;
					}
				if (!found)
					usage_error("--on-exit: unknown view "
						    "'%s' (ps, pmap, maps, "
						    "smaps, status)",
						    tok);
			}
			break;
		}
		case OPT_STATS:
			stats = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_PGTABLE_DOT:
			pics.pgtable_path = arg;
			break;
		case OPT_PGTABLE_PID:
			if (!parse_u64(arg, &v) || !v || v > INT32_MAX)
				usage_error("--pgtable-pid: bad pid '%s'", arg);
			pics.pgtable_pid = (int)v;
			break;
		case OPT_PHYSMAP_SVG:
			pics.physmap_path = arg;
			break;
		case OPT_REPORT:
			pics.report_path = arg;
			break;
		case OPT_GDB:
			if (!parse_u64(arg, &v) || v > 65535)
				usage_error("--gdb: bad port '%s' (0..65535)",
					    arg);
			gdb_port = (int)v;
			break;
		case OPT_GDB_REVERSE:
			if (!parse_u64(arg, &v) || !v)
				usage_error("--gdb-reverse: bad instruction "
					    "count '%s'",
					    arg);
			gdb_reverse = v;
			break;
		case OPT_GDB_DETACH:
			if (!strcmp(arg, "run"))
				gdb_detach = GDB_DETACH_RUN;
			else if (!strcmp(arg, "kill"))
				gdb_detach = GDB_DETACH_KILL;
			else
				usage_error("--gdb-detach: '%s' (run or kill)",
					    arg);
			break;
		case OPT_SWAP:
		case OPT_POLICY:
		case OPT_TRACE:
		case OPT_TRACE_FILE:
			usage_error("%s: not available in this version of "
				    "mmulab",
				    argv[optind - 1]);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			usage_error("option '%s' needs an argument",
				    argv[optind - 1]);
			break;
		case '?':
			usage_error("unknown option '%s'", argv[optind - 1]);
			break;
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		usage_error("run: no program given%s", "");
	if (json && !stats)
		usage_error("--json needs --stats%s", "");

	const char *prog = argv[optind];
	char err[256];
	struct kernel *k = malloc(sizeof(*k));
	if (!k) {
		fprintf(stderr, "mmulab: out of memory\n");
		return 1;
	}
	cfg.envp = env.v ? env.v : (char *[]){NULL};
	int r = kernel_boot(k, &cfg);
	if (r < 0) {
		fprintf(stderr, "mmulab: cannot boot the machine: %s\n",
			strerror(-r));
		free(k);
		free(env.v);
		return 1;
	}
	const char *bad = NULL;
	r = pictures_open(k, &pics, &bad);
	if (r < 0) {
		fprintf(stderr, "mmulab: cannot write '%s': %s\n", bad,
			strerror(-r));
		kernel_shutdown(k);
		free(k);
		free(env.v);
		return 2;
	}
	for (int i = 0; i < nsysctl; i++) {
		int e = vm_sysctl_set(k, sysctls[i].name, sysctls[i].value);
		free(sysctls[i].name);
		if (e < 0) {
			fprintf(stderr, "mmulab: --sysctl: bad value in '%s'\n",
				sysctls[i].arg);
			for (int j = i + 1; j < nsysctl; j++)
				free(sysctls[j].name);
			kernel_shutdown(k);
			free(k);
			free(env.v);
			return 2;
		}
	}
	struct exit_views *views = NULL;
	if ((exit_views || ndump) &&
	    !(views = exit_views_attach(k, exit_views, dump, ndump))) {
		fprintf(stderr, "mmulab: out of memory\n");
		kernel_shutdown(k);
		free(k);
		free(env.v);
		return 1;
	}
	/* MMULAB_WATCH, MMULAB_STEP: for tests only (views/watch.h). */
	const char *watch_file = getenv("MMULAB_WATCH");
	struct watch *watch = watch_file ? watch_attach(k) : NULL;
	if (kernel_spawn_init(k, prog, argv + optind, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmulab: %s: %s\n", prog, err);
		if (watch)
			(void)watch_detach(k, watch, NULL);
		kernel_shutdown(k);
		exit_views_detach(k, views);
		free(k);
		free(env.v);
		return 2;
	}
	const char *step = getenv("MMULAB_STEP");
	int status = gdb_port >= 0 ? gdbstub_serve(k, gdb_port, gdb_detach,
						   gdb_reverse)
		     : step ? watch_run_stepped(k, strtoull(step, NULL, 0) ?: 1)
			    : pictures_run(k, &pics);
	if (status < 0) {
		fprintf(stderr, "mmulab: --gdb: cannot listen on port %d: %s\n",
			gdb_port, strerror(-status));
		status = 1;
	}
	if (watch && watch_detach(k, watch, watch_file) < 0)
		fprintf(stderr, "mmulab: cannot write %s\n", watch_file);
	fflush(stdout);
	r = pictures_finish(k, &pics);
	if (r < 0)
		fprintf(stderr, "mmulab: writing the pictures: %s\n",
			strerror(-r));
	if (stats)
		print_stats(k, stderr, json);
	kernel_shutdown(k); /* may still end tasks: views watch */
	exit_views_detach(k, views);
	free(k);
	free(env.v);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "mmulab: no command given (try 'mmulab --help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mmulab %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "mmulab: unknown command '%s' (try 'mmulab --help')\n",
		argv[1]);
	return 2;
}
