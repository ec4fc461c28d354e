/*
 * Unit tests for the kernel log's rate limiting (src/kernel/lib/printk.c):
 * Linux's ___ratelimit() on virtual time.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel/lib/printk.h"

static uint64_t now_ns;

static uint64_t test_clock(void *arg)
{
	(void)arg;
	return now_ns;
}

static struct klog *new_log(void)
{
	struct klog *log = klog_new();

	now_ns = 1000;
	klog_set_clock(log, test_clock, NULL);
	return log;
}

static void site_a(struct klog *log, int i)
{
	printk_ratelimited(log, "a %d\n", i);
}

Test(printk, ratelimited_burst_then_suppressed_line)
{
	struct klog *log = new_log();

	for (int i = 0; i < 25; i++)
		site_a(log, i);
	cr_expect_eq(klog_nr_lines(log), DEFAULT_RATELIMIT_BURST);
	cr_expect(strstr(klog_line(log, 9), "] a 9"));
	/* Still inside the interval: dropped. */
	now_ns += DEFAULT_RATELIMIT_INTERVAL_NS;
	site_a(log, 25);
	cr_expect_eq(klog_nr_lines(log), DEFAULT_RATELIMIT_BURST);
	/* A new interval: the count of the 16 dropped, then the message. */
	now_ns += 1;
	site_a(log, 26);
	cr_assert_eq(klog_nr_lines(log), DEFAULT_RATELIMIT_BURST + 2);
	cr_expect(strstr(klog_line(log, 10),
			 "] site_a: 16 callbacks suppressed"),
		  "got %s", klog_line(log, 10));
	cr_expect(strstr(klog_line(log, 11), "] a 26"));
	klog_free(log);
}

static void site_b(struct klog *log)
{
	printk_ratelimited(log, "b\n");
}

Test(printk, sites_have_their_own_state)
{
	struct klog *log = new_log();

	for (int i = 0; i < 20; i++)
		site_a(log, i);
	site_b(log);
	cr_expect_eq(klog_nr_lines(log), DEFAULT_RATELIMIT_BURST + 1);
	cr_expect(strstr(klog_line(log, 10), "] b"));
	klog_free(log);
}

Test(printk, printk_ratelimit_is_shared)
{
	struct klog *log = new_log();
	int yes = 0;

	for (int i = 0; i < 30; i++)
		yes += __printk_ratelimit(log, "one") +
		       __printk_ratelimit(log, "two");
	cr_expect_eq(yes, DEFAULT_RATELIMIT_BURST);
	now_ns += DEFAULT_RATELIMIT_INTERVAL_NS + 1;
	cr_expect(__printk_ratelimit(log, "two"));
	cr_expect(strstr(klog_line(log, 0), "] two: 50 callbacks suppressed"));
	klog_free(log);
}

Test(printk, console_midline)
{
	struct klog *log = new_log();

	cr_expect(!klog_console_midline(log));
	klog_console_wrote(log, 2, "partial", 7);
	cr_expect(klog_console_midline(log));
	klog_console_wrote(log, 2, "end\n", 4);
	cr_expect(!klog_console_midline(log));
	klog_console_wrote(log, 2, "x", 1);
	klog_set_echo(log, stderr);
	printk(log, "a kernel line\n");
	cr_expect(!klog_console_midline(log));
	klog_free(log);
}
