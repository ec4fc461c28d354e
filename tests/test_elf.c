/*
 * Unit tests for src/loader/elf.c.
 *
 * Images are built in memory by a tiny ELF writer: a 52-byte header, room for
 * 24 program headers, a text segment (file 0x000-0x500, so it covers the
 * headers as ld's layout does) with code at 0x400, a data segment at file
 * 0x500 with bss after it, and a symbol table with section headers.  Each
 * refusal test breaks one field of that good image.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/elf.h"

#define TEXT_VADDR 0x10000u
#define CODE_OFF 0x400u
#define TEXT_FILESZ 0x500u
#define DATA_OFF 0x500u
#define DATA_VADDR 0x11500u
#define DATA_FILESZ 0x20u
#define DATA_MEMSZ 0x100u
#define STRTAB_OFF 0x600u
#define SYMTAB_OFF 0x680u
#define SHSTR_OFF 0x780u
#define SHDR_OFF 0x800u
#define NR_SHDR 5
#define IMG_LEN (SHDR_OFF + NR_SHDR * sizeof(Elf32_Shdr))

struct img {
	uint8_t b[4096];
	size_t len;
};

static Elf32_Ehdr *eh(struct img *m)
{
	return (Elf32_Ehdr *)m->b;
}

static Elf32_Phdr *ph(struct img *m, unsigned i)
{
	return (Elf32_Phdr *)(m->b + sizeof(Elf32_Ehdr)) + i;
}

static void set_load(Elf32_Phdr *p, uint32_t off, uint32_t vaddr,
		     uint32_t filesz, uint32_t memsz, uint32_t flags)
{
	p->p_type = PT_LOAD;
	p->p_offset = off;
	p->p_vaddr = p->p_paddr = vaddr;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_flags = flags;
	p->p_align = 0x1000;
}

/* Returns the offset of @s in the string table at @tab. */
static uint32_t add_str(struct img *m, uint32_t tab, uint32_t *used,
			const char *s)
{
	uint32_t at = *used;

	memcpy(m->b + tab + at, s, strlen(s) + 1);
	*used += strlen(s) + 1;
	return at;
}

static void build_good(struct img *m)
{
	Elf32_Ehdr *e = eh(m);
	Elf32_Shdr *sh = (Elf32_Shdr *)(m->b + SHDR_OFF);
	Elf32_Sym *sym = (Elf32_Sym *)(m->b + SYMTAB_OFF);
	uint32_t str = 1, shstr = 1;
	unsigned ns = 0;

	memset(m, 0, sizeof(*m));
	m->len = IMG_LEN;
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS32;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_RISCV;
	e->e_version = EV_CURRENT;
	e->e_entry = TEXT_VADDR + CODE_OFF;
	e->e_phoff = sizeof(Elf32_Ehdr);
	e->e_shoff = SHDR_OFF;
	e->e_ehsize = sizeof(Elf32_Ehdr);
	e->e_phentsize = sizeof(Elf32_Phdr);
	e->e_phnum = 3;
	e->e_shentsize = sizeof(Elf32_Shdr);
	e->e_shnum = NR_SHDR;
	e->e_shstrndx = 4;

	set_load(ph(m, 0), 0, TEXT_VADDR, TEXT_FILESZ, TEXT_FILESZ,
		 PF_R | PF_X);
	set_load(ph(m, 1), DATA_OFF, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ,
		 PF_R | PF_W);
	ph(m, 2)->p_type = PT_GNU_STACK;
	ph(m, 2)->p_flags = PF_R | PF_W;

	/* li a0, 0; li a7, 93; ecall */
	static const uint8_t code[] = { 0x13, 0x05, 0x00, 0x00, 0x93, 0x08,
					0xd0, 0x05, 0x73, 0x00, 0x00, 0x00 };
	memcpy(m->b + CODE_OFF, code, sizeof(code));
	memset(m->b + DATA_OFF, 0x5a, DATA_FILESZ);

	/* Symbols, deliberately out of address order. */
	ns++; /* the null symbol */
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "counter"),
				 DATA_VADDR, 4,
				 ELF32_ST_INFO(STB_GLOBAL, STT_OBJECT), 0, 1 };
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "helper"),
				 0x10420, 0x10,
				 ELF32_ST_INFO(STB_LOCAL, STT_FUNC), 0, 1 };
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "$x"), 0x10400,
				 0, ELF32_ST_INFO(STB_LOCAL, STT_NOTYPE), 0,
				 1 };
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "main"),
				 0x10400, 0x20,
				 ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), 0, 1 };
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "label"),
				 0x10410, 0,
				 ELF32_ST_INFO(STB_GLOBAL, STT_NOTYPE), 0, 1 };
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "file.c"), 0,
				 0, ELF32_ST_INFO(STB_LOCAL, STT_FILE), 0,
				 SHN_ABS };
	sym[ns++] = (Elf32_Sym){ 0, 0x10400, 0,
				 ELF32_ST_INFO(STB_LOCAL, STT_SECTION), 0,
				 1 };
	sym[ns++] = (Elf32_Sym){ add_str(m, STRTAB_OFF, &str, "ext"), 0, 0,
				 ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), 0,
				 SHN_UNDEF };

	sh[1] = (Elf32_Shdr){ add_str(m, SHSTR_OFF, &shstr, ".text"),
			      SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			      TEXT_VADDR + CODE_OFF, CODE_OFF, 0x100, 0, 0, 4,
			      0 };
	sh[2] = (Elf32_Shdr){ add_str(m, SHSTR_OFF, &shstr, ".symtab"),
			      SHT_SYMTAB, 0, 0, SYMTAB_OFF,
			      ns * sizeof(Elf32_Sym), 3, 1, 4,
			      sizeof(Elf32_Sym) };
	sh[3] = (Elf32_Shdr){ add_str(m, SHSTR_OFF, &shstr, ".strtab"),
			      SHT_STRTAB, 0, 0, STRTAB_OFF, str, 0, 0, 1, 0 };
	sh[4] = (Elf32_Shdr){ add_str(m, SHSTR_OFF, &shstr, ".shstrtab"),
			      SHT_STRTAB, 0, 0, SHSTR_OFF, shstr, 0, 0, 1, 0 };
}

