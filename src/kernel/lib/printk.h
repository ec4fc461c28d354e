/*
 * The guest kernel's log (what dmesg shows): a bounded ring of text lines,
 * each stamped "[%5lu.%06lu] " with the guest's virtual time when its first
 * character was logged.
 *
 * printk() takes any number of '\n'-terminated lines in one call; text
 * after the last '\n' is kept as the start of the next line (like Linux's
 * KERN_CONT) and only becomes visible when a later printk ends it.  When the
 * ring is full the oldest line is dropped.  The log is host memory owned by
 * its creator; nothing in it points into guest RAM.
 */
#ifndef MMULAB_KERNEL_PRINTK_H
#define MMULAB_KERNEL_PRINTK_H

#include <stdint.h>
#include <stdio.h>

#include "kernel/lib/seq.h"

/* Linux's log levels are accepted for readability and print as nothing. */
#define KERN_EMERG ""
#define KERN_ALERT ""
#define KERN_CRIT ""
#define KERN_ERR ""
#define KERN_WARNING ""
#define KERN_NOTICE ""
#define KERN_INFO ""
#define KERN_DEBUG ""
#define KERN_CONT ""

#define KLOG_MAX_LINES 8192 /* lines kept; older ones are dropped */

struct klog;

/* A new empty log with no clock (stamps read 0.000000) and no echo. */
struct klog *klog_new(void);
void klog_free(struct klog *log);

/*
 * Stamp lines with @ns(@arg), the virtual time in nanoseconds.  @ns NULL
 * makes every stamp 0.
 */
void klog_set_clock(struct klog *log, uint64_t (*ns)(void *), void *arg);

/*
 * Also write every completed line (stamp included) to @f as it is logged,
 * e.g. stderr for --boot-log.  NULL turns echoing off.
 */
void klog_set_echo(struct klog *log, FILE *f);

/* Log formatted text.  @log may be NULL (the text is dropped). */
void printk(struct klog *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vprintk(struct klog *log, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Append the whole log to @s as dmesg prints it, one line per '\n'. */
void klog_dump(struct klog *log, struct seq *s);

/* Lines currently held, and line @i of them (0 = oldest), without '\n'. */
size_t klog_nr_lines(const struct klog *log);
const char *klog_line(const struct klog *log, size_t i);

/* Lines logged since creation, dropped ones included (a cursor for "new"). */
uint64_t klog_total(const struct klog *log);

/* Forget all lines (dmesg -C). */
void klog_clear(struct klog *log);

#endif
