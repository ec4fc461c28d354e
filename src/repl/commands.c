/*
 * The one command table: the interpreter dispatches through it, `help`
 * prints it, tab completion reads it, and `mmulab help --man` turns it into
 * the man page's REPL section.  Also the small commands that act on the
 * REPL itself (help, quit, echo, print, expect, set).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/lib/string.h"
#include "repl/cmds.h"

static REPL_CMD(cmd_help);
static REPL_CMD(cmd_quit);
static REPL_CMD(cmd_echo);
static REPL_CMD(cmd_print);
static REPL_CMD(cmd_expect);
static REPL_CMD(cmd_set);

const struct repl_cmd repl_cmds[] = {
	/* the REPL itself */
	{ "help", "[COMMAND]", "list the commands, or explain one",
	  "With no argument lists every command with a one-line summary; "
	  "'help x' explains one command in full.",
	  cmd_help, CMD_COMPLETE_CMD },
	{ "quit", "", "leave the REPL (also Ctrl-D)", NULL, cmd_quit, 0 },
	{ "echo", "TEXT", "print TEXT (for scripts)", NULL, cmd_echo, 0 },
	{ "print", "EXPR", "evaluate an expression and print it",
	  "Expressions are C-like: numbers (0x1f, 42, 0.5), registers ($a0, "
	  "$sp, $pc), symbols (main, buf+8), counters (vmstat.pgfault, "
	  "tlb.d.miss_rate, tlb.i.misses, instructions, cycles, walks, eat, "
	  "exit), memory (*(int*)ADDR, *(char*)ADDR, mem8[ADDR], mem16[], "
	  "mem32[]), physical addresses (pa[VA]: where VA maps now, -1 if "
	  "no page is there), and the operators of C: + - * / % << >> < <= > >= == "
	  "!= & ^ | && || ! ~ and casts like (unsigned char).",
	  cmd_print, CMD_COMPLETE_SYM },
	{ "expect", "EXPR", "assert that EXPR is true (scripts exit 1 if not)",
	  "expect vmstat.pgmajfault > 0, expect exit == 0, expect $a0 == 3, "
	  "expect tlb.d.miss_rate < 0.05, expect *(int*)0x1000 == 7.  A "
	  "failure prints the line and both sides of the comparison "
	  "(\"script.mmu:12: expect failed: vmstat.pgmajfault > 0 (0 > 0)\") "
	  "and makes the script's exit status 1.",
	  cmd_expect, CMD_COMPLETE_SYM },
	{ "set", "NAME [=] EXPR",
	  "set a variable ($name) or a model parameter",
	  "'set $n = vmstat.pgfault' keeps a value for later expressions "
	  "($n).  'set eat.ma 100' and 'set eat.fault 8000000' set the memory "
	  "access and page-fault times (ns) of the effective access time "
	  "that 'stats' shows.",
	  cmd_set, 0 },

	/* running */
	{ "load", "[OPTIONS] PROG [ARGS...]",
	  "boot a fresh machine with PROG as pid 1",
	  "Boots a new machine with the options the REPL was started with "
	  "and creates pid 1 from the static RISC-V ELF PROG.  It stops "
	  "before the first instruction.  OPTIONS are mmulab run's machine "
	  "options ('load --ram 8M --swap sw.img:32M prog.elf'): they are "
	  "added to the REPL's own and replace those of an earlier load, "
	  "for this load and the later ones.",
	  cmd_load, CMD_COMPLETE_FILE },
	{ "run", "", "run the program from the start",
	  "Runs the loaded program; after it has exited, 'run' boots a "
	  "fresh machine and starts it again.",
	  cmd_run, 0 },
	{ "continue", "[N]", "resume the program (N times)",
	  "Runs until a breakpoint, watchpoint or catchpoint, the end of the "
	  "program, or Ctrl-C.",
	  cmd_continue, CMD_KERNEL },
	{ "stepi", "[N]", "execute N instructions, showing what each did",
	  "Prints each instruction and under it what happened in the MMU and "
	  "the kernel: TLB lookups and misses, page walks, a page fault as "
	  "the hardware saw it (the level where the walk stopped) and how the "
	  "kernel resolved it.  Nothing is hidden and nothing changes: the "
	  "same counters as a plain run.",
	  cmd_stepi, CMD_KERNEL },
	{ "nexti", "[N]", "like stepi, with a call as one instruction", NULL,
	  cmd_nexti, CMD_KERNEL },
	{ "step", "[N]", "run to the next source line (into calls)",
	  "By source line when the program has DWARF line information (built "
	  "with -g), by instruction otherwise.  Functions without line "
	  "information (the C library) are run through.",
	  cmd_step, CMD_KERNEL },
	{ "next", "[N]", "run to the next source line, over calls", NULL,
	  cmd_next, CMD_KERNEL },
	{ "finish", "", "run until the current function returns", NULL,
	  cmd_finish, CMD_KERNEL },
	{ "until", "[LOCATION]", "run to LOCATION, or past the end of a loop",
	  "Without a location, like next but never stops in an earlier "
	  "place of the same function: it leaves a loop.",
	  cmd_until, CMD_KERNEL | CMD_COMPLETE_SYM },
	{ "break", "LOCATION", "stop when the program reaches LOCATION",
	  "LOCATION is a symbol (main), symbol+offset (main+8), *ADDRESS, "
	  "FILE:LINE (hello.c:12) or an expression.  Breakpoints are checked "
	  "between instructions: no ebreak is written into guest memory, so "
	  "nothing the program sees changes.",
	  cmd_break, CMD_COMPLETE_SYM },
	{ "tbreak", "LOCATION", "a breakpoint deleted when first hit", NULL,
	  cmd_tbreak, CMD_COMPLETE_SYM },
	{ "watch", "VA [PID]", "stop when the word at VA changes",
	  "Checked after every instruction by reading the word without side "
	  "effects; also stops when its page comes or goes.",
	  cmd_watch, CMD_KERNEL | CMD_COMPLETE_SYM },
	{ "catch", "fault|cow|swap|oom|syscall [NAME]|signal|exec|fork",
	  "stop at a kernel event",
	  "fault stops before the kernel handles a page fault; syscall "
	  "[NAME] at a system call's entry; fork and exec at clone and "
	  "execve; cow, swap, oom and signal when the kernel emits their "
	  "events (see docs/events.md).",
	  cmd_catch, 0 },
	{ "delete", "[N...]", "delete breakpoints (all without N)", NULL,
	  cmd_delete, 0 },
	{ "info", "break|regs|line [LOCATION]",
	  "list the breakpoints, registers or a line", NULL, cmd_info, 0 },
	{ "gdb", "PORT", "let gdb-multiarch debug the program, then go on",
	  "Listens on 127.0.0.1:PORT (0 picks a free port, printed on "
	  "stderr) and serves the program where it stands to one "
	  "gdb-multiarch session (set architecture riscv:rv32; target "
	  "remote :PORT), the stub of 'mmulab run --gdb'.  When gdb "
	  "detaches or goes away the REPL takes the machine back where gdb "
	  "left it (with --gdb-detach kill it is killed); gdb's kill ends "
	  "the program.  No reverse execution here (mmulab run "
	  "--gdb-reverse).",
	  cmd_gdb, CMD_KERNEL },
	{ "list", "[LOCATION]", "show source lines around LOCATION",
	  "list main, list hello.c:20; with no argument around the pc, then "
	  "the next ten lines.",
	  cmd_list, CMD_COMPLETE_SYM },

	/* looking at the machine */
	{ "regs", "[PID]", "the registers of the current (or PID's) process",
	  NULL, cmd_regs, CMD_KERNEL | CMD_COMPLETE_PID },
	{ "x", "/FMT VA", "examine virtual memory, without side effects",
	  "x/NFU VA: N units of size U (b h w g = 1 2 4 8 bytes) in format F "
	  "(x hex, d decimal, u unsigned, o octal, t binary, c char, s "
	  "string, i instructions).  x/4xw $sp, x/s buf, x/8i main.  "
	  "Reading sets no accessed bit, fills no TLB entry and counts no "
	  "walk: a page that is not present is reported, not faulted in.",
	  cmd_x, CMD_KERNEL | CMD_COMPLETE_SYM },
	{ "xp", "/FMT PA", "examine guest physical memory",
	  "Like x, with a guest physical address (see 'translate').",
	  cmd_xp, CMD_KERNEL },
	{ "disas", "[ADDR [N]]", "disassemble N instructions (default: at pc)",
	  "objdump syntax without aliases; compressed instructions are shown "
	  "with their 16-bit encoding and '# c.'.",
	  cmd_disas, CMD_KERNEL | CMD_COMPLETE_SYM },
	{ "translate", "VA [PID]", "walk the page tables for VA, level by level",
	  "Shows each level's index, the table's physical address, the entry "
	  "and its flags, then the physical address -- or where and why the "
	  "walk stops (empty entry, swap entry, PROT_NONE) and what the "
	  "kernel would do on a fault (the VMA, or SIGSEGV).  The walk "
	  "changes nothing.",
	  cmd_translate, CMD_KERNEL | CMD_COMPLETE_SYM },
	{ "pgtable", "[PID] [--all] [--dot [FILE]]",
	  "dump a process's page tables",
	  "Every table and leaf (va -> pa [flags]); --all also lists swap and "
	  "PROT_NONE entries.  --dot writes the tree as Graphviz instead (to "
	  "FILE, or here): one node per table with its present entries, "
	  "shared tables and COW, shared, zero-page and swap entries marked "
	  "(dot -Tsvg draws it), as 'mmulab run --pgtable-dot'.",
	  cmd_pgtable, CMD_KERNEL | CMD_COMPLETE_PID },
	{ "physmap", "[--svg FILE]", "every physical frame by its owner",
	  "Counts the frames of guest RAM by owner: free (by buddy order), "
	  "anonymous, file, page table, slab, other kernel, reserved, hole.  "
	  "--svg FILE draws them as an SVG grid, one cell per frame coloured "
	  "by owner, nodes and zones outlined, as 'mmulab run --physmap-svg'.",
	  cmd_physmap, CMD_KERNEL },
	{ "tlb", "[i|d]", "the TLB contents by set and way, and its statistics",
	  "Each valid entry in most-recently-used order within its set; the "
	  "last of a full set is the next victim.",
	  cmd_tlb, CMD_KERNEL },
	{ "ps", "", "the processes", NULL, cmd_ps, CMD_KERNEL },
	{ "maps", "[PID]", "/proc/PID/maps", NULL, cmd_maps,
	  CMD_KERNEL | CMD_COMPLETE_PID },
	{ "pmap", "[-x] PID", "pmap -x: the mappings with RSS", NULL, cmd_pmap,
	  CMD_KERNEL | CMD_COMPLETE_PID },
	{ "cat", "/proc/PATH", "print a /proc file", 
	  "Any file of the guest's procfs: /proc/meminfo, /proc/vmstat, "
	  "/proc/1/smaps, /proc/zoneinfo ...",
	  cmd_cat, CMD_KERNEL | CMD_COMPLETE_PROC },
	{ "dmesg", "", "the kernel log", NULL, cmd_dmesg, CMD_KERNEL },
	{ "vmstat", "", "/proc/vmstat", NULL, cmd_vmstat, CMD_KERNEL },
	{ "free", "", "memory use in KiB, as free(1)", NULL, cmd_free,
	  CMD_KERNEL },
	{ "buddyinfo", "", "/proc/buddyinfo: free blocks per order", NULL,
	  cmd_buddyinfo, CMD_KERNEL },
	{ "slabinfo", "", "/proc/slabinfo", NULL, cmd_slabinfo, CMD_KERNEL },
	{ "sysctl", "[NAME[=VALUE]]", "show or set vm sysctls",
	  "With no argument shows every vm.* setting; 'sysctl "
	  "vm.swappiness=10' sets one as writing /proc/sys/vm would.",
	  cmd_sysctl, CMD_KERNEL },
	{ "kill", "PID SIG", "send a signal (SIGTERM, TERM, 15)", NULL,
	  cmd_kill, CMD_KERNEL | CMD_COMPLETE_PID },
	{ "stats", "", "faults, TLB, walks, swap, reclaim and the EAT",
	  "The effective access time (1-p)*ma + p*fault_time uses p = page "
	  "faults per memory reference of this run; 'set eat.ma' and 'set "
	  "eat.fault' change ma and fault_time.  Started with --cost, ma and "
	  "fault_time come from the cost model and a second line shows the "
	  "measured cycles per reference (eat.measured) to compare with.",
	  cmd_stats, CMD_KERNEL },
	{ "wss", "[PID]", "working-set sizes (with --wss-interval N)",
	  "Per process: RSS, the working set W(t, tau) of its last window of "
	  "tau instructions, the largest so far and the windows counted "
	  "(docs/architecture.md).",
	  cmd_wss, CMD_KERNEL | CMD_COMPLETE_PID },
	{ "pressure", "[memory|io|cpu]", "/proc/pressure: stall information",
	  "some/full with avg10, avg60, avg300 (%) and total (us) on the "
	  "virtual clock, as Linux's PSI.",
	  cmd_pressure, CMD_KERNEL },
	{ "replay", "FILE|--string S --frames N[,N...] [--policy P] [OPTIONS]",
	  "count page faults of fifo, lru, clock, random and opt on a "
	  "reference string",
	  "FILE is written by 'mmulab run --record-refs FILE' or lists page "
	  "numbers; '--string 1,2,3,4,1,2,5,1,2,3,4,5' gives the string "
	  "itself.  Options as 'mmulab replay --help' shows (--pid, --pages, "
	  "--seed, --csv).  Prints faults and fault "
	  "rates per frame count, as 'mmulab replay' does, and sets $fifo, "
	  "$lru, $clock, $random and $opt to the faults of the last frame "
	  "count.  Needs no program loaded.",
	  cmd_replay, CMD_COMPLETE_FILE },
};

