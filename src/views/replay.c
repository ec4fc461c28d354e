/*
 * Replacement experiments on a reference string (docs/replay.md).
 *
 * Every policy runs on the string renumbered densely (page ids 0 ..
 * nr_pages - 1), so its state is plain arrays:
 *   fifo    a ring of the resident pages in load order;
 *   lru     a doubly linked list in order of last use (exact LRU);
 *   clock   a ring of frames with a reference bit each and a hand: a page
 *           loaded or used gets its bit set, the hand clears set bits and
 *           takes the first page whose bit is clear (second chance);
 *   random  the victim is a frame drawn by splitmix64 from --seed;
 *   opt     Belady's MIN: the resident page whose next use is farthest.
 *           Each position's next use is found in one backward pass; the
 *           resident pages sit in a max-heap keyed by next use, entries
 *           made stale by a later use are dropped when they surface: O(n
 *           log n) for n references.
 * Every fault counts, the compulsory ones of a cold start included, as in
 * the textbooks' counts of Belady's anomaly.
 */
#include <errno.h>
#include <stdarg.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "views/replay.h"

static const char *const policy_names[NR_REPLAY_POLICIES] = {
	[REPLAY_FIFO] = "fifo", [REPLAY_LRU] = "lru",
	[REPLAY_CLOCK] = "clock", [REPLAY_RANDOM] = "random",
	[REPLAY_OPT] = "opt",
};

const char *replay_policy_name(enum replay_policy p)
{
	return (unsigned)p < NR_REPLAY_POLICIES ? policy_names[p] : "?";
}

/* ---- dense renumbering: an open-addressing table of page keys ---------- */

struct keymap {
	uint64_t *keys;
	uint32_t *ids;
	size_t size;		/* a power of two; 0 = empty slot is id ~0 */
	size_t used;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int keymap_grow(struct keymap *m)
{
	size_t size = m->size ? m->size * 2 : 1024;
	uint64_t *keys = malloc(size * sizeof(*keys));
	uint32_t *ids = malloc(size * sizeof(*ids));

	if (!keys || !ids) {
		free(keys);
		free(ids);
		return -1;
	}
	memset(ids, 0xff, size * sizeof(*ids));
	for (size_t i = 0; i < m->size; i++) {
		if (m->ids[i] == UINT32_MAX)
			continue;
		size_t h = mix64(m->keys[i]) & (size - 1);
		while (ids[h] != UINT32_MAX)
			h = (h + 1) & (size - 1);
		keys[h] = m->keys[i];
		ids[h] = m->ids[i];
	}
	free(m->keys);
	free(m->ids);
	m->keys = keys;
	m->ids = ids;
	m->size = size;
	return 0;
}

/* The id of @key, a new one (m->used) if it is new; -1: no memory. */
static int64_t keymap_id(struct keymap *m, uint64_t key)
{
	size_t h;

	if ((m->used + 1) * 2 > m->size && keymap_grow(m) < 0)
		return -1;
	h = mix64(key) & (m->size - 1);
	while (m->ids[h] != UINT32_MAX) {
		if (m->keys[h] == key)
			return m->ids[h];
		h = (h + 1) & (m->size - 1);
	}
	if (m->used >= UINT32_MAX - 1)
		return -1;
	m->keys[h] = key;
	m->ids[h] = (uint32_t)m->used;
	return (int64_t)m->used++;
}

static void keymap_free(struct keymap *m)
{
	free(m->keys);
	free(m->ids);
}

static int refstring_push(struct refstring *rs, struct keymap *m,
			  uint64_t key)
{
	int64_t id = keymap_id(m, key);

	if (id < 0)
		return -1;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 4096;
		uint32_t *ids = realloc(rs->ids, cap * sizeof(*ids));

		if (!ids)
			return -1;
		rs->ids = ids;
		rs->cap = cap;
	}
	rs->ids[rs->n++] = (uint32_t)id;
	rs->nr_pages = m->used;
	return 0;
}

void refstring_free(struct refstring *rs)
{
	free(rs->ids);
	memset(rs, 0, sizeof(*rs));
}

