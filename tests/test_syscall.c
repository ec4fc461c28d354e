/*
 * The system-call table (kernel/syscall_table.c): numbers against Linux's
 * rv32 numbering, the shape of every row, dispatch, and strace-style
 * decoding -- which must read user memory without changing the machine.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "kharness.h"

/* include/uapi/asm-generic/unistd.h, as rv32 sees it. */
static const struct {
	unsigned nr;
	const char *name;
} linux_rv32[] = {
	{ 17, "getcwd" },
	{ 23, "dup" },
	{ 25, "fcntl64" },
	{ 35, "unlinkat" },
	{ 46, "ftruncate64" },
	{ 56, "openat" },
	{ 57, "close" },
	{ 59, "pipe2" },
	{ 62, "_llseek" },
	{ 63, "read" },
	{ 64, "write" },
	{ 93, "exit" },
	{ 94, "exit_group" },
	{ 129, "kill" },
	{ 134, "rt_sigaction" },
	{ 172, "getpid" },
	{ 214, "brk" },
	{ 215, "munmap" },
	{ 216, "mremap" },
	{ 220, "clone" },
	{ 221, "execve" },
	{ 222, "mmap2" },
	{ 226, "mprotect" },
	{ 233, "madvise" },
	{ 276, "renameat2" },
	{ 291, "statx" },
	{ 403, "clock_gettime64" },
	{ 407, "clock_nanosleep_time64" },
};

Test(syscall, numbers_match_linux_rv32)
{
	for (size_t i = 0; i < sizeof(linux_rv32) / sizeof(*linux_rv32); i++) {
		const struct syscall_desc *d = syscall_desc(linux_rv32[i].nr);
		cr_assert_not_null(d, "no row for %u", linux_rv32[i].nr);
		cr_expect_str_eq(d->name, linux_rv32[i].name, "nr %u",
				 linux_rv32[i].nr);
		cr_expect_eq(syscall_desc_by_name(linux_rv32[i].name), d);
	}
}

Test(syscall, rows_are_well_formed)
{
	int rows = 0;

	for (unsigned nr = 0; nr < NR_SYSCALLS + 16; nr++) {
		const struct syscall_desc *d = syscall_desc(nr);
		if (!d)
			continue;
		rows++;
		/* The row sits at its own number: one row per number. */
		cr_expect_eq(d->nr, nr, "row %s at %u has nr %u", d->name, nr,
			     d->nr);
		cr_expect_leq(d->nargs, 6);
		cr_expect_leq(d->ret, RET_NONE);
		for (int i = 0; i < d->nargs; i++) {
			cr_expect_leq(d->arg[i], ARG_SKIP, "%s arg %d", d->name,
				      i);
			if (d->arg[i] == ARG_OFF_LOHI ||
			    d->arg[i] == ARG_OFF_HILO ||
			    d->arg[i] == ARG_BUF_IN)
				cr_expect(i + 1 < d->nargs,
					  "%s: arg %d needs the next", d->name,
					  i);
		}
		/* Names are unique. */
		cr_expect_eq(syscall_desc_by_name(d->name), d, "%s twice",
			     d->name);
	}
	cr_expect_geq(rows, 80);
	cr_expect_null(syscall_desc(0));
	cr_expect_null(syscall_desc(NR_SYSCALLS));
	cr_expect_null(syscall_desc(~0u));
	/* Known by name, not implemented: no handler (-ENOSYS). */
	cr_assert_not_null(syscall_desc(NR_rseq));
	cr_expect_null(syscall_desc(NR_rseq)->handler);
}

/* A page of the fake task holding @s at its start; returns its address. */
static gva_t put_string(struct kh *h, const char *s)
{
	gva_t a = kh_mmap_anon(h, 0, PAGE_SIZE, KH_PROT_RW);
	cr_assert_eq(copy_to_user(&h->k, a, s, (uint32_t)strlen(s) + 1), 0);
	return a;
}

Test(syscall, format_openat)
{
	struct kh *h = kh_boot(NULL);
	gva_t p = put_string(h, "/etc/passwd");
	uint32_t a[6] = { (uint32_t)-100, p, 02000000 | 0100 | 01, 0644 };
	char buf[128];

	size_t n = syscall_format_args(&h->k, syscall_desc(NR_openat), a, buf,
				       sizeof(buf));
	cr_expect_str_eq(buf, "AT_FDCWD, \"/etc/passwd\", "
			      "O_WRONLY|O_CREAT|O_CLOEXEC, 0644");
	cr_expect_eq(n, strlen(buf));
	kh_shutdown(h);
}

Test(syscall, format_mmap2_and_results)
{
	struct kh *h = kh_boot(NULL);
	uint32_t a[6] = { 0, 8192, 3, 0x22, (uint32_t)-1, 0 };
	char buf[128];

	syscall_format_args(&h->k, syscall_desc(NR_mmap2), a, buf, sizeof(buf));
	cr_expect_str_eq(buf, "NULL, 8192, PROT_READ|PROT_WRITE, "
			      "MAP_PRIVATE|MAP_ANONYMOUS, -1, 0");
	syscall_format_ret(syscall_desc(NR_mmap2), 0x2000c000, buf,
			   sizeof(buf));
	cr_expect_str_eq(buf, "0x2000c000");
	syscall_format_ret(syscall_desc(NR_openat), -ENOENT, buf, sizeof(buf));
	cr_expect_str_eq(buf, "-1 ENOENT (No such file or directory)");
	syscall_format_ret(syscall_desc(NR_exit_group), 0, buf, sizeof(buf));
	cr_expect_str_eq(buf, "?");
	syscall_format_ret(NULL, 5, buf, sizeof(buf));
	cr_expect_str_eq(buf, "5");

	uint32_t c[6] = { 0x11 | 0x1000000 | 0x200000, 0, 0, 0, 0 };
	syscall_format_args(&h->k, syscall_desc(NR_clone), c, buf, sizeof(buf));
	cr_expect_str_eq(buf,
			 "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
			 "NULL, NULL, NULL, NULL");
	uint32_t m[6] = { 0x10000, 4096, 0 };
	syscall_format_args(&h->k, syscall_desc(NR_mprotect), m, buf,
			    sizeof(buf));
	cr_expect_str_eq(buf, "0x10000, 4096, PROT_NONE");
	kh_shutdown(h);
}

