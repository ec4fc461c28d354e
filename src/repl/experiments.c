/*
 * `replay FILE ...`: the replacement experiments of `mmulab replay` from
 * the REPL, sharing its code (views/replay.c).  The fault counts of the
 * last frame count land in $fifo, $lru, $clock, $random and $opt, so a
 * script can `expect $fifo == 9`.
 */
#include <string.h>

#include "repl/cmds.h"
#include "views/replay.h"

REPL_CMD(cmd_replay)
{
	uint64_t last[NR_REPLAY_POLICIES];
	char err[512];
	int st;

	(void)rest;
	fflush(r->out);
	st = replay_cmd(argc, argv, r->out, last, err, sizeof(err));
	if (st) {
		repl_error(r, "replay: %s", err);
		return -1;
	}
	for (int p = 0; p < NR_REPLAY_POLICIES; p++) {
		char name[32];
		struct repl_var *v;

		if (!last[p])
			continue;
		snprintf(name, sizeof(name), "$%s", replay_policy_name(p));
		v = repl_var(r, name, true);
		if (v)
			v->val = (struct expr_val){ .i = (int64_t)last[p] };
	}
	return 0;
}
