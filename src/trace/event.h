/*
 * The event layer: one leaf header shared by the MMU, the kernel and every
 * front end that watches them (tracer, REPL catchpoints, GDB stops, views).
 *
 * Emitters test one mask bit behind an unlikely branch and build the event
 * only when somebody listens, as Lua's hooks cost nothing when none is set:
 *
 *	if (trace_on(tr, EV_TLB_MISS))
 *		trace_emit(tr, &(struct trace_event){ .type = EV_TLB_MISS,
 *						      .addr = va, ... });
 *
 * Events are emitted only on slow paths (a TLB hit through the fast mirror
 * is visible only when the mirrors are switched off, see mmu.h).  A sink
 * must never change guest-visible state: watching never changes behaviour.
 *
 * This header depends on nothing but types.h.
 */
#ifndef MMULAB_TRACE_EVENT_H
#define MMULAB_TRACE_EVENT_H

#include "types.h"

/*
 * X(ID, "subsystem:name") -- names follow Linux's tracepoints where one
 * exists (kmem:mm_page_alloc, tlb:tlb_flush, sched:sched_switch...).
 * Field use per event is documented in docs/events.md.
 */
#define TRACE_EVENTS(X)                                                     \
	X(EV_TLB_HIT, "tlb:hit")                                            \
	X(EV_TLB_MISS, "tlb:miss")                                          \
	X(EV_TLB_FILL, "tlb:fill")                                          \
	X(EV_TLB_EVICT, "tlb:evict")                                        \
	X(EV_TLB_FLUSH, "tlb:tlb_flush")                                    \
	X(EV_WALK_LEVEL, "mmu:walk_level")                                  \
	X(EV_WALK_DONE, "mmu:walk_done")                                    \
	X(EV_FAULT, "exceptions:page_fault_user")                           \
	X(EV_FAULT_DONE, "mm:fault_done")                                   \
	X(EV_COW_COPY, "mm:cow_copy")                                       \
	X(EV_COW_REUSE, "mm:cow_reuse")                                     \
	X(EV_ZERO_PAGE, "mm:zero_page")                                     \
	X(EV_ANON_PAGE, "mm:anon_page")                                     \
	X(EV_PAGE_ALLOC, "kmem:mm_page_alloc")                              \
	X(EV_PAGE_FREE, "kmem:mm_page_free")                                \
	X(EV_SLAB_ALLOC, "kmem:kmem_cache_alloc")                           \
	X(EV_SLAB_FREE, "kmem:kmem_cache_free")                             \
	X(EV_PAGECACHE_ADD, "filemap:mm_filemap_add_to_page_cache")        \
	X(EV_PAGECACHE_DEL, "filemap:mm_filemap_delete_from_page_cache")   \
	X(EV_LRU_ADD, "pagemap:mm_lru_insertion")                           \
	X(EV_LRU_MOVE, "pagemap:mm_lru_activate")                           \
	X(EV_RECLAIM_BEGIN, "vmscan:mm_vmscan_direct_reclaim_begin")        \
	X(EV_RECLAIM_END, "vmscan:mm_vmscan_direct_reclaim_end")            \
	X(EV_KSWAPD_WAKE, "vmscan:mm_vmscan_wakeup_kswapd")                 \
	X(EV_SWAP_OUT, "swap:swapout")                                      \
	X(EV_SWAP_IN, "swap:swapin")                                        \
	X(EV_OOM, "oom:mark_victim")                                        \
	X(EV_SYSCALL_ENTER, "raw_syscalls:sys_enter")                       \
	X(EV_SYSCALL_EXIT, "raw_syscalls:sys_exit")                         \
	X(EV_SIGNAL_GENERATE, "signal:signal_generate")                     \
	X(EV_SIGNAL_DELIVER, "signal:signal_deliver")                       \
	X(EV_SCHED_SWITCH, "sched:sched_switch")                            \
	X(EV_FORK, "sched:sched_process_fork")                              \
	X(EV_EXEC, "sched:sched_process_exec")                              \
	X(EV_EXIT, "sched:sched_process_exit")                              \
	X(EV_READAHEAD, "filemap:file_readahead")

enum trace_event_type {
#define TRACE_ENUM_(id, name) id,
	TRACE_EVENTS(TRACE_ENUM_)
#undef TRACE_ENUM_
	NR_TRACE_EVENTS
};

_Static_assert(NR_TRACE_EVENTS <= 64, "event masks are 64 bits");

#define TRACE_BIT(type) (1ull << (type))
#define TRACE_ALL ((NR_TRACE_EVENTS == 64) ? ~0ull \
		   : (1ull << NR_TRACE_EVENTS) - 1)

/* ev.flags */
#define TEV_PHYS	0x1	/* addr is a guest physical address */
#define TEV_ITLB	0x2	/* TLB events: the instruction TLB */
#define TEV_WRITE	0x4	/* a store (faults, walks, TLB) */
#define TEV_EXEC	0x8	/* an instruction fetch */
#define TEV_WALKER	0x10	/* an access made by the page walker, not
				 * by the program */

struct trace_event {
	uint16_t type;		/* enum trace_event_type */
	uint16_t flags;		/* TEV_* */
	int32_t pid;		/* filled by trace_emit (the current task) */
	uint64_t time;		/* filled by trace_emit: instructions retired */
	uint64_t addr;		/* the event's address (va, or pa with TEV_PHYS) */
	uint64_t arg[5];	/* event-specific, see docs/events.md */
	const char *str;	/* event-specific name (cache, syscall, comm) */
};

typedef void (*trace_fn)(void *arg, const struct trace_event *ev);

struct trace_sink {
	uint64_t mask;		/* TRACE_BIT()s this sink wants */
	trace_fn fn;
	void *arg;
};

#define TRACE_MAX_SINKS 8

struct tracer {
	uint64_t mask;		/* union of the sinks' masks: 0 = nobody */
	const uint64_t *clock;	/* instructions retired (the hart's instret) */
	int32_t pid;		/* the running task, set at context switch */
	int nr_sinks;
	struct trace_sink sinks[TRACE_MAX_SINKS];
};

static inline bool trace_on(const struct tracer *t, unsigned type)
{
	return unlikely((t->mask >> type) & 1);
}

/* Stamp @ev with time and pid and hand it to every sink that wants it. */
void trace_emit(struct tracer *t, struct trace_event *ev) __cold;

/* Add a sink; returns its handle (>= 0) or -1 when all slots are used. */
int trace_add_sink(struct tracer *t, uint64_t mask, trace_fn fn, void *arg);
void trace_remove_sink(struct tracer *t, int handle);
/* Change what sink @handle wants. */
void trace_set_mask(struct tracer *t, int handle, uint64_t mask);

/* "tlb:miss" for EV_TLB_MISS; NULL when out of range. */
const char *trace_event_name(unsigned type);
/*
 * Parse a comma list of event names, globs ("tlb:*", "*fault*") and "all"
 * into a mask.  Returns 0 and *mask, or -1 with the first bad word copied
 * into @bad.
 */
int trace_parse_mask(const char *spec, uint64_t *mask, char *bad,
		     size_t badlen);

#endif