static int load(struct img *m, struct elf_image *im, char *err, size_t n)
{
	return elf_load_mem(im, m->b, m->len, err, n);
}

static void expect_fail(struct img *m, const char *reason)
{
	struct elf_image im;
	char err[256] = "";
	int r = load(m, &im, err, sizeof(err));

	cr_assert_eq(r, -1, "loaded, expected \"%s\"", reason);
	cr_assert(strstr(err, reason) != NULL, "reason \"%s\" lacks \"%s\"",
		  err, reason);
	cr_assert_null(im.data, "image not freed on failure");
	cr_assert_null(im.syms);
	cr_assert_null(strchr(err, '\n'), "reason is not one line");
}

static void expect_ok(struct img *m, struct elf_image *im)
{
	char err[256] = "";
	int r = load(m, im, err, sizeof(err));

	cr_assert_eq(r, 0, "refused: %s", err);
}

Test(elf, good_image)
{
	struct img m;
	struct elf_image im;

	build_good(&m);
	expect_ok(&m, &im);
	cr_assert_not(im.pie);
	cr_assert_eq(im.bias, 0);
	cr_assert_eq(im.entry, 0x10400);
	cr_assert_eq(im.nr_segs, 2);
	cr_assert_eq(im.seg[0].vaddr, TEXT_VADDR);
	cr_assert_eq(im.seg[0].flags, ELF_SEG_R | ELF_SEG_X);
	cr_assert_eq(im.seg[1].vaddr, DATA_VADDR);
	cr_assert_eq(im.seg[1].filesz, DATA_FILESZ);
	cr_assert_eq(im.seg[1].memsz, DATA_MEMSZ);
	cr_assert_eq(im.seg[1].offset, DATA_OFF);
	cr_assert_eq(im.seg[1].flags, ELF_SEG_R | ELF_SEG_W);
	cr_assert_eq(im.phdr_vaddr, TEXT_VADDR + sizeof(Elf32_Ehdr));
	cr_assert_eq(im.phent, sizeof(Elf32_Phdr));
	cr_assert_eq(im.phnum, 3);
	cr_assert_eq(im.start_code, TEXT_VADDR);
	cr_assert_eq(im.end_code, TEXT_VADDR + TEXT_FILESZ);
	cr_assert_eq(im.start_data, DATA_VADDR);
	cr_assert_eq(im.end_data, DATA_VADDR + DATA_FILESZ);
	cr_assert_eq(im.brk_start, 0x12000);
	cr_assert_eq(im.size, IMG_LEN);
	cr_assert_eq(memcmp(im.data, m.b, IMG_LEN), 0);
	elf_free(&im);
	cr_assert_null(im.data);
}

