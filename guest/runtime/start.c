/*
 * C start-up for Linux rv32 static programs linked with picolibc and ld's
 * default ELF layout (not picolibc's flash/RAM script).
 *
 * Entered from crt0.S with a pointer to the initial stack the kernel built:
 *   sp -> argc, argv[0..argc-1], NULL, envp[0..], NULL, auxv pairs, AT_NULL.
 * Sets up thread-local storage from the PT_TLS program header found through
 * AT_PHDR/AT_PHNUM, runs the constructors, calls main and exits with its
 * result.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmulab.h"
#include "syscall.h"

extern char **environ;
extern int main(int, char **, char **);
extern void __libc_init_array(void);
void __mmulab_start(uintptr_t *sp) __attribute__((noreturn, used));

static uint32_t auxv_values[64];

unsigned long getauxval(unsigned long type)
{
	return type < 64 ? auxv_values[type] : 0;
}

/*
 * The TLS block of the main thread.  RISC-V uses TLS variant I with a
 * zero-sized TCB: tp points at the start of the block and the linker's
 * tp-relative offsets start at 0.  Programs with more TLS than this get it
 * from the heap.
 */
static uint8_t tls_static[256] __attribute__((aligned(64)));

static void init_tls(void)
{
	const Elf32_Phdr *ph = (const Elf32_Phdr *)auxv_values[AT_PHDR];
	uint32_t n = auxv_values[AT_PHNUM];
	uint8_t *block = tls_static;

	for (uint32_t i = 0; ph && i < n; i++) {
		if (ph[i].p_type != PT_TLS)
			continue;
		uint32_t align = ph[i].p_align ? ph[i].p_align : 1;
		uint32_t size = ph[i].p_memsz;
		if (size > sizeof(tls_static) || align > 64) {
			/* errno lives in TLS, so no libc call may run yet:
			 * take the block straight from brk. */
			uintptr_t cur = (uintptr_t)__syscall1(SYS_brk, 0);
			uintptr_t want = cur + size + align;
			if ((uintptr_t)__syscall1(SYS_brk, want) != want)
				__syscall1(SYS_exit_group, 127);
			block = (uint8_t *)((cur + align - 1) &
					    ~(uintptr_t)(align - 1));
		}
		memcpy(block, (const void *)ph[i].p_vaddr, ph[i].p_filesz);
		memset(block + ph[i].p_filesz, 0, size - ph[i].p_filesz);
		break;
	}
	__asm__ volatile("mv tp, %0" : : "r"(block));
}

void __mmulab_start(uintptr_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	uintptr_t *auxv = (uintptr_t *)envp;

	while (*auxv)
		auxv++;
	for (auxv++; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] < 64)
			auxv_values[auxv[0]] = auxv[1];
	environ = envp;
	init_tls();
	__mmulab_stdio_init();
	__libc_init_array();
	exit(main(argc, argv, envp));
}
