/*
 * ELF32 RISC-V program loading, through libelf.
 *
 * The checks follow Linux's load_elf_binary() where Linux has one, and are
 * stricter where a learner is better served by a clear refusal than by a
 * strange crash later (entry outside any executable segment, overlapping
 * segments).  Every refusal is one line in the caller's buffer; nothing in
 * here prints.
 *
 * Order of work: the identification bytes are checked by hand (libelf would
 * only say "invalid file"), then libelf parses the headers of our private
 * copy of the image.  Before libelf is asked for the program headers their
 * file range is checked against the image size, so that a truncated file is
 * reported as such.  Symbols are optional: a damaged or missing symbol
 * table leaves the image loadable, without symbols.
 */
#include "loader/elf.h"

#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Linux's default vm.mmap_min_addr: nothing may be mapped below it. */
#define ELF_MMAP_MIN_ADDR 4096u
/* Segments must lie in the user part of the address space (rv32 Linux's
 * TASK_SIZE, 3 GiB; load_elf_binary refuses anything beyond it). */
#define ELF_VA_LIMIT ELF_USER_TOP
/* Linux refuses program header tables larger than 64 KiB: 2048 entries. */
#define ELF_MAX_PHNUM (65536u / sizeof(Elf32_Phdr))
#define ELF_MAX_FILE (256u << 20)

struct load_ctx {
	struct elf_image *img;
	Elf *elf;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct load_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int fail_libelf(struct load_ctx *c, const char *what)
{
	const char *msg = elf_errmsg(-1);

	return fail(c, "%s: %s", what, msg ? msg : "libelf error");
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386:
		return "Intel 80386";
	case EM_ARM:
		return "ARM";
	case EM_X86_64:
		return "x86-64";
	case EM_AARCH64:
		return "AArch64";
	case EM_MIPS:
		return "MIPS";
	case EM_PPC:
		return "PowerPC";
	case EM_PPC64:
		return "PowerPC64";
	case EM_S390:
		return "S/390";
	case EM_SPARC:
		return "SPARC";
	case EM_RISCV:
		return "RISC-V";
	default:
		return NULL;
	}
}

static bool is_pow2_or_zero(uint32_t x)
{
	return (x & (x - 1)) == 0;
}

/*
 * Check the identification bytes and the size of the ELF header, before
 * libelf sees the image.  Returns 0 or -1 with the reason.
 */
static int check_ident(struct load_ctx *c, const uint8_t *p, size_t len)
{
	if (len == 0)
		return fail(c, "empty file");
	if (len < SELFMAG || memcmp(p, ELFMAG, SELFMAG) != 0)
		return fail(c, "not an ELF file");
	if (len < EI_NIDENT)
		return fail(c, "truncated ELF header");
	if (p[EI_CLASS] == ELFCLASS64)
		return fail(c, "ELF class is 64-bit, expected 32-bit (RV32)");
	if (p[EI_CLASS] != ELFCLASS32)
		return fail(c, "invalid ELF class %u", p[EI_CLASS]);
	if (p[EI_DATA] == ELFDATA2MSB)
		return fail(c, "ELF data encoding is big-endian, expected little-endian");
	if (p[EI_DATA] != ELFDATA2LSB)
		return fail(c, "invalid ELF data encoding %u", p[EI_DATA]);
	if (p[EI_VERSION] != EV_CURRENT)
		return fail(c, "unsupported ELF version %u", p[EI_VERSION]);
	if (len < sizeof(Elf32_Ehdr))
		return fail(c, "truncated ELF header");
	return 0;
}

static int check_ehdr(struct load_ctx *c, const Elf32_Ehdr *eh)
{
	struct elf_image *img = c->img;
	const char *name;

	if (eh->e_machine != EM_RISCV) {
		name = machine_name(eh->e_machine);
		if (name)
			return fail(c, "wrong machine: %s, expected RISC-V",
				    name);
		return fail(c, "wrong machine: EM %u, expected RISC-V",
			    eh->e_machine);
	}
	switch (eh->e_type) {
	case ET_EXEC:
		break;
	case ET_DYN:
		img->pie = true;
		break;
	case ET_REL:
		return fail(c, "not an executable (relocatable object file)");
	case ET_CORE:
		return fail(c, "not an executable (core dump)");
	default:
		return fail(c, "not an executable (ELF type %u)", eh->e_type);
	}
	if (eh->e_phnum && eh->e_phentsize != sizeof(Elf32_Phdr))
		return fail(c, "bad program header entry size %u",
			    eh->e_phentsize);
	return 0;
}

