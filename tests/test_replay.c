/*
 * The replacement policies of `mmulab replay` (src/views/replay.c): the
 * textbook counts of Belady's string, OPT never worse than any other
 * policy, the stack property of LRU and OPT, and the file formats.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "views/replay.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const uint64_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

static uint64_t faults(const uint64_t *pages, size_t n, enum replay_policy p,
		       unsigned frames)
{
	struct refstring rs;
	uint64_t f;

	cr_assert_eq(refstring_from_pages(&rs, pages, n), 0);
	f = replay_faults(&rs, p, frames, 1);
	refstring_free(&rs);
	return f;
}

Test(replay, belady_anomaly_fifo)
{
	cr_assert_eq(faults(belady, 12, REPLAY_FIFO, 3), 9);
	cr_assert_eq(faults(belady, 12, REPLAY_FIFO, 4), 10);
}

Test(replay, belady_string_lru_opt_clock)
{
	cr_assert_eq(faults(belady, 12, REPLAY_LRU, 3), 10);
	cr_assert_eq(faults(belady, 12, REPLAY_LRU, 4), 8);
	cr_assert_eq(faults(belady, 12, REPLAY_OPT, 3), 7);
	cr_assert_eq(faults(belady, 12, REPLAY_OPT, 4), 6);
	/* Every page used once before the first eviction: clock degrades
	 * to FIFO on this string. */
	cr_assert_eq(faults(belady, 12, REPLAY_CLOCK, 3), 9);
	for (int p = 0; p < NR_REPLAY_POLICIES; p++) {
		cr_assert_eq(faults(belady, 12, p, 5), 5, "%s",
			     replay_policy_name(p));
		cr_assert_eq(faults(belady, 12, p, 1), 12);
	}
}

Test(replay, classic_lru_and_opt_string)
{
	/* Silberschatz's string: 20 references, 3 frames. */
	static const uint64_t s[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3,
				      0, 3, 2, 1, 2, 0, 1, 7, 0, 1 };

	cr_assert_eq(faults(s, 20, REPLAY_FIFO, 3), 15);
	cr_assert_eq(faults(s, 20, REPLAY_LRU, 3), 12);
	cr_assert_eq(faults(s, 20, REPLAY_OPT, 3), 9);
}

/* A reproducible random string with some locality. */
static void random_string(uint64_t *v, size_t n, unsigned pages,
			  unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++)
		v[i] = (i && rand() % 3 == 0) ? v[i - 1] + (unsigned)(rand() % 3)
					     : (unsigned)rand() % pages;
}

Test(replay, opt_is_never_worse)
{
	uint64_t v[2000];

	for (unsigned seed = 1; seed <= 40; seed++) {
		random_string(v, 2000, 10 + seed, seed);
		for (unsigned fr = 1; fr <= 12; fr++) {
			uint64_t opt = faults(v, 2000, REPLAY_OPT, fr);

			for (int p = 0; p < NR_REPLAY_POLICIES; p++)
				cr_assert_leq(opt, faults(v, 2000, p, fr),
					      "seed %u frames %u: opt %llu > %s",
					      seed, fr,
					      (unsigned long long)opt,
					      replay_policy_name(p));
		}
	}
}

Test(replay, stack_property_lru_opt)
{
	uint64_t v[3000];

	for (unsigned seed = 1; seed <= 20; seed++) {
		random_string(v, 3000, 30, seed * 7);
		uint64_t prev_lru = UINT64_MAX, prev_opt = UINT64_MAX;

		for (unsigned fr = 1; fr <= 40; fr++) {
			uint64_t l = faults(v, 3000, REPLAY_LRU, fr);
			uint64_t o = faults(v, 3000, REPLAY_OPT, fr);

			cr_assert_leq(l, prev_lru, "lru seed %u frames %u",
				      seed, fr);
			cr_assert_leq(o, prev_opt, "opt seed %u frames %u",
				      seed, fr);
			prev_lru = l;
			prev_opt = o;
		}
	}
}

Test(replay, random_is_seeded)
{
	uint64_t v[2000];
	struct refstring rs;

	random_string(v, 2000, 50, 3);
	cr_assert_eq(refstring_from_pages(&rs, v, 2000), 0);
	cr_assert_eq(replay_faults(&rs, REPLAY_RANDOM, 10, 42),
		     replay_faults(&rs, REPLAY_RANDOM, 10, 42));
	refstring_free(&rs);
}

Test(replay, compulsory_faults_only_with_enough_frames)
{
	uint64_t v[500];

	random_string(v, 500, 64, 9);
	for (int p = 0; p < NR_REPLAY_POLICIES; p++) {
		struct refstring rs;

		cr_assert_eq(refstring_from_pages(&rs, v, 500), 0);
		cr_assert_eq(replay_faults(&rs, p, (unsigned)rs.nr_pages, 1),
			     rs.nr_pages);
		refstring_free(&rs);
	}
}

