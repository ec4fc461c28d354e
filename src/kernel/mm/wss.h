/*
 * Working-set estimation: Denning's W(t, tau), the set of pages a process
 * referenced in the last tau instructions of its own (virtual) time.
 *
 * With --wss-interval TAU (0, the default: off) each task's pages are
 * collected over windows of TAU instructions it runs, and at the end of
 * each window the count becomes its working-set size:
 *
 *   - every TLB fill (a walk: the first reference since the entry was
 *     lost) adds the page (the MMU's on_fill hook);
 *   - at the end of the window, the pages still in the TLBs for its
 *     address space are added too: they are the ones referenced without
 *     a walk.
 *
 * This samples the reference history the hardware already keeps instead
 * of clearing Accessed bits, which reclaim reads: the guest, every
 * counter and the TLB's replacement state are the same with and without
 * it (watching never changes behaviour).  The estimate errs by at most
 * the TLB size upward (an entry still resident but not referenced in the
 * window).  Shown as VmWSS (non-Linux) in /proc/PID/status, with the
 * peak as VmWSSPeak.
 */
#ifndef MMULAB_KERNEL_WSS_H
#define MMULAB_KERNEL_WSS_H

#include <stdint.h>

struct kernel;
struct task;

struct wss {
	uint32_t *slot;		/* open addressing: vpn + 1, 0 = empty */
	unsigned cap, n;	/* slots (a power of two), pages in it */
	uint64_t next;		/* the task's utime at the window's end */
	unsigned long pages;	/* |W| of the last full window */
	unsigned long peak;	/* the largest |W| so far */
	unsigned long windows;	/* windows completed */
};

/* Hook the MMU when cfg.wss_interval is set (at boot). */
void wss_init(struct kernel *k);

/* Instructions @t may run before its window ends (UINT64_MAX: off). */
uint64_t wss_budget(struct kernel *k, struct task *t);

/* After @t ran: close its window when it ended. */
void wss_tick(struct kernel *k, struct task *t);

/* Forget @t's set (task exit). */
void wss_free(struct task *t);

#endif