const size_t repl_nr_cmds = ARRAY_SIZE(repl_cmds);

static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "q", "quit" }, { "exit", "quit" }, { "h", "help" },
	{ "p", "print" }, { "c", "continue" }, { "r", "run" },
	{ "?", "help" }, { "si", "stepi" }, { "ni", "nexti" },
	{ "s", "step" }, { "n", "next" }, { "b", "break" },
	{ "d", "delete" }, { "i", "info" }, { "l", "list" },
	{ "u", "until" }, { "fin", "finish" },
};

const struct repl_cmd *repl_find_cmd(const char *name)
{
	const struct repl_cmd *found = NULL;
	size_t n = strlen(name);

	if (!n)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].name;
	for (size_t i = 0; i < repl_nr_cmds; i++)
		if (!strcmp(name, repl_cmds[i].name))
			return &repl_cmds[i];
	/* a unique prefix of at least two letters */
	if (n < 2)
		return NULL;
	for (size_t i = 0; i < repl_nr_cmds; i++)
		if (!strncmp(name, repl_cmds[i].name, n)) {
			if (found)
				return NULL;
			found = &repl_cmds[i];
		}
	return found;
}

static REPL_CMD(cmd_help)
{
	if (argc > 1) {
		const struct repl_cmd *c = repl_find_cmd(argv[1]);
		if (!c) {
			repl_error(r, "help: no command '%s' (try 'help')",
				   argv[1]);
			return -1;
		}
		fprintf(r->out, "%s %s\n  %s\n", c->name, c->args, c->help);
		if (c->more)
			fprintf(r->out, "  %s\n", c->more);
		return 0;
	}
	fprintf(r->out, "Commands (help COMMAND for more):\n");
	for (size_t i = 0; i < repl_nr_cmds; i++) {
		char head[48];
		snprintf(head, sizeof(head), "%s %s", repl_cmds[i].name,
			 repl_cmds[i].args);
		fprintf(r->out, "  %-30s %s\n", head, repl_cmds[i].help);
	}
	return 0;
}

