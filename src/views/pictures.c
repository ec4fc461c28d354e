/*
 * Pictures of memory: the page-table tree of a process (Graphviz DOT) and
 * the physical frames (SVG).  See pictures.h for the contract; the report
 * page is in report.c.
 *
 * Both pictures read guest RAM through phys_host() only.  They never call
 * the MMU's walker (which counts walks and sets A/D bits) nor touch a
 * struct page: what they draw is exactly what the run left.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/mm.h"
#include "trace/event.h"
#include "views/pictures.h"

/* ---- page-table tree ----------------------------------------------------- */

#define DOT_MAX_ROWS 64

/* A sorted set of table frames (the other processes' trees). */
struct pfn_set {
	pfn_t *v;
	size_t n, cap;
};

static void pfn_set_add(struct pfn_set *s, pfn_t pfn)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		pfn_t *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return; /* a picture with fewer marks, not a failure */
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = pfn;
}

static int pfn_cmp(const void *a, const void *b)
{
	pfn_t x = *(const pfn_t *)a, y = *(const pfn_t *)b;

	return x < y ? -1 : x > y;
}

static bool pfn_set_has(const struct pfn_set *s, pfn_t pfn)
{
	return s->n && bsearch(&pfn, s->v, s->n, sizeof(pfn_t), pfn_cmp);
}

/* Host pointer to the table at @pa of level @lvl, or NULL outside RAM. */
static const uint8_t *table_at(struct kernel *k, gpa_t pa, int lvl)
{
	const struct pt_geometry *g = k->mmu.geo;

	return phys_host(&k->phys, pa,
			 ((size_t)1 << g->level[lvl].bits) * g->entry_size);
}

/* A valid entry with R=W=X=0 below the last level: a pointer to a table. */
static bool entry_is_table(const struct pt_geometry *g, int lvl, pte_t e)
{
	return pte_present(e) && !(e & PTE_RWX) && lvl + 1 < g->nr_levels;
}

/* Add every table frame of the tree at @root to @s. */
static void collect_tables(struct kernel *k, gpa_t root, int lvl,
			   struct pfn_set *s)
{
	const struct pt_geometry *g = k->mmu.geo;
	const uint8_t *t = table_at(k, root, lvl);

	if (!t)
		return;
	pfn_set_add(s, root >> PAGE_SHIFT);
	for (unsigned i = 0; i < (1u << g->level[lvl].bits); i++) {
		pte_t e = pt_read(g, t + (size_t)i * g->entry_size);
		if (entry_is_table(g, lvl, e))
			collect_tables(k, (gpa_t)pte_pfn(e) << PAGE_SHIFT,
				       lvl + 1, s);
	}
}

static void flags_string(pte_t e, char *buf)
{
	static const char names[] = "vrwxugad";
	int n = 0;

	for (int b = 0; b < 8; b++)
		buf[n++] = (e >> b) & 1 ? names[b] : '-';
	buf[n] = '\0';
}

struct dot_ctx {
	struct kernel *k;
	struct mm *mm;
	FILE *out;
	struct pfn_set shared;	/* table frames of other address spaces */
};

static void dot_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				fputc(*s, out);
		}
	}
}

/*
 * Copy-on-write as Linux (and do_wp_page) decides it: a write-protected
 * entry in a private writable vma -- there is no COW bit in the PTE.
 */