int refstring_from_pages(struct refstring *rs, const uint64_t *pages,
			 size_t n)
{
	struct keymap m = { 0 };
	int r = 0;

	memset(rs, 0, sizeof(*rs));
	for (size_t i = 0; i < n && !r; i++)
		r = refstring_push(rs, &m, pages[i]);
	keymap_free(&m);
	if (r)
		refstring_free(rs);
	return r;
}

#define REFS_MAGIC "# mmulab-refs 1"

/* Parse one unsigned number of @base from *@p; false if there is none. */
static bool parse_num(char **p, int base, uint64_t *v)
{
	char *end;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (**p < '0' || **p > '9') {
		if (base != 16 || !((**p >= 'a' && **p <= 'f') ||
				    (**p >= 'A' && **p <= 'F')))
			return false;
	}
	errno = 0;
	*v = strtoull(*p, &end, base);
	if (errno || end == *p)
		return false;
	*p = end;
	return true;
}

/* The page numbers of one line of a plain string: 0, -1 (not a number)
 * or -2 (out of memory). */
static int parse_plain(struct refstring *rs, struct keymap *m, char *p,
		       uint64_t lo, uint64_t hi)
{
	for (;;) {
		uint64_t v;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		       *p == ',')
			p++;
		if (!*p || *p == '#')
			return 0;
		if (!parse_num(&p, 0, &v) || (*p && !strchr(" \t\r\n,#", *p)))
			return -1;
		if (v < lo || v > hi)
			continue;
		if (refstring_push(rs, m, v) < 0)
			return -2;
	}
}

int refstring_parse(const char *text, uint64_t lo, uint64_t hi,
		    struct refstring *rs, char *err, size_t errlen)
{
	struct keymap m = { 0 };
	char *copy = strdup(text);
	int r;

	memset(rs, 0, sizeof(*rs));
	r = copy ? parse_plain(rs, &m, copy, lo, hi) : -2;
	free(copy);
	keymap_free(&m);
	if (!r && !rs->n) {
		snprintf(err, errlen, "--string: no page references%s",
			 lo || hi != UINT64_MAX ? " in the --pages range" : "");
		refstring_free(rs);
		return -1;
	}
	if (r) {
		snprintf(err, errlen, r == -2 ? "out of memory"
					      : "--string: not a list of page "
						"numbers: '%s'", text);
		refstring_free(rs);
		return -1;
	}
	return 0;
}

int refstring_load(const char *path, int pid, uint64_t lo, uint64_t hi,
		   struct refstring *rs, char *err, size_t errlen)
{
	struct keymap m = { 0 };
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t len = 0;
	unsigned long lineno = 0;
	bool recorded = false;
	int r = -1;