/* Load @path for @pid (-1: all) into rs, the reason in err. */
#define LOAD(path, pid) \
	refstring_load(path, pid, 0, UINT64_MAX, &rs, err, sizeof(err))

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/test_replay.XXXXXX");
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

Test(replay, plain_file)
{
	char *path = write_tmp("# Belady\n1 2 3 4 1 2\n5 1 2 3 4 5\n");
	struct refstring rs;
	char err[256];

	cr_assert_eq(LOAD(path, -1), 0, "%s", err);
	cr_assert_eq(rs.n, 12);
	cr_assert_eq(rs.nr_pages, 5);
	cr_assert_eq(replay_faults(&rs, REPLAY_FIFO, 4, 1), 10);
	refstring_free(&rs);
	unlink(path);
	free(path);
}

Test(replay, recorded_file_per_pid)
{
	char *path = write_tmp("# mmulab-refs 1\n# comment\n1 10\n2 10\n"
			       "1 11\n2 7ffff\n1 10\n");
	struct refstring rs;
	char err[256];

	cr_assert_eq(LOAD(path, -1), 0);
	cr_assert_eq(rs.n, 5);
	cr_assert_eq(rs.nr_pages, 4, "pid 1's page 10 is not pid 2's");
	refstring_free(&rs);
	cr_assert_eq(LOAD(path, 1), 0);
	cr_assert_eq(rs.n, 3);
	cr_assert_eq(rs.nr_pages, 2);
	refstring_free(&rs);
	cr_assert_eq(refstring_load(path, -1, 0x11, 0x7ffff, &rs, err,
				    sizeof(err)), 0);
	cr_assert_eq(rs.n, 2, "pages 11..7ffff: two references");
	refstring_free(&rs);
	cr_assert_eq(LOAD(path, 3), -1);
	cr_assert(strstr(err, "no reference of pid 3"), "%s", err);
	unlink(path);
	free(path);
}

Test(replay, corrupt_files)
{
	char *bad1 = write_tmp("# mmulab-refs 1\n1 10\n1 zz\n");
	char *bad2 = write_tmp("1 2 three 4\n");
	char *empty = write_tmp("# nothing\n");
	struct refstring rs;
	char err[256];

	cr_assert_eq(LOAD(bad1, -1), -1);
	cr_assert(strstr(err, ":3: corrupt record"), "%s", err);
	cr_assert_eq(LOAD(bad2, -1), -1);
	cr_assert(strstr(err, ":1: not a page number"), "%s", err);
	cr_assert_eq(LOAD(empty, -1), -1);
	cr_assert_eq(LOAD("/nonexistent/refs", -1), -1);
	cr_assert(strstr(err, "cannot read /nonexistent/refs"), "%s", err);
	unlink(bad1);
	unlink(bad2);
	unlink(empty);
	free(bad1);
	free(bad2);
	free(empty);
}

/* The textbook algorithms, quadratic: the reference for the fast ones. */
static uint64_t naive(const uint64_t *v, size_t n, enum replay_policy p,
		      unsigned frames)
{
	uint64_t fr[64];
	size_t stamp[64];	/* fifo: load; lru: last use */
	unsigned used = 0;
	uint64_t faults = 0;

	cr_assert_leq(frames, 64);
	for (size_t i = 0; i < n; i++) {
		unsigned j, victim = 0;

		for (j = 0; j < used && fr[j] != v[i]; j++)
			;
		if (j < used) {
			if (p == REPLAY_LRU)
				stamp[j] = i;
			continue;
		}
		faults++;
		if (used < frames) {
			victim = used++;
		} else if (p == REPLAY_OPT) {
			size_t far = 0;

			for (j = 0; j < used; j++) {
				size_t k = i + 1;

				while (k < n && v[k] != fr[j])
					k++;
				if (k > far) {
					far = k;
					victim = j;
				}
			}
		} else {
			for (j = 1; j < used; j++)
				if (stamp[j] < stamp[victim])
					victim = j;
		}
		fr[victim] = v[i];
		stamp[victim] = i;
	}
	return faults;
}

Test(replay, fast_policies_match_the_textbook)
{
	static const enum replay_policy ps[] = { REPLAY_FIFO, REPLAY_LRU,
						 REPLAY_OPT };
	uint64_t v[1500];

	for (unsigned seed = 1; seed <= 15; seed++) {
		random_string(v, 1500, 5 + 3 * seed, seed * 13);
		for (unsigned fr = 1; fr <= 40; fr += 3)
			for (size_t p = 0; p < ARRAY_LEN(ps); p++)
				cr_assert_eq(faults(v, 1500, ps[p], fr),
					     naive(v, 1500, ps[p], fr),
					     "%s seed %u frames %u",
					     replay_policy_name(ps[p]), seed,
					     fr);
	}
}
