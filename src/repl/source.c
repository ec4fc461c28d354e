/*
 * Source lines for the REPL, from the program's DWARF line table (libdw,
 * elfutils).  The table is read once at load time into one array sorted
 * by address: line_of(pc) is a binary search.  The guest programs are
 * built with -g, which changes no code.  Without libdw every function here
 * reports "no line information" and the REPL steps by instruction.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "repl/cmds.h"

#ifdef HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#endif

struct line_row {
	uint32_t addr;
	int line;		/* 0: end of a sequence (no line) */
	uint16_t file;		/* index into files[] */
	bool stmt;
};

struct src_file {
	char *path;		/* as DWARF names it (absolute with comp_dir) */
	char *text;		/* loaded on first use, NULL if unreadable */
	bool tried;
	size_t nr_lines;
	const char **line;	/* start of each line in text */
};

struct repl_lines {
	struct line_row *row;
	size_t nr, cap;
	struct src_file *files;
	size_t nr_files;
	int list_file, list_line;	/* where `list` continues */
};

void repl_lines_free(struct repl *r)
{
	struct repl_lines *l = r->lines;

	if (!l)
		return;
	for (size_t i = 0; i < l->nr_files; i++) {
		free(l->files[i].path);
		free(l->files[i].text);
		free(l->files[i].line);
	}
	free(l->files);
	free(l->row);
	free(l);
	r->lines = NULL;
}

#ifdef HAVE_LIBDW
static int file_index(struct repl_lines *l, const char *path)
{
	for (size_t i = 0; i < l->nr_files; i++)
		if (!strcmp(l->files[i].path, path))
			return (int)i;
	if (l->nr_files >= 65535)
		return -1;
	struct src_file *f = realloc(l->files, (l->nr_files + 1) * sizeof(*f));
	if (!f)
		return -1;
	l->files = f;
	memset(&f[l->nr_files], 0, sizeof(*f));
	f[l->nr_files].path = strdup(path);
	if (!f[l->nr_files].path)
		return -1;
	return (int)l->nr_files++;
}

static int cmp_row(const void *a, const void *b)
{
	const struct line_row *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* at one address, an end of sequence comes first: the next
	 * sequence's row wins the lookup */
	return (x->line != 0) - (y->line != 0);
}
#endif

void repl_lines_load(struct repl *r, const char *path)
{
#ifdef HAVE_LIBDW
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Dwarf *dw;
	Dwarf_Off off = 0, next;
	size_t hsize;
	struct repl_lines *l;

	repl_lines_free(r);
	if (fd < 0)
		return;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		goto out;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Lines *lines;
		size_t n;

		if (dwarf_offdie(dw, off + hsize, &cu) &&
		    dwarf_getsrclines(&cu, &lines, &n) == 0) {
			Dwarf_Attribute at;
			const char *comp_dir = dwarf_formstring(
				dwarf_attr(&cu, DW_AT_comp_dir, &at));
			for (size_t i = 0; i < n; i++) {
				Dwarf_Line *ln = dwarf_onesrcline(lines, i);
				Dwarf_Addr a;
				int lineno = 0;
				bool end = false, stmt = false;
				const char *src;
				if (!ln || dwarf_lineaddr(ln, &a) ||
				    dwarf_lineno(ln, &lineno) ||
				    dwarf_lineendsequence(ln, &end) ||
				    dwarf_linebeginstatement(ln, &stmt))
					continue;
				src = dwarf_linesrc(ln, NULL, NULL);
				char full[1024];
				/* relative names are relative to the
				 * compilation directory */
				if (src && src[0] != '/' && comp_dir &&
				    (size_t)snprintf(full, sizeof(full), "%s/%s",
						     comp_dir, src) <
					    sizeof(full))
					src = full;
				int fi = src ? file_index(l, src) : -1;
				if (fi < 0 || a > 0xffffffffu)
					continue;
				if (l->nr == l->cap) {
					size_t cap = l->cap ? 2 * l->cap : 1024;
					struct line_row *row = realloc(
						l->row, cap * sizeof(*row));
					if (!row)
						goto out;
					l->row = row;
					l->cap = cap;
				}
				l->row[l->nr++] = (struct line_row){
					(uint32_t)a, end ? 0 : lineno,
					(uint16_t)fi, stmt && !end };
			}
		}
		off = next;
	}
	if (!l->nr) {
		r->lines = l;
		repl_lines_free(r);
		l = NULL;
		goto out;
	}
	qsort(l->row, l->nr, sizeof(*l->row), cmp_row);
	l->list_file = -1;
	r->lines = l;
	l = NULL;