static bool is_cow(struct mm *mm, gva_t va, pte_t e)
{
	struct vma *vma;

	if (e & PTE_W)
		return false;
	vma = vma_lookup(mm, va);
	return vma && (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
}

/*
 * One table as a node "t<pfn>", its entries as rows with a port each; then
 * the edges to and the nodes of its child tables.  @base is the first va
 * the table covers.
 */
static void dot_table(struct dot_ctx *c, gpa_t pa, int lvl, gva_t base)
{
	struct kernel *k = c->k;
	const struct pt_geometry *g = k->mmu.geo;
	const struct pt_level *L = &g->level[lvl];
	const uint8_t *t = table_at(k, pa, lvl);
	unsigned n = 1u << L->bits, used = 0, rows = 0;
	pfn_t pfn = pa >> PAGE_SHIFT;
	bool shared = pfn_set_has(&c->shared, pfn);

	if (!t)
		return;
	for (unsigned i = 0; i < n; i++)
		used += pt_read(g, t + (size_t)i * g->entry_size) != 0;
	fprintf(c->out,
		"  t%llx [label=<<table border=\"0\" cellborder=\"1\" "
		"cellspacing=\"0\"><tr><td bgcolor=\"%s\" colspan=\"2\">"
		"<b>%s</b> pfn 0x%llx<br/>%u/%u entries%s</td></tr>\n",
		(unsigned long long)pfn, shared ? "#c6a0e6" : "#d0d0d0",
		L->name, (unsigned long long)pfn, used, n,
		shared ? "<br/>shared with another process" : "");
	for (unsigned i = 0; i < n; i++) {
		pte_t e = pt_read(g, t + (size_t)i * g->entry_size);
		gva_t va = base + ((gva_t)i << L->shift);
		const char *bg = "white";
		char what[96], fl[9];

		if (pte_none(e))
			continue;
		if (++rows > DOT_MAX_ROWS)
			continue;
		flags_string(e, fl);
		if (entry_is_table(g, lvl, e)) {
			snprintf(what, sizeof(what), "table pfn 0x%llx",
				 (unsigned long long)pte_pfn(e));
		} else if (pte_present(e)) {
			pfn_t p = pte_pfn(e);
			int maps = 0;
			bool cow = is_cow(c->mm, va, e);
			if (pfn_valid(&k->mem, p))
				maps = page_mapcount(pfn_to_page(&k->mem, p));
			snprintf(what, sizeof(what), "pfn 0x%llx %s%s%s%s",
				 (unsigned long long)p, fl,
				 cow ? " COW" : "",
				 lvl + 1 < g->nr_levels ? " huge" : "",
				 p == k->zero_pfn ? " zero-page" : "");
			if (maps > 1) {
				size_t l = strlen(what);
				snprintf(what + l, sizeof(what) - l,
					 " mapped x%d", maps);
			}
			bg = p == k->zero_pfn ? "#e8e8e8"
			     : cow	      ? "#ffb870"
			     : maps > 1	      ? "#a8d8f0"
			     : (e & PTE_D)    ? "#ffe08a"
					      : "#c8f0c8";
		} else if (pte_protnone(e)) {
			snprintf(what, sizeof(what), "PROT_NONE pfn 0x%llx",
				 (unsigned long long)pte_pfn(e));
			bg = "#f0c0c0";
		} else if (pte_is_swap(e)) {
			snprintf(what, sizeof(what), "swap type %u offset %llu",
				 swp_type(e),
				 (unsigned long long)swp_offset(e));
			bg = "#c0c0f0";
		} else {
			snprintf(what, sizeof(what), "raw 0x%llx",
				 (unsigned long long)e);
		}
		fprintf(c->out,
			"    <tr><td>[%u] 0x%08x</td><td port=\"e%u\" "
			"bgcolor=\"%s\">%s</td></tr>\n",
			i, va, i, bg, what);
	}
	if (rows > DOT_MAX_ROWS)
		fprintf(c->out,
			"    <tr><td colspan=\"2\">... %u more</td></tr>\n",
			rows - DOT_MAX_ROWS);
	fputs("  </table>>];\n", c->out);
	rows = 0;
	for (unsigned i = 0; i < n; i++) {
		pte_t e = pt_read(g, t + (size_t)i * g->entry_size);
		gpa_t child;

		if (pte_none(e) || ++rows > DOT_MAX_ROWS ||
		    !entry_is_table(g, lvl, e))
			continue;
		child = (gpa_t)pte_pfn(e) << PAGE_SHIFT;
		if (!table_at(k, child, lvl + 1))
			continue;
		fprintf(c->out, "  t%llx:e%u -> t%llx;\n",
			(unsigned long long)pfn, i,
			(unsigned long long)pte_pfn(e));
		dot_table(c, child, lvl + 1, base + ((gva_t)i << L->shift));
	}
}

int pgtable_dot(struct kernel *k, int pid, FILE *out)
{
	struct task *t = find_task(k, pid), *o;
	struct dot_ctx c = {.k = k, .out = out, .mm = t ? t->mm : NULL};
	int sharers = 0;

	if (!t || !t->mm || !t->mm->pgd)
		return -ESRCH;
	list_for_each_entry(o, &k->tasks, tasks) {
		if (o->mm == t->mm && o != t)
			sharers++;
		if (o->mm && o->mm != t->mm && o->mm->pgd)
			collect_tables(k, o->mm->pgd, 0, &c.shared);
	}
	if (c.shared.n)
		qsort(c.shared.v, c.shared.n, sizeof(pfn_t), pfn_cmp);
	fprintf(out, "digraph pgtable_%d {\n", pid);
	fputs("  graph [rankdir=LR, fontname=\"monospace\", label=<", out);
	fprintf(out, "page tables of pid %d (", pid);
	dot_escape(out, t->comm);
	fprintf(out, "), %s paging, pgd at 0x%llx%s<br/>"
		     "green: present, yellow: dirty, orange: COW, blue: "
		     "mapped more than once, purple header: table shared "
		     "with another process>];\n",
		k->mmu.geo->name, (unsigned long long)t->mm->pgd,
		sharers ? ", address space shared (CLONE_VM/vfork)" : "");
	fputs("  node [shape=plaintext, fontname=\"monospace\", "
	      "fontsize=10];\n",
	      out);
	dot_table(&c, t->mm->pgd, 0, 0);
	fputs("}\n", out);
	free(c.shared.v);
	return ferror(out) ? -EIO : 0;
}

/* ---- physical map ---------------------------------------------------------- */

enum frame_class {
	FC_HOLE,
	FC_RESERVED,
	FC_KERNEL,
	FC_SLAB,
	FC_PGTABLE,
	FC_FILE,
	FC_ANON,
	FC_HUGETLB,
	FC_FREE0,	/* + buddy order, up to FC_FREE0 + MAX_ORDER */
	NR_FC = FC_FREE0 + NR_PAGE_ORDERS,
};

static const char *const fc_name[FC_FREE0] = {
	"hole (not RAM)", "reserved (boot, mem_map, kernel image)",
	"kernel (stacks, other allocations)", "slab", "page table",
	"file (page cache)", "anonymous", "hugetlb",
};

static const char *const fc_colour[FC_FREE0] = {
	"#202020", "#707070", "#b05050", "#e07820", "#8040c0",
	"#3070d0", "#30a040", "#d0d000",
};

/* Free blocks: light to dark as the order grows. */
static void free_colour(unsigned order, char *buf, size_t len)
{
	unsigned v = (250 - order * 12) & 0xff;

	snprintf(buf, len, "#%02x%02x%02x", v, v, 255u);
}

static enum frame_class classify(struct kernel *k, struct page *page)
{
	if (PageTail(page))
		page = compound_head(page);
	if (PageSlab(page))
		return FC_SLAB;
	if (PagePgtable(page))
		return FC_PGTABLE;
	if (PageReserved(page))
		return FC_RESERVED;
	if (PageAnon(page))
		return FC_ANON;
	if (page->mapping)
		return FC_FILE;
	if (page_count(page) > 0)
		return FC_KERNEL;
	return FC_FREE0; /* free but not a buddy head: inside a block */
}

/* One class per frame: buddy blocks are found from their head pages. */
static uint8_t *classify_frames(struct kernel *k)
{
	pfn_t n = k->mem.nr_frames;
	uint8_t *fc = malloc(n ? n : 1);

	if (!fc)
		return NULL;
	for (pfn_t pfn = 0; pfn < n; pfn++) {
		struct page *page = pfn_to_page(&k->mem, pfn);

		if (phys_type(&k->phys, (gpa_t)pfn << PAGE_SHIFT) !=
		    E820_USABLE) {
			fc[pfn] = FC_HOLE;
		} else if (PageBuddy(page)) {
			unsigned order = page->private <= MAX_ORDER ?
						 (unsigned)page->private : 0;
			pfn_t end = pfn + (1ul << order);
			if (end > n)
				end = n;
			for (; pfn < end; pfn++)
				fc[pfn] = FC_FREE0 + order;
			pfn--;
		} else {
			fc[pfn] = classify(k, page);
		}
	}
	return fc;
}

#define MAP_COLS 128
#define MAP_CELL 6
#define MAP_MAX_CELLS 65536u
#define MAP_LEFT 150
#define MAP_TOP 40

/* The outline of pfns [s, e) on the grid, in cells of @per frames. */
static void outline(FILE *out, pfn_t s, pfn_t e, pfn_t per, const char *style)
{
	unsigned long a = s / per, b = (e + per - 1) / per - 1;
	unsigned long r0 = a / MAP_COLS, c0 = a % MAP_COLS;
	unsigned long r1 = b / MAP_COLS, c1 = b % MAP_COLS;
	unsigned long x[8], y[8];
	int np;

	if (e <= s)
		return;
	if (r0 == r1) {
		unsigned long xs[4] = {c0, c1 + 1, c1 + 1, c0};
		unsigned long ys[4] = {r0, r0, r0 + 1, r0 + 1};
		memcpy(x, xs, sizeof(xs));
		memcpy(y, ys, sizeof(ys));
		np = 4;
	} else {
		unsigned long xs[8] = {c0, MAP_COLS, MAP_COLS, c1 + 1,
				       c1 + 1, 0, 0, c0};
		unsigned long ys[8] = {r0, r0, r1, r1, r1 + 1, r1 + 1,
				       r0 + 1, r0 + 1};
		memcpy(x, xs, sizeof(xs));
		memcpy(y, ys, sizeof(ys));
		np = 8;
	}
	fputs("<polygon points=\"", out);
	for (int i = 0; i < np; i++)
		fprintf(out, "%s%lu,%lu", i ? " " : "",
			MAP_LEFT + x[i] * MAP_CELL, MAP_TOP + y[i] * MAP_CELL);
	fprintf(out, "\" fill=\"none\" %s/>\n", style);
}

int physmap_svg(struct kernel *k, FILE *out)
{
	pfn_t n = k->mem.nr_frames, per = 1;
	unsigned long count[NR_FC] = {0};
	uint8_t *fc = classify_frames(k);
	char colour[NR_FC][16];

	if (!fc)
		return -ENOMEM;
	while (n / per > MAP_MAX_CELLS)
		per *= 2;
	for (int i = 0; i < NR_FC; i++) {
		if (i < FC_FREE0)
			snprintf(colour[i], sizeof(colour[i]), "%s",
				 fc_colour[i]);
		else
			free_colour((unsigned)(i - FC_FREE0), colour[i],
				    sizeof(colour[i]));
	}
	for (pfn_t p = 0; p < n; p++)
		count[fc[p]]++;

	unsigned long cells = (unsigned long)((n + per - 1) / per);
	unsigned long rows = (cells + MAP_COLS - 1) / MAP_COLS;
	unsigned long legend_top = MAP_TOP + rows * MAP_CELL + 20;
	unsigned long width = MAP_LEFT + MAP_COLS * MAP_CELL + 20;
	unsigned long height = legend_top + (NR_FC / 2 + 1) * 16 + 20;

	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%lu\" "
		"height=\"%lu\" viewBox=\"0 0 %lu %lu\" "
		"font-family=\"monospace\" font-size=\"11\">\n",
		width, height, width, height);
	fprintf(out,
		"<title>physical memory: %llu frames of 4 KiB, %llu per "
		"cell</title>\n",
		(unsigned long long)n, (unsigned long long)per);
	fprintf(out,
		"<text x=\"4\" y=\"16\" font-size=\"13\">physical memory: "
		"%llu MiB, %llu frames, %llu frame%s per cell, %d node%s"
		"</text>\n",
		(unsigned long long)(k->phys.size >> 20),
		(unsigned long long)n, (unsigned long long)per,
		per > 1 ? "s" : "", k->mem.nr_nodes,
		k->mem.nr_nodes > 1 ? "s" : "");

	/* Cells: a run of equal classes in a row becomes one rect; a cell
	 * of several frames takes the class of its first frame. */
	for (unsigned long r = 0; r < rows; r++) {
		unsigned long c = 0;
		fprintf(out,
			"<text x=\"4\" y=\"%lu\" font-size=\"%d\">0x%09llx"
			"</text>\n",
			MAP_TOP + r * MAP_CELL + MAP_CELL,
			MAP_CELL + 2,
			(unsigned long long)((r * MAP_COLS * per)
					     << PAGE_SHIFT));
		while (c < MAP_COLS && r * MAP_COLS + c < cells) {
			unsigned long start = c;
			uint8_t cls = fc[(r * MAP_COLS + c) * per];
			while (c < MAP_COLS && r * MAP_COLS + c < cells &&
			       fc[(r * MAP_COLS + c) * per] == cls)
				c++;
			fprintf(out,
				"<rect x=\"%lu\" y=\"%lu\" width=\"%lu\" "
				"height=\"%d\" fill=\"%s\"/>\n",
				MAP_LEFT + start * MAP_CELL,
				MAP_TOP + r * MAP_CELL,
				(c - start) * MAP_CELL, MAP_CELL,
				colour[cls]);
		}
	}
	/* Zones dashed, nodes solid, named at their first cell. */
	for (int nid = 0; nid < k->mem.nr_nodes; nid++) {
		struct pglist_data *pgdat = k->mem.node[nid];
		pfn_t ns = pgdat->node_start_pfn;
		pfn_t ne = ns + pgdat->node_spanned_pages;

		if (ne > n)
			ne = n;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			pfn_t zs = zone->zone_start_pfn;
			pfn_t ze = zone_end_pfn(zone);
			unsigned long cell = (unsigned long)(zs / per);

			if (!zone->spanned_pages)
				continue;
			if (ze > n)
				ze = n;
			outline(out, zs, ze, per,
				"stroke=\"#000\" stroke-width=\"1.5\" "
				"stroke-dasharray=\"4 2\"");
			fprintf(out,
				"<text x=\"%d\" y=\"%lu\" font-size=\"10\">"
				"node %d %s</text>\n",
				70, MAP_TOP + (cell / MAP_COLS) * MAP_CELL + 12,
				nid, zone->name);
		}
		outline(out, ns, ne, per,
			"stroke=\"#c00000\" stroke-width=\"2.5\"");
	}
	/* Legend, two columns. */
	for (int i = 0; i < NR_FC; i++) {
		unsigned long x = 10 + (i % 2) * 420;
		unsigned long y = legend_top + (i / 2) * 16;
		char name[64];

		if (i < FC_FREE0)
			snprintf(name, sizeof(name), "%s", fc_name[i]);
		else
			snprintf(name, sizeof(name), "free, buddy order %d",
				 i - FC_FREE0);
		fprintf(out,
			"<rect x=\"%lu\" y=\"%lu\" width=\"12\" height=\"12\" "
			"fill=\"%s\" stroke=\"#000\" stroke-width=\"0.5\"/>"
			"<text x=\"%lu\" y=\"%lu\">%s: %lu</text>\n",
			x, y, colour[i], x + 18, y + 10, name, count[i]);
	}
	fputs("</svg>\n", out);
	free(fc);
	return ferror(out) ? -EIO : 0;
}

