/*
 * The guest kernel: the one struct that holds the emulated machine (RAM,
 * MMU, hart) and the kernel state around it (memory management, tasks,
 * files), and the entry points the front ends use.
 *
 * The kernel reaches the hardware only through the mmu API (map, unmap,
 * flush), exactly what a real kernel can do.
 */
#ifndef MMULAB_KERNEL_KERNEL_H
#define MMULAB_KERNEL_KERNEL_H

#include <stdio.h>

#include "cpu/cpu.h"
#include "kernel/lib/list.h"
#include "kernel/mm/mmzone.h"
#include "kernel/mm/mm.h"
#include "kernel/lib/printk.h"
#include "kernel/kernel/psi.h"
#include "mmu/mmu.h"
#include "trace/event.h"
#include "types.h"

struct kmem_cache;
struct task;
struct file;
struct wss;

struct kernel_config {
	uint64_t ram;		/* bytes of guest RAM */
	struct mmu_config mmu;
	int numa_nodes;
	const char *root;	/* sandbox directory (hostfs root) */
	bool root_readonly;	/* --root DIR:ro: every write there is EROFS */
	uint64_t quantum;	/* instructions per time slice */
	uint64_t seed;		/* getrandom, AT_RANDOM */
	long min_free_kbytes;	/* -1: computed at boot */
	bool boot_log;		/* echo the boot log on stderr */
	FILE *kmsg;		/* where kernel messages are echoed (stderr) */
	char **envp;		/* initial environment */
	/* Points at a nonzero int (a volatile sig_atomic_t the front end's
	 * signal handler sets): kernel_run returns at the next instruction
	 * boundary it reaches, at most one slice later.  NULL: never. */
	volatile int *stop;
	/* --max-insns: kernel_run() stops the run after this many
	 * instructions (0: no limit) and sets insn_limit_hit. */
	uint64_t max_insns;
	/* --numa-policy: the first process's memory policy. */
	struct mempolicy init_mempolicy;
	/* --vmsplit: TASK_SIZE, the top of user space (0: 3G/1G). */
	uint32_t task_size;
	/* --wss-interval: working-set window tau in instructions (0: off). */
	uint64_t wss_interval;
	/* --cost: cycles per event added to the hart's cycle counter (off:
	 * cycles = instructions + idle time + the swap read latency). */
	struct cost_model {
		bool on;
		uint32_t tlb_miss;	/* per TLB miss (I or D) */
		uint32_t walk_access;	/* per page-table entry a walk reads */
		uint32_t minor_fault;	/* per minor page fault handled */
		uint32_t major_fault;	/* per major page fault handled */
		uint32_t swap_io;	/* per page read from or written to
					 * swap (instead of the fixed read
					 * latency) */
	} cost;
	/* --policy and --replacement (enum repl_policy, enum repl_scope of
	 * mm/replace.h); 0, 0: Linux's two lists, global. */
	int repl_policy;
	int repl_scope;
};

/* The documented defaults of --cost (docs/stats-json.md, mmulab.1). */
#define COST_DEFAULT_TLB_MISS 20u
#define COST_DEFAULT_WALK_ACCESS 100u
#define COST_DEFAULT_MINOR_FAULT 1000u
#define COST_DEFAULT_MAJOR_FAULT 100000u
#define COST_DEFAULT_SWAP_IO 80000u

void kernel_default_config(struct kernel_config *cfg);

#define NR_SIGNALS 65
#define TASK_COMM_LEN 16
#define MAX_FDS 256

enum task_state {
	TASK_RUNNING,		/* runnable or running */
	TASK_WAIT_CHILD,	/* blocked in waitid */
	TASK_BLOCKED,		/* asleep on wait_on (a pipe); the call
				 * is re-issued when woken */
	TASK_VFORK,		/* parent blocked until the vfork child execs
				 * or exits */
	TASK_ZOMBIE,		/* exited, waiting to be reaped */
};