/* Escape for troff: backslashes, and a leading dot or quote. */
static void man_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

void repl_print_man(FILE *f)
{
	fputs(".\\\" Generated by 'mmulab help --man' from src/repl/commands.c;"
	      " do not edit.\n.SH REPL COMMANDS\n", f);
	for (size_t i = 0; i < repl_nr_cmds; i++) {
		const struct repl_cmd *c = &repl_cmds[i];
		fputs(".TP\n.B ", f);
		man_text(f, c->name);
		if (c->args[0]) {
			fputs(" \"", f);
			man_text(f, c->args[0] == '/' ? c->args : c->args);
			fputc('"', f);
		}
		fputc('\n', f);
		man_text(f, c->help);
		fputs(".\n", f);
		if (c->more) {
			man_text(f, c->more);
			fputc('\n', f);
		}
	}
}

void repl_print_markdown(FILE *f)
{
	for (size_t i = 0; i < repl_nr_cmds; i++) {
		const struct repl_cmd *c = &repl_cmds[i];
		fprintf(f, "### `%s%s%s`\n\n%c%s.", c->name, c->args[0] ? " " : "",
			c->args, toupper((unsigned char)c->help[0]), c->help + 1);
		if (c->more)
			fprintf(f, " %s", c->more);
		fputs("\n\n", f);
	}
	fputs("Aliases:", f);
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++)
		fprintf(f, "%s `%s` (%s)", i ? "," : "", aliases[i].alias,
			aliases[i].name);
	fputs(".  A unique prefix of two letters or more also names a "
	      "command.\n", f);
}

