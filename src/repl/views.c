/*
 * The REPL's views: registers, memory, disassembly, page tables, the TLB,
 * processes, /proc and counters.  None of them changes the machine: memory
 * is read by walking the tables by hand (no A/D bits, no TLB fills, no walk
 * counted), and everything else reads the kernel's own texts.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "kernel/fs/proc.h"
#include "kernel/kernel/sched.h"
#include "kernel/kernel/signal.h"
#include "kernel/kernel/sysctl.h"
#include "kernel/lib/string.h"
#include "kernel/mm/vmstat.h"
#include "repl/cmds.h"
#include "views/pictures.h"
#include "views/views.h"

int repl_number(struct repl *r, const char *arg, const char *what,
		uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(arg, &end, 0);
	if (errno || *end || !*arg || *arg == '-' || v > max) {
		repl_error(r, "bad %s '%s' (a number up to %llu)", what, arg,
			   (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

void repl_put_seq(struct repl *r, struct seq *s)
{
	if (s->len)
		fwrite(s->buf, 1, s->len, r->out);
	seq_free(s);
}

static struct task *task_arg(struct repl *r, const char *pid)
{
	struct task *t = repl_task(r, pid);

	if (!t) {
		if (pid)
			repl_error(r, "no process with pid '%s' (see 'ps')",
				   pid);
		else
			repl_error(r, "no process is running");
	}
	return t;
}

static uint32_t *regs_of(struct repl *r, struct task *t, uint32_t *pc)
{
	if (r->k->current == t) {
		*pc = r->k->cpu.pc;
		return r->k->cpu.x;
	}
	*pc = t->pc;
	return t->regs;
}

REPL_CMD(cmd_regs)
{
	struct task *t = task_arg(r, argc > 1 ? argv[1] : NULL);
	char sym[96];
	uint32_t pc, *x;

	if (!t)
		return -1;
	if (t->state == TASK_ZOMBIE || !t->mm) {
		repl_error(r, "regs: pid %d has exited", t->pid);
		return -1;
	}
	x = regs_of(r, t, &pc);
	fprintf(r->out, "pid %d (%s)  pc 0x%08x %s\n", t->pid, t->comm, pc,
		repl_symbolize(r, pc, sym, sizeof(sym)));
	for (unsigned i = 0; i < 32; i++) {
		uint32_t v = i ? x[i] : 0;
		fprintf(r->out, "%-4s 0x%08x %11d%s", cpu_reg_name(i), v,
			(int32_t)v, i % 4 == 3 ? "\n" : "  ");
	}
	return 0;
}

/* ---- x / xp --------------------------------------------------------------- */

struct xfmt {
	unsigned count;
	char fmt;	/* x d u o t c s i */
	unsigned size;	/* 1 2 4 8 */
};

static int parse_xfmt(struct repl *r, const char *word, struct xfmt *f)
{
	const char *s = strchr(word, '/');

	*f = (struct xfmt){ 1, 'x', 4 };
	if (!s)
		return 0;
	s++;
	if (isdigit((unsigned char)*s)) {
		char *end;
		unsigned long n = strtoul(s, &end, 10);
		if (n == 0 || n > 4096) {
			repl_error(r, "%s: count must be 1..4096", word);
			return -1;
		}
		f->count = (unsigned)n;
		s = end;
	}
	for (; *s; s++) {
		if (strchr("xduotcsi", *s))
			f->fmt = *s;
		else if (*s == 'b')
			f->size = 1;
		else if (*s == 'h')
			f->size = 2;
		else if (*s == 'w')
			f->size = 4;
		else if (*s == 'g')
			f->size = 8;
		else {
			repl_error(r, "%s: unknown format letter '%c' (formats "
				      "x d u o t c s i, sizes b h w g)",
				   word, *s);
			return -1;
		}
	}
	if (f->fmt == 'c')
		f->size = 1;
	return 0;
}

typedef int (*read_fn)(struct repl *r, struct mm *mm, uint64_t addr,
		       void *buf, size_t len);

/*
 * Code not yet faulted in is read from the program's file instead, so
 * `disas main` works before the first instruction runs (and faults
 * nothing in).
 */
static int read_file_image(struct repl *r, uint64_t addr, void *buf,
			   size_t len)
{
	const struct elf_image *img = &r->img;

	if (!r->have_img)
		return -1;
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *sg = &img->seg[i];
		if (addr >= sg->vaddr && addr + len <= (uint64_t)sg->vaddr +
							      sg->filesz &&
		    (uint64_t)sg->offset + (addr - sg->vaddr) + len <=
			    img->size) {
			memcpy(buf, img->data + sg->offset + (addr - sg->vaddr),
			       len);
			return 0;
		}
	}
	return -1;
}

