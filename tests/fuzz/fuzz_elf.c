/*
 * fuzz_elf: the ELF loader on arbitrary bytes.
 *
 * elf_load_mem() must refuse with a reason or describe an image whose
 * every promise holds: segments inside the file and the user address
 * space, sorted symbols, an entry point in an executable segment.  An
 * image it accepts is then exec'ed by a freshly booted kernel and run for
 * a moment, so that exec's mapping of odd segment layouts and the first
 * page faults on them are fuzzed too.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "kernel/fs/fs.h"
#include "kernel/kernel.h"
#include "loader/elf.h"

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_elf: %s:%d: %s\n", __FILE__,   \
				__LINE__, #cond);                            \
			abort();                                             \
		}                                                            \
	} while (0)

static void check_image(const struct elf_image *img, size_t len)
{
	bool entry_ok = false;

	CHECK(img->size == len && img->data);
	CHECK(img->nr_segs >= 1 && img->nr_segs <= ELF_MAX_SEGS);
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->seg[i];

		CHECK(s->filesz <= s->memsz);
		CHECK((uint64_t)s->offset + s->filesz <= len);
		CHECK((uint64_t)s->vaddr + s->memsz <= ELF_USER_TOP);
		if ((s->flags & ELF_SEG_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	CHECK(entry_ok);
	for (unsigned i = 0; i < img->nr_syms; i++) {
		const struct elf_symbol *s = &img->syms[i];

		CHECK(s->name);
		if (i)
			CHECK(img->syms[i - 1].addr <= s->addr);
		CHECK(elf_symbol_at(img, s->addr) != NULL);
		CHECK(elf_symbol_find(img, s->name) != NULL);
	}
	elf_symbol_at(img, 0);
	elf_symbol_at(img, img->entry);
	elf_symbol_at(img, UINT32_MAX);
}

/* Exec the accepted image as pid 1 of a small kernel, run it for a few
 * thousand instructions, then shut down. */
static void exec_image_in_kernel(const uint8_t *data, size_t len)
{
	static char *const argv[] = { "prog", NULL };
	static char *const envp[] = { "A=1", NULL };
	struct kernel_config kc;
	struct kernel *k = malloc(sizeof(*k));
	char path[4200], err[256];
	int fd;

	CHECK(k);
	snprintf(path, sizeof(path), "%s/prog.elf", fuzz_sandbox());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	CHECK(fd >= 0 && write(fd, data, len) == (ssize_t)len);
	close(fd);
	kernel_default_config(&kc);
	kc.ram = 8ull << 20;
	kc.root = fuzz_sandbox();
	kc.envp = (char **)envp;
	kc.kmsg = NULL;
	CHECK(kernel_boot(k, &kc) == 0);
	/* Failure to start is fine (too big for 8 MiB, say): it must only
	 * clean up after itself, which the leak checker sees. */
	if (kernel_spawn_init(k, path, argv, err, sizeof(err)) < 0) {
		CHECK(err[0]);
	} else {
		/* Run it a little, stdio closed (no host terminal I/O):
		 * the first faults read its segments from the file. */
		for (int i = 0; i < 3; i++)
			fd_uninstall(k, i);
		kernel_step(k, 20000, 0);
	}
	kernel_shutdown(k);
	free(k);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	char err[128];

	memset(err, 0, sizeof(err));
	if (elf_load_mem(&img, data, size, err, sizeof(err)) < 0) {
		CHECK(err[0] && memchr(err, 0, sizeof(err)));
		return 0;
	}
	check_image(&img, size);
	elf_free(&img);
	exec_image_in_kernel(data, size);
	return 0;
}