static REPL_CMD(cmd_quit)
{
	r->quit = true;
	return 0;
}

static REPL_CMD(cmd_echo)
{
	fprintf(r->out, "%s\n", rest);
	return 0;
}

static REPL_CMD(cmd_print)
{
	struct expr_val v;
	char buf[64];

	if (!*rest) {
		repl_error(r, "print: what? (print EXPR)");
		return -1;
	}
	if (repl_eval(r, rest, &v, NULL) < 0)
		return -1;
	if (v.flt)
		fprintf(r->out, "%s\n", expr_format(v, buf, sizeof(buf)));
	else
		fprintf(r->out, "%lld (0x%llx)\n", (long long)v.i,
			(unsigned long long)v.i);
	return 0;
}

static REPL_CMD(cmd_expect)
{
	struct expr_val v;
	struct expr_cmp cmp;
	char a[64], b[64];

	if (!*rest) {
		repl_error(r, "expect: what? (expect EXPR)");
		return -1;
	}
	if (repl_eval(r, rest, &v, &cmp) < 0) {
		r->nr_failed++;
		return 0;	/* counted as a failure, not also an error */
	}
	if (expr_true(v))
		return 0;
	r->nr_failed++;
	if (cmp.valid)
		repl_error(r, "expect failed: %s (%s %s %s)", rest,
			   expr_format(cmp.lhs, a, sizeof(a)), cmp.op,
			   expr_format(cmp.rhs, b, sizeof(b)));
	else
		repl_error(r, "expect failed: %s (%s)", rest,
			   expr_format(v, a, sizeof(a)));
	return 0;
}