static int read_virt(struct repl *r, struct mm *mm, uint64_t addr, void *buf,
		     size_t len)
{
	if (addr + len > 0x100000000ull)
		return -1;
	return repl_read_va(r, mm, (uint32_t)addr, buf, len);
}

static int read_code(struct repl *r, struct mm *mm, uint64_t addr, void *buf,
		     size_t len)
{
	if (read_virt(r, mm, addr, buf, len) == 0)
		return 0;
	return read_file_image(r, addr, buf, len);
}

static int read_phys(struct repl *r, struct mm *mm, uint64_t addr, void *buf,
		     size_t len)
{
	const void *host = phys_host(&r->k->phys, addr, len);

	if (!host)
		return -1;
	memcpy(buf, host, len);
	return 0;
}

static void print_unit(struct repl *r, char fmt, unsigned size, uint64_t v)
{
	int64_t sv = size == 1 ? (int8_t)v
		   : size == 2 ? (int16_t)v
		   : size == 4 ? (int32_t)v
			       : (int64_t)v;

	switch (fmt) {
	case 'x':
		fprintf(r->out, "0x%0*llx", (int)size * 2,
			(unsigned long long)v);
		break;
	case 'd':
		fprintf(r->out, "%lld", (long long)sv);
		break;
	case 'u':
		fprintf(r->out, "%llu", (unsigned long long)v);
		break;
	case 'o':
		fprintf(r->out, "0%llo", (unsigned long long)v);
		break;
	case 't':
		for (int b = (int)size * 8 - 1; b >= 0; b--)
			fputc('0' + (int)((v >> b) & 1), r->out);
		break;
	case 'c':
		if (isprint((int)v))
			fprintf(r->out, "%3d '%c'", (int)v, (int)v);
		else
			fprintf(r->out, "%3d '\\%03o'", (int)v, (unsigned)v);
		break;
	}
}

static void disas_one(struct repl *r, struct mm *mm, uint32_t *pc);

static int examine(struct repl *r, char **argv, int argc, const char *rest,
		   bool phys)
{
	struct xfmt f;
	struct task *t = NULL;
	uint32_t a32;
	uint64_t addr;
	read_fn rd = phys ? read_phys : read_virt;
	char sym[96];

	if (parse_xfmt(r, argv[0], &f) < 0)
		return -1;
	if (argc < 2 || !*rest) {
		repl_error(r, "%s: which address? (%s/FMT %s)", argv[0],
			   phys ? "xp" : "x", phys ? "PA" : "VA");
		return -1;
	}
	/* the address is the whole rest of the line: x/s mem32[$sp + 4] */
	if (phys) {
		struct expr_val v;
		if (repl_eval(r, rest, &v, NULL) < 0)
			return -1;
		addr = (uint64_t)expr_int(v);
	} else {
		if (repl_addr(r, rest, &a32) < 0)
			return -1;
		addr = a32;
		t = task_arg(r, NULL);
		if (!t || !t->mm) {
			repl_error(r, "x: no process to read memory from");
			return -1;
		}
	}
	if (f.fmt == 'i') {
		if (phys) {
			repl_error(r, "xp/i: disassemble through a virtual "
				      "address (x/i)");
			return -1;
		}
		uint32_t pc = (uint32_t)addr;
		for (unsigned i = 0; i < f.count; i++)
			disas_one(r, t->mm, &pc);
		return 0;
	}
	if (f.fmt == 's') {
		for (unsigned n = 0; n < f.count; n++) {
			fprintf(r->out, "0x%08llx: \"", (unsigned long long)addr);
			for (unsigned i = 0; i < 4096; i++) {
				uint8_t c;
				if (rd(r, t ? t->mm : NULL, addr, &c, 1) < 0) {
					fprintf(r->out, "\" <unreadable>\n");
					return 0;
				}
				addr++;
				if (!c)
					break;
				if (isprint(c) && c != '"' && c != '\\')
					fputc(c, r->out);
				else
					fprintf(r->out, "\\%03o", c);
			}
			fprintf(r->out, "\"\n");
		}
		return 0;
	}
	unsigned per_line = f.fmt == 'c' ? 8 : f.size == 8 ? 2 : 4;
	if (f.fmt == 't')
		per_line = f.size >= 4 ? 1 : 4;
	for (unsigned i = 0; i < f.count; i++) {
		uint8_t b[8] = {0};
		if (i % per_line == 0) {
			if (i)
				fputc('\n', r->out);
			if (phys)
				fprintf(r->out, "pa 0x%09llx:",
					(unsigned long long)addr);
			else if (repl_symbolize(r, (uint32_t)addr, sym,
						sizeof(sym))[0])
				fprintf(r->out, "0x%08llx <%s>:",
					(unsigned long long)addr, sym);
			else
				fprintf(r->out, "0x%08llx:",
					(unsigned long long)addr);
		}
		if (rd(r, t ? t->mm : NULL, addr, b, f.size) < 0) {
			fputc('\n', r->out);
			repl_error(r, "cannot read %s 0x%llx: %s", phys ? "pa" : "va",
				   (unsigned long long)addr,
				   phys ? "outside guest RAM"
					: "no page is mapped there (see "
					  "'translate')");
			return -1;
		}
		uint64_t v = 0;
		for (unsigned j = 0; j < f.size; j++)
			v |= (uint64_t)b[j] << (8 * j);
		fputc('\t', r->out);
		print_unit(r, f.fmt, f.size, v);
		addr += f.size;
	}
	fputc('\n', r->out);
	return 0;
}

