/*
 * The REPL's command handlers, one group per file, collected into the one
 * table in commands.c.  Each has the struct repl_cmd signature and returns
 * 0 or -1 after printing one line with repl_error().
 */
#ifndef MMULAB_REPL_CMDS_H
#define MMULAB_REPL_CMDS_H

#include "repl/repl.h"

#define REPL_CMD(name) \
	int name(struct repl *r, int argc, char **argv, const char *rest)

/* views.c: looking at the machine, never changing it */
REPL_CMD(cmd_regs);
REPL_CMD(cmd_x);
REPL_CMD(cmd_xp);
REPL_CMD(cmd_disas);
REPL_CMD(cmd_translate);
REPL_CMD(cmd_pgtable);
REPL_CMD(cmd_tlb);
REPL_CMD(cmd_ps);
REPL_CMD(cmd_maps);
REPL_CMD(cmd_pmap);
REPL_CMD(cmd_cat);
REPL_CMD(cmd_dmesg);
REPL_CMD(cmd_vmstat);
REPL_CMD(cmd_free);
REPL_CMD(cmd_buddyinfo);
REPL_CMD(cmd_slabinfo);
REPL_CMD(cmd_sysctl);
REPL_CMD(cmd_kill);
REPL_CMD(cmd_stats);
REPL_CMD(cmd_physmap);

/* memviews.c: working set and pressure */
REPL_CMD(cmd_wss);
REPL_CMD(cmd_pressure);
/* experiments.c: replacement experiments on a reference string */
REPL_CMD(cmd_replay);

/* exec.c: loading and running */
REPL_CMD(cmd_load);
REPL_CMD(cmd_run);
REPL_CMD(cmd_continue);
REPL_CMD(cmd_stepi);
REPL_CMD(cmd_nexti);
REPL_CMD(cmd_step);
REPL_CMD(cmd_next);
REPL_CMD(cmd_finish);
REPL_CMD(cmd_until);
REPL_CMD(cmd_break);
REPL_CMD(cmd_tbreak);
REPL_CMD(cmd_watch);
REPL_CMD(cmd_catch);
REPL_CMD(cmd_delete);
REPL_CMD(cmd_info);
REPL_CMD(cmd_gdb);

/* source.c */
REPL_CMD(cmd_list);

/* Parse a number argument of a command ("N", "0x10"): 0, or -1 with a
 * message naming @what. */
int repl_number(struct repl *r, const char *arg, const char *what,
		uint64_t max, uint64_t *out);

/* Print @s (a procfs-like text) on the REPL's output and free it. */
void repl_put_seq(struct repl *r, struct seq *s);

#endif
