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

#include <stdbool.h>
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
#define KLOG_RATELIMIT_SITES 32 /* printk_ratelimited() call sites */

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

/* Call @fn(@arg) before each line is echoed (a front end's progress line
 * makes room); NULL: none. */
void klog_set_echo_hook(struct klog *log, void (*fn)(void *), void *arg);

/* Log formatted text.  @log may be NULL (the text is dropped). */
void printk(struct klog *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vprintk(struct klog *log, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Rate limiting as Linux's lib/ratelimit.c, on virtual time: at most
 * @burst messages per @interval_ns; when a new interval starts after some
 * were dropped, "FUNC: N callbacks suppressed" is logged first.  The state
 * starts all zero except interval and burst (RATELIMIT_STATE_INIT).
 */
struct ratelimit_state {
	uint64_t interval_ns;	/* 0: no limit */
	int burst;
	int printed;		/* in the current interval */
	int missed;		/* dropped since the last report */
	uint64_t begin;		/* start of the interval, virtual ns */
	int started;
};

#define DEFAULT_RATELIMIT_INTERVAL_NS (5ull * 1000000000ull) /* 5 * HZ */
#define DEFAULT_RATELIMIT_BURST 10
#define RATELIMIT_STATE_INIT(interval, burst_) \
	{ .interval_ns = (interval), .burst = (burst_) }

/*
 * True when a message may be printed now (and counts it), false when it
 * is to be dropped (and counts the miss).  @func names the caller in the
 * "callbacks suppressed" line, as __func__ does in Linux's __ratelimit().
 */
int ___ratelimit(struct klog *log, struct ratelimit_state *rs,
		 const char *func);
#define __ratelimit(log, rs) ___ratelimit(log, rs, __func__)

/*
 * printk_ratelimit(): the one state every caller shares (Linux's
 * printk_ratelimit_state, 5 s / 10), kept in @log.
 */
int __printk_ratelimit(struct klog *log, const char *func);
#define printk_ratelimit(log) __printk_ratelimit(log, __func__)

/*
 * The state of one call site of printk_ratelimited(), kept in @log and
 * found by @site (a string constant unique to the site): Linux keeps a
 * static DEFINE_RATELIMIT_STATE per site; here it lives with the kernel
 * instance so that two machines in one process do not share it.
 */
struct ratelimit_state *klog_ratelimit_site(struct klog *log,
					    const char *site);

#define __PRINTK_STR2(x) #x
#define __PRINTK_STR(x) __PRINTK_STR2(x)
/* printk() unless this site printed DEFAULT_RATELIMIT_BURST in 5 s. */
#define printk_ratelimited(log, ...)                                        \
	do {                                                                \
		struct klog *log_ = (log);                                  \
		if (___ratelimit(log_,                                      \
				 klog_ratelimit_site(                       \
					 log_, __FILE__                     \
					 ":" __PRINTK_STR(__LINE__)),       \
				 __func__))                                 \
			printk(log_, __VA_ARGS__);                          \
	} while (0)

/*
 * The console the log echoes to is shared with the guest's stderr: the
 * kernel notes every guest write to host fd 1 or 2 here, so a front end
 * can tell whether the console stands in the middle of a line (the last
 * byte written was not '\n') before printing something of its own.
 */
void klog_console_wrote(struct klog *log, int host_fd, const void *buf,
			size_t len);
/* True when the last byte that reached the console (stderr, or stdout if
 * it is the same file) was not a newline. */
bool klog_console_midline(const struct klog *log);

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
