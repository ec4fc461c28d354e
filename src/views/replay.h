/*
 * Page-replacement experiments on a reference string (docs/replay.md):
 * `mmulab run --record-refs FILE` writes one, `mmulab replay FILE` and the
 * REPL's `replay` count the page faults of FIFO, LRU, CLOCK, RANDOM and
 * Belady's OPT for a list of frame counts.
 */
#ifndef MMULAB_VIEWS_REPLAY_H
#define MMULAB_VIEWS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum replay_policy {
	REPLAY_FIFO,
	REPLAY_LRU,
	REPLAY_CLOCK,
	REPLAY_RANDOM,
	REPLAY_OPT,
	NR_REPLAY_POLICIES,
};

/* "fifo" ... "opt". */
const char *replay_policy_name(enum replay_policy p);

/*
 * A reference string: n page ids, each in [0, nr_pages), renumbered
 * densely in order of first use.
 */
struct refstring {
	uint32_t *ids;
	size_t n, cap;
	size_t nr_pages;
};

/*
 * Read @path: a file written by --record-refs (first line "# mmulab-refs
 * 1"), keeping the references of pid @pid only (-1: every process, pages
 * of different processes being different pages), or a plain reference
 * string (page numbers separated by white space, '#' starting a comment).
 * Only pages @lo..@hi count (0, UINT64_MAX: all).
 * Returns 0, or -1 with one line's worth of reason in @err.
 */
int refstring_load(const char *path, int pid, uint64_t lo, uint64_t hi,
		   struct refstring *rs, char *err, size_t errlen);

/* Parse @text, page numbers as in a plain file (only @lo..@hi kept): 0,
 * or -1 with @err. */
int refstring_parse(const char *text, uint64_t lo, uint64_t hi,
		    struct refstring *rs, char *err, size_t errlen);

/* Build @rs from @n page numbers (tests, the REPL). */
int refstring_from_pages(struct refstring *rs, const uint64_t *pages,
			 size_t n);

void refstring_free(struct refstring *rs);

/*
 * The number of page faults (compulsory ones included) of @p with @frames
 * frames on @rs; @seed drives REPLAY_RANDOM.  O(n) but OPT, O(n log n).
 */
uint64_t replay_faults(const struct refstring *rs, enum replay_policy p,
		       unsigned frames, uint64_t seed);

/*
 * `replay` with @argv (argv[0] is "replay"): prints the table on @out and
 * leaves in @last each policy's faults for the last frame count (0 for a
 * policy not asked for).  Returns 0, or 2 (a bad option or file) or 1
 * (out of memory) with one line, without a newline, in @err.
 */
int replay_cmd(int argc, char **argv, FILE *out,
	       uint64_t last[NR_REPLAY_POLICIES], char *err, size_t errlen);

/*
 * The `replay` subcommand: argv[0] is "replay".  Prints on @out; errors
 * are one line on stderr.  Returns the exit status (0, or 2 for a bad
 * option or file, 1 when out of memory).
 */
int replay_main(int argc, char **argv, FILE *out);

#endif