/*
 * Validate one PT_LOAD header (addresses before the bias) and record it.
 * Zero-sized segments map nothing and are skipped, as Linux skips them.
 */
static int add_load(struct load_ctx *c, const Elf32_Phdr *ph, unsigned idx)
{
	struct elf_image *img = c->img;
	struct elf_segment *s;

	if (ph->p_filesz > ph->p_memsz)
		return fail(c, "segment %u: file size 0x%x exceeds memory size 0x%x",
			    idx, ph->p_filesz, ph->p_memsz);
	if ((uint64_t)ph->p_offset + ph->p_filesz > img->size)
		return fail(c, "segment %u: file range 0x%x+0x%x is outside the file (size 0x%zx)",
			    idx, ph->p_offset, ph->p_filesz, img->size);
	if ((uint64_t)ph->p_vaddr + ph->p_memsz > ELF_VA_LIMIT)
		return fail(c, "segment %u: 0x%x+0x%x is beyond the user address space (0x%x)",
			    idx, ph->p_vaddr, ph->p_memsz, ELF_VA_LIMIT);
	if ((ph->p_vaddr - ph->p_offset) & (PAGE_SIZE - 1))
		return fail(c, "segment %u: address 0x%x and file offset 0x%x are not congruent modulo the page size",
			    idx, ph->p_vaddr, ph->p_offset);
	if (ph->p_memsz == 0)
		return 0;
	if (img->nr_segs >= ELF_MAX_SEGS)
		return fail(c, "too many PT_LOAD segments (at most %u)",
			    ELF_MAX_SEGS);
	s = &img->seg[img->nr_segs++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->filesz = ph->p_filesz;
	s->offset = ph->p_offset;
	s->flags = ph->p_flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X);
	/* Like Linux's maximum_alignment(): an alignment that is not a power
	 * of two is ignored, not refused. */
	s->align = is_pow2_or_zero(ph->p_align) ? ph->p_align : PAGE_SIZE;
	return 0;
}

/*
 * Choose the load bias of a static PIE the way Linux does without ASLR:
 * the lowest segment's page goes to ELF_PIE_BASE.  An ET_DYN already linked
 * above that base stays where it is.
 */
static uint32_t pie_bias(const struct elf_image *img)
{
	uint32_t lo = UINT32_MAX;

	for (unsigned i = 0; i < img->nr_segs; i++)
		if (img->seg[i].vaddr < lo)
			lo = img->seg[i].vaddr;
	lo = ALIGN_DOWN(lo, PAGE_SIZE);
	return lo <= ELF_PIE_BASE ? ELF_PIE_BASE - lo : 0;
}

/* Relocate the segments by the bias and check the final layout. */
static int place_segments(struct load_ctx *c)
{
	struct elf_image *img = c->img;

	for (unsigned i = 0; i < img->nr_segs; i++) {
		struct elf_segment *s = &img->seg[i];

		if ((uint64_t)s->vaddr + img->bias + s->memsz > ELF_VA_LIMIT)
			return fail(c, "segment at 0x%x+0x%x is beyond the user address space after the load bias",
				    s->vaddr, s->memsz);
		s->vaddr += img->bias;
		if (s->vaddr < ELF_MMAP_MIN_ADDR)
			return fail(c, "segment at 0x%x is below mmap_min_addr (%u)",
				    s->vaddr, ELF_MMAP_MIN_ADDR);
	}
	/*
	 * Byte ranges must be disjoint.  Two segments may share a page (ld's
	 * default layout puts .data right after .rodata's page offset); the
	 * kernel maps the later one over the shared page, as Linux does.
	 */
	for (unsigned i = 0; i < img->nr_segs; i++) {
		for (unsigned j = i + 1; j < img->nr_segs; j++) {
			const struct elf_segment *a = &img->seg[i];
			const struct elf_segment *b = &img->seg[j];
			uint64_t ae = (uint64_t)a->vaddr + a->memsz;
			uint64_t be = (uint64_t)b->vaddr + b->memsz;

			if (a->vaddr < be && b->vaddr < ae)
				return fail(c, "PT_LOAD segments at 0x%x+0x%x and 0x%x+0x%x overlap",
					    a->vaddr, a->memsz, b->vaddr,
					    b->memsz);
		}
	}
	return 0;
}