REPL_CMD(cmd_x)
{
	return examine(r, argv, argc, rest, false);
}

REPL_CMD(cmd_xp)
{
	return examine(r, argv, argc, rest, true);
}

/* ---- disassembly ------------------------------------------------------------- */

int repl_fetch_insn(struct repl *r, struct mm *mm, uint32_t pc,
		    struct insn *in)
{
	uint8_t b[4];

	if (read_code(r, mm, pc, b, 2) < 0)
		return -1;
	uint16_t lo = (uint16_t)(b[0] | b[1] << 8);
	if (insn_length(lo) == 2) {
		decode16(lo, in);
		in->len = 2;
		return 0;
	}
	if (read_code(r, mm, pc + 2, b + 2, 2) < 0)
		return -1;
	decode32(lo | (uint32_t)(b[2] | b[3] << 8) << 16, in);
	in->len = 4;
	return 0;
}

int repl_disasm_at(struct repl *r, struct mm *mm, uint32_t pc, char *text,
		   size_t len, unsigned *ilen, uint32_t *bits)
{
	uint8_t b[4];
	struct insn in;
	char sym[96];

	if (read_code(r, mm, pc, b, 2) < 0)
		return -1;
	uint32_t w = (uint32_t)(b[0] | b[1] << 8);
	*ilen = insn_length((uint16_t)w);
	if (*ilen == 4) {
		if (read_code(r, mm, pc + 2, b + 2, 2) < 0)
			return -1;
		w |= (uint32_t)(b[2] | b[3] << 8) << 16;
		decode32(w, &in);
	} else {
		decode16((uint16_t)w, &in);
	}
	*bits = w;
	insn_disasm_objdump(w, pc, text, len);
	/* branch and jump targets get their symbol, as objdump does */
	if (in.op == OP_JAL || (in.op >= OP_BEQ && in.op <= OP_BGEU)) {
		size_t n = strlen(text);
		if (repl_symbolize(r, pc + (uint32_t)in.imm, sym,
				   sizeof(sym))[0] && n < len)
			snprintf(text + n, len - n, " <%s>", sym);
	}
	return 0;
}

/* One instruction at *pc, objdump style; advances *pc. */
static void disas_one(struct repl *r, struct mm *mm, uint32_t *pc)
{
	char text[160], hex[16];
	unsigned ilen;
	uint32_t bits;
	const struct elf_symbol *s = r->have_img
					     ? elf_symbol_at(&r->img, *pc)
					     : NULL;

	if (s && s->addr == *pc)
		fprintf(r->out, "%08x <%s>:\n", *pc, s->name);
	if (repl_disasm_at(r, mm, *pc, text, sizeof(text), &ilen, &bits) < 0) {
		fprintf(r->out, "%8x:\t<not mapped>\n", *pc);
		*pc += 2;
		return;
	}
	if (ilen == 4)
		snprintf(hex, sizeof(hex), "%08x", bits);
	else
		snprintf(hex, sizeof(hex), "%04x    ", bits);
	fprintf(r->out, "%8x:\t%s          \t%s\n", *pc, hex, text);
	*pc += ilen;
}

REPL_CMD(cmd_disas)
{
	struct task *t = task_arg(r, NULL);
	uint32_t pc, *x, addr;
	uint64_t n = 10;

	if (!t)
		return -1;
	if (!t->mm) {
		repl_error(r, "disas: pid %d has no memory", t->pid);
		return -1;
	}
	x = regs_of(r, t, &pc);
	(void)x;
	addr = pc;
	if (argc > 1 && repl_addr(r, argv[1], &addr) < 0)
		return -1;
	if (argc > 2 && repl_number(r, argv[2], "instruction count", 4096,
				    &n) < 0)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		if (addr == pc && t == r->k->current)
			fputs("=> ", r->out);
		disas_one(r, t->mm, &addr);
	}
	return 0;
}

/* ---- translate / pgtable ------------------------------------------------------ */

static void pte_flags(pte_t pte, char *buf, size_t len)
{
	static const char *const names[] = { "V", "R", "W", "X", "U",
					     "G", "A", "D", "-", "SPECIAL" };
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < 10 && o < len; i++)
		if ((pte & (1u << i)) && i != 8)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? " " : "", names[i]);
	if (!o)
		snprintf(buf, len, "-");
}