Test(syscall, format_write_buffer_and_truncation)
{
	struct kh *h = kh_boot(NULL);
	gva_t p = put_string(h, "hi\n\"x\"\t\001 and a long tail that goes on");
	uint32_t a[6] = { 1, p, 3 };
	char buf[128], small[8];

	syscall_format_args(&h->k, syscall_desc(NR_write), a, buf, sizeof(buf));
	cr_expect_str_eq(buf, "1, \"hi\\n\", 3");
	a[2] = 40;
	syscall_format_args(&h->k, syscall_desc(NR_write), a, buf, sizeof(buf));
	cr_expect_str_eq(
		buf,
		"1, \"hi\\n\\\"x\\\"\\t\\1 and a long tail that go\"..., 40");
	/* snprintf-like: the full length, a truncated NUL-terminated text. */
	size_t n = syscall_format_args(&h->k, syscall_desc(NR_write), a, small,
				       sizeof(small));
	cr_expect_eq(n, strlen(buf));
	cr_expect_str_eq(small, "1, \"hi\\");
	kh_shutdown(h);
}

/*
 * Decoding a string in a page never touched must not fault it in: no
 * counter, no PTE, no A bit changes; it reads as zeros, as a debugger
 * sees it.  An address no vma covers is shown as the pointer.
 */
Test(syscall, format_is_side_effect_free)
{
	struct kh *h = kh_boot(NULL);
	gva_t fresh = kh_mmap_anon(h, 0, PAGE_SIZE, KH_PROT_RW);
	gva_t p = put_string(h, "abc");
	uint32_t a[6] = { (uint32_t)-100, fresh, 0, 0 };
	char buf[128];
	unsigned long faults = h->k.mem.vm_events[PGFAULT];
	pte_t before = kh_pte(h, kh_mm(h), p);

	syscall_format_args(&h->k, syscall_desc(NR_openat), a, buf,
			    sizeof(buf));
	cr_expect_str_eq(buf, "AT_FDCWD, \"\", O_RDONLY, 0");
	cr_expect_eq(kh_pte(h, kh_mm(h), fresh), 0, "page faulted in");

	a[1] = 0x1000;
	syscall_format_args(&h->k, syscall_desc(NR_openat), a, buf,
			    sizeof(buf));
	cr_expect_str_eq(buf, "AT_FDCWD, 0x1000, O_RDONLY, 0");

	a[1] = p;
	syscall_format_args(&h->k, syscall_desc(NR_openat), a, buf,
			    sizeof(buf));
	cr_expect_str_eq(buf, "AT_FDCWD, \"abc\", O_RDONLY, 0");
	cr_expect_eq(kh_pte(h, kh_mm(h), p), before, "PTE (A/D) changed");
	cr_expect_eq(h->k.mem.vm_events[PGFAULT], faults);
	kh_shutdown(h);
}

/* Dispatch: a number without a row, and one without a handler, -ENOSYS. */
Test(syscall, unknown_numbers_are_enosys)
{
	struct kh *h = kh_boot(NULL);
	static const unsigned nrs[] = { 0, 1000, NR_rseq, NR_clone3,
					NR_SYSCALLS };

	for (size_t i = 0; i < sizeof(nrs) / sizeof(*nrs); i++) {
		h->k.cpu.x[17] = nrs[i];
		h->k.cpu.pc = 0x1000;
		do_syscall(&h->k);
		cr_expect_eq((int32_t)h->k.cpu.x[10], -ENOSYS, "nr %u", nrs[i]);
		cr_expect_eq(h->k.cpu.pc, 0x1004);
	}
	h->k.cpu.x[17] = NR_getpid;
	do_syscall(&h->k);
	cr_expect_eq(h->k.cpu.x[10], (uint32_t)h->k.current->pid);
	kh_shutdown(h);
}

/* At exit, read's buffer shows what was read (ret bytes), as strace. */
Test(syscall, format_exit_shows_filled_buffer)
{
	struct kh *h = kh_boot(NULL);
	gva_t p = put_string(h, "hello\nworld");
	uint32_t a[6] = { 3, p, 4096 };
	char buf[128];

	syscall_format_args_exit(&h->k, syscall_desc(NR_read), a, 6, buf,
				 sizeof(buf));
	cr_expect_str_eq(buf, "3, \"hello\\n\", 4096");
	syscall_format_args_exit(&h->k, syscall_desc(NR_read), a, -EBADF, buf,
				 sizeof(buf));
	char want[64];
	snprintf(want, sizeof(want), "3, %#x, 4096", p);
	cr_expect_str_eq(buf, want);
	syscall_format_args(&h->k, syscall_desc(NR_read), a, buf, sizeof(buf));
	cr_expect_str_eq(buf, want);
	uint32_t g[6] = { p, 256 };
	syscall_format_args_exit(&h->k, syscall_desc(NR_getcwd), g, 6, buf,
				 sizeof(buf));
	cr_expect_str_eq(buf, "\"hello\", 256");
	kh_shutdown(h);
}
