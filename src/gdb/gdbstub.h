/*
 * The GDB remote stub: gdb-multiarch talks to the guest through the remote
 * serial protocol (set architecture riscv:rv32; target remote :PORT).
 *
 * Three layers, so each can be tested without the next:
 *   rsp.h      bytes <-> packets (framing, checksums, escapes, RLE, hex)
 *   gdbstub.c  packets -> actions on the machine: registers, memory
 *              (kernel_peek/kernel_poke, side-effect free), breakpoints and
 *              watchpoints in the hart while a session lasts (guest
 *              memory is never patched), stepping and continuing through
 *              kernel_step(), guest signals as stops before delivery
 *              (k->sig_traced), monitor commands reaching the views
 *   server     one TCP connection on 127.0.0.1 (gdbstub_serve)
 *
 * The stub follows one process (pid 1 at start: fork follows the parent).
 * Every live process is listed as a thread (qfThreadInfo, `info threads`);
 * registers and memory of any of them can be read.  Breakpoints and
 * watchpoints fire in the followed process only; the others run freely.
 *
 * Watching never changes behaviour: a run under the stub, however it is
 * stepped, gives the guest the same output and counters as a plain run
 * (kernel_step's guarantee), unless gdb writes registers or memory.
 */
#ifndef MMULAB_GDB_GDBSTUB_H
#define MMULAB_GDB_GDBSTUB_H

#include "gdb/rsp.h"
#include "kernel/kernel.h"

#define GDB_MAX_BREAKPOINTS 64
#define GDB_MAX_WATCHPOINTS 16

enum gdb_bp_kind { GDB_BP_SW, GDB_BP_HW };
enum gdb_wp_kind { GDB_WP_WRITE = 2, GDB_WP_READ = 3, GDB_WP_ACCESS = 4 };

struct gdb_breakpoint {
	gva_t addr;
	enum gdb_bp_kind kind;
};

struct gdb_watchpoint {
	gva_t addr;
	uint32_t len;
	enum gdb_wp_kind kind;
};

/* What the caller must do after gdbstub_handle(). */
enum gdb_action {
	GDB_REPLY,	/* send s->reply (may be empty: "unsupported") */
	GDB_RESUME,	/* run (s->resume says how); reply when it stops */
	GDB_DETACH,	/* send s->reply ("OK"), close, let the guest go */
	GDB_KILL,	/* send s->reply if any (vKill); kill, close */
};

enum gdb_resume { GDB_RESUME_CONT, GDB_RESUME_STEP, GDB_RESUME_BSTEP,
		  GDB_RESUME_BCONT };

struct gdb_reverse;

struct gdb_stub {
	struct kernel *k;
	int pid;		/* the followed process */
	int gtid;		/* Hg: registers and memory of this pid */
	bool noack;		/* QStartNoAckMode accepted */
	bool swbreak, hwbreak;	/* gdb accepts swbreak:/hwbreak: stops */
	enum gdb_resume resume;	/* valid after GDB_RESUME */
	int nr_bp, nr_wp;
	struct gdb_breakpoint bp[GDB_MAX_BREAKPOINTS];
	struct gdb_watchpoint wp[GDB_MAX_WATCHPOINTS];
	bool exited;		/* the followed process is gone (W/X sent) */
	char stop[96];		/* the last stop reply, for '?' */
	struct rsp_buf reply;	/* payload of the reply to send */
	struct rsp_buf console;	/* monitor output, sent in O packets first */
	/* Polled between slices of a run: true when gdb sent Ctrl-C. */
	bool (*interrupted)(void *arg);
	void *interrupted_arg;
	uint64_t chunk;		/* instructions between polls (continue) */
	struct gdb_reverse *rev; /* checkpoints (reverse.h), NULL = none */
	bool took_over;		/* this process is a checkpoint that just
				 * became the stub: reset the connection */
	int nr_soft;		/* points the hart could not take: checked
				 * by the stub, one instruction at a time */
	bool wp_stepped;	/* the last stop was a hart watchpoint, so
				 * its access is done: gdb's step over it
				 * (nonsteppable watchpoints) is too; till
				 * then pc reads as wp_pc, the access's */
	uint32_t wp_pc;
	int resume_sig;		/* valid after GDB_RESUME: the GDB signal
				 * to resume with (C, S, vCont;C), or 0 */
	bool sig_auto;		/* signal stops pass their signal on
				 * (reverse execution's replays) */
	bool sig_reported;	/* the last stop was a signal stop gdb saw:
				 * resuming decides about that signal */
};