static void describe_vma(struct repl *r, struct mm *mm, uint32_t va)
{
	struct vma *v = vma_lookup(mm, va);

	if (!v) {
		fprintf(r->out, "  no VMA covers 0x%08x: an access there is "
				"a SIGSEGV (SEGV_MAPERR)\n", va);
		return;
	}
	fprintf(r->out, "  VMA 0x%08x-0x%08x %c%c%c%c%s: an access would "
			"fault the page in (%s)\n",
		v->vm_start, v->vm_end, v->vm_flags & VM_READ ? 'r' : '-',
		v->vm_flags & VM_WRITE ? 'w' : '-',
		v->vm_flags & VM_EXEC ? 'x' : '-',
		v->vm_flags & VM_SHARED ? 's' : 'p',
		v->vm_file ? " file-backed" : " anonymous",
		v->vm_file ? "filemap_fault" : "do_anonymous_page");
}

REPL_CMD(cmd_translate)
{
	const struct pt_geometry *g = r->k->mmu.geo;
	pfn_t pfn_mask = ((pfn_t)1 << g->pfn_bits) - 1;
	struct task *t;
	uint32_t va;
	char flags[64];

	if (argc < 2) {
		repl_error(r, "translate: which address? (translate VA [PID])");
		return -1;
	}
	if (repl_addr(r, argv[1], &va) < 0)
		return -1;
	t = task_arg(r, argc > 2 ? argv[2] : NULL);
	if (!t)
		return -1;
	if (!t->mm || !t->mm->pgd) {
		repl_error(r, "translate: pid %d has no page tables", t->pid);
		return -1;
	}
	fprintf(r->out, "va 0x%08x in pid %d (%s), %s paging:", va, t->pid,
		t->comm, g->name);
	for (int l = 0; l < g->nr_levels; l++)
		fprintf(r->out, " %s[%u]", g->level[l].name,
			pt_index(g, l, va));
	fprintf(r->out, " offset 0x%x\n", va & (PAGE_SIZE - 1));

	gpa_t table = t->mm->pgd;
	for (int lvl = 0; lvl < g->nr_levels; lvl++) {
		unsigned idx = pt_index(g, lvl, va);
		gpa_t pte_pa = table + (gpa_t)idx * g->entry_size;
		void *host = phys_host(&r->k->phys, pte_pa, g->entry_size);
		if (!host) {
			fprintf(r->out, "  %-3s table pa 0x%09llx is outside "
					"RAM: malformed table\n",
				g->level[lvl].name, (unsigned long long)table);
			return 0;
		}
		pte_t pte = pt_read(g, host);
		pte_flags(pte, flags, sizeof(flags));
		fprintf(r->out, "  %-3s table pa 0x%09llx index %3u entry at "
				"pa 0x%09llx = 0x%0*llx [%s]\n",
			g->level[lvl].name, (unsigned long long)table, idx,
			(unsigned long long)pte_pa, g->entry_size * 2,
			(unsigned long long)pte, flags);
		if (pte_none(pte)) {
			fprintf(r->out, "  -> not present at %s level (empty "
					"entry): a page fault\n",
				g->level[lvl].name);
			describe_vma(r, t->mm, va);
			return 0;
		}
		if (pte_protnone(pte)) {
			fprintf(r->out, "  -> PROT_NONE page (frame 0x%llx "
					"kept): any access faults, SIGSEGV\n",
				(unsigned long long)pte_pfn(pte));
			return 0;
		}
		if (pte_is_swap(pte)) {
			fprintf(r->out, "  -> swapped out: swap entry type %u "
					"offset %llu; an access is a major "
					"fault (do_swap_page)\n",
				swp_type(pte),
				(unsigned long long)swp_offset(pte));
			return 0;
		}
		pfn_t pfn = pte_pfn(pte) & pfn_mask;
		if (!(pte & PTE_RWX)) {
			table = (gpa_t)pfn << PAGE_SHIFT;
			fprintf(r->out, "      -> next table at pa 0x%09llx\n",
				(unsigned long long)table);
			continue;
		}
		gva_t off = va & (((gva_t)1 << g->level[lvl].shift) - 1);
		gpa_t pa = ((gpa_t)pfn << PAGE_SHIFT) + off;
		fprintf(r->out, "  -> %s leaf: frame 0x%llx, page size %u KiB\n",
			lvl == g->nr_levels - 1 ? "page" : "huge",
			(unsigned long long)pfn,
			(1u << g->level[lvl].shift) >> 10);
		fprintf(r->out, "  pa = 0x%09llx  (%s%s%s%s)\n",
			(unsigned long long)pa,
			pte & PTE_R ? "readable" : "not readable",
			pte & PTE_W ? ", writable" : ", read-only",
			pte & PTE_X ? ", executable" : "",
			pte & PTE_U ? "" : ", kernel only");
		/* as in Linux there is no COW bit: a read-only entry in a
		 * writable private vma is copy-on-write */
		struct vma *v = vma_lookup(t->mm, va);
		if (v && !(pte & PTE_W) && (v->vm_flags & VM_WRITE) &&
		    !(v->vm_flags & VM_SHARED))
			fprintf(r->out, "  copy-on-write: the vma is writable, "
					"the entry is not; a write faults and "
					"do_wp_page copies the page (or reuses "
					"it if nobody else maps it)\n");
		else if (v && !(pte & PTE_D) && (pte & PTE_W))
			fprintf(r->out, "  clean: the first write sets D "
					"(a walk, no fault)\n");
		return 0;
	}
	fprintf(r->out, "  -> a table pointer at the last level: malformed\n");
	return 0;
}

