/*
 * Reverse execution for the GDB stub (--gdb-reverse): reverse-stepi and
 * reverse-continue (packets bs, bc) by checkpoints and re-execution.
 *
 * A checkpoint is a host fork() of the whole emulator, taken every
 * interval instructions while the guest runs under the stub: the copy
 * sleeps on a pipe, its memory shared copy-on-write with the running
 * process.  To go back, the running process asks the latest checkpoint
 * before the target to "scout" -- fork once more and re-execute forward,
 * noting the last point where the followed process was about to execute
 * an instruction (bs) or hit a breakpoint or watchpoint (bc) -- and then
 * to take over: it re-executes to that point and becomes the stub on the
 * same gdb connection, while the old process exits.  The machine is
 * deterministic, so the state reached is the state that was there.
 *
 * Host side effects are not undone: guest output re-executed below the
 * highest instruction count ever reached is sent to /dev/null (it was
 * printed already), but a write to a host file is done again.  A
 * supervisor process (the one the user started) waits for the last
 * stub's exit status and exits with it.
 */
#ifndef MMULAB_GDB_REVERSE_H
#define MMULAB_GDB_REVERSE_H

#include "gdb/gdbstub.h"

enum run_result { RUN_READY, RUN_EXITED, RUN_DONE, RUN_SIGNAL };

/* gdbstub.c's engine, shared with the re-execution. */
enum run_result settle(struct gdb_stub *s);
enum run_result exec_one(struct gdb_stub *s);
bool stop_here(struct gdb_stub *s, char *why, size_t len);
void stop_reply(struct gdb_stub *s, int sig, const char *why);

/*
 * Turn reverse execution on for @s: from here the calling process is a
 * worker under a supervisor (which this forks, and which never returns:
 * it exits with the status the last worker exits with).  @sock is the gdb
 * connection (kept by the supervisor's side only to close it).  Returns 0
 * in the worker, or -errno (nothing changed).
 */
int rev_start(struct gdb_stub *s, int sock, uint64_t interval) __must_check;

/*
 * Called at each turn of gdbstub_run's loop: take a checkpoint when one
 * is due.  Returns true in a checkpoint that was just told to take over
 * (s->reply holds the stop reply to send): gdbstub_run must return.
 */
bool rev_tick(struct gdb_stub *s);

/* At most this many instructions may run before rev_tick (the checkpoint
 * and quiet-output boundaries). */
uint64_t rev_budget(struct gdb_stub *s, uint64_t want);

/*
 * The session is over: with @run, run the guest to its end (output past
 * the highest point reached is printed again); no more checkpoints;
 * output back on.  Returns the run's status.
 */
int rev_finish(struct gdb_stub *s, bool run);

/* Handle bs (@step) or bc.  Returns only on failure, with an error or a
 * "replaylog:begin" stop in s->reply; on success this process exits and
 * the checkpoint that took over answers gdb. */
void rev_run(struct gdb_stub *s, bool step);

#endif