static bool in_exec_segment(const struct elf_image *img, uint32_t addr)
{
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->flags & ELF_SEG_X) && addr >= s->vaddr &&
		    addr - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

/*
 * The mm-style bounds: code from the executable segments, data from the
 * writable ones; the ends use the file size as Linux's end_code/end_data
 * do.  brk starts at the page after the highest byte of any segment.
 */
static void compute_bounds(struct elf_image *img)
{
	uint32_t sc = UINT32_MAX, ec = 0, sd = UINT32_MAX, ed = 0, top = 0;

	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint32_t fend = s->vaddr + s->filesz;
		uint32_t mend = s->vaddr + s->memsz;

		if (s->flags & ELF_SEG_X) {
			sc = s->vaddr < sc ? s->vaddr : sc;
			ec = fend > ec ? fend : ec;
		}
		if (s->flags & ELF_SEG_W) {
			sd = s->vaddr < sd ? s->vaddr : sd;
			ed = fend > ed ? fend : ed;
		}
		top = mend > top ? mend : top;
	}
	img->start_code = sc;
	img->end_code = ec;
	if (sd == UINT32_MAX)
		sd = ed = ec;	/* no writable segment: empty data range */
	img->start_data = sd;
	img->end_data = ed;
	img->brk_start = ALIGN_UP(top, PAGE_SIZE);
}

/*
 * AT_PHDR: PT_PHDR's address if there is one, else the address at which
 * the PT_LOAD covering the table in the file puts it; 0 when no segment
 * maps the table (the program then cannot find its own headers).
 */
static uint32_t find_phdr_vaddr(const struct elf_image *img,
				const Elf32_Phdr *ph, size_t n, uint32_t phoff)
{
	uint64_t end = (uint64_t)phoff + n * sizeof(Elf32_Phdr);

	for (size_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR)
			return ph[i].p_vaddr + img->bias;
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (phoff >= s->offset &&
		    end <= (uint64_t)s->offset + s->filesz)
			return s->vaddr + (phoff - s->offset);
	}
	return 0;
}

static int sym_rank(const struct elf_symbol *s)
{
	return s->type == STT_FUNC ? 0 : s->type == STT_OBJECT ? 1 : 2;
}

/* By address; at one address functions, then objects, then labels. */
static int sym_cmp(const void *pa, const void *pb)
{
	const struct elf_symbol *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (sym_rank(a) != sym_rank(b))
		return sym_rank(a) - sym_rank(b);
	return strcmp(a->name, b->name);
}

static bool want_symbol(const Elf32_Sym *st, const char *name)
{
	unsigned type = ELF32_ST_TYPE(st->st_info);

	if (st->st_shndx == SHN_UNDEF || st->st_shndx == SHN_ABS ||
	    st->st_shndx >= SHN_LORESERVE)
		return false;
	if (!name || !name[0])
		return false;
	if (type == STT_FUNC || type == STT_OBJECT)
		return true;
	/* NOTYPE labels, minus the assembler's mapping and local symbols. */
	return type == STT_NOTYPE && name[0] != '$' &&
	       strncmp(name, ".L", 2) != 0;
}

/*
 * Collect the symbols of the first SHT_SYMTAB.  Returns 0, also when there
 * is no usable table; -1 only when out of memory.
 */