enum rlimit_res { RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK,
		  RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC, RLIMIT_NOFILE,
		  RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING,
		  RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME,
		  RLIM_NLIMITS };
#define RLIM_INFINITY (~0ull)

struct rlimit {
	uint64_t rlim_cur, rlim_max;
};

struct sigaction_k {
	uint32_t handler;	/* 0 = SIG_DFL, 1 = SIG_IGN, else guest address */
	uint32_t flags;
	uint32_t restorer;
	uint64_t mask;
};

struct files {
	int refcount;
	struct file *fd[MAX_FDS];
	uint64_t cloexec[MAX_FDS / 64];
};

/*
 * What a task did beyond its rusage counters: the MMU's counters while it
 * was on the hart (charged at every context switch from snapshots of the
 * global counters, so the TLB-hit path does nothing new), its faults by
 * how they were resolved, and the cycles it ran.
 */
struct task_acct {
	uint64_t itlb_accesses, itlb_misses, dtlb_accesses, dtlb_misses;
	uint64_t walks, walk_reads;
	uint64_t cycles;		/* hart cycles while on it, idle jumps
					 * left out */
	uint64_t faults[NR_FAULT_RESULTS]; /* guest faults, by result */
};

/* One process as --stats --json lists it (a live one or an exited one). */
struct task_record {
	int pid, ppid;
	char comm[TASK_COMM_LEN];
	bool exited;
	int exit_code;			/* wait status, when exited */
	uint64_t instructions;
	unsigned long min_flt, maj_flt, maxrss_kb;
	unsigned long nvcsw, nivcsw;
	unsigned long swapout;		/* its pages reclaim put in swap */
	/* --wss-interval: |W| of its last full window and the peak, in
	 * pages, and the windows completed (mm/wss.h) */
	unsigned long wss_pages, wss_peak, wss_windows;
	struct task_acct acct;
};

struct task {
	int pid;
	char comm[TASK_COMM_LEN];
	char cwd[256];			/* working directory, a guest path */
	int cwd_fd;			/* ... held as a host O_PATH fd (fs/namei.c);
					 * -1: cwd names it ("/", /proc) */
	struct page *stack;		/* kernel stack: THREAD_SIZE of lowmem */
	enum task_state state;
	/* Saved user context while not on the hart. */
	uint32_t regs[32];
	uint32_t pc;
	bool bp_resume;			/* the hart's, while switched out */
	uint32_t bp_resume_pc;
	struct mm *mm;
	struct files *files;
	struct task *parent;
	struct list_head children;	/* our children (sibling links) */
	struct list_head sibling;
	struct list_head tasks;		/* all tasks, in pid order */
	struct list_head run_list;	/* on the run queue when runnable */
	int exit_code;			/* wait status: code << 8 or signal */
	int exit_signal;		/* sent to the parent (SIGCHLD) */
	/* waitid arguments while blocked in TASK_WAIT_CHILD */
	int wait_idtype, wait_id, wait_options;
	gva_t wait_infop;
	void *wait_on;			/* what a TASK_BLOCKED task waits for */
	uint32_t io_progress;		/* bytes a restarted write already did */
	uint64_t sleep_until;		/* nanosleep deadline (virtual ns) */
	struct task *vfork_parent;	/* parent blocked on our exec/exit */
	gva_t clear_child_tid;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	uint64_t utime;			/* instructions run (1 ns each) */
	uint64_t cutime;		/* of reaped children */
	unsigned long maxrss_kb, cmaxrss_kb; /* peak RSS, own / children */
	unsigned long nvcsw, nivcsw, cnvcsw, cnivcsw; /* context switches */
	uint64_t start_time;		/* virtual ns at creation */
	struct rlimit rlim[RLIM_NLIMITS];
	uint64_t sig_pending, sig_blocked;
	int32_t sig_info[NR_SIGNALS][8]; /* head of each pending siginfo */
	uint32_t sas_sp, sas_size;	/* sigaltstack */
	struct sigaction_k sigaction[NR_SIGNALS];
	int exit_sig;			/* signal that killed it, 0 if exited */
	int oom_score_adj;		/* -1000..1000, /proc/PID/oom_score_adj */
	struct mempolicy mempolicy;	/* set_mempolicy's (mm/mempolicy.c) */
	int il_prev;			/* last node of task interleave */
	struct wss *wss;		/* working-set window (mm/wss.c), host
					 * heap; NULL unless --wss-interval */
	struct task_acct acct;		/* see task_charge() */
	unsigned long swapout;		/* nr_swapout of its mms, so far */
	struct list_head perf_events;	/* perf_event_open counters on it */
};

