/*
 * Kernel log: a ring of heap-allocated lines.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/lib/printk.h"

struct klog {
	char *lines[KLOG_MAX_LINES]; /* ring; lines[head] is the oldest */
	size_t head, count;
	uint64_t total;		     /* lines ever completed */
	uint64_t (*clock)(void *);
	void *clock_arg;
	FILE *echo;
	void (*echo_hook)(void *);   /* called before each echoed line */
	void *echo_hook_arg;
	struct seq cont;	     /* stamped start of an unfinished line */
	struct ratelimit_state printk_rs; /* printk_ratelimit()'s */
	struct {
		const char *site;    /* printk_ratelimited()'s __FILE__:__LINE__ */
		struct ratelimit_state rs;
	} sites[KLOG_RATELIMIT_SITES];
	int nr_sites;
	bool midline[3];	     /* console fds 1, 2: last byte not '\n' */
	int last_fd;		     /* 1 or 2: which was written last */
};

struct klog *klog_new(void)
{
	struct klog *log = calloc(1, sizeof(*log));

	if (!log) {
		fprintf(stderr, "mmulab: out of host memory (klog)\n");
		abort();
	}
	log->printk_rs = (struct ratelimit_state)RATELIMIT_STATE_INIT(
		DEFAULT_RATELIMIT_INTERVAL_NS, DEFAULT_RATELIMIT_BURST);
	log->last_fd = 2;
	return log;
}

void klog_clear(struct klog *log)
{
	size_t i;

	for (i = 0; i < log->count; i++)
		free(log->lines[(log->head + i) % KLOG_MAX_LINES]);
	log->head = 0;
	log->count = 0;
}

void klog_free(struct klog *log)
{
	if (!log)
		return;
	klog_clear(log);
	seq_free(&log->cont);
	free(log);
}

void klog_set_clock(struct klog *log, uint64_t (*ns)(void *), void *arg)
{
	log->clock = ns;
	log->clock_arg = arg;
}

void klog_set_echo(struct klog *log, FILE *f)
{
	log->echo = f;
}

void klog_set_echo_hook(struct klog *log, void (*fn)(void *), void *arg)
{
	log->echo_hook = fn;
	log->echo_hook_arg = arg;
}

static void klog_stamp(struct klog *log, struct seq *s)
{
	uint64_t ns = log->clock ? log->clock(log->clock_arg) : 0;

	seq_printf(s, "[%5lu.%06lu] ", (unsigned long)(ns / 1000000000u),
		   (unsigned long)(ns % 1000000000u / 1000u));
}

/* Move the finished line in log->cont into the ring. */
static void klog_commit(struct klog *log)
{
	size_t slot;
	char *line = strdup(seq_text(&log->cont));

	if (!line) {
		fprintf(stderr, "mmulab: out of host memory (klog line)\n");
		abort();
	}
	if (log->echo) {
		if (log->echo_hook)
			log->echo_hook(log->echo_hook_arg);
		fputs(line, log->echo);
		fputc('\n', log->echo);
		fflush(log->echo);
		if (log->echo == stderr) {
			log->midline[2] = false;
			log->last_fd = 2;
		}
	}
	if (log->count == KLOG_MAX_LINES) {
		free(log->lines[log->head]);
		log->head = (log->head + 1) % KLOG_MAX_LINES;
		log->count--;
	}
	slot = (log->head + log->count) % KLOG_MAX_LINES;
	log->lines[slot] = line;
	log->count++;
	log->total++;
	seq_reset(&log->cont);
}

void vprintk(struct klog *log, const char *fmt, va_list ap)
{
	struct seq text = { 0 };
	const char *p, *nl;

	if (!log)
		return;
	seq_vprintf(&text, fmt, ap);
	for (p = seq_text(&text); *p; p = nl + 1) {
		if (log->cont.len == 0)
			klog_stamp(log, &log->cont);
		nl = strchr(p, '\n');
		if (!nl) {
			seq_puts(&log->cont, p);
			break;
		}
		seq_write(&log->cont, p, (size_t)(nl - p));
		klog_commit(log);
	}
	seq_free(&text);
}

void printk(struct klog *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(log, fmt, ap);
	va_end(ap);
}

void klog_dump(struct klog *log, struct seq *s)
{
	size_t i;

	for (i = 0; i < log->count; i++) {
		seq_puts(s, log->lines[(log->head + i) % KLOG_MAX_LINES]);
		seq_putc(s, '\n');
	}
}

size_t klog_nr_lines(const struct klog *log)
{
	return log->count;
}

const char *klog_line(const struct klog *log, size_t i)
{
	if (i >= log->count)
		return NULL;
	return log->lines[(log->head + i) % KLOG_MAX_LINES];
}

uint64_t klog_total(const struct klog *log)
{
	return log->total;
}

static uint64_t klog_now(struct klog *log)
{
	return log->clock ? log->clock(log->clock_arg) : 0;
}

/*
 * Linux's ___ratelimit(), lib/ratelimit.c: the interval starts at the
 * first call; once it is over, report what was missed and start anew.
 * Example with burst 10 per 5 s: 1000 calls within the first second
 * print 10; the first call after 5 s logs "f: 990 callbacks suppressed"
 * and prints.
 */
int ___ratelimit(struct klog *log, struct ratelimit_state *rs,
		 const char *func)
{
	uint64_t now;

	if (!log || !rs->interval_ns)
		return 1;
	now = klog_now(log);
	if (!rs->started) {
		rs->started = 1;
		rs->begin = now;
	}
	if (now - rs->begin > rs->interval_ns) {
		if (rs->missed) {
			printk(log, "%s: %d callbacks suppressed\n", func,
			       rs->missed);
			rs->missed = 0;
		}
		rs->begin = now;
		rs->printed = 0;
	}
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		return 1;
	}
	rs->missed++;
	return 0;
}

int __printk_ratelimit(struct klog *log, const char *func)
{
	if (!log)
		return 1;
	return ___ratelimit(log, &log->printk_rs, func);
}

struct ratelimit_state *klog_ratelimit_site(struct klog *log,
					    const char *site)
{
	static struct ratelimit_state unlimited; /* all zero: no limit */
	int i;

	if (!log)
		return &unlimited;
	for (i = 0; i < log->nr_sites; i++)
		if (log->sites[i].site == site ||
		    !strcmp(log->sites[i].site, site))
			return &log->sites[i].rs;
	if (log->nr_sites == KLOG_RATELIMIT_SITES)
		return &log->printk_rs; /* share the common state */
	log->sites[i].site = site;
	log->sites[i].rs = (struct ratelimit_state)RATELIMIT_STATE_INIT(
		DEFAULT_RATELIMIT_INTERVAL_NS, DEFAULT_RATELIMIT_BURST);
	log->nr_sites++;
	return &log->sites[i].rs;
}

void klog_console_wrote(struct klog *log, int host_fd, const void *buf,
			size_t len)
{
	if (!log || !len || (host_fd != 1 && host_fd != 2))
		return;
	log->midline[host_fd] = ((const char *)buf)[len - 1] != '\n';
	log->last_fd = host_fd;
}

/* Do host fds 1 and 2 write to the same file (2>&1, one terminal)? */
static bool stdout_is_stderr(void)
{
	struct stat a, b;

	return fstat(1, &a) == 0 && fstat(2, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool klog_console_midline(const struct klog *log)
{
	if (!log)
		return false;
	if (log->last_fd == 1 && stdout_is_stderr())
		return log->midline[1];
	return log->midline[2];
}
