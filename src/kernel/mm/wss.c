/*
 * Working-set estimation on the virtual clock; see wss.h.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/mm/wss.h"

static struct wss *wss_get(struct task *t)
{
	if (!t->wss)
		t->wss = calloc(1, sizeof(*t->wss));
	return t->wss;
}

static int wss_grow(struct wss *w)
{
	unsigned cap = w->cap ? w->cap * 2 : 256, i;
	uint32_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (i = 0; i < w->cap; i++) {
		uint32_t v = w->slot[i], h;

		if (!v)
			continue;
		for (h = (v * 2654435761u) & (cap - 1); slot[h];
		     h = (h + 1) & (cap - 1))
			;
		slot[h] = v;
	}
	free(w->slot);
	w->slot = slot;
	w->cap = cap;
	return 0;
}

/* Add @vpn to the window of the task whose wss @arg is. */
static void wss_add(void *arg, uint32_t vpn)
{
	struct wss *w = arg;
	uint32_t v = vpn + 1, h;

	if (!w || (w->n + 1) * 2 > w->cap) {
		if (!w || wss_grow(w) < 0)
			return; /* out of host memory: an underestimate */
	}
	for (h = (v * 2654435761u) & (w->cap - 1); w->slot[h];
	     h = (h + 1) & (w->cap - 1))
		if (w->slot[h] == v)
			return;
	w->slot[h] = v;
	w->n++;
}

/* The MMU's fill hook: the running task referenced @vpn. */
static void wss_fill(void *arg, uint32_t vpn)
{
	struct kernel *k = arg;

	if (k->current)
		wss_add(wss_get(k->current), vpn);
}

void wss_init(struct kernel *k)
{
	if (!k->cfg.wss_interval)
		return;
	k->mmu.on_fill = wss_fill;
	k->mmu.fill_arg = k;
}

uint64_t wss_budget(struct kernel *k, struct task *t)
{
	struct wss *w = wss_get(t);

	if (!w)
		return UINT64_MAX;
	if (!w->next)
		w->next = t->utime + k->cfg.wss_interval;
	return w->next > t->utime ? w->next - t->utime : 0;
}

void wss_tick(struct kernel *k, struct task *t)
{
	struct wss *w = t->wss;

	if (!w || t->utime < w->next)
		return;
	if (t == k->current && t->mm)
		mmu_for_each_resident(&k->mmu, wss_add, w);
	w->pages = w->n;
	if (w->pages > w->peak)
		w->peak = w->pages;
	w->windows++;
	if (w->cap)
		memset(w->slot, 0, w->cap * sizeof(*w->slot));
	w->n = 0;
	w->next = t->utime + k->cfg.wss_interval;
}

void wss_free(struct task *t)
{
	if (t->wss) {
		free(t->wss->slot);
		free(t->wss);
		t->wss = NULL;
	}
}