struct pgtable_walk {
	struct repl *r;
	bool all;
	unsigned long leaves, tables, swaps;
};

static void pgtable_level(struct pgtable_walk *w, gpa_t table, int lvl,
			  uint32_t va_base)
{
	struct repl *r = w->r;
	const struct pt_geometry *g = r->k->mmu.geo;
	pfn_t pfn_mask = ((pfn_t)1 << g->pfn_bits) - 1;
	unsigned n = 1u << g->level[lvl].bits;
	char flags[64];

	w->tables++;
	for (unsigned i = 0; i < n; i++) {
		gpa_t pte_pa = table + (gpa_t)i * g->entry_size;
		void *host = phys_host(&r->k->phys, pte_pa, g->entry_size);
		if (!host)
			return;
		pte_t pte = pt_read(g, host);
		uint32_t va = va_base + ((uint32_t)i << g->level[lvl].shift);
		if (pte_none(pte))
			continue;
		int indent = 2 * lvl + 2;
		pte_flags(pte, flags, sizeof(flags));
		if (!(pte & PTE_V)) {
			w->swaps++;
			if (w->all)
				fprintf(r->out, "%*s%s[%u] va 0x%08x %s 0x%llx\n",
					indent, "", g->level[lvl].name, i, va,
					pte_is_swap(pte) ? "swap entry"
							 : "prot_none",
					(unsigned long long)pte);
			continue;
		}
		pfn_t pfn = pte_pfn(pte) & pfn_mask;
		if (!(pte & PTE_RWX)) {
			fprintf(r->out, "%*s%s[%u] va 0x%08x -> table pa "
					"0x%09llx\n",
				indent, "", g->level[lvl].name, i, va,
				(unsigned long long)pfn << PAGE_SHIFT);
			if (lvl + 1 < g->nr_levels)
				pgtable_level(w, (gpa_t)pfn << PAGE_SHIFT,
					      lvl + 1, va);
			continue;
		}
		w->leaves++;
		fprintf(r->out, "%*s%s[%u] va 0x%08x -> pa 0x%09llx [%s]\n",
			indent, "", g->level[lvl].name, i, va,
			(unsigned long long)pfn << PAGE_SHIFT, flags);
	}
}

/* Open @path for a picture, or say why not ("CMD: cannot write ..."). */
static FILE *picture_file(struct repl *r, const char *cmd, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		repl_error(r, "%s: cannot write %s: %s", cmd, path,
			   strerror(errno));
	return f;
}

/* Close a picture's file; a write error is reported naming it. */
static int picture_done(struct repl *r, const char *cmd, const char *path,
			FILE *f, int err)
{
	if (f == r->out)
		fflush(f);
	else if (fclose(f) && !err)
		err = -EIO;
	if (err < 0) {
		repl_error(r, "%s: cannot write %s: %s", cmd,
			   path ? path : "the output", strerror(-err));
		return -1;
	}
	if (path)
		fprintf(r->out, "wrote %s\n", path);
	return 0;
}

/* pgtable --dot [FILE]: pictures.c's Graphviz tree. */
static int pgtable_dot_cmd(struct repl *r, struct task *t, const char *path)
{
	FILE *f = path ? picture_file(r, "pgtable", path) : r->out;

	if (!f)
		return -1;
	return picture_done(r, "pgtable", path, f,
			    pgtable_dot(r->k, t->pid, f));
}

