/*
 * The stub's monitor commands (gdb's "monitor CMD", packet qRcmd): plain
 * functions over the views, so the REPL can offer the same words.  Each
 * only reads the machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb/gdbstub.h"
#include "kernel/fs/proc.h"
#include "kernel/kernel/sched.h"
#include "views/pictures.h"
#include "views/stats.h"
#include "views/views.h"

static struct task *live_task(struct kernel *k, int pid)
{
	struct task *t = find_task(k, pid);

	return t && t->state != TASK_ZOMBIE ? t : NULL;
}

static void mon_translate(struct kernel *k, int pid, struct seq *out,
			  const char *arg)
{
	const struct pt_geometry *g = k->mmu.geo;
	struct task *t = live_task(k, pid);
	char *end;
	unsigned long va = strtoul(arg, &end, 0);

	if (!*arg || *end || va > UINT32_MAX) {
		seq_printf(out, "usage: monitor translate VA\n");
		return;
	}
	if (!t || !t->mm) {
		seq_printf(out, "no address space\n");
		return;
	}
	gpa_t table = t->mm->pgd;
	seq_printf(out, "translate 0x%08lx in pid %d (%s), %s paging\n", va,
		   t->pid, t->comm, g->name);
	for (int lvl = 0; lvl < g->nr_levels; lvl++) {
		unsigned idx = pt_index(g, lvl, (gva_t)va);
		gpa_t pa = table + (gpa_t)idx * g->entry_size;
		const void *host = phys_host(&k->phys, pa, g->entry_size);
		pte_t e;

		if (!host) {
			seq_printf(out, "  table outside RAM at 0x%llx\n",
				   (unsigned long long)pa);
			return;
		}
		e = pt_read(g, host);
		seq_printf(out, "  %s[%u] @ 0x%09llx = 0x%llx\n",
			   g->level[lvl].name, idx, (unsigned long long)pa,
			   (unsigned long long)e);
		if (!pte_present(e)) {
			seq_printf(out, "  not present%s\n",
				   pte_is_swap(e) ? " (swapped out)" : "");
			return;
		}
		if (pte_leaf(e)) {
			gpa_t phys = ((gpa_t)pte_pfn(e) << PAGE_SHIFT) +
				     (va & ((1ul << g->level[lvl].shift) - 1));
			seq_printf(out, "  -> pa 0x%09llx %c%c%c%c%c%c\n",
				   (unsigned long long)phys,
				   e & PTE_R ? 'r' : '-', e & PTE_W ? 'w' : '-',
				   e & PTE_X ? 'x' : '-', e & PTE_U ? 'u' : '-',
				   e & PTE_A ? 'a' : '-', e & PTE_D ? 'd' : '-');
			return;
		}
		table = (gpa_t)pte_pfn(e) << PAGE_SHIFT;
	}
	seq_printf(out, "  malformed: no leaf\n");
}

static void mon_tlb(struct kernel *k, struct seq *out)
{
	const struct tlb *tl[2] = {&k->mmu.itlb, &k->mmu.dtlb};

	for (int i = 0; i < 2; i++) {
		const struct tlb *t = tl[i];
		unsigned valid = 0;

		seq_printf(out, "%s: %u entries, %u-way, %llu lookups, %llu "
				"misses\n",
			   t->name, t->nr_entries, t->ways,
			   (unsigned long long)t->st.accesses,
			   (unsigned long long)t->st.misses);
		for (unsigned j = 0; j < t->nr_entries; j++) {
			const struct tlb_entry *e = &t->e[j];
			if (!e->valid)
				continue;
			valid++;
			seq_printf(out, "  set %3u way %u va 0x%08x -> pfn "
					"0x%06x asid %u perm 0x%02x\n",
				   j / t->ways, j % t->ways, e->vpn << 12,
				   e->pfn, e->asid, e->perm);
		}
		seq_printf(out, "  %u valid\n", valid);
	}
}

static void mon_stats(struct kernel *k, struct seq *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	print_stats(k, f, false);
	fclose(f);
	if (buf)
		seq_printf(out, "%s", buf);
	free(buf);
}

static const char monitor_help[] =
	"mmulab monitor commands:\n"
	"  translate VA   walk the page tables of the selected process\n"
	"  maps           /proc/PID/maps of the selected process\n"
	"  cat /proc/...  any procfs file (meminfo, vmstat, PID/smaps...)\n"
	"  ps             every process\n"
	"  stats          the counters of --stats\n"
	"  tlb            the valid entries of the I and D TLBs\n"
	"  pgtable        the page tables of the selected process (DOT)\n";

void gdb_monitor(struct kernel *k, int pid, const char *line, struct seq *out)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s", line);
	char *arg = cmd + strcspn(cmd, " ");
	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ')
		arg++;
	if (!strcmp(cmd, "help") || !*cmd) {
		seq_printf(out, "%s", monitor_help);
	} else if (!strcmp(cmd, "translate")) {
		mon_translate(k, pid, out, arg);
	} else if (!strcmp(cmd, "maps") || !strcmp(cmd, "cat")) {
		char path[128];
		if (!strcmp(cmd, "maps"))
			snprintf(path, sizeof(path), "/proc/%d/maps", pid);
		else
			snprintf(path, sizeof(path), "%s", arg);
		if (strncmp(path, "/proc/", 6) ||
		    procfs_read(k, path, out) < 0)
			seq_printf(out, "cannot read '%s' (only /proc files)\n",
				   path);
	} else if (!strcmp(cmd, "ps")) {
		show_ps(k, out);
	} else if (!strcmp(cmd, "stats")) {
		mon_stats(k, out);
	} else if (!strcmp(cmd, "tlb")) {
		mon_tlb(k, out);
	} else if (!strcmp(cmd, "pgtable")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (f) {
			if (pgtable_dot(k, pid, f) < 0)
				fprintf(f, "no page tables for pid %d\n", pid);
			fclose(f);
			if (buf)
				seq_printf(out, "%s", buf);
			free(buf);
		}
	} else {
		seq_printf(out, "unknown monitor command '%s' (try 'monitor "
				 "help')\n",
			   cmd);
	}
}