	memset(rs, 0, sizeof(*rs));
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (getline(&line, &len, f) >= 0) {
		char *p = line;

		lineno++;
		if (lineno == 1 && !strncmp(line, REFS_MAGIC,
					     strlen(REFS_MAGIC))) {
			recorded = true;
			continue;
		}
		if (recorded) {
			uint64_t tpid, vpn;

			if (*p == '#' || *p == '\n')
				continue;
			if (!parse_num(&p, 10, &tpid) ||
			    !parse_num(&p, 16, &vpn) || tpid > INT32_MAX ||
			    vpn > UINT32_MAX ||
			    (*p != '\n' && *p != '\0')) {
				snprintf(err, errlen, "%s:%lu: corrupt record "
					 "(want 'PID VPN')", path, lineno);
				goto out;
			}
			if ((pid >= 0 && tpid != (uint64_t)pid) || vpn < lo ||
			    vpn > hi)
				continue;
			if (refstring_push(rs, &m, tpid << 32 | vpn) < 0)
				goto nomem;
			continue;
		}
		int pr = parse_plain(rs, &m, p, lo, hi);

		if (pr == -2)
			goto nomem;
		if (pr < 0) {
			snprintf(err, errlen, "%s:%lu: not a page number",
				 path, lineno);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		goto out;
	}
	if (!rs->n) {
		if (lo || hi != UINT64_MAX)
			snprintf(err, errlen, "%s: no reference to a page in "
				 "--pages %llx-%llx", path,
				 (unsigned long long)lo,
				 (unsigned long long)hi);
		else if (pid >= 0)
			snprintf(err, errlen, "%s: no reference of pid %d",
				 path, pid);
		else
			snprintf(err, errlen, "%s: no page references",
				 path);
		goto out;
	}
	r = 0;
	goto out;
nomem:
	snprintf(err, errlen, "%s: out of memory", path);
out:
	free(line);
	fclose(f);
	keymap_free(&m);
	if (r)
		refstring_free(rs);
	return r;
}

/* ---- the policies ------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#define NONE UINT32_MAX

/* fifo, clock and random: frames in a ring, pos[id] = frame or NONE. */
static uint64_t replay_ring(const struct refstring *rs, enum replay_policy p,
			    unsigned frames, uint64_t seed)
{
	uint32_t *pos = malloc(rs->nr_pages * sizeof(*pos));
	uint32_t *frame = malloc(frames * sizeof(*frame));
	uint8_t *ref = calloc(frames, 1);
	uint64_t faults = 0, rnd = seed;
	unsigned used = 0, hand = 0;

	if (!pos || !frame || !ref) {
		faults = UINT64_MAX;
		goto out;
	}
	memset(pos, 0xff, rs->nr_pages * sizeof(*pos));
	for (size_t i = 0; i < rs->n; i++) {
		uint32_t id = rs->ids[i], f;

		if (pos[id] != NONE) {
			ref[pos[id]] = 1;
			continue;
		}
		faults++;
		if (used < frames) {
			f = used++;
		} else if (p == REPLAY_RANDOM) {
			f = (uint32_t)(splitmix64(&rnd) % frames);
			pos[frame[f]] = NONE;
		} else {
			if (p == REPLAY_CLOCK) {
				while (ref[hand]) {
					ref[hand] = 0;
					hand = (hand + 1) % frames;
				}
			}
			f = hand;
			hand = (hand + 1) % frames;
			pos[frame[f]] = NONE;
		}
		frame[f] = id;
		ref[f] = 1;
		pos[id] = f;
	}
out:
	free(pos);
	free(frame);
	free(ref);
	return faults;
}

/* Exact LRU: a list in order of use, most recent at the head. */
static uint64_t replay_lru(const struct refstring *rs, unsigned frames)
{
	uint32_t *prev = malloc(rs->nr_pages * sizeof(*prev));
	uint32_t *next = malloc(rs->nr_pages * sizeof(*next));
	uint8_t *in = calloc(rs->nr_pages ? rs->nr_pages : 1, 1);
	uint32_t head = NONE, tail = NONE;
	uint64_t faults = 0;
	unsigned used = 0;

	if (!prev || !next || !in) {
		faults = UINT64_MAX;
		goto out;
	}
	for (size_t i = 0; i < rs->n; i++) {
		uint32_t id = rs->ids[i];

		if (in[id]) {
			if (head == id)
				continue;
			/* unlink */
			next[prev[id]] = next[id];
			if (next[id] != NONE)
				prev[next[id]] = prev[id];
			else
				tail = prev[id];
		} else {
			faults++;
			if (used == frames) {
				uint32_t v = tail;

				in[v] = 0;
				tail = prev[v];
				if (tail != NONE)
					next[tail] = NONE;
				else
					head = NONE;
			} else {
				used++;
			}
			in[id] = 1;
		}
		prev[id] = NONE;
		next[id] = head;
		if (head != NONE)
			prev[head] = id;
		head = id;
		if (tail == NONE)
			tail = id;
	}
out:
	free(prev);
	free(next);
	free(in);
	return faults;
}

struct heap_ent {
	uint32_t next;		/* next use (rs->n: never) */
	uint32_t id;
};

static void heap_sift_down(struct heap_ent *h, size_t n, size_t i)
{
	struct heap_ent e = h[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1].next > h[c].next)
			c++;
		if (h[c].next <= e.next)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = e;
}

static void heap_push(struct heap_ent *h, size_t *n, struct heap_ent e)
{
	size_t i = (*n)++;

	while (i && h[(i - 1) / 2].next < e.next) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = e;
}

static struct heap_ent heap_pop(struct heap_ent *h, size_t *n)
{
	struct heap_ent top = h[0];

	h[0] = h[--*n];
	if (*n)
		heap_sift_down(h, *n, 0);
	return top;
}

