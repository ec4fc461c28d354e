/*
 * Growable text buffer.  Capacity doubles, so appending n bytes in total
 * costs O(n) amortised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/lib/seq.h"

/* Make room for @extra more bytes plus the NUL. */
static void seq_reserve(struct seq *s, size_t extra)
{
	size_t need = s->len + extra + 1;
	size_t cap;
	char *nbuf;

	if (need <= s->cap)
		return;
	cap = s->cap ? s->cap : 256;
	while (cap < need)
		cap *= 2;
	nbuf = realloc(s->buf, cap);
	if (!nbuf) {
		fprintf(stderr, "mmulab: out of host memory (seq %zu bytes)\n",
			cap);
		abort();
	}
	s->buf = nbuf;
	s->cap = cap;
}

void seq_vprintf(struct seq *s, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	seq_reserve(s, 0);
	n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n >= s->cap - s->len) {
		seq_reserve(s, (size_t)n);
		vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap2);
	}
	s->len += (size_t)n;
	va_end(ap2);
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(s, fmt, ap);
	va_end(ap);
}

void seq_write(struct seq *s, const void *data, size_t n)
{
	seq_reserve(s, n);
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void seq_puts(struct seq *s, const char *str)
{
	seq_write(s, str, strlen(str));
}

void seq_putc(struct seq *s, char c)
{
	seq_write(s, &c, 1);
}

const char *seq_text(const struct seq *s)
{
	return s->buf ? s->buf : "";
}

void seq_reset(struct seq *s)
{
	s->len = 0;
	if (s->buf)
		s->buf[0] = '\0';
}

void seq_free(struct seq *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = 0;
	s->cap = 0;
}
