/*
 * fuzz_path: the hostfs path resolver must keep every guest path inside
 * the sandbox.
 *
 * Each input puts the sandbox back in its initial state (fuzz.h: files,
 * directories, and symlinks that point outside it: "escape", "etc",
 * "passwd", "host"), boots a kernel on it and issues up to MAX_OPS name
 * calls built from the input:
 *
 *	u8 op		openat, chdir, mkdirat, unlinkat, symlinkat,
 *			renameat2, linkat, readlinkat, statx, faccessat,
 *			fchmodat, getdents64, close, execve
 *	u8 dirfd	AT_FDCWD, or an fd earlier calls opened, or raw
 *	path		u8 length; then either raw bytes, or (top bit of the
 *			length) that many words from words[] joined by '/'
 *	u16 flags	mapped onto the Linux O_* / AT_* bits
 *
 * After every call each host fd the guest's table holds is looked up in
 * /proc/self/fd: one that resolves outside the sandbox aborts.  So does
 * any change to the directory beside the sandbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_kernel.h"
#include "kernel/kernel/syscalls.h"

#define MAX_OPS 24
#define AT_FDCWD_LX ((uint32_t)-100)
#define PATH_AT FK_SCRATCH		/* first path argument */
#define PATH2_AT (FK_SCRATCH + 0x2000)	/* second (rename, link) */
#define BUF_AT (FK_SCRATCH + 0x4000)	/* statx, readlink, getdents */

static const char *const words[] = {
	"..", ".", "", "dir", "file", "link", "loop", "escape", "etc",
	"passwd", "host", "up", "sub", "inner", "proc", "self", "new",
	"tmp", "init.elf", "fd", "root", "outside", "canary", "/",
	"../outside", "cwd", "exe", "1", "dir/up/..", "x",
};

/* Linux O_* bits (asm-generic), chosen by the bits of a u16. */
static const uint32_t open_bits[] = {
	01, 02, 0100 /* CREAT */, 0200 /* EXCL */, 01000 /* TRUNC */,
	02000 /* APPEND */, 0200000 /* DIRECTORY */, 0400000 /* NOFOLLOW */,
	010000000 /* PATH */, 020200000 /* TMPFILE */, 02000000 /* CLOEXEC */,
	04000 /* NONBLOCK */, 0x100 /* AT_SYMLINK_NOFOLLOW */,
	0x200 /* AT_REMOVEDIR */, 0x1000 /* AT_EMPTY_PATH */, 1u << 31,
};

static void die(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "fuzz_path: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	abort();
}

static uint32_t flags_of(uint16_t v)
{
	uint32_t fl = 0;

	for (unsigned i = 0; i < 16; i++)
		if (v & (1u << i))
			fl |= open_bits[i];
	return fl;
}

/* Build a path from the input and put it at guest @va. */
static void put_path(struct kernel *k, struct fz *f, gva_t va)
{
	char p[1024];
	uint8_t len = fz_u8(f);
	size_t n = 0;

	if (len & 0x80) {
		unsigned nw = len & 15;

		if (len & 0x40)
			p[n++] = '/';
		for (unsigned i = 0; i < nw; i++) {
			const char *w = words[fz_u8(f) % ARRAY_SIZE(words)];
			size_t wl = strlen(w);

			if (i)
				p[n++] = '/';
			memcpy(p + n, w, wl);
			n += wl;
		}
	} else {
		n = fz_bytes(f, p, len);
	}
	p[n] = '\0';
	(void)fk_poke(k, va, p, (uint32_t)n + 1);
}

/* Every host fd in the guest's fd table must lie in the sandbox. */
static void check_fds(struct kernel *k)
{
	struct files *fs = k->current ? k->current->files : NULL;

	if (!fs)
		return;
	for (int fd = 0; fd < MAX_FDS; fd++) {
		struct file *file = fs->fd[fd];
		char proc[64], target[4200];
		ssize_t n;

		if (!file || file->kind != FILE_HOST || file->host_fd < 0)
			continue;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", file->host_fd);
		n = readlink(proc, target, sizeof(target) - 1);
		if (n < 0)
			die("readlink %s failed%s", proc, "");
		target[n] = '\0';
		if (!fuzz_in_sandbox(target))
			die("guest path %s opened host %s", file->f_path, target);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct kernel *k;
	int fds[8] = { 0 }, nfds = 0;

	fuzz_sandbox_reset();
	k = fk_boot();
	for (int i = 0; i < MAX_OPS && !fz_empty(&f); i++) {
		uint8_t op = fz_u8(&f), d = fz_u8(&f);
		uint32_t dirfd, fl, a[6] = { 0 };
		long ret;

		if (d < 128)
			dirfd = AT_FDCWD_LX;
		else if (d < 240)
			dirfd = nfds ? (uint32_t)fds[d % nfds] : AT_FDCWD_LX;
		else
			dirfd = d - 240u;
		put_path(k, &f, PATH_AT);
		fl = flags_of(fz_u16(&f));
		a[0] = dirfd;
		a[1] = PATH_AT;
		switch (op % 14) {
		case 0:
			a[2] = fl;
			a[3] = 0644;
			if (!fk_syscall(k, NR_openat, a, &ret))
				goto out;
			if (ret >= 0 && nfds < 8)
				fds[nfds++] = (int)ret;
			check_fds(k);
			continue;
		case 1:
			a[0] = PATH_AT;
			ret = NR_chdir;
			break;
		case 2:
			a[2] = 0755;
			ret = NR_mkdirat;
			break;
		case 3:
			a[2] = fl & 0x200;
			ret = NR_unlinkat;
			break;
		case 4: /* symlinkat(target, newdirfd, linkpath) */
			put_path(k, &f, PATH2_AT);
			a[0] = PATH_AT;
			a[1] = dirfd;
			a[2] = PATH2_AT;
			ret = NR_symlinkat;
			break;
		case 5:
			put_path(k, &f, PATH2_AT);
			a[2] = dirfd;
			a[3] = PATH2_AT;
			a[4] = fl & 7;
			ret = NR_renameat2;
			break;
		case 6:
			put_path(k, &f, PATH2_AT);
			a[2] = AT_FDCWD_LX;
			a[3] = PATH2_AT;
			a[4] = fl & 0x1400;
			ret = NR_linkat;
			break;
		case 7:
			a[2] = BUF_AT;
			a[3] = fz_u16(&f);
			ret = NR_readlinkat;
			break;
		case 8:
			a[2] = fl & 0x1100;
			a[3] = 0xfff;
			a[4] = BUF_AT;
			ret = NR_statx;
			break;
		case 9:
			a[2] = fl & 7;
			ret = NR_faccessat;
			break;
		case 10:
			a[2] = fl & 07777;
			ret = NR_fchmodat;
			break;
		case 11:
			a[0] = dirfd;
			a[1] = BUF_AT;
			a[2] = fz_u16(&f) % 0x2000;
			ret = NR_getdents64;
			break;
		case 12:
			a[0] = dirfd;
			ret = NR_close;
			break;
		default:
			/* Exec what the path names: init.elf, or a file an
			 * earlier call made; argv and envp empty. */
			a[0] = PATH_AT;
			a[1] = 0;
			a[2] = 0;
			ret = NR_execve;
			break;
		}
		if (!fk_syscall(k, (uint32_t)ret, a, &ret))
			goto out;
		check_fds(k);
	}
out:
	fk_shutdown(k);
	if (!fuzz_outside_intact())
		die("%s%s", "a call changed the directory beside the sandbox",
		    "");
	return 0;
}
