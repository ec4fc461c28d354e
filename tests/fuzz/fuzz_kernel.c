/*
 * Booting a guest kernel for the fuzz targets (see fuzz_kernel.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_kernel.h"

#define LX_PROT_RW 3
#define LX_MAP_PRIVATE_ANON_FIXED (0x02 | 0x20 | 0x10)

static __attribute__((noreturn)) void fk_die(const char *what, long err)
{
	fprintf(stderr, "fuzz_kernel: %s: %ld\n", what, err);
	abort();
}

struct kernel *fk_boot(void)
{
	static char *const argv[] = { "init", NULL };
	static char *const envp[] = { "HOME=/", "TERM=dumb", NULL };
	struct kernel_config kc;
	struct kernel *k = malloc(sizeof(*k));
	char path[4200], err[256];
	long r;

	if (!k)
		fk_die("malloc", 0);
	kernel_default_config(&kc);
	kc.ram = 16ull << 20;
	kc.root = fuzz_sandbox();
	kc.envp = (char **)envp;
	kc.kmsg = NULL;	/* the log is still kept (dmesg), not echoed */
	r = kernel_boot(k, &kc);
	if (r)
		fk_die("kernel_boot", r);
	snprintf(path, sizeof(path), "%s/init.elf", kc.root);
	if (kernel_spawn_init(k, path, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_kernel: %s\n", err);
		abort();
	}
	for (int fd = 0; fd < 3; fd++)
		fd_uninstall(k, fd);
	r = sys_mmap(k, FK_SCRATCH, FK_SCRATCH_SIZE, LX_PROT_RW,
		     LX_MAP_PRIVATE_ANON_FIXED, -1, 0);
	if (r != (long)FK_SCRATCH)
		fk_die("mmap scratch", r);
	return k;
}

void fk_shutdown(struct kernel *k)
{
	kernel_shutdown(k);
	free(k);
}

int fk_poke(struct kernel *k, gva_t va, const void *src, uint32_t n)
{
	return copy_to_user(k, va, src, n) < 0 ? -EFAULT : 0;
}

bool fk_syscall(struct kernel *k, uint32_t nr, const uint32_t a[6],
		long *ret)
{
	struct task *t = k->current;
	struct cpu *c = &k->cpu;
	uint32_t pc = c->pc;

	c->x[17] = nr;
	memcpy(&c->x[10], a, 6 * sizeof(a[0]));
	do_syscall(k);
	*ret = c->pc == pc + 4 ? (long)(int32_t)c->x[10] : -ERESTARTSYS;
	if (k->current == t && t->state == TASK_RUNNING)
		signal_return_to_user(k);
	if (k->current != t || t->state != TASK_RUNNING) {
		/* As kernel_run leaves it: no current task once it died. */
		if (k->current == t && t->state == TASK_ZOMBIE)
			k->current = NULL;
		return false;
	}
	return true;
}