static REPL_CMD(cmd_set)
{
	char name[32];
	struct expr_val v;
	const char *s = rest;
	size_t n = 0;

	while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_' ||
			s[n] == '.' || s[n] == '$'))
		n++;
	if (!n || n >= sizeof(name)) {
		repl_error(r, "set: expected NAME = EXPR ('set $n = 3', 'set "
			      "eat.ma 100')");
		return -1;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	s += n;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '=')
		s++;
	if (repl_eval(r, s, &v, NULL) < 0)
		return -1;
	if (!strcmp(name, "eat.ma") || !strcmp(name, "eat.fault")) {
		double d = v.flt ? v.f : (double)v.i;
		if (!(d >= 0.0 && d < 1e15)) {
			repl_error(r, "set: %s must be a time in ns >= 0", name);
			return -1;
		}
		if (name[4] == 'm')
			r->eat_ma_ns = d;
		else
			r->eat_fault_ns = d;
		r->eat_set |= name[4] == 'm' ? 1 : 2;
		return 0;
	}
	if (name[0] != '$' || !name[1] || strchr(name, '.')) {
		repl_error(r, "set: '%s': variables start with $ ('set $n = 3'); "
			      "settings are eat.ma and eat.fault (sysctls: "
			      "'sysctl')", name);
		return -1;
	}
	struct repl_var *var = repl_var(r, name, true);
	if (!var) {
		repl_error(r, "set: no room for more than %d variables",
			   REPL_MAX_VARS);
		return -1;
	}
	var->val = v;
	return 0;
}
