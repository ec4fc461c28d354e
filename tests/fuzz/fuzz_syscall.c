/*
 * fuzz_syscall: the system-call layer, driven directly.
 *
 * Each input boots a kernel (fuzz_kernel.h: pid 1 from the sandbox's
 * init.elf, no stdio, a scratch mapping at FK_SCRATCH), puts the sandbox
 * back to its initial state, and issues up to MAX_CALLS calls through
 * do_syscall, as the hart's ecall would, each decoded strace-style
 * before and after as a tracer would.  One record per call:
 *
 *	u8	which: < 240 picks a number the system-call table knows,
 *		else a raw u16 follows
 *	6 x	u8 kind, u32 value: the argument, shaped by kind (arg())
 *	u8	n, u16 offset, n bytes: poked at FK_SCRATCH + offset first
 *
 * Shaping arguments is what lets a fuzzer reach past "bad address" and
 * "bad fd": pointers land in the scratch mapping, fds are small.  The
 * input ends at its last byte or when pid 1 can no longer make calls
 * (exited, killed, asleep).  Everything is freed each time, so a leak
 * is one input's; and the directory beside the sandbox must not change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_kernel.h"
#include "kernel/kernel/syscalls.h"

#define MAX_CALLS 32

/* The numbers the system-call table has a row for, in order. */
static uint16_t nrs[NR_SYSCALLS];
static unsigned nr_nrs;

static void init_nrs(void)
{
	if (nr_nrs)
		return;
	for (unsigned nr = 0; nr < NR_SYSCALLS; nr++)
		if (syscall_desc(nr))
			nrs[nr_nrs++] = (uint16_t)nr;
}

/* Decode the call strace-style, whole and into a short buffer (which
 * must truncate, never overflow), as a tracer would. */
static void format_call(struct kernel *k, uint32_t nr, const uint32_t a[6],
			long ret, bool done)
{
	const struct syscall_desc *d = syscall_desc(nr);
	char buf[512], tiny[8];
	size_t n;

	if (d && !done) {
		n = syscall_format_args(k, d, a, buf, sizeof(buf));
		if (n < sizeof(buf) && strlen(buf) != n)
			abort();
		syscall_format_args(k, d, a, tiny, sizeof(tiny));
		if (!memchr(tiny, 0, sizeof(tiny)))
			abort();
	}
	if (done) {
		n = syscall_format_ret(d, ret, buf, sizeof(buf));
		if (n < sizeof(buf) && strlen(buf) != n)
			abort();
		syscall_format_ret(d, ret, tiny, sizeof(tiny));
		if (!memchr(tiny, 0, sizeof(tiny)))
			abort();
	}
}

static uint32_t arg(uint8_t kind, uint32_t v)
{
	switch (kind % 8) {
	case 1:		/* a pointer into the scratch mapping */
		return FK_SCRATCH + v % FK_SCRATCH_SIZE;
	case 2:		/* an fd, a signal, a small count */
		return v % 8;
	case 3:		/* a page-aligned address near the scratch */
		return FK_SCRATCH + (v % 32) * PAGE_SIZE - 8 * PAGE_SIZE;
	case 4:		/* AT_FDCWD */
		return (uint32_t)-100;
	case 5:		/* a length */
		return v % (4 * PAGE_SIZE);
	case 6:		/* one flag bit, or none */
		return v % 33 == 32 ? 0 : 1u << (v % 33);
	default:	/* as it is */
		return v;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct kernel *k;

	init_nrs();
	fuzz_sandbox_reset();
	k = fk_boot();
	for (int i = 0; i < MAX_CALLS && !fz_empty(&f); i++) {
		uint8_t which = fz_u8(&f), poke[255];
		uint32_t nr, a[6];
		long ret;

		nr = which < 240 ? nrs[which % nr_nrs] : fz_u16(&f);
		for (int j = 0; j < 6; j++) {
			uint8_t kind = fz_u8(&f);
			a[j] = arg(kind, fz_u32(&f));
		}
		size_t n = fz_u8(&f);
		uint16_t off = fz_u16(&f);
		n = fz_bytes(&f, poke, n);
		if (n)
			(void)fk_poke(k, FK_SCRATCH + off % FK_SCRATCH_SIZE,
				      poke, (uint32_t)n);
		format_call(k, nr, a, 0, false);
		bool more = fk_syscall(k, nr, a, &ret);
		format_call(k, nr, a, ret, true);
		if (!more)
			break;
	}
	fk_shutdown(k);
	if (!fuzz_outside_intact()) {
		fprintf(stderr, "fuzz_syscall: a call escaped the sandbox\n");
		abort();
	}
	return 0;
}