REPL_CMD(cmd_pgtable)
{
	struct pgtable_walk w = { .r = r };
	const char *pid = NULL, *dot_path = NULL;
	bool dot = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--all")) {
			w.all = true;
		} else if (!strcmp(argv[i], "--dot")) {
			dot = true;
			/* the word after --dot is its file */
			if (i + 1 < argc && strncmp(argv[i + 1], "--", 2))
				dot_path = argv[++i];
		} else if (!pid) {
			pid = argv[i];
		} else {
			repl_error(r, "pgtable: unexpected '%s' (pgtable [PID] "
				      "[--all] [--dot [FILE]])", argv[i]);
			return -1;
		}
	}
	struct task *t = task_arg(r, pid);
	if (!t)
		return -1;
	if (!t->mm || !t->mm->pgd) {
		repl_error(r, "pgtable: pid %d has no page tables", t->pid);
		return -1;
	}
	if (dot)
		return pgtable_dot_cmd(r, t, dot_path);
	fprintf(r->out, "pid %d (%s): pgd at pa 0x%09llx, %s paging\n",
		t->pid, t->comm, (unsigned long long)t->mm->pgd,
		r->k->mmu.geo->name);
	pgtable_level(&w, t->mm->pgd, 0, 0);
	fprintf(r->out, "%lu tables, %lu leaves, %lu not-present entries%s\n",
		w.tables, w.leaves, w.swaps,
		w.all || !w.swaps ? "" : " (--all lists them)");
	return 0;
}

REPL_CMD(cmd_physmap)
{
	if (argc == 1) {
		int e = physmap_text(r->k, r->out);
		if (e < 0) {
			repl_error(r, "physmap: %s", strerror(-e));
			return -1;
		}
		return 0;
	}
	if (strcmp(argv[1], "--svg")) {
		repl_error(r, "physmap: unexpected '%s' (physmap [--svg FILE])",
			   argv[1]);
		return -1;
	}
	if (argc == 2) {
		repl_error(r, "physmap: --svg needs a FILE (physmap --svg "
			      "FILE)");
		return -1;
	}
	if (argc > 3) {
		repl_error(r, "physmap: unexpected '%s' (physmap [--svg FILE])",
			   argv[3]);
		return -1;
	}
	FILE *f = picture_file(r, "physmap", argv[2]);
	if (!f)
		return -1;
	return picture_done(r, "physmap", argv[2], f, physmap_svg(r->k, f));
}

/* ---- TLB ------------------------------------------------------------------------ */

static void show_tlb(struct repl *r, bool itlb)
{
	const struct tlb *t = itlb ? &r->k->mmu.itlb : &r->k->mmu.dtlb;
	struct tlb_stats st;
	char flags[64];

	mmu_tlb_stats(&r->k->mmu, itlb, &st);
	fprintf(r->out, "%s: %u entries, %u sets x %u ways, %s, %u valid\n",
		t->name, t->nr_entries, t->nr_sets, t->ways,
		t->policy == TLB_LRU ? "LRU" : "tree-PLRU", tlb_count_valid(t));
	for (unsigned s = 0; s < t->nr_sets; s++) {
		const struct tlb_entry *set = &t->e[s * t->ways];
		unsigned order[4096], n = 0;
		for (unsigned w = 0; w < t->ways; w++)
			if (set[w].valid)
				order[n++] = w;
		if (!n)
			continue;
		/* most recently used first (insertion sort on the stamp) */
		for (unsigned i = 1; i < n; i++)
			for (unsigned j = i; j > 0 && set[order[j]].stamp >
							      set[order[j - 1]].stamp;
			     j--) {
				unsigned tmp = order[j];
				order[j] = order[j - 1];
				order[j - 1] = tmp;
			}
		fprintf(r->out, "  set %u (MRU first):\n", s);
		for (unsigned i = 0; i < n; i++) {
			const struct tlb_entry *e = &set[order[i]];
			pte_flags(e->perm, flags, sizeof(flags));
			fprintf(r->out, "    way %u: va 0x%08x -> pa 0x%09llx "
					"asid %u [%s]%s%s\n",
				order[i], e->vpn << PAGE_SHIFT,
				(unsigned long long)e->pfn << PAGE_SHIFT,
				e->asid, flags,
				e->huge ? (t->huge_shift == 9 ? " 2M"
							      : " 4M")
					: "",
				i == n - 1 && n == t->ways ? "  <- next victim"
							   : "");
		}
	}
	fprintf(r->out, "  %llu accesses, %llu hits, %llu misses (miss rate "
			"%.4f), %llu evictions, flushes %llu page %llu asid "
			"%llu all\n",
		(unsigned long long)st.accesses,
		(unsigned long long)(st.accesses - st.misses),
		(unsigned long long)st.misses,
		st.accesses ? (double)st.misses / (double)st.accesses : 0.0,
		(unsigned long long)st.evictions,
		(unsigned long long)st.flush_page,
		(unsigned long long)st.flush_asid,
		(unsigned long long)st.flush_all);
}

REPL_CMD(cmd_tlb)
{
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "i") &&
			 strcmp(argv[1], "d"))) {
		repl_error(r, "tlb: expected 'tlb', 'tlb i' or 'tlb d'");
		return -1;
	}
	if (argc == 1 || argv[1][0] == 'i')
		show_tlb(r, true);
	if (argc == 1 || argv[1][0] == 'd')
		show_tlb(r, false);
	return 0;
}

/* ---- processes and /proc ----------------------------------------------------------- */