/*
 * Belady's MIN.  Each use pushes the page's next use; an entry is stale
 * once the page was used again or evicted (cur[] no longer says its
 * next).  When stale entries fill the heap it is rebuilt from the live
 * ones (at most @frames), so it stays O(frames) in size and every
 * reference costs O(log frames) amortized.
 */
static uint64_t replay_opt(const struct refstring *rs, unsigned frames)
{
	size_t n = rs->n, pages = rs->nr_pages ? rs->nr_pages : 1;
	size_t cap = 2 * (size_t)frames + 64;
	uint32_t *nextuse = malloc((n ? n : 1) * sizeof(*nextuse));
	uint32_t *cur = malloc(pages * sizeof(*cur));
	uint8_t *in = calloc(pages, 1);
	struct heap_ent *heap = malloc((cap + 1) * sizeof(*heap));
	size_t nheap = 0;
	uint64_t faults = 0;
	unsigned used = 0;

	if (!nextuse || !cur || !in || !heap || n >= UINT32_MAX) {
		faults = UINT64_MAX;
		goto out;
	}
	/* cur[] first holds each page's next position, scanning back. */
	for (size_t id = 0; id < rs->nr_pages; id++)
		cur[id] = (uint32_t)n;
	for (size_t i = n; i-- > 0;) {
		nextuse[i] = cur[rs->ids[i]];
		cur[rs->ids[i]] = (uint32_t)i;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t id = rs->ids[i];

		if (!in[id]) {
			faults++;
			if (used == frames) {
				for (;;) {
					struct heap_ent e =
						heap_pop(heap, &nheap);

					if (in[e.id] && cur[e.id] == e.next) {
						in[e.id] = 0;
						break;
					}
				}
			} else {
				used++;
			}
			in[id] = 1;
		}
		cur[id] = nextuse[i];
		if (nheap == cap) {
			size_t live = 0;

			for (size_t j = 0; j < nheap; j++)
				if (in[heap[j].id] &&
				    cur[heap[j].id] == heap[j].next)
					heap[live++] = heap[j];
			nheap = live;
			for (size_t j = nheap / 2; j-- > 0;)
				heap_sift_down(heap, nheap, j);
		}
		heap_push(heap, &nheap,
			  (struct heap_ent){ .next = nextuse[i], .id = id });
	}
out:
	free(nextuse);
	free(cur);
	free(in);
	free(heap);
	return faults;
}

uint64_t replay_faults(const struct refstring *rs, enum replay_policy p,
		       unsigned frames, uint64_t seed)
{
	if (!frames)
		return rs->n;
	switch (p) {
	case REPLAY_LRU:
		return replay_lru(rs, frames);
	case REPLAY_OPT:
		return replay_opt(rs, frames);
	case REPLAY_FIFO:
	case REPLAY_CLOCK:
	case REPLAY_RANDOM:
		return replay_ring(rs, p, frames, seed);
	default:
		return UINT64_MAX;
	}
}

/* ---- mmulab replay ----------------------------------------------------- */

static const char replay_usage[] =
	"Usage: mmulab replay FILE --frames N[,N...] [--policy P[,P...]|all]\n"
	"                     [--pid PID] [--pages LO-HI] [--seed S] [--csv]\n"
	"       mmulab replay --string 'PAGE PAGE ...' --frames N[,N...] ...\n"
	"\n"
	"Replay a page-reference string under replacement policies and print\n"
	"the page faults (compulsory ones included) for each number of frames.\n"
	"FILE is written by `mmulab run --record-refs FILE`, or is a plain list\n"
	"of page numbers separated by white space (docs/replay.md).\n"
	"\n"
	"  --frames LIST   frame counts: N, N,M,... or ranges A-B (1..1048576)\n"
	"  --policy LIST   fifo, lru, clock, random, opt, or all (default)\n"
	"  --string S      the reference string itself: page numbers\n"
	"                  separated by spaces or commas, instead of FILE\n"
	"  --pid PID       only the references of process PID (default: every\n"
	"                  process, its pages counted apart from the others')\n"
	"  --pages LO-HI   only pages LO..HI (page numbers in hex, as in the\n"
	"                  record: 40000-40004 is 0x40000000..0x40004fff)\n"
	"  --seed S        seed of the random policy (default 1)\n"
	"  --csv           frames,policy,references,faults,fault_rate lines\n";