Test(elf, symbols_sorted_and_filtered)
{
	struct img m;
	struct elf_image im;
	const struct elf_symbol *s;

	build_good(&m);
	expect_ok(&m, &im);
	cr_assert_eq(im.nr_syms, 4);
	cr_assert_str_eq(im.syms[0].name, "main");
	cr_assert_str_eq(im.syms[1].name, "label");
	cr_assert_str_eq(im.syms[2].name, "helper");
	cr_assert_str_eq(im.syms[3].name, "counter");
	cr_assert_eq(im.syms[0].type, STT_FUNC);
	cr_assert_eq(im.syms[0].size, 0x20);
	cr_assert_eq(im.syms[3].type, STT_OBJECT);

	s = elf_symbol_find(&im, "helper");
	cr_assert_not_null(s);
	cr_assert_eq(s->addr, 0x10420);
	cr_assert_null(elf_symbol_find(&im, "$x"));
	cr_assert_null(elf_symbol_find(&im, "ext"));
	cr_assert_null(elf_symbol_find(&im, "file.c"));

	cr_assert_str_eq(elf_symbol_at(&im, 0x10404)->name, "main");
	cr_assert_str_eq(elf_symbol_at(&im, 0x10400)->name, "main");
	cr_assert_str_eq(elf_symbol_at(&im, 0x10418)->name, "label");
	cr_assert_str_eq(elf_symbol_at(&im, 0x10fff)->name, "helper");
	cr_assert_str_eq(elf_symbol_at(&im, 0x20000)->name, "counter");
	cr_assert_null(elf_symbol_at(&im, 0x103ff));
	elf_free(&im);
}

Test(elf, no_section_headers_means_no_symbols)
{
	struct img m;
	struct elf_image im;

	build_good(&m);
	eh(&m)->e_shoff = 0;
	eh(&m)->e_shnum = 0;
	eh(&m)->e_shstrndx = 0;
	expect_ok(&m, &im);
	cr_assert_eq(im.nr_syms, 0);
	cr_assert_null(elf_symbol_at(&im, 0x10400));
	cr_assert_null(elf_symbol_find(&im, "main"));
	elf_free(&im);
}

Test(elf, static_pie_gets_bias)
{
	struct img m;
	struct elf_image im;

	build_good(&m);
	eh(&m)->e_type = ET_DYN;
	eh(&m)->e_entry = CODE_OFF;
	set_load(ph(&m, 0), 0, 0, TEXT_FILESZ, TEXT_FILESZ, PF_R | PF_X);
	set_load(ph(&m, 1), DATA_OFF, 0x1500, DATA_FILESZ, DATA_MEMSZ,
		 PF_R | PF_W);
	Elf32_Sym *sym = (Elf32_Sym *)(m.b + SYMTAB_OFF);
	for (unsigned i = 1; i < 9; i++)
		if (sym[i].st_value >= TEXT_VADDR)
			sym[i].st_value -= TEXT_VADDR;
	expect_ok(&m, &im);
	cr_assert(im.pie);
	cr_assert_eq(im.bias, ELF_PIE_BASE);
	cr_assert_eq(im.entry, ELF_PIE_BASE + CODE_OFF);
	cr_assert_eq(im.seg[0].vaddr, ELF_PIE_BASE);
	cr_assert_eq(im.seg[1].vaddr, ELF_PIE_BASE + 0x1500);
	cr_assert_eq(im.phdr_vaddr, ELF_PIE_BASE + sizeof(Elf32_Ehdr));
	cr_assert_eq(im.brk_start, ELF_PIE_BASE + 0x2000);
	cr_assert_eq(elf_symbol_find(&im, "main")->addr,
		     ELF_PIE_BASE + CODE_OFF);
	elf_free(&im);
}