REPL_CMD(cmd_ps)
{
	struct seq s = {0};

	show_ps(r->k, &s);
	repl_put_seq(r, &s);
	return 0;
}

static int cat_path(struct repl *r, const char *path)
{
	struct seq s = {0};
	int e;

	if (strncmp(path, "/proc/", 6) || strstr(path, "..")) {
		repl_error(r, "cat: '%s': only /proc files can be read here",
			   path);
		return -1;
	}
	e = procfs_read(r->k, path, &s);
	if (e < 0) {
		seq_free(&s);
		repl_error(r, "cat: %s: %s", path, strerror(-e));
		return -1;
	}
	repl_put_seq(r, &s);
	return 0;
}

REPL_CMD(cmd_maps)
{
	struct task *t = task_arg(r, argc > 1 ? argv[1] : NULL);
	char path[64];

	if (!t)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/maps", t->pid);
	return cat_path(r, path);
}

REPL_CMD(cmd_pmap)
{
	const char *pid = NULL;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-x"))
			pid = argv[i];
	struct task *t = task_arg(r, pid);
	if (!t)
		return -1;
	if (!t->mm) {
		repl_error(r, "pmap: pid %d has no memory", t->pid);
		return -1;
	}
	struct seq s = {0};
	show_pmap_x(r->k, t, &s);
	repl_put_seq(r, &s);
	return 0;
}

REPL_CMD(cmd_cat)
{
	if (argc != 2) {
		repl_error(r, "cat: expected one /proc path (cat /proc/meminfo)");
		return -1;
	}
	return cat_path(r, argv[1]);
}

REPL_CMD(cmd_dmesg)
{
	struct seq s = {0};

	klog_dump(r->k->log, &s);
	repl_put_seq(r, &s);
	return 0;
}

REPL_CMD(cmd_vmstat)
{
	return cat_path(r, "/proc/vmstat");
}

REPL_CMD(cmd_buddyinfo)
{
	return cat_path(r, "/proc/buddyinfo");
}

REPL_CMD(cmd_slabinfo)
{
	return cat_path(r, "/proc/slabinfo");
}

/* A meminfo value in kB, 0 when absent. */
static unsigned long meminfo(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return strtoul(p + kl + 1, NULL, 10);
	return 0;
}

REPL_CMD(cmd_free)
{
	struct seq s = {0};

	show_meminfo(&r->k->mem, &s);
	const char *m = seq_text(&s);
	unsigned long total = meminfo(m, "MemTotal"),
		      mfree = meminfo(m, "MemFree"),
		      buffers = meminfo(m, "Buffers"),
		      cached = meminfo(m, "Cached") +
			       meminfo(m, "SReclaimable"),
		      shared = meminfo(m, "Shmem"),
		      avail = meminfo(m, "MemAvailable"),
		      stotal = meminfo(m, "SwapTotal"),
		      sfree = meminfo(m, "SwapFree");
	unsigned long used = total - mfree - buffers - cached;
	if (mfree + buffers + cached > total)
		used = 0;
	fprintf(r->out, "%15s %11s %11s %11s %11s %11s\n", "total", "used",
		"free", "shared", "buff/cache", "available");
	fprintf(r->out, "Mem:   %11lu %11lu %11lu %11lu %11lu %11lu\n", total,
		used, mfree, shared, buffers + cached, avail);
	fprintf(r->out, "Swap:  %11lu %11lu %11lu\n", stotal, stotal - sfree,
		sfree);
	seq_free(&s);
	return 0;
}

REPL_CMD(cmd_sysctl)
{
	struct seq s = {0};

	if (argc == 1) {
		struct seq names = {0};
		vm_sysctl_list(&names);
		char *list = strdup(seq_text(&names));
		seq_free(&names);
		if (!list)
			return -1;
		for (char *n = strtok(list, " "); n; n = strtok(NULL, " ")) {
			if (vm_sysctl_show(r->k, n, &s) == 0)
				fprintf(r->out, "vm.%s = %s", n, seq_text(&s));
			seq_reset(&s);
		}
		free(list);
		seq_free(&s);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char name[64];
		const char *a = argv[i];
		if (!strncmp(a, "vm.", 3))
			a += 3;
		const char *eq = strchr(a, '=');
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		if (nl >= sizeof(name) || !nl)
			goto unknown;
		memcpy(name, a, nl);
		name[nl] = '\0';
		if (!vm_sysctl_exists(name))
			goto unknown;
		if (eq) {
			int e = vm_sysctl_set(r->k, name, eq + 1);
			if (e < 0) {
				repl_error(r, "sysctl: vm.%s: bad value '%s'",
					   name, eq + 1);
				seq_free(&s);
				return -1;
			}
		}
		seq_reset(&s);
		if (vm_sysctl_show(r->k, name, &s) == 0)
			fprintf(r->out, "vm.%s = %s", name, seq_text(&s));
		else
			fprintf(r->out, "vm.%s: (write-only)\n", name);
		continue;
unknown: {
		struct seq names = {0};
		vm_sysctl_list(&names);
		repl_error(r, "sysctl: unknown setting '%s' (vm.: %s)", argv[i],
			   seq_text(&names));
		seq_free(&names);
		seq_free(&s);
		return -1;
	}
	}
	seq_free(&s);
	return 0;
}

