/*
 * perf_event_open (kernel/perf_event.c) called directly on a booted
 * kernel: the attr checks and their errnos, counting faults of the task,
 * ENABLE/DISABLE/RESET, group reads with ids and times, ENOSPC, close.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "kernel/kernel/perf_event.h"
#include "kharness.h"

#define TYPE_HW 0
#define TYPE_SW 1
#define TYPE_CACHE 3
#define SW_PAGE_FAULTS 2
#define SW_PAGE_FAULTS_MIN 5
#define HW_INSTRUCTIONS 1
#define FMT_TE 1
#define FMT_TR 2
#define FMT_ID 4
#define FMT_GROUP 8
#define IOC_ENABLE 0x2400
#define IOC_DISABLE 0x2401
#define IOC_RESET 0x2403
#define IOC_ID 0x80042407u

/* A 136-byte attr at @ua in guest memory. */
static void put_attr(struct kh *h, gva_t ua, uint32_t type, uint64_t config,
		     uint32_t size, uint64_t read_format, bool disabled)
{
	uint8_t a[136];

	memset(a, 0, sizeof(a));
	memcpy(a, &type, 4);
	memcpy(a + 4, &size, 4);
	memcpy(a + 8, &config, 8);
	memcpy(a + 32, &read_format, 8);
	a[40] = disabled;
	cr_assert_eq(copy_to_user(&h->k, ua, a, sizeof(a)), 0);
}

static long open_ev(struct kh *h, gva_t ua, uint32_t type, uint64_t config,
		    uint64_t rf, bool disabled, int group)
{
	put_attr(h, ua, type, config, 136, rf, disabled);
	return sys_perf_event_open(&h->k, ua, 0, -1, group, 0);
}

Test(perf_event, attr_errors)
{
	struct kh *h = kh_boot(NULL);
	gva_t ua = kh_mmap_anon(h, 0, 2 * PAGE_SIZE, KH_PROT_RW);
	uint32_t size;

	put_attr(h, ua, TYPE_HW, 99, 136, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -EINVAL);
	put_attr(h, ua, TYPE_HW, 5 /* branch misses */, 136, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -ENOENT);
	put_attr(h, ua, 2 /* tracepoint */, 0, 136, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -ENOENT);
	put_attr(h, ua, TYPE_CACHE, 3 | (1 << 8) | (1 << 16), 136, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -ENOENT,
		     "dTLB write misses are not counted apart");
	put_attr(h, ua, TYPE_CACHE, 9, 136, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -EINVAL);
	put_attr(h, ua, TYPE_SW, SW_PAGE_FAULTS, 32, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -E2BIG);
	cr_assert_eq(copy_from_user(&h->k, &size, ua + 4, 4), 0);
	cr_expect_eq(size, 136, "E2BIG writes the size it knows back");
	put_attr(h, ua, TYPE_SW, SW_PAGE_FAULTS, 136, 1u << 6, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0), -EINVAL,
		     "unknown read_format bit");
	put_attr(h, ua, TYPE_SW, SW_PAGE_FAULTS, 136, 0, true);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 4242, -1, -1, 0), -ESRCH);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, 3, -1, 0), -EINVAL);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, -1, 0, -1, 0), -EACCES);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, 77, 0), -EBADF);
	cr_expect_eq(sys_perf_event_open(&h->k, ua, 0, -1, -1, 0x100), -EINVAL);
	cr_expect_eq(sys_perf_event_open(&h->k, 0x10, 0, -1, -1, 0), -EFAULT);
	/* a bigger attr with zeros past what is known is fine */
	put_attr(h, ua, TYPE_SW, SW_PAGE_FAULTS, 200, 0, true);
	long fd = sys_perf_event_open(&h->k, ua, 0, -1, -1, 0);
	cr_expect_geq(fd, 0);
	cr_expect_eq(sys_close(&h->k, (int)fd), 0);
	kh_shutdown(h);
}