/* The legend of physmap_svg() as text: frames and KiB per owner. */
int physmap_text(struct kernel *k, FILE *out)
{
	pfn_t n = k->mem.nr_frames;
	unsigned long count[NR_FC] = {0};
	uint8_t *fc = classify_frames(k);

	if (!fc)
		return -ENOMEM;
	for (pfn_t p = 0; p < n; p++)
		count[fc[p]]++;
	free(fc);
	fprintf(out, "%lu frames of %lu KiB\n", (unsigned long)n,
		(unsigned long)(PAGE_SIZE / 1024));
	for (int i = 0; i < NR_FC; i++) {
		char name[64];

		if (!count[i])
			continue;
		if (i < FC_FREE0)
			snprintf(name, sizeof(name), "%s", fc_name[i]);
		else
			snprintf(name, sizeof(name), "free, buddy order %d",
				 i - FC_FREE0);
		fprintf(out, "  %-40s %8lu frames %10lu KiB\n", name, count[i],
			count[i] * (unsigned long)(PAGE_SIZE / 1024));
	}
	return ferror(out) ? -EIO : 0;
}

/* ---- run-time attachment --------------------------------------------------- */

static void set_error(struct pictures *p, int err)
{
	if (err < 0 && !p->error)
		p->error = err;
}