static const char *const signames[] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
	"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
	"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
	"XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

REPL_CMD(cmd_kill)
{
	int sig = -1;

	if (argc != 3) {
		repl_error(r, "kill: expected PID SIG (kill 1 SIGTERM)");
		return -1;
	}
	struct task *t = task_arg(r, argv[1]);
	if (!t)
		return -1;
	const char *s = argv[2];
	if (s[0] == '-')
		s++;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < (int)ARRAY_SIZE(signames); i++)
		if (!strcasecmp(s, signames[i]))
			sig = i;
	if (sig < 0) {
		char *end;
		long v = strtol(s, &end, 10);
		if (*s && !*end && v > 0 && v < NR_SIGNALS)
			sig = (int)v;
	}
	if (sig < 0) {
		repl_error(r, "kill: unknown signal '%s' (a name like SIGTERM "
			      "or a number 1..64)", argv[2]);
		return -1;
	}
	if (t->state == TASK_ZOMBIE) {
		repl_error(r, "kill: pid %d has already exited", t->pid);
		return -1;
	}
	send_signal(r->k, t, sig);
	fprintf(r->out, "sent signal %d to pid %d (%s); it acts when the "
			"process next runs\n", sig, t->pid, t->comm);
	return 0;
}

/* ---- stats --------------------------------------------------------------------------- */

static unsigned long vm(struct repl *r, const char *name)
{
	unsigned long v = 0;

	vmstat_lookup(&r->k->mem, name, &v);
	return v;
}

REPL_CMD(cmd_stats)
{
	struct tlb_stats is, ds;
	double p, eat;

	mmu_tlb_stats(&r->k->mmu, true, &is);
	mmu_tlb_stats(&r->k->mmu, false, &ds);
	repl_eat(r, &p, &eat);
	fprintf(r->out, "instructions %llu, cycles %llu, syscalls %llu\n",
		(unsigned long long)r->k->cpu.instret,
		(unsigned long long)r->k->cpu.cycle,
		(unsigned long long)r->k->nr_syscalls);
	fprintf(r->out, "page faults  %lu (minor %lu, major %lu), OOM kills "
			"%lu\n",
		vm(r, "pgfault"), vm(r, "pgfault") - vm(r, "pgmajfault"),
		vm(r, "pgmajfault"), vm(r, "oom_kill"));
	fprintf(r->out, "COW          %llu pages copied, %llu reused in place "
			"(write faults on shared pages)\n",
		(unsigned long long)r->cow_copies,
		(unsigned long long)r->cow_reuses);
	fprintf(r->out, "itlb         %llu accesses, %llu misses (miss rate "
			"%.4f)\n",
		(unsigned long long)is.accesses, (unsigned long long)is.misses,
		is.accesses ? (double)is.misses / (double)is.accesses : 0.0);
	fprintf(r->out, "dtlb         %llu accesses, %llu misses (miss rate "
			"%.4f)\n",
		(unsigned long long)ds.accesses, (unsigned long long)ds.misses,
		ds.accesses ? (double)ds.misses / (double)ds.accesses : 0.0);
	fprintf(r->out, "page walks   %llu (%llu entries read)\n",
		(unsigned long long)r->k->mmu.st.walks,
		(unsigned long long)r->k->mmu.st.walk_reads);
	fprintf(r->out, "swap         %lu pages in, %lu out\n",
		vm(r, "pswpin"), vm(r, "pswpout"));
	fprintf(r->out, "reclaim      %lu scanned, %lu stolen (kswapd %lu, "
			"direct %lu)\n",
		vm(r, "pgscan_kswapd") + vm(r, "pgscan_direct"),
		vm(r, "pgsteal_kswapd") + vm(r, "pgsteal_direct"),
		vm(r, "pgsteal_kswapd"), vm(r, "pgsteal_direct"));
	fprintf(r->out, "EAT          (1-p)*ma + p*fault_time = %.3f ns with "
			"p = %.3g (faults per memory reference), ma = %g ns, "
			"fault_time = %g ns\n",
		eat, p, r->eat_ma_ns, r->eat_fault_ns);
	fprintf(r->out, "             ('set eat.ma N' and 'set eat.fault N' "
			"change ma and fault_time)\n");
	if (r->k->cfg.cost.on)
		fprintf(r->out, "             measured with --cost: %.3f ns per "
				"reference (the model's cycles / references, "
				"+1)\n",
			repl_eat_measured(r));
	return 0;
}
