/*
 * Shared pieces of the fuzz targets: a reader that turns the fuzzer's
 * bytes into values, the sandbox directory the kernel's hostfs serves, and
 * a minimal guest ELF.  Nothing here knows the kernel's internals (see
 * fuzz_kernel.h for that).
 *
 * Every target is a libFuzzer LLVMFuzzerTestOneInput; an input must leave
 * no state behind that changes what the next one does, or a crash found
 * after a million inputs would not reproduce from its file alone.
 */
#ifndef MMULAB_TESTS_FUZZ_FUZZ_H
#define MMULAB_TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Consumes the input front to back; past its end every value reads 0. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline bool fz_empty(const struct fz *f)
{
	return f->n == 0;
}

static inline uint8_t fz_u8(struct fz *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

static inline uint16_t fz_u16(struct fz *f)
{
	return (uint16_t)(fz_u8(f) | fz_u8(f) << 8);
}

static inline uint32_t fz_u32(struct fz *f)
{
	return (uint32_t)fz_u16(f) | (uint32_t)fz_u16(f) << 16;
}

/* Up to @max bytes (fewer when the input runs out); their count. */
size_t fz_bytes(struct fz *f, void *dst, size_t max);

/*
 * The sandbox: BASE/root in a fresh directory BASE under $FUZZ_TMPDIR,
 * /dev/shm, $TMPDIR or /tmp (the first writable), never the source tree
 * or $HOME, removed at exit; BASE/outside holds a
 * canary file (fuzz_outside_intact).  The sandbox holds
 *	file		"hello, sandbox\n"
 *	init.elf	the minimal guest program below
 *	dir/		with dir/inner and dir/sub/
 *	dir/up -> ..	    in-sandbox relative links
 *	link -> file
 *	loop -> loop
 *	escape -> ../../../../..   links that point outside: hostfs must
 *	etc -> /etc		   keep them inside (RESOLVE_IN_ROOT)
 *	passwd -> /etc/passwd
 *	host -> <the sandbox's own absolute path>
 * fuzz_sandbox() creates it once per process and returns its path;
 * fuzz_sandbox_reset() puts it back to that state (for targets whose
 * inputs create, rename and delete files in it).
 */
const char *fuzz_sandbox(void);
void fuzz_sandbox_reset(void);

/* False when anything beside the sandbox changed: a file appeared in,
 * vanished from or was written in the directory next to it. */
bool fuzz_outside_intact(void);

/* True when the host path @p (absolute, symlinks resolved) is the
 * sandbox or lies inside it. */
bool fuzz_in_sandbox(const char *p);

/*
 * A minimal static ELF32 RISC-V executable: one PT_LOAD, R X, at 0x10000,
 * whose code loops on `ecall`.  Writes it into @buf (at least
 * FUZZ_MINI_ELF_MAX bytes) and returns its size.
 */
#define FUZZ_MINI_ELF_MAX 256
#define FUZZ_MINI_ELF_ENTRY 0x10054u
size_t fuzz_mini_elf(uint8_t *buf);

#endif