/*
 * Why kernel_step() returned.  KSTOP_BUDGET, KSTOP_DONE and (with a CPU
 * that has them) KSTOP_BREAKPOINT/KSTOP_WATCHPOINT are always reported;
 * the others only when asked for in the stop mask (KSTOP_ON_*).
 */
enum kstop {
	KSTOP_BUDGET,		/* the budget is spent */
	KSTOP_TRAP,		/* a trap is about to be handled (k->stop);
				 * the next kernel_step() handles it */
	KSTOP_EBREAK,		/* ebreak handed to the debugger: no SIGTRAP,
				 * pc still on the ebreak */
	KSTOP_BREAKPOINT,	/* at a cpu_set_breakpoint() pc, before
				 * it runs; the next step runs it */
	KSTOP_WATCHPOINT,	/* right after an access to a watched
				 * byte (cpu_set_watchpoint): k->stop.addr */
	KSTOP_EXIT,		/* a task exited: k->stop.pid, .exit_code */
	KSTOP_DONE,		/* the last task is gone */
	KSTOP_INTERRUPTED,	/* *cfg.stop was set (a host signal) */
	KSTOP_SIGNAL,		/* a signal is about to reach the task
				 * k->sig_traced (k->stop.sig, .pid); the
				 * next kernel_step() delivers
				 * k->sig_resume instead (0: none) */
};

/* kernel_step()'s stop mask. */
#define KSTOP_ON_SYSCALL 0x01	/* ecall: KSTOP_TRAP before the call */
#define KSTOP_ON_FAULT 0x02	/* page faults, misaligned AMOs */
#define KSTOP_ON_ILLEGAL 0x04	/* illegal instructions */
#define KSTOP_ON_EBREAK 0x08	/* KSTOP_EBREAK instead of SIGTRAP */
#define KSTOP_ON_EXIT 0x10	/* KSTOP_EXIT after each task exit */

/* What the last stop saw (valid after KSTOP_TRAP, KSTOP_EBREAK,
 * KSTOP_EXIT; trap/pc/addr also after any trap the kernel handled). */
struct kstop_info {
	enum cpu_trap trap;	/* the trap (pending after KSTOP_TRAP) */
	gva_t pc;		/* the trapping instruction */
	gva_t addr;		/* fault va and watched byte (cpu.tval),
				 * else pc */
	int pid;		/* the trapping task; KSTOP_EXIT: who exited */
	int exit_code;		/* KSTOP_EXIT: wait status */
	int sig;		/* KSTOP_SIGNAL: the signal (Linux number) */
	uint64_t nr_exits;	/* task exits since boot */
};

struct kernel {
	struct kernel_config cfg;
	struct phys phys;
	struct mmu mmu;
	struct cpu cpu;
	struct memory mem;
	struct klog *log;

	/* Slab caches for the kernel's own objects. */
	struct kmem_cache *mm_cachep, *vma_cachep, *anon_vma_cachep,
		*avc_cachep, *task_cachep, *files_cachep, *file_cachep,
		*inode_cachep;

	struct page *zero_page;		/* the shared zero page */
	pfn_t zero_pfn;