static int load_symbols(struct load_ctx *c, const Elf32_Ehdr *eh)
{
	struct elf_image *img = c->img;
	Elf_Scn *scn = NULL;
	size_t shnum;

	/* Only walk sections whose table lies inside the file. */
	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf32_Shdr))
		return 0;
	if (elf_getshdrnum(c->elf, &shnum) != 0 || shnum == 0)
		return 0;
	if ((uint64_t)eh->e_shoff + (uint64_t)shnum * sizeof(Elf32_Shdr) >
	    img->size)
		return 0;

	while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
		const Elf32_Shdr *shp = elf32_getshdr(scn);
		Elf32_Shdr sh;
		Elf_Data *d;
		size_t count, n = 0;

		if (!shp)
			continue;
		memcpy(&sh, shp, sizeof(sh)); /* may be unaligned, see below */
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (sh.sh_link == 0 || sh.sh_link >= shnum)
			return 0;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_type != ELF_T_SYM)
			return 0;
		count = d->d_size / sizeof(Elf32_Sym);
		if (count == 0)
			return 0;
		img->syms = calloc(count, sizeof(*img->syms));
		if (!img->syms)
			return fail(c, "out of memory");
		for (size_t i = 0; i < count; i++) {
			struct elf_symbol *s = &img->syms[n];
			const char *name;
			Elf32_Sym st;

			memcpy(&st, (const char *)d->d_buf + i * sizeof(st),
			       sizeof(st));
			name = elf_strptr(c->elf, sh.sh_link, st.st_name);
			if (!want_symbol(&st, name))
				continue;
			s->name = strdup(name);
			if (!s->name)
				return fail(c, "out of memory");
			s->addr = st.st_value + img->bias;
			s->size = st.st_size;
			s->type = ELF32_ST_TYPE(st.st_info);
			img->nr_syms = ++n;
		}
		if (n == 0) {
			free(img->syms);
			img->syms = NULL;
			return 0;
		}
		qsort(img->syms, n, sizeof(*img->syms), sym_cmp);
		return 0;
	}
	return 0;
}

/*
 * Load from @data, which the image owns from here on (freed on failure).
 */
static int load_owned(struct elf_image *img, uint8_t *data, size_t len,
		      char *err, size_t errlen)
{
	struct load_ctx c = { .img = img, .err = err, .errlen = errlen };
	const Elf32_Ehdr *eh;
	const Elf32_Phdr *php;
	Elf32_Phdr *ph = NULL;
	size_t n;
	bool have_exec = false;

	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = len;
	if (err && errlen)
		err[0] = '\0';

	if (check_ident(&c, data, len))
		goto out_free;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fail_libelf(&c, "libelf");
		goto out_free;
	}
	c.elf = elf_memory((char *)data, len);
	if (!c.elf || elf_kind(c.elf) != ELF_K_ELF) {
		fail(&c, "not an ELF file");
		goto out_free;
	}
	eh = elf32_getehdr(c.elf);
	if (!eh) {
		fail_libelf(&c, "bad ELF header");
		goto out_free;
	}
	if (check_ehdr(&c, eh))
		goto out_free;

	/*
	 * e_phnum itself, not elf_getphdrnum(): libelf clamps the count to
	 * what fits in the file, which would hide a truncation.  PN_XNUM
	 * (count in section 0) is far above Linux's limit anyway.
	 */
	n = eh->e_phnum;
	if (n == PN_XNUM) {
		fail(&c, "too many program headers");
		goto out_free;
	}
	if (n == 0 || eh->e_phoff == 0) {
		fail(&c, "no program headers");
		goto out_free;
	}
	if (n > ELF_MAX_PHNUM) {
		fail(&c, "too many program headers (%zu)", n);
		goto out_free;
	}
	if ((uint64_t)eh->e_phoff + n * sizeof(Elf32_Phdr) > len) {
		fail(&c, "truncated program headers");
		goto out_free;
	}
	php = elf32_getphdr(c.elf);
	if (!php) {
		fail_libelf(&c, "bad program headers");
		goto out_free;
	}
	/*
	 * On hosts that allow unaligned access libelf hands out pointers
	 * straight into the image, where e_phoff (and sh_offset) may be odd:
	 * work on an aligned copy.
	 */
	ph = malloc(n * sizeof(*ph));
	if (!ph) {
		fail(&c, "out of memory");
		goto out_free;
	}
	memcpy(ph, php, n * sizeof(*ph));

	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type == PT_INTERP) {
			fail(&c, "dynamically linked programs are not supported");
			goto out_free;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && add_load(&c, &ph[i], i))
			goto out_free;
	if (img->nr_segs == 0) {
		fail(&c, "no PT_LOAD segment");
		goto out_free;
	}

	img->bias = img->pie ? pie_bias(img) : 0;
	if (place_segments(&c))
		goto out_free;
	if ((uint64_t)eh->e_entry + img->bias > UINT32_MAX) {
		fail(&c, "entry point 0x%x is beyond the 32-bit address space",
		     eh->e_entry);
		goto out_free;
	}
	img->entry = eh->e_entry + img->bias;
	for (unsigned i = 0; i < img->nr_segs; i++)
		have_exec |= (img->seg[i].flags & ELF_SEG_X) != 0;
	if (!in_exec_segment(img, img->entry)) {
		fail(&c, "entry point 0x%x is not inside an executable segment%s",
		     img->entry, have_exec ? "" : " (none is executable)");
		goto out_free;
	}

	img->phent = sizeof(Elf32_Phdr);
	img->phnum = (uint16_t)n;
	img->phdr_vaddr = find_phdr_vaddr(img, ph, n, eh->e_phoff);
	compute_bounds(img);

	if (load_symbols(&c, eh))
		goto out_free;
	free(ph);
	elf_end(c.elf);
	return 0;

