/*
 * Shared pieces of the fuzz targets (see fuzz.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

size_t fz_bytes(struct fz *f, void *dst, size_t max)
{
	size_t n = max < f->n ? max : f->n;

	memcpy(dst, f->p, n);
	f->p += n;
	f->n -= n;
	return n;
}

/* BASE/root is the sandbox, BASE/outside holds a canary: a file that
 * only an escape from the sandbox can change. */
static char base[PATH_MAX];	/* real path of BASE; "" until created */
static char sandbox[PATH_MAX + 8];
static const char canary[] = "outside the sandbox\n";

static __attribute__((noreturn)) void die(const char *what)
{
	perror(what);
	abort();
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

size_t fuzz_mini_elf(uint8_t *b)
{
	/* Elf32_Ehdr (52 bytes), one Elf32_Phdr (32), then the code:
	 *	0x10054: ecall		(0x00000073)
	 *	0x10058: j 0x10054	(jal x0, -4: 0xffdff06f) */
	const size_t size = 52 + 32 + 8;

	memset(b, 0, FUZZ_MINI_ELF_MAX);
	memcpy(b, "\177ELF\1\1\1", 7);	/* ELF32, little endian, v1 */
	put16(b + 16, 2);		/* e_type ET_EXEC */
	put16(b + 18, 243);		/* e_machine EM_RISCV */
	put32(b + 20, 1);		/* e_version */
	put32(b + 24, FUZZ_MINI_ELF_ENTRY);
	put32(b + 28, 52);		/* e_phoff */
	put32(b + 36, 1);		/* e_flags: RVC */
	put16(b + 40, 52);		/* e_ehsize */
	put16(b + 42, 32);		/* e_phentsize */
	put16(b + 44, 1);		/* e_phnum */
	put16(b + 46, 40);		/* e_shentsize */
	uint8_t *ph = b + 52;
	put32(ph + 0, 1);		/* PT_LOAD */
	put32(ph + 4, 0);		/* p_offset */
	put32(ph + 8, 0x10000);		/* p_vaddr */
	put32(ph + 12, 0x10000);	/* p_paddr */
	put32(ph + 16, (uint32_t)size);	/* p_filesz */
	put32(ph + 20, (uint32_t)size);	/* p_memsz */
	put32(ph + 24, 5);		/* PF_R | PF_X */
	put32(ph + 28, 0x1000);		/* p_align */
	put32(b + 84, 0x00000073);
	put32(b + 88, 0xffdff06f);
	return size;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	/* Depth first: the sandbox directory itself (level 0) stays. */
	if (ftw->level > 0 && remove(path) < 0)
		die(path);
	return 0;
}

static void empty_sandbox(void)
{
	if (nftw(sandbox, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		die("nftw sandbox");
}

static int rm_any(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void rm_sandbox(void)
{
	if (base[0])
		nftw(base, rm_any, 16, FTW_DEPTH | FTW_PHYS);
}

static void put_file(const char *name, const void *data, size_t len,
		     mode_t mode)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", sandbox, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		die(p);
	close(fd);
}

static void put_dir(const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", sandbox, name);
	if (mkdir(p, 0755) < 0)
		die(p);
}

static void put_link(const char *target, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", sandbox, name);
	if (symlink(target, p) < 0)
		die(p);
}

static void populate(void)
{
	static const char hello[] = "hello, sandbox\n";
	uint8_t elf[FUZZ_MINI_ELF_MAX];

	/* The root may have lost its bits to a fuzzed fchmodat. */
	chmod(sandbox, 0755);
	put_file("file", hello, sizeof(hello) - 1, 0644);
	put_file("init.elf", elf, fuzz_mini_elf(elf), 0755);
	put_dir("dir");
	put_dir("dir/sub");
	put_file("dir/inner", hello, sizeof(hello) - 1, 0600);
	put_link("..", "dir/up");
	put_link("file", "link");
	put_link("loop", "loop");
	put_link("../../../../..", "escape");
	put_link("/etc", "etc");
	put_link("/etc/passwd", "passwd");
	put_link(sandbox, "host");
}

const char *fuzz_sandbox(void)
{
	/* tmpfs first: each input of the file-system targets rebuilds the
	 * sandbox, seven times faster there than on a journalled disk. */
	const char *dirs[] = { getenv("FUZZ_TMPDIR"), "/dev/shm",
			       getenv("TMPDIR"), "/tmp" };
	const char *tmp = "/tmp";
	char tmpl[256];

	if (sandbox[0])
		return sandbox;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (dirs[i] && *dirs[i] && access(dirs[i], W_OK | X_OK) == 0) {
			tmp = dirs[i];
			break;
		}
	}
	snprintf(tmpl, sizeof(tmpl), "%s/mmulab-fuzz-XXXXXX", tmp);
	if (!mkdtemp(tmpl))
		die("mkdtemp");
	if (!realpath(tmpl, base))
		die("realpath sandbox");
	atexit(rm_sandbox);
	snprintf(sandbox, sizeof(sandbox), "%s/outside", base);
	if (mkdir(sandbox, 0755) < 0)
		die(sandbox);
	snprintf(sandbox, sizeof(sandbox), "%s/root", base);
	if (mkdir(sandbox, 0755) < 0)
		die(sandbox);
	populate();
	put_file("../outside/canary", canary, sizeof(canary) - 1, 0644);
	return sandbox;
}

void fuzz_sandbox_reset(void)
{
	fuzz_sandbox();
	empty_sandbox();
	populate();
}

/* Entries of directory @p besides . and .., or -1. */
static int count_entries(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

bool fuzz_outside_intact(void)
{
	char p[PATH_MAX + 32], buf[sizeof(canary) + 1];
	int fd, n;

	/* BASE holds root and outside; outside holds the canary only. */
	snprintf(p, sizeof(p), "%s/outside", base);
	if (count_entries(base) != 2 || count_entries(p) != 1)
		return false;
	snprintf(p, sizeof(p), "%s/outside/canary", base);
	fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = (int)read(fd, buf, sizeof(buf));
	close(fd);
	return n == (int)sizeof(canary) - 1 && !memcmp(buf, canary, (size_t)n);
}

bool fuzz_in_sandbox(const char *p)
{
	size_t n = strlen(sandbox);

	return n && !strncmp(p, sandbox, n) && (p[n] == '/' || !p[n]);
}