/* Start following @pid (normally 1) of @k; the machine is stopped. */
void gdbstub_init(struct gdb_stub *s, struct kernel *k, int pid);
void gdbstub_free(struct gdb_stub *s);

/*
 * Act on one packet (payload as received, escapes kept; @pkt is modified
 * in place).  Never trusts the packet: a malformed one gets "E01" (or an
 * empty reply when unknown) and the stub stays usable.
 */
enum gdb_action gdbstub_handle(struct gdb_stub *s, char *pkt, size_t len);

/*
 * Run the machine as s->resume says until the followed process stops
 * (breakpoint, watchpoint, step done, interrupt) or exits; leaves the stop
 * reply in s->reply.
 */
void gdbstub_run(struct gdb_stub *s);

/*
 * Run monitor command @line ("translate 0x10000", "maps", "cat
 * /proc/meminfo", "ps", "stats", "tlb", "pgtable", "help") for process
 * @pid and append its text to @out.  Unknown commands and bad arguments
 * give a one-line explanation.  Reads only.
 */
struct seq;
void gdb_monitor(struct kernel *k, int pid, const char *line, struct seq *out);

/* What to do with the guest when gdb goes away. */
enum gdb_detach { GDB_DETACH_RUN, GDB_DETACH_KILL };

/*
 * Listen on 127.0.0.1:@port (0 = any free port; the port is printed on
 * stderr as "mmulab: gdb: listening on 127.0.0.1:PORT"), serve one gdb
 * session, then finish the run as @on_detach says.  With
 * @reverse_interval (instructions between checkpoints; 0 = off) gdb can
 * also run backwards (reverse.h).  Returns the run's
 * exit status (the init process's, 128+9 when killed), or -errno when the
 * socket could not be set up.
 */
int gdbstub_serve(struct kernel *k, int port, enum gdb_detach on_detach,
		  uint64_t reverse_interval);

/*
 * The REPL's `gdb PORT`: listen as gdbstub_serve() does and serve one gdb
 * session on the machine as it stands (stopped), then give it back: when
 * gdb detaches or goes away the machine stays where gdb left it (with
 * @on_detach GDB_DETACH_RUN), when gdb kills it (or with GDB_DETACH_KILL)
 * every process is killed and the machine runs to its end (k->done).
 * No reverse execution.  Returns 0, -ESRCH when the machine is done, or
 * -errno when the socket could not be set up (or Ctrl-C while waiting).
 */
int gdbstub_attach(struct kernel *k, int port, enum gdb_detach on_detach);

/*
 * Make the hart's breakpoints and watchpoints those of s->bp and s->wp
 * (after they changed); a point the hart refuses counts in s->nr_soft.
 */
void gdbstub_sync_hart(struct gdb_stub *s);

/* GDB's signal numbers and Linux's (0: none, or no such signal). */
int gdb_signal_from_linux(int sig);
int gdb_signal_to_linux(int gsig);

/* Stop seeing the followed process's signals first (k->sig_traced); one
 * seen and not yet decided is delivered as without a debugger. */
void gdbstub_untrace(struct gdb_stub *s);

/*
 * Take the stub's breakpoints and watchpoints out of the hart (they are
 * the hart's while a session lasts: see gdbstub.c).  Called when the
 * session ends.
 */
void gdbstub_release(struct gdb_stub *s);

#endif