	struct list_head tasks;		/* every task, pid order */
	struct list_head runqueue;	/* runnable tasks, round robin */
	struct task *current;
	struct task *init;		/* pid 1, the program run */
	int next_pid;
	int nr_tasks;
	int max_threads;		/* kernel.threads-max: fork's EAGAIN */
	bool insn_limit_hit;		/* kernel_run stopped at cfg.max_insns */
	uint32_t next_asid;		/* next free ASID of this generation */
	uint32_t asid_gen;		/* bumped when the ASIDs run out */
	bool init_exited;
	int init_status;		/* run's exit status (128+sig if killed) */

	int root_fd;			/* host directory fd of the sandbox */
	struct list_head inodes;	/* open files' inodes (page caches) */
	uint64_t rng_state;
	uint64_t ns_base;		/* virtual ns of CLOCK_REALTIME at boot */
	uint64_t idle_ns;
	uint64_t nr_syscalls;
	bool yield;			/* the current task gave up its slice */
	uint64_t slice_left;		/* instructions left of the time slice */
	struct kstop_info stop;		/* see kernel_step() */
	struct task *trap_task;		/* the task whose trap is pending */
	bool trap_pending;		/* KSTOP_TRAP returned, not yet handled */
	bool done;			/* KSTOP_DONE returned */
	bool debugger;			/* ebreak stops (KSTOP_EBREAK) */
	/* A debugger's signal stops, as ptrace's: every signal but SIGKILL
	 * and SIGSTOP for task sig_traced (0: none) -- ignored ones too --
	 * stops the run (KSTOP_SIGNAL) as it is about to be delivered; the
	 * debugger sets sig_resume to the signal to deliver (0: none;
	 * -1, as left by the stop, keeps the run stopped there). */
	int sig_traced;
	bool sig_stopped;		/* KSTOP_SIGNAL returned, undecided */
	int sig_resume;
	bool drop_caches_quiet;		/* drop_caches was written with 4 */

	/* Reclaim and swap (mm/vmscan.c, mm/swapfile.c). */
	struct swap_info_struct *swap_info[8];	/* MAX_SWAPFILES */
	int nr_swapfiles;		/* entries of swap_info in use */
	unsigned long swap_fail_nth;	/* debug: the nth swap I/O fails */
	char swap_fail_kind;		/* 'r', 'w' or 0 (any) */
	bool kswapd_wake;		/* an allocation went below low */
	struct workingset *workingset;	/* eviction shadows (workingset.c) */
	bool oom_panic;			/* panic_on_oom fired: halt */

	/* Pressure stall information (kernel/psi.c). */
	struct psi_group psi;
	uint32_t task_size;		/* TASK_SIZE (--vmsplit) */
	/* The page cache (filemap.c, page-writeback.c). */
	unsigned long fault_around_bytes; /* 65536, as Linux */
	uint64_t wb_next;		/* virtual ns of the next writeback */
	int nr_idle_fds;		/* unused inodes holding a host fd */
	/* Accounting (task_charge(), --stats, perf_event_open). */
	uint64_t fault_kinds[NR_FAULT_RESULTS];	/* guest faults by result */
	struct {				/* the counters at the last */
		uint64_t ia, im, da, dm, walks, walk_reads, cycle, idle;
	} acct_snap;				/* task_charge() */
	struct task_record *records;	/* every process that exited */
	size_t nr_records, cap_records;
	uint64_t nr_perf_events;	/* perf_event_open ids handed out */
	/* Called before guest bytes go to a host terminal or pipe (FILE_TTY):
	 * a front end's progress line makes room.  Host side only. */
	void (*tty_hook)(void *arg);
	void *tty_hook_arg;
};

/*
 * Charge the MMU counters and cycles since the last charge to @t (NULL:
 * to nobody) and take a new snapshot.  Called at every context switch
 * and when the running task exits; a reader calls it for the current
 * task to bring it up to date.  Never changes what the guest sees.
 */
void task_charge(struct kernel *k, struct task *t);

