/*
 * Unit tests for the shared option parser (src/options.c): what the run,
 * repl and script subcommands get, and the errors they report.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "options.h"
#include "views/views.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })

static int parse(struct run_options *o, char **argv, int *argi)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	run_options_init(o, "run");
	return parse_run_options(argc, argv, o, argi);
}

Test(options, values_reach_the_config)
{
	struct run_options o;
	int argi;
	char **v = ARGV("run", "--ram", "64M", "--paging", "sv32", "--tlb",
			"16:2", "--asid", "--numa", "2", "--quantum", "500",
			"--seed", "9", "--stats", "--json", "--stats-file",
			"s.json", "--on-exit", "ps,maps", "--dump-proc",
			"meminfo", "prog.elf", "--ram", "1G");

	cr_assert_eq(parse(&o, v, &argi), 0);
	cr_expect_eq(argi, 22, "the program is the first operand");
	cr_expect_str_eq(v[argi], "prog.elf");
	cr_expect_eq(o.cfg.ram, 64ull << 20, "options after it are its own");
	cr_expect_eq(o.cfg.mmu.paging, PAGING_SV32);
	cr_expect_eq(o.cfg.mmu.dtlb_entries, 16);
	cr_expect_eq(o.cfg.mmu.dtlb_ways, 2);
	cr_expect(o.cfg.mmu.asid);
	cr_expect_eq(o.cfg.numa_nodes, 2);
	cr_expect_eq(o.cfg.quantum, 500);
	cr_expect_eq(o.cfg.seed, 9);
	cr_expect(o.stats && o.json);
	cr_expect_str_eq(o.stats_file, "s.json");
	cr_expect_eq(o.exit_views, EXIT_VIEW_PS | EXIT_VIEW_MAPS);
	cr_expect_eq(o.nr_dump_proc, 1);
	cr_expect_eq(o.nr_args, 21, "argv[1..21] were options");
	run_options_free(&o);
}

Test(options, no_program_is_not_an_error_here)
{
	struct run_options o;
	int argi;

	cr_assert_eq(parse(&o, ARGV("repl", "--asid"), &argi), 0);
	cr_expect_eq(argi, 2);
	run_options_free(&o);
}

Test(options, env_set_and_unset)
{
	struct run_options o;
	int argi;

	cr_assert_eq(parse(&o, ARGV("run", "--env", "MMULAB_T1=a", "--env",
				    "MMULAB_T1=b", "--env", "MMULAB_T2=c",
				    "--unset", "MMULAB_T2", "p"),
			   &argi),
		     0);
	int t1 = 0, t2 = 0;
	for (size_t i = 0; i < o.nr_env; i++) {
		t1 += !strcmp(o.env[i], "MMULAB_T1=b");
		t2 += !strncmp(o.env[i], "MMULAB_T2=", 10);
	}
	cr_expect_eq(t1, 1, "the last --env wins, once");
	cr_expect_eq(t2, 0, "--unset removes it");
	cr_expect_null(o.env[o.nr_env]);
	run_options_free(&o);
}

Test(options, help, .init = cr_redirect_stdout)
{
	struct run_options o;
	int argi;

	cr_expect_eq(parse(&o, ARGV("run", "--help", "p"), &argi),
		     RUN_OPTIONS_HELP);
	run_options_free(&o);
}

struct bad_case {
	char **argv;
	const char *msg;
};

Test(options, errors_name_their_option, .init = cr_redirect_stderr)
{
	const struct bad_case cases[] = {
		{ ARGV("run", "--gdb", "65536", "p"),
		  "mmulab: --gdb: bad port '65536'" },
		{ ARGV("run", "--gdb-detach", "maybe", "p"),
		  "mmulab: --gdb-detach: 'maybe'" },
		{ ARGV("run", "--gdb-reverse", "0", "p"),
		  "mmulab: --gdb-reverse: bad instruction count '0'" },
		{ ARGV("run", "--pgtable-pid", "0", "p"),
		  "mmulab: --pgtable-pid: bad pid '0'" },
		{ ARGV("run", "--trace", "p"),
		  "mmulab: --trace: unknown event 'p'" },
		{ ARGV("run", "--ram", "3M", "p"), "mmulab: --ram: bad size '3M'" },
		{ ARGV("run", "--tlb", "48", "p"), "mmulab: --tlb: bad entry count" },
		{ ARGV("run", "--numa", "9", "p"), "mmulab: --numa: bad node count" },
		{ ARGV("run", "--sysctl", "vm.nope=1", "p"),
		  "mmulab: --sysctl: unknown setting 'vm.nope=1'" },
		{ ARGV("run", "--on-exit", "ps,top", "p"),
		  "mmulab: --on-exit: unknown view 'top'" },
		{ ARGV("run", "--json", "p"), "mmulab: --json needs --stats" },
		{ ARGV("run", "--frob", "p"), "mmulab: unknown option '--frob'" },
		{ ARGV("run", "--seed"), "mmulab: option '--seed' needs an argument" },
	};
	char buf[4096] = "";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run_options o;
		int argi;
		cr_expect_eq(parse(&o, cases[i].argv, &argi), -1, "%s",
			     cases[i].msg);
		run_options_free(&o);
	}
	fflush(stderr);
	FILE *err = cr_get_redirected_stderr();
	size_t n = fread(buf, 1, sizeof(buf) - 1, err);
	buf[n] = '\0';
	char *line = buf;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *nl = strchr(line, '\n');
		cr_assert_not_null(nl, "one line per error");
		*nl = '\0';
		cr_expect(!strncmp(line, cases[i].msg, strlen(cases[i].msg)),
			  "want '%s', got '%s'", cases[i].msg, line);
		line = nl + 1;
	}
	cr_expect_str_eq(line, "", "nothing else");
}

Test(options, measuring_options)
{
	struct run_options o;
	int argi;

	cr_assert_eq(parse(&o, ARGV("run", "--stats=all", "--sample", "1000",
				    "--csv", "r.csv", "--no-progress", "--cost",
				    "tlb_miss=5,swap_io=7", "p.elf"),
			   &argi), 0);
	cr_expect(o.stats && o.stats_all);
	cr_expect_eq(o.sample, 1000);
	cr_expect_str_eq(o.csv, "r.csv");
	cr_expect(o.no_progress);
	cr_expect(o.cfg.cost.on);
	cr_expect_eq(o.cfg.cost.tlb_miss, 5);
	cr_expect_eq(o.cfg.cost.swap_io, 7);
	cr_expect_eq(o.cfg.cost.walk_access, COST_DEFAULT_WALK_ACCESS,
		     "names not given keep their defaults");
	cr_expect_eq(o.cfg.cost.major_fault, COST_DEFAULT_MAJOR_FAULT);
	run_options_free(&o);

	cr_assert_eq(parse(&o, ARGV("run", "--stats", "p.elf"), &argi), 0);
	cr_expect(o.stats && !o.stats_all, "--stats alone: the summary");
	cr_expect(!o.cfg.cost.on, "no --cost: no model");
	run_options_free(&o);

	cr_assert_eq(parse(&o, ARGV("run", "--cost", "default", "p.elf"), &argi),
		     0);
	cr_expect(o.cfg.cost.on);
	cr_expect_eq(o.cfg.cost.tlb_miss, COST_DEFAULT_TLB_MISS);
	cr_expect_eq(o.cfg.cost.minor_fault, COST_DEFAULT_MINOR_FAULT);
	run_options_free(&o);
}

Test(options, measuring_errors, .init = cr_redirect_stderr)
{
	static const char *const bad[][3] = {
		{ "--stats=every", NULL },
		{ "--sample", "0" },
		{ "--sample", "x" },
		{ "--cost", "tlb_miss" },
		{ "--cost", "tlb_miss=-1" },
		{ "--cost", "walk=3" },
		{ "--cost", "tlb_miss=99999999999" },
	};
	struct run_options o;
	int argi;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *v[] = { "run", (char *)bad[i][0], (char *)bad[i][1],
			      bad[i][1] ? "p.elf" : NULL, NULL };
		if (!bad[i][1])
			v[2] = "p.elf";
		cr_expect_eq(parse(&o, v, &argi), -1, "%s %s", bad[i][0],
			     bad[i][1] ? bad[i][1] : "");
		run_options_free(&o);
	}
	/* --sample and --csv need each other */
	cr_expect_eq(parse(&o, ARGV("run", "--sample", "5", "p.elf"), &argi),
		     -1);
	run_options_free(&o);
	cr_expect_eq(parse(&o, ARGV("run", "--csv", "f", "p.elf"), &argi), -1);
	run_options_free(&o);
}