out:
	if (l) {
		r->lines = l;
		repl_lines_free(r);
	}
	dwarf_end(dw);
	close(fd);
#else
	(void)r;
	(void)path;
#endif
}

/* The row covering @pc, or NULL. */
static const struct line_row *row_of(struct repl *r, uint32_t pc)
{
	struct repl_lines *l = r->lines;
	size_t lo = 0, hi;

	if (!l || !l->nr)
		return NULL;
	hi = l->nr;
	while (lo < hi) {	/* the first row with addr > pc */
		size_t mid = (lo + hi) / 2;
		if (l->row[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct line_row *row = &l->row[lo - 1];
	/* the last of several rows at one address is the one in force */
	return row->line ? row : NULL;
}

int repl_line_of(struct repl *r, uint32_t pc)
{
	const struct line_row *row = row_of(r, pc);

	return row ? row->line : 0;
}

bool repl_is_stmt(struct repl *r, uint32_t pc)
{
	struct repl_lines *l = r->lines;

	if (!l)
		return true;
	/* a statement starts exactly here */
	size_t lo = 0, hi = l->nr;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->row[mid].addr < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < l->nr && l->row[lo].addr == pc; lo++)
		if (l->row[lo].stmt)
			return true;
	return false;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

bool repl_source_of(struct repl *r, uint32_t pc, char *buf, size_t len)
{
	const struct line_row *row = row_of(r, pc);

	if (!row)
		return false;
	snprintf(buf, len, "%s:%d", base_name(r->lines->files[row->file].path),
		 row->line);
	return true;
}

/* Load the text of file @fi and index its lines. */
static struct src_file *load_text(struct repl_lines *l, int fi)
{
	struct src_file *f = &l->files[fi];

	if (f->tried)
		return f->text ? f : NULL;
	f->tried = true;
	FILE *in = fopen(f->path, "r");
	if (!in)
		return NULL;
	size_t cap = 0, len = 0;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0 && len < (8u << 20)) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *t = realloc(f->text, cap);
			if (!t) {
				fclose(in);
				free(f->text);
				f->text = NULL;
				return NULL;
			}
			f->text = t;
		}
		memcpy(f->text + len, buf, n);
		len += n;
	}
	fclose(in);
	if (!f->text)
		return NULL;
	f->text[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (f->text[i] == '\n')
			f->nr_lines++;
	f->nr_lines++;
	f->line = calloc(f->nr_lines, sizeof(char *));
	if (!f->line) {
		free(f->text);
		f->text = NULL;
		return NULL;
	}
	size_t k = 0;
	f->line[k++] = f->text;
	for (size_t i = 0; i < len && k < f->nr_lines; i++)
		if (f->text[i] == '\n')
			f->line[k++] = f->text + i + 1;
	return f;
}

static void print_line(struct repl *r, struct src_file *f, int line,
		       bool mark)
{
	const char *s = f->line[line - 1];
	size_t n = strcspn(s, "\n");

	fprintf(r->out, "%s%-5d %.*s\n", mark ? "=> " : "   ", line, (int)n,
		s);
}

void repl_show_source(struct repl *r, uint32_t pc)
{
	const struct line_row *row = row_of(r, pc);

	if (!row)
		return;
	struct repl_lines *l = r->lines;
	struct src_file *f = load_text(l, row->file);
	l->list_file = row->file;
	l->list_line = row->line;
	if (f && row->line <= (int)f->nr_lines) {
		const char *s = f->line[row->line - 1];
		fprintf(r->out, "%s:%d\t%.*s\n", base_name(f->path), row->line,
			(int)strcspn(s, "\n"), s);
	} else {
		fprintf(r->out, "%s:%d\n", base_name(l->files[row->file].path),
			row->line);
	}
}

/* The file named @name (a path or a base name), or -1. */
static int find_file(struct repl_lines *l, const char *name)
{
	for (size_t i = 0; i < l->nr_files; i++)
		if (!strcmp(l->files[i].path, name) ||
		    !strcmp(base_name(l->files[i].path), name))
			return (int)i;
	return -1;
}

int repl_line_addr(struct repl *r, const char *file, int line,
		   uint32_t *addr)
{
	struct repl_lines *l = r->lines;
	int fi, best = 0;

	if (!l)
		return -1;
	fi = find_file(l, file);
	if (fi < 0)
		return -1;
	/* the lowest address of the first line >= @line that has code */
	for (size_t i = 0; i < l->nr; i++) {
		const struct line_row *row = &l->row[i];
		if (row->file != fi || !row->stmt || row->line < line)
			continue;
		if (!best || row->line < best ||
		    (row->line == best && row->addr < *addr)) {
			best = row->line;
			*addr = row->addr;
		}
	}
	return best ? 0 : -1;
}

int repl_list(struct repl *r, const char *file, int line)
{
	struct repl_lines *l = r->lines;
	int fi = l ? l->list_file : -1;
	uint32_t pc = r->k ? r->k->cpu.pc : 0;

	if (!l) {
		repl_error(r, "list: the program has no line information");
		return -1;
	}
	if (file) {
		fi = find_file(l, file);
		if (fi < 0) {
			repl_error(r, "list: no source file '%s'", file);
			return -1;
		}
	}
	if (fi < 0) {
		repl_error(r, "list: where? (list FILE:LINE or list FUNCTION)");
		return -1;
	}
	struct src_file *f = load_text(l, fi);
	if (!f) {
		repl_error(r, "list: cannot read %s", l->files[fi].path);
		return -1;
	}
	int first = line - 5 < 1 ? 1 : line - 5;
	if (first > (int)f->nr_lines) {
		repl_error(r, "list: %s has %zu lines", base_name(f->path),
			   f->nr_lines);
		return -1;
	}
	const struct line_row *cur = row_of(r, pc);
	for (int i = first; i < first + 10 && i <= (int)f->nr_lines; i++)
		print_line(r, f, i,
			   cur && cur->file == fi && cur->line == i);
	l->list_file = fi;
	l->list_line = first + 15;	/* the next `list` goes on */
	return 0;
}

REPL_CMD(cmd_list)
{
	uint32_t addr;

	if (!r->lines) {
		repl_error(r, "list: the program has no line information%s",
			   r->k ? "" : " (no program loaded)");
		return -1;
	}
	if (argc < 2) {
		struct repl_lines *l = r->lines;
		if (l->list_file < 0) {
			const struct line_row *row = r->k ? row_of(r, r->k->cpu.pc)
							  : NULL;
			if (!row && r->k && r->have_img) {
				const struct elf_symbol *s =
					elf_symbol_find(&r->img, "main");
				row = s ? row_of(r, s->addr) : NULL;
			}
			if (!row) {
				repl_error(r, "list: where? (list FUNCTION or "
					      "FILE:LINE)");
				return -1;
			}
			return repl_list(r, r->lines->files[row->file].path,
					 row->line);
		}
		return repl_list(r, l->files[l->list_file].path, l->list_line);
	}
	/* FILE:LINE lists that line of FILE even where it has no code */
	const char *colon = strrchr(rest, ':');
	if (colon && colon[1] >= '0' && colon[1] <= '9') {
		char file[256];
		size_t n = (size_t)(colon - rest);
		if (n < sizeof(file)) {
			memcpy(file, rest, n);
			file[n] = '\0';
			return repl_list(r, file, atoi(colon + 1));
		}
	}
	if (repl_location(r, rest, &addr) < 0)
		return -1;
	const struct line_row *row = row_of(r, addr);
	if (!row) {
		repl_error(r, "list: no line information for 0x%08x", addr);
		return -1;
	}
	return repl_list(r, r->lines->files[row->file].path, row->line);
}