/* @t as --stats --json shows it (charged up to now when it runs). */
void task_record_fill(struct kernel *k, struct task *t,
		      struct task_record *rec);

/* Virtual time in ns since boot (the hart's cycle counter at 1 GHz). */
static inline uint64_t kernel_ns(const struct kernel *k)
{
	return k->cpu.cycle;
}

/*
 * Boot: RAM, MMU, memory map, allocators, caches, the zero page.  Returns
 * 0 or -errno with a message already printed by the caller's choice.
 */
int kernel_boot(struct kernel *k, const struct kernel_config *cfg)
	__must_check;

/*
 * Create pid 1 from the ELF at host @path with @argv.  On failure returns
 * -1 and writes a one-line reason into @err.
 */
int kernel_spawn_init(struct kernel *k, const char *path, char *const argv[],
		      char *err, size_t errlen) __must_check;

/*
 * The machine's one event tracer (trace/event.h), which lives in the mmu:
 * the kernel's events and the MMU's go to the same sinks, stamped with
 * the hart's instret and the running task (set at every context switch).
 */
static inline struct tracer *ktrace(struct kernel *k)
{
	return &k->mmu.trace;
}

/*
 * Run at most @budget instructions of the guest, scheduling and handling
 * traps exactly as kernel_run() does, and say why it stopped (enum kstop;
 * @stop_mask selects the optional stops, KSTOP_ON_*).  Any split of a run
 * into steps gives the same guest output, schedule and counters as one
 * kernel_run(): a loop of kernel_step(k, 1, 0) is kernel_run() exactly.
 * After KSTOP_TRAP the trap (k->stop) is handled by the next call, so a
 * debugger can look at the state before.  After KSTOP_DONE every further
 * call returns KSTOP_DONE.
 */
enum kstop kernel_step(struct kernel *k, uint64_t budget, unsigned stop_mask);

/* Run tasks until every one has exited (kernel_step() until KSTOP_DONE;
 * with k->debugger unset, so an ebreak is a SIGTRAP).  Returns the init
 * status. */
int kernel_run(struct kernel *k);

/*
 * Read or write @len bytes of task @pid's memory at @va as a debugger
 * does (ptrace's PTRACE_PEEKDATA/POKEDATA): no A/D bit is set, no counter
 * moves, the TLB model and mmu.fault are untouched.  Peek reads only
 * present pages (and the shared zero page) and returns -EFAULT at the
 * first one that is not.  Poke writes through read-only and COW-shared
 * pages as FOLL_FORCE does: a page shared with another process (or the
 * page cache) is first copied for @pid alone; a non-present page of a vma
 * is faulted in.  Returns 0, -ESRCH (no such live task) or -EFAULT.
 * Counter effects of a poke are listed in docs/events.md.
 */
int kernel_peek(struct kernel *k, int pid, gva_t va, void *buf, size_t len)
	__must_check;
int kernel_poke(struct kernel *k, int pid, gva_t va, const void *buf,
		size_t len) __must_check;
/* The same on guest physical memory; -EFAULT outside RAM.  A poke drops
 * decoded instructions of the frames it writes. */
int kernel_peek_phys(struct kernel *k, gpa_t pa, void *buf, size_t len)
	__must_check;
int kernel_poke_phys(struct kernel *k, gpa_t pa, const void *buf, size_t len)
	__must_check;

/*
 * The kernel's invariants: the buddy allocator, every slab cache, and
 * every task's vmas (vma_sanity).  Returns true when all hold; each
 * broken one is logged on the kernel console.  Cheap enough for tests;
 * with --enable-debug-mm the same checks run inside asserts after every
 * change of the structure they guard.
 */
bool kernel_check(struct kernel *k);

/* Free everything. */
void kernel_shutdown(struct kernel *k);

/* Deterministic random bytes (getrandom, AT_RANDOM). */
void kernel_random(struct kernel *k, void *buf, size_t len);

#endif
