/*
 * ELF32 RISC-V program loading, through libelf.
 *
 * elf_load_mem() validates an image and describes it; it maps nothing.  The
 * kernel turns the PT_LOAD segments into file-backed private VMAs (bss into
 * anonymous memory) and demand-pages them from @data.
 */
#ifndef MMULAB_LOADER_ELF_H
#define MMULAB_LOADER_ELF_H

#include "types.h"

#define ELF_MAX_SEGS 16

#define ELF_SEG_R 4 /* PF_R */
#define ELF_SEG_W 2 /* PF_W */
#define ELF_SEG_X 1 /* PF_X */

struct elf_segment {
	uint32_t vaddr;	 /* after the load bias */
	uint32_t memsz;
	uint32_t filesz;
	uint32_t offset; /* file offset of the first byte */
	uint32_t flags;	 /* ELF_SEG_R | W | X */
	uint32_t align;
};

struct elf_symbol {
	uint32_t addr;	/* after the load bias */
	uint32_t size;
	uint8_t type;	/* STT_FUNC, STT_OBJECT, ... */
	char *name;
};

struct elf_image {
	uint8_t *data;		/* the whole file (owned) */
	size_t size;
	bool pie;		/* ET_DYN (static PIE) */
	uint32_t bias;		/* load bias added to every address */
	uint32_t entry;		/* after the bias */
	uint32_t phdr_vaddr;	/* AT_PHDR: program headers in memory */
	uint16_t phent, phnum;	/* AT_PHENT, AT_PHNUM */
	uint32_t start_code, end_code, start_data, end_data; /* like mm's */
	uint32_t brk_start;	/* page-aligned end of the highest segment */
	unsigned nr_segs;
	struct elf_segment seg[ELF_MAX_SEGS];
	unsigned nr_syms;
	struct elf_symbol *syms; /* functions and objects, sorted by addr */
};

/* End of the user address space (rv32 Linux's TASK_SIZE). */
#define ELF_USER_TOP 0xc0000000u

/* The base used for a static PIE (ET_DYN), as Linux's ELF_ET_DYN_BASE. */
#define ELF_PIE_BASE 0x00400000u

/*
 * Validate and describe the ELF image in @buf (@len bytes, copied).  On
 * failure returns -1 with a one-line reason in @err ("not an ELF file",
 * "ELF class is not 32-bit", ...), and frees everything.
 */
int elf_load_mem(struct elf_image *img, const void *buf, size_t len,
		 char *err, size_t errlen) __must_check;

/* The same from a host file; the reason names directories, empty files
 * and unreadable files. */
int elf_load_file(struct elf_image *img, const char *path, char *err,
		  size_t errlen) __must_check;

void elf_free(struct elf_image *img);

/* The symbol containing @addr (or the nearest below it), NULL if none. */
const struct elf_symbol *elf_symbol_at(const struct elf_image *img,
				       uint32_t addr);

/* The symbol named @name, NULL if none. */
const struct elf_symbol *elf_symbol_find(const struct elf_image *img,
					 const char *name);

#endif