Test(elf, pt_phdr_wins)
{
	struct img m;
	struct elf_image im;
	Elf32_Phdr *p;

	build_good(&m);
	eh(&m)->e_phnum = 4;
	p = ph(&m, 3);
	p->p_type = PT_PHDR;
	p->p_offset = sizeof(Elf32_Ehdr);
	p->p_vaddr = 0x10080; /* deliberately not the file-derived address */
	p->p_filesz = p->p_memsz = 4 * sizeof(Elf32_Phdr);
	expect_ok(&m, &im);
	cr_assert_eq(im.phdr_vaddr, 0x10080);
	cr_assert_eq(im.phnum, 4);
	elf_free(&im);
}

Test(elf, phdr_not_loaded_gives_zero)
{
	struct img m;
	struct elf_image im;

	build_good(&m);
	set_load(ph(&m, 0), CODE_OFF, TEXT_VADDR + CODE_OFF, 0x100, 0x100,
		 PF_R | PF_X);
	expect_ok(&m, &im);
	cr_assert_eq(im.phdr_vaddr, 0);
	cr_assert_eq(im.start_code, TEXT_VADDR + CODE_OFF);
	elf_free(&im);
}

Test(elf, adjacent_segments_sharing_a_page_are_fine)
{
	struct img m;
	struct elf_image im;

	build_good(&m);
	/* data starts on the byte after text, in the same page */
	set_load(ph(&m, 1), DATA_OFF, TEXT_VADDR + DATA_OFF, DATA_FILESZ,
		 DATA_MEMSZ, PF_R | PF_W);
	expect_ok(&m, &im);
	cr_assert_eq(im.brk_start, 0x11000);
	elf_free(&im);
}

Test(elf, zero_sized_load_is_skipped)
{
	struct img m;
	struct elf_image im;

	build_good(&m);
	eh(&m)->e_phnum = 4;
	set_load(ph(&m, 3), 0, 0x30000, 0, 0, PF_R);
	expect_ok(&m, &im);
	cr_assert_eq(im.nr_segs, 2);
	elf_free(&im);
}

/* --- one test per refusal --------------------------------------------- */

Test(elf_refuse, empty)
{
	struct img m;

	build_good(&m);
	m.len = 0;
	expect_fail(&m, "empty file");
}

Test(elf_refuse, not_elf)
{
	struct img m;

	build_good(&m);
	memcpy(m.b, "#!/bin/sh\n", 10);
	expect_fail(&m, "not an ELF file");
	m.len = 3;
	memcpy(m.b, ELFMAG, 3);
	expect_fail(&m, "not an ELF file");
}

Test(elf_refuse, truncated_header)
{
	struct img m;

	build_good(&m);
	m.len = 40;
	expect_fail(&m, "truncated ELF header");
	m.len = 10;
	expect_fail(&m, "truncated ELF header");
}

Test(elf_refuse, class64)
{
	struct img m;

	build_good(&m);
	m.b[EI_CLASS] = ELFCLASS64;
	expect_fail(&m, "64-bit");
	m.b[EI_CLASS] = 7;
	expect_fail(&m, "invalid ELF class");
}

Test(elf_refuse, big_endian)
{
	struct img m;

	build_good(&m);
	m.b[EI_DATA] = ELFDATA2MSB;
	expect_fail(&m, "big-endian");
	m.b[EI_DATA] = 0;
	expect_fail(&m, "data encoding");
}

Test(elf_refuse, wrong_machine)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_machine = EM_X86_64;
	expect_fail(&m, "wrong machine: x86-64");
	eh(&m)->e_machine = 0x1234;
	expect_fail(&m, "wrong machine: EM 4660");
}

Test(elf_refuse, relocatable)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_type = ET_REL;
	expect_fail(&m, "not an executable (relocatable");
}

Test(elf_refuse, core)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_type = ET_CORE;
	expect_fail(&m, "not an executable (core");
}

Test(elf_refuse, dynamic)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_type = ET_DYN;
	eh(&m)->e_phnum = 4;
	ph(&m, 3)->p_type = PT_INTERP;
	ph(&m, 3)->p_offset = 0x700;
	ph(&m, 3)->p_filesz = 8;
	expect_fail(&m, "dynamically linked programs are not supported");
}