static void draw_physmap_into_report(struct kernel *k, struct pictures *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		set_error(p, -ENOMEM);
		return;
	}
	set_error(p, physmap_svg(k, m));
	if (fclose(m) == 0 && buf)
		report_set_physmap(p->report, buf, len);
	free(buf);
}

/* sched_process_exit: the task is whole (its mm too) when this runs;
 * sched_process_fork: a new process to sample. */
static void pictures_event(void *arg, const struct trace_event *ev)
{
	struct pictures *p = arg;
	struct kernel *k = p->k;
	struct task *t = find_task(k, (int)ev->arg[0]);

	if (ev->type == EV_FORK) {
		if (p->report)
			report_sample(p->report, k);
		return;
	}
	if (!t)
		return;
	if (p->pgtable_out && !p->drawn_pgtable && t->pid == p->pgtable_pid) {
		set_error(p, pgtable_dot(k, t->pid, p->pgtable_out));
		p->drawn_pgtable = true;
	}
	if (t == k->init) {
		if (p->physmap_out && !p->drawn_physmap) {
			set_error(p, physmap_svg(k, p->physmap_out));
			p->drawn_physmap = true;
		}
		if (p->report)
			draw_physmap_into_report(k, p);
	}
	if (p->report)
		report_task_exit_seen(p->report, k, t);
}