#define MAX_FRAMES_LIST 256
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FRAMES (1u << 20)

static char *rerr;		/* where replay_cmd() puts its one line */
static size_t rerrlen;

static int __attribute__((format(printf, 1, 2))) rbad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rerr, rerrlen, fmt, ap);
	va_end(ap);
	return 2;
}

static bool parse_ulong(const char *s, char **end, unsigned long *v)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, end, 10);
	return !errno;
}

/* "3,4" or "1-10" or both mixed: into @fr; returns the count or -1. */
static int parse_frames(const char *arg, unsigned *fr)
{
	const char *p = arg;
	int n = 0;

	for (;;) {
		unsigned long a, b;
		char *end;

		if (!parse_ulong(p, &end, &a))
			return -1;
		b = a;
		if (*end == '-' && !parse_ulong(end + 1, &end, &b))
			return -1;
		if (!a || b < a || b > MAX_FRAMES)
			return -1;
		for (unsigned long v = a; v <= b; v++) {
			if (n == MAX_FRAMES_LIST)
				return -1;
			fr[n++] = (unsigned)v;
		}
		if (!*end)
			return n;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
}

/* "fifo,opt" or "all": a bit mask, 0 if bad. */
static unsigned parse_policies(const char *arg)
{
	unsigned mask = 0;
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");
		int i;

		if (len == 3 && !strncmp(p, "all", 3)) {
			mask |= (1u << NR_REPLAY_POLICIES) - 1;
		} else {
			for (i = 0; i < NR_REPLAY_POLICIES; i++)
				if (strlen(policy_names[i]) == len &&
				    !strncmp(p, policy_names[i], len))
					break;
			if (i == NR_REPLAY_POLICIES)
				return 0;
			mask |= 1u << i;
		}
		if (!p[len])
			return mask;
		p += len + 1;
	}
}

/* "LO-HI" in hex into @lo, @hi. */
static bool parse_range(const char *arg, uint64_t *lo, uint64_t *hi)
{
	char *end;
	const char *p;

	if (!isxdigit((unsigned char)*arg))
		return false;
	errno = 0;
	*lo = strtoull(arg, &end, 16);
	if (errno || *end != '-')
		return false;
	p = end + 1;
	if (!isxdigit((unsigned char)*p))
		return false;
	*hi = strtoull(p, &end, 16);
	return !errno && !*end && *hi >= *lo;
}