Test(perf_event, counts_faults_while_enabled)
{
	struct kh *h = kh_boot(NULL);
	gva_t ua = kh_mmap_anon(h, 0, 2 * PAGE_SIZE, KH_PROT_RW);
	gva_t buf = kh_mmap_anon(h, 0, 16 * PAGE_SIZE, KH_PROT_RW);
	uint64_t v[8];

	long fd = open_ev(h, ua, TYPE_SW, SW_PAGE_FAULTS_MIN, 0, true, -1);
	cr_assert_geq(fd, 0);
	cr_assert_eq(kh_store32(h, buf, 1), 0); /* disabled: not counted */
	cr_assert_eq(sys_ioctl(&h->k, (int)fd, IOC_ENABLE, 0), 0);
	for (int i = 1; i < 5; i++)
		cr_assert_eq(kh_store32(h, buf + i * PAGE_SIZE, 1), 0);
	cr_assert_eq(sys_ioctl(&h->k, (int)fd, IOC_DISABLE, 0), 0);
	cr_assert_eq(kh_store32(h, buf + 6 * PAGE_SIZE, 1), 0);
	cr_assert_eq(sys_read(&h->k, (int)fd, ua + 512, 8), 8);
	cr_assert_eq(copy_from_user(&h->k, v, ua + 512, 8), 0);
	cr_expect_eq(v[0], 4, "four faults while enabled, got %llu",
		     (unsigned long long)v[0]);
	cr_expect_eq(sys_read(&h->k, (int)fd, ua + 512, 4), -ENOSPC);
	cr_expect_eq(sys_read(&h->k, (int)fd, 0x10, 8), -EFAULT);
	cr_expect_eq(sys_write(&h->k, (int)fd, ua + 512, 8), -EINVAL);
	cr_expect_eq(sys_ioctl(&h->k, (int)fd, IOC_RESET, 0), 0);
	cr_assert_eq(sys_read(&h->k, (int)fd, ua + 512, 8), 8);
	cr_assert_eq(copy_from_user(&h->k, v, ua + 512, 8), 0);
	cr_expect_eq(v[0], 0);
	cr_expect_eq(sys_ioctl(&h->k, (int)fd, 0x1234, 0), -ENOTTY);
	cr_expect_eq(sys_ioctl(&h->k, (int)fd, IOC_ENABLE, 2), -EINVAL);
	cr_expect_eq(sys_close(&h->k, (int)fd), 0);
	cr_expect_eq(sys_read(&h->k, (int)fd, ua + 512, 8), -EBADF);
	kh_shutdown(h);
}

Test(perf_event, group_read)
{
	struct kh *h = kh_boot(NULL);
	gva_t ua = kh_mmap_anon(h, 0, 2 * PAGE_SIZE, KH_PROT_RW);
	gva_t buf = kh_mmap_anon(h, 0, 16 * PAGE_SIZE, KH_PROT_RW);
	uint64_t rf = FMT_GROUP | FMT_ID | FMT_TE | FMT_TR, v[16], id0, id1;

	long l = open_ev(h, ua, TYPE_SW, SW_PAGE_FAULTS, rf, true, -1);
	cr_assert_geq(l, 0);
	long m = open_ev(h, ua, TYPE_SW, SW_PAGE_FAULTS_MIN, rf, true, (int)l);
	cr_assert_geq(m, 0);
	cr_expect_eq(open_ev(h, ua, TYPE_HW, HW_INSTRUCTIONS, rf, true, (int)m),
		     -EINVAL, "a member is no leader");
	cr_assert_eq(sys_ioctl(&h->k, (int)l, IOC_ID, ua + 600), 0);
	cr_assert_eq(copy_from_user(&h->k, &id0, ua + 600, 8), 0);
	cr_assert_eq(sys_ioctl(&h->k, (int)m, IOC_ID, ua + 600), 0);
	cr_assert_eq(copy_from_user(&h->k, &id1, ua + 600, 8), 0);
	cr_expect_neq(id0, id1);
	cr_assert_eq(sys_ioctl(&h->k, (int)l, IOC_ENABLE, 1 /* GROUP */), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(kh_store32(h, buf + i * PAGE_SIZE, 1), 0);
	cr_assert_eq(sys_ioctl(&h->k, (int)l, IOC_DISABLE, 1), 0);
	/* nr, enabled, running, (value, id) x 2 */
	cr_expect_eq(sys_read(&h->k, (int)l, ua + 512, 48), -ENOSPC);
	cr_assert_eq(sys_read(&h->k, (int)l, ua + 512, 128), 56);
	cr_assert_eq(copy_from_user(&h->k, v, ua + 512, 56), 0);
	cr_expect_eq(v[0], 2);
	cr_expect_eq(v[1], v[2], "enabled == running");
	cr_expect_eq(v[3], 3);
	cr_expect_eq(v[4], id0);
	cr_expect_eq(v[5], 3);
	cr_expect_eq(v[6], id1);
	/* the member's own fd reads the same group */
	cr_assert_eq(sys_read(&h->k, (int)m, ua + 512, 128), 56);
	cr_expect_eq(sys_close(&h->k, (int)l), 0);
	cr_assert_eq(sys_read(&h->k, (int)m, ua + 512, 128), 40,
		     "a leader's members go on alone");
	cr_expect_eq(sys_close(&h->k, (int)m), 0);
	kh_shutdown(h);
}