Test(elf_refuse, no_program_headers)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_phnum = 0;
	expect_fail(&m, "no program headers");
}

Test(elf_refuse, no_load)
{
	struct img m;

	build_good(&m);
	ph(&m, 0)->p_type = PT_NOTE;
	ph(&m, 1)->p_type = PT_NOTE;
	expect_fail(&m, "no PT_LOAD");
}

Test(elf_refuse, truncated_program_headers)
{
	struct img m;

	build_good(&m);
	m.len = sizeof(Elf32_Ehdr) + 40;
	expect_fail(&m, "truncated program headers");
	build_good(&m);
	eh(&m)->e_phoff = 0xfffffff0;
	expect_fail(&m, "truncated program headers");
}

Test(elf_refuse, too_many_program_headers)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_phnum = 3000;
	expect_fail(&m, "too many program headers");
	eh(&m)->e_phnum = PN_XNUM;
	expect_fail(&m, "too many program headers");
}

Test(elf_refuse, bad_phentsize)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_phentsize = 56;
	expect_fail(&m, "program header entry size");
}

Test(elf_refuse, filesz_over_memsz)
{
	struct img m;

	build_good(&m);
	ph(&m, 1)->p_filesz = DATA_MEMSZ + 1;
	expect_fail(&m, "exceeds memory size");
}

Test(elf_refuse, file_range_outside)
{
	struct img m;

	build_good(&m);
	ph(&m, 1)->p_filesz = DATA_MEMSZ;
	m.len = DATA_OFF + 0x10;
	expect_fail(&m, "outside the file");
	build_good(&m);
	ph(&m, 1)->p_offset = 0xfffff500;
	expect_fail(&m, "outside the file");
}

Test(elf_refuse, beyond_32bit)
{
	struct img m;

	build_good(&m);
	/* The kernel half (rv32 TASK_SIZE 0xc0000000 and up) is refused. */
	set_load(ph(&m, 1), DATA_OFF, 0xd0000500, DATA_FILESZ, 0x2000,
		 PF_R | PF_W);
	expect_fail(&m, "beyond the user address space");
	set_load(ph(&m, 1), DATA_OFF, 0xffffe500, DATA_FILESZ, 0x2000,
		 PF_R | PF_W);
	expect_fail(&m, "beyond the user address space");
	set_load(ph(&m, 1), DATA_OFF, 0x00001500, DATA_FILESZ, 0xffffff00,
		 PF_R | PF_W);
	expect_fail(&m, "beyond the user address space");
}

Test(elf_refuse, pie_bias_overflow)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_type = ET_DYN;
	eh(&m)->e_entry = CODE_OFF;
	set_load(ph(&m, 0), 0, 0, TEXT_FILESZ, TEXT_FILESZ, PF_R | PF_X);
	set_load(ph(&m, 1), DATA_OFF, 0xffbff500, DATA_FILESZ, DATA_MEMSZ,
		 PF_R | PF_W);
	expect_fail(&m, "beyond the user address space");
}

Test(elf_refuse, overlapping)
{
	struct img m;

	build_good(&m);
	set_load(ph(&m, 1), CODE_OFF, TEXT_VADDR + CODE_OFF, DATA_FILESZ,
		 DATA_MEMSZ, PF_R | PF_W);
	expect_fail(&m, "overlap");
}

Test(elf_refuse, below_mmap_min_addr)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_entry = CODE_OFF;
	set_load(ph(&m, 0), 0, 0, TEXT_FILESZ, TEXT_FILESZ, PF_R | PF_X);
	expect_fail(&m, "below mmap_min_addr (4096)");
}

Test(elf_refuse, too_many_segments)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_phnum = 20;
	for (unsigned i = 2; i < 20; i++)
		set_load(ph(&m, i), 0, 0x20000 + i * 0x1000, 0, 0x10, PF_R);
	expect_fail(&m, "too many PT_LOAD segments");
}