int pictures_run(struct kernel *k, struct pictures *p)
{
	if (!p->report)
		return kernel_run(k);
	while (kernel_step(k, 10000, 0) != KSTOP_DONE)
		report_sample(p->report, k);
	return k->init_status;
}

int pictures_open(struct kernel *k, struct pictures *p, const char **bad)
{
	struct {
		const char *path;
		FILE **f;
	} files[] = {
		{p->pgtable_path, &p->pgtable_out},
		{p->physmap_path, &p->physmap_out},
		{p->report_path, &p->report_out},
	};

	if (!p->pgtable_pid)
		p->pgtable_pid = 1;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (!files[i].path)
			continue;
		*files[i].f = fopen(files[i].path, "w");
		if (!*files[i].f) {
			int err = -errno;
			*bad = files[i].path;
			for (size_t j = 0; j < i; j++)
				if (*files[j].f) {
					fclose(*files[j].f);
					*files[j].f = NULL;
				}
			return err;
		}
	}
	if (p->report_out) {
		p->report = report_new();
		if (!p->report) {
			*bad = p->report_path;
			return -ENOMEM;
		}
	}
	p->k = k;
	p->sink = -1;
	if (p->pgtable_out || p->physmap_out || p->report) {
		p->sink = trace_add_sink(ktrace(k),
					 TRACE_BIT(EV_EXIT) | TRACE_BIT(EV_FORK),
					 pictures_event, p);
		if (p->sink < 0) {
			*bad = "(the event tracer: all sinks in use)";
			return -EBUSY;
		}
	}
	return 0;
}

int pictures_finish(struct kernel *k, struct pictures *p)
{
	FILE **files[] = {&p->pgtable_out, &p->physmap_out, &p->report_out};

	if (p->sink >= 0 && p->k == k)
		trace_remove_sink(ktrace(k), p->sink);
	p->sink = -1;
	if (p->report_out) {
		report_sample(p->report, k);
		set_error(p, report_html(p->report, k, p->report_out));
	}
	/* The process never had an address space to draw (or no such pid):
	 * say so in the file rather than leave it empty. */
	if (p->pgtable_out && !p->drawn_pgtable)
		fprintf(p->pgtable_out,
			"digraph pgtable_%d {\n  label=\"pid %d never exited "
			"with an address space\";\n}\n",
			p->pgtable_pid, p->pgtable_pid);
	if (p->physmap_out && !p->drawn_physmap)
		set_error(p, physmap_svg(k, p->physmap_out));
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (*files[i] && fclose(*files[i]) != 0)
			set_error(p, -EIO);
		*files[i] = NULL;
	}
	report_free(p->report);
	p->report = NULL;
	return p->error;
}
