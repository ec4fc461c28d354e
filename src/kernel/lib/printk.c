/*
 * Kernel log: a ring of heap-allocated lines.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/lib/printk.h"

struct klog {
	char *lines[KLOG_MAX_LINES]; /* ring; lines[head] is the oldest */
	size_t head, count;
	uint64_t total;		     /* lines ever completed */
	uint64_t (*clock)(void *);
	void *clock_arg;
	FILE *echo;
	struct seq cont;	     /* stamped start of an unfinished line */
};

struct klog *klog_new(void)
{
	struct klog *log = calloc(1, sizeof(*log));

	if (!log) {
		fprintf(stderr, "mmulab: out of host memory (klog)\n");
		abort();
	}
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
		fputs(line, log->echo);
		fputc('\n', log->echo);
		fflush(log->echo);
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
