/*
 * Growable text buffer, the output side of every procfs-like text
 * (meminfo, vmstat, buddyinfo, zoneinfo, slabinfo, dmesg).
 *
 * A zeroed struct seq is an empty buffer: `struct seq s = {0};`.  Text is
 * appended and always NUL-terminated once anything was written (buf stays
 * NULL until then).  The buffer lives in host memory and belongs to the
 * caller, who releases it with seq_free().  Host allocation failure aborts:
 * the host running out of memory is not a guest condition.
 */
#ifndef MMULAB_KERNEL_SEQ_H
#define MMULAB_KERNEL_SEQ_H

#include <stdarg.h>
#include <stddef.h>

struct seq {
	char *buf;  /* NUL-terminated text, or NULL when nothing was written */
	size_t len; /* bytes of text, excluding the NUL */
	size_t cap; /* bytes allocated */
};

/* Append formatted text. */
void seq_printf(struct seq *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void seq_vprintf(struct seq *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Append a string / one character / @n raw bytes. */
void seq_puts(struct seq *s, const char *str);
void seq_putc(struct seq *s, char c);
void seq_write(struct seq *s, const void *data, size_t n);

/* The text so far ("" when empty); valid until the next append. */
const char *seq_text(const struct seq *s);

/* Forget the text but keep the allocation. */
void seq_reset(struct seq *s);

/* Release the buffer; @s is empty (and reusable) afterwards. */
void seq_free(struct seq *s);

#endif