/* Linux's maximum_alignment() skips such values; the file still loads. */
Test(elf_good, align_not_power_of_two_is_ignored)
{
	struct img m;
	struct elf_image img;

	build_good(&m);
	ph(&m, 1)->p_align = 0x3000;
	expect_ok(&m, &img);
	cr_assert_eq(img.seg[1].align, 0x1000);
	elf_free(&img);
}

Test(elf_refuse, not_congruent)
{
	struct img m;

	build_good(&m);
	ph(&m, 1)->p_vaddr = DATA_VADDR + 4;
	expect_fail(&m, "not congruent");
}

Test(elf_refuse, entry_not_executable)
{
	struct img m;

	build_good(&m);
	eh(&m)->e_entry = DATA_VADDR;
	expect_fail(&m, "entry point 0x11500 is not inside an executable");
	eh(&m)->e_entry = 0x80000000;
	expect_fail(&m, "not inside an executable");
	build_good(&m);
	ph(&m, 0)->p_flags = PF_R;
	expect_fail(&m, "none is executable");
}

/* --- files -------------------------------------------------------------- */

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(buf, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

Test(elf_file, good_and_bad_files)
{
	char dir[] = "/tmp/test_elf.XXXXXX";
	char path[64], err[256];
	struct elf_image im;
	struct img m;

	cr_assert_not_null(mkdtemp(dir));
	build_good(&m);

	snprintf(path, sizeof(path), "%s/good", dir);
	write_file(path, m.b, m.len);
	cr_assert_eq(elf_load_file(&im, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(im.entry, 0x10400);
	cr_assert_eq(im.size, IMG_LEN);
	elf_free(&im);
	unlink(path);

	snprintf(path, sizeof(path), "%s/empty", dir);
	write_file(path, "", 0);
	cr_assert_eq(elf_load_file(&im, path, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "empty file");
	unlink(path);

	snprintf(path, sizeof(path), "%s/text", dir);
	write_file(path, "hello\n", 6);
	cr_assert_eq(elf_load_file(&im, path, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "not an ELF file");
	cr_assert_null(im.data);
	unlink(path);

	snprintf(path, sizeof(path), "%s/missing", dir);
	cr_assert_eq(elf_load_file(&im, path, err, sizeof(err)), -1);
	cr_assert(strstr(err, "No such file") != NULL, "%s", err);

	cr_assert_eq(elf_load_file(&im, dir, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "is a directory");
	cr_assert_eq(rmdir(dir), 0);
}

Test(elf_file, unreadable)
{
	char err[256];
	struct elf_image im;

	if (geteuid() == 0)
		cr_skip_test("running as root: permissions are not enforced");
	cr_assert_eq(elf_load_file(&im, "/etc/shadow", err, sizeof(err)), -1);
	cr_assert(err[0] != '\0');
}

Test(elf_file, guest_hello)
{
	const char *bin = getenv("GUEST_BIN");
	char path[4096], err[256];
	struct elf_image im;
	const struct elf_symbol *s;

	if (!bin)
		bin = "guest/bin";
	snprintf(path, sizeof(path), "%s/hello.elf", bin);
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not built", path);
	cr_assert_eq(elf_load_file(&im, path, err, sizeof(err)), 0, "%s", err);

	const Elf32_Ehdr *e = (const Elf32_Ehdr *)im.data;
	cr_assert_not(im.pie);
	cr_assert_eq(im.entry, e->e_entry);
	cr_assert_eq(im.phnum, e->e_phnum);
	cr_assert_geq(im.nr_segs, 2);
	cr_assert_eq(im.seg[0].flags & ELF_SEG_X, ELF_SEG_X);
	cr_assert_eq(im.seg[0].offset, 0);
	cr_assert_eq(im.phdr_vaddr, im.seg[0].vaddr + e->e_phoff);
	cr_assert_eq(im.start_code, im.seg[0].vaddr);
	cr_assert(im.brk_start % PAGE_SIZE == 0);
	cr_assert_geq(im.brk_start, im.end_data);
	cr_assert_lt(im.start_code, im.start_data);

	s = elf_symbol_find(&im, "main");
	cr_assert_not_null(s);
	cr_assert_eq(s->type, STT_FUNC);
	cr_assert_geq(s->addr, im.start_code);
	cr_assert_lt(s->addr, im.end_code);
	cr_assert_eq(elf_symbol_at(&im, s->addr + 2), s);
	s = elf_symbol_find(&im, "_start");
	cr_assert_not_null(s);
	cr_assert_eq(s->addr, im.entry);
	for (unsigned i = 1; i < im.nr_syms; i++)
		cr_assert_leq(im.syms[i - 1].addr, im.syms[i].addr);
	elf_free(&im);
}

/* --- robustness ------------------------------------------------------- */

static void check_result(int r, struct elf_image *im, const char *err)
{
	if (r == 0) {
		cr_assert_not_null(im->data);
		cr_assert_gt(im->nr_segs, 0);
		cr_assert_leq(im->nr_segs, ELF_MAX_SEGS);
		for (unsigned i = 0; i < im->nr_segs; i++) {
			const struct elf_segment *s = &im->seg[i];

			cr_assert_leq(s->filesz, s->memsz);
			cr_assert_leq((uint64_t)s->offset + s->filesz,
				      im->size);
			cr_assert_geq(s->vaddr, 4096);
		}
		for (unsigned i = 0; i < im->nr_syms; i++)
			cr_assert_not_null(im->syms[i].name);
		elf_free(im);
	} else {
		cr_assert_eq(r, -1);
		cr_assert(err[0] != '\0', "empty reason");
		cr_assert_null(im->data);
	}
}

Test(elf_fuzz, every_truncation)
{
	struct img m;
	struct elf_image im;
	char err[256];

	build_good(&m);
	for (size_t len = 0; len <= IMG_LEN; len++) {
		err[0] = '\0';
		int r = elf_load_mem(&im, m.b, len, err, sizeof(err));

		check_result(r, &im, err);
		/* Everything past the data segment is optional. */
		if (len >= DATA_OFF + DATA_FILESZ)
			cr_assert_eq(r, 0, "len %zu: %s", len, err);
		else
			cr_assert_eq(r, -1, "len %zu loaded", len);
	}
}

/* xorshift32: a fixed, seedable sequence. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

Test(elf_fuzz, random_header_flips)
{
	struct img m;
	struct elf_image im;
	char err[256];
	unsigned loaded = 0, refused = 0;

	for (uint32_t seed = 1; seed <= 600; seed++) {
		uint32_t s = seed * 2654435761u;
		unsigned flips = 1 + rnd(&s) % 6;

		build_good(&m);
		for (unsigned k = 0; k < flips; k++) {
			uint32_t at, r = rnd(&s);

			/* Mostly headers, sometimes the symbol table parts. */
			switch (r % 4) {
			case 0:
				at = r / 4 % sizeof(Elf32_Ehdr);
				break;
			case 1:
				at = sizeof(Elf32_Ehdr) +
				     r / 4 % (4 * sizeof(Elf32_Phdr));
				break;
			case 2:
				at = SHDR_OFF + r / 4 % (IMG_LEN - SHDR_OFF);
				break;
			default:
				at = STRTAB_OFF + r / 4 % (SHDR_OFF - STRTAB_OFF);
				break;
			}
			m.b[at] ^= (uint8_t)(1u << (rnd(&s) % 8));
			if (rnd(&s) % 3 == 0)
				m.b[at] = (uint8_t)rnd(&s);
		}
		if (rnd(&s) % 4 == 0)
			m.len = rnd(&s) % (IMG_LEN + 1);
		err[0] = '\0';
		int r = elf_load_mem(&im, m.b, m.len, err, sizeof(err));

		check_result(r, &im, err);
		if (r == 0)
			loaded++;
		else
			refused++;
	}
	/* Both outcomes happen, or the mutation is not exercising much. */
	cr_assert_gt(loaded, 0);
	cr_assert_gt(refused, 0);
}

Test(elf_fuzz, tiny_error_buffer)
{
	struct img m;
	struct elf_image im;
	char err[4] = "xyz";

	build_good(&m);
	eh(&m)->e_machine = EM_386;
	cr_assert_eq(elf_load_mem(&im, m.b, m.len, err, sizeof(err)), -1);
	cr_assert_eq(strlen(err), 3);
	cr_assert_eq(elf_load_mem(&im, m.b, m.len, NULL, 0), -1);
}