out_free:
	free(ph);
	if (c.elf)
		elf_end(c.elf);
	if (err && errlen && !err[0])
		snprintf(err, errlen, "invalid ELF file");
	elf_free(img);
	return -1;
}

int elf_load_mem(struct elf_image *img, const void *buf, size_t len,
		 char *err, size_t errlen)
{
	uint8_t *copy;

	if (len == 0) {
		memset(img, 0, sizeof(*img));
		if (err && errlen)
			snprintf(err, errlen, "empty file");
		return -1;
	}
	copy = malloc(len);
	if (!copy) {
		memset(img, 0, sizeof(*img));
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(copy, buf, len);
	return load_owned(img, copy, len, err, errlen);
}

int elf_load_file(struct elf_image *img, const char *path, char *err,
		  size_t errlen)
{
	struct stat st;
	uint8_t *data = NULL;
	size_t len, got = 0;
	int fd;

	memset(img, 0, sizeof(*img));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory");
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		goto out_close;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "empty file");
		goto out_close;
	}
	if (st.st_size > (off_t)ELF_MAX_FILE) {
		snprintf(err, errlen, "file too large (more than %u MiB)",
			 ELF_MAX_FILE >> 20);
		goto out_close;
	}
	len = (size_t)st.st_size;
	data = malloc(len);
	if (!data) {
		snprintf(err, errlen, "out of memory");
		goto out_close;
	}
	while (got < len) {
		ssize_t r = read(fd, data + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "read error: %s",
				 strerror(errno));
			goto out_free;
		}
		if (r == 0) {
			snprintf(err, errlen, "file shrank while being read");
			goto out_free;
		}
		got += (size_t)r;
	}
	close(fd);
	return load_owned(img, data, len, err, errlen);

out_free:
	free(data);
out_close:
	close(fd);
	return -1;
}

void elf_free(struct elf_image *img)
{
	if (!img)
		return;
	for (unsigned i = 0; i < img->nr_syms; i++)
		free(img->syms[i].name);
	free(img->syms);
	free(img->data);
	memset(img, 0, sizeof(*img));
}

const struct elf_symbol *elf_symbol_at(const struct elf_image *img,
				       uint32_t addr)
{
	size_t lo = 0, hi = img->nr_syms;

	/* First symbol above @addr: everything before lo is <= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (img->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	/* Among the symbols at that address, the sort put the best first. */
	lo--;
	while (lo > 0 && img->syms[lo - 1].addr == img->syms[lo].addr)
		lo--;
	return &img->syms[lo];
}

const struct elf_symbol *elf_symbol_find(const struct elf_image *img,
					 const char *name)
{
	const struct elf_symbol *best = NULL;

	for (unsigned i = 0; i < img->nr_syms; i++) {
		const struct elf_symbol *s = &img->syms[i];

		if (strcmp(s->name, name) != 0)
			continue;
		if (!best || sym_rank(s) < sym_rank(best))
			best = s;
	}
	return best;
}