int replay_cmd(int argc, char **argv, FILE *out,
	       uint64_t last[NR_REPLAY_POLICIES], char *err, size_t errlen)
{
	static const struct {
		const char *name;
		int key;
		bool arg;
	} opts[] = {
		{ "frames", 'f', true }, { "policy", 'p', true },
		{ "pid", 'P', true },	 { "seed", 's', true },
		{ "pages", 'r', true },	 { "string", 'S', true },
		{ "csv", 'c', false },	 { "help", 'h', false },
	};
	unsigned frames[MAX_FRAMES_LIST];
	int nr_frames = 0, pid = -1;
	unsigned mask = (1u << NR_REPLAY_POLICIES) - 1;
	uint64_t seed = 1, lo = 0, hi = UINT64_MAX;
	bool csv = false;
	const char *file = NULL, *string = NULL;
	struct refstring rs;

	rerr = err;
	rerrlen = errlen;
	err[0] = '\0';
	for (int p = 0; p < NR_REPLAY_POLICIES; p++)
		last[p] = 0;
	/* By hand, not getopt: no global parser state shared with the
	 * REPL's own option parsing; options may follow FILE. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *optarg = NULL, *eq;
		size_t len;
		unsigned long v;
		char *end;
		int opt = -1;

		if (a[0] != '-' || !a[1] || !strcmp(a, "--")) {
			if (!strcmp(a, "--") && ++i >= argc)
				break;
			if (file)
				return rbad("one reference file only ('%s' is "
					    "one too many)", argv[i]);
			file = argv[i];
			continue;
		}
		if (!strcmp(a, "-h")) {
			fputs(replay_usage, out);
			return 0;
		}
		if (a[1] != '-')
			return rbad("unknown option '%s'", a);
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (size_t o = 0; o < ARRAY_LEN(opts); o++) {
			if (strlen(opts[o].name) != len ||
			    strncmp(opts[o].name, a, len))
				continue;
			opt = opts[o].key;
			if (opts[o].arg) {
				if (eq)
					optarg = eq + 1;
				else if (i + 1 < argc)
					optarg = argv[++i];
				else
					return rbad("option '--%s' needs an "
						    "argument", opts[o].name);
			} else if (eq) {
				return rbad("option '--%s' takes no argument",
					    opts[o].name);
			}
		}
		switch (opt) {
		case 'f':
			nr_frames = parse_frames(optarg, frames);
			if (nr_frames < 0)
				return rbad("--frames: bad frame list '%s' "
					    "(want N[,N...] or A-B, 1..1048576, "
					    "at most %d counts)",
					    optarg, MAX_FRAMES_LIST);
			break;
		case 'p':
			mask = parse_policies(optarg);
			if (!mask)
				return rbad("--policy: unknown policy '%s' "
					    "(fifo, lru, clock, random, opt "
					    "or all)", optarg);
			break;
		case 'P':
			if (!parse_ulong(optarg, &end, &v) || *end ||
			    v > INT32_MAX)
				return rbad("--pid: bad pid '%s'", optarg);
			pid = (int)v;
			break;
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || *optarg == '-')
				return rbad("--seed: bad number '%s'", optarg);
			break;
		case 'r':
			if (!parse_range(optarg, &lo, &hi))
				return rbad("--pages: bad range '%s' (want "
					    "LO-HI, page numbers in hex)",
					    optarg);
			break;
		case 'S':
			string = optarg;
			break;
		case 'c':
			csv = true;
			break;
		case 'h':
			fputs(replay_usage, out);
			return 0;
		default:
			return rbad("unknown option '%s'", argv[i]);
		}
	}
	if (!file && !string)
		return rbad("no reference file given (try 'mmulab replay "
			    "--help')");
	if (file && string)
		return rbad("--string or a file, not both ('%s')", file);
	if (!nr_frames)
		return rbad("--frames is required (e.g. --frames 3,4)");
	if (string) {
		if (refstring_parse(string, lo, hi, &rs, err, errlen) < 0)
			return 2;
		file = "--string";
	} else {
		if (refstring_load(file, pid, lo, hi, &rs, err, errlen) < 0)
			return 2;
	}
	if (csv) {
		fputs("frames,policy,references,faults,fault_rate\n", out);
	} else {
		fprintf(out, "# %s: %zu references to %zu pages (", file, rs.n,
			rs.nr_pages);
		if (pid >= 0)
			fprintf(out, "pid %d)\n", pid);
		else
			fputs("every pid)\n", out);
		fprintf(out, "%6s", "frames");
		for (int p = 0; p < NR_REPLAY_POLICIES; p++)
			if (mask & (1u << p))
				fprintf(out, " %10s %8s%%", policy_names[p],
					policy_names[p]);
		fputc('\n', out);
	}
	for (int i = 0; i < nr_frames; i++) {
		if (!csv)
			fprintf(out, "%6u", frames[i]);
		for (int p = 0; p < NR_REPLAY_POLICIES; p++) {
			uint64_t f;
			double rate;

			if (!(mask & (1u << p)))
				continue;
			f = replay_faults(&rs, p, frames[i], seed);
			if (f == UINT64_MAX) {
				refstring_free(&rs);
				rbad("out of memory");
				return 1;
			}
			last[p] = f;
			rate = 100.0 * (double)f / (double)rs.n;
			if (csv)
				fprintf(out, "%u,%s,%zu,%" PRIu64 ",%.6f\n",
					frames[i], policy_names[p], rs.n, f,
					rate / 100.0);
			else
				fprintf(out, " %10" PRIu64 " %8.4f%%", f,
					rate);
		}
		if (!csv)
			fputc('\n', out);
	}
	refstring_free(&rs);
	return 0;
}

int replay_main(int argc, char **argv, FILE *out)
{
	uint64_t last[NR_REPLAY_POLICIES];
	char err[512];
	int r = replay_cmd(argc, argv, out, last, err, sizeof(err));

	if (r && err[0])
		fprintf(stderr, "mmulab: replay: %s\n", err);
	return r;
}
