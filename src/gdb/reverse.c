/*
 * Reverse execution by fork() checkpoints and re-execution (reverse.h).
 *
 * Processes:
 *
 *   supervisor   the process the user started; waits for the final exit
 *                status on a pipe and exits with it
 *   active       the stub gdb talks to; forks checkpoints as it runs
 *   checkpoint   a sleeping copy; on SCOUT it forks a scout that
 *                re-executes and reports; on ACTIVATE it forks its own
 *                replacement, re-executes to the target and becomes active
 *
 * Each checkpoint has a command pipe (active -> checkpoint) and a result
 * pipe (checkpoint or scout -> active); the structs sent are smaller than
 * PIPE_BUF, so each write is atomic.  A checkpoint forked by an earlier
 * active keeps the pipes of the checkpoints before it, so a newly active
 * one can command every older checkpoint; the newer ones are killed when
 * an older one takes over (they lie in a future that will be re-run).
 *
 * The list of checkpoints and the supervisor's pipe live in one struct per
 * process; the status is reported from an on_exit() handler, the only
 * place that knows the final exit status after main's views are printed.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gdb/reverse.h"
#include "kernel/kernel/sched.h"

#define REV_MAX_CKPT 32
#define GDB_SIGTRAP 5

struct ckpt {
	pid_t pid;
	uint64_t instret;
	int cmd_w;		/* commands to it */
	int res_r;		/* results from it and its scouts */
};

struct gdb_reverse {
	pid_t supervisor;
	int status_w;		/* exit status to the supervisor */
	uint64_t interval, next;
	uint64_t hwm;		/* most instructions any active one ran */
	int null_fd, saved_out, saved_err;
	bool quiet;		/* fds 1, 2 go to /dev/null */
	int n;
	struct ckpt c[REV_MAX_CKPT];
};

enum rev_op { REV_SCOUT_STEP, REV_SCOUT_CONT, REV_ACTIVATE };

struct rev_cmd {
	enum rev_op op;
	uint64_t until;		/* scout: scan [start, until) */
	uint64_t target;	/* activate: run to here */
	uint64_t hwm;
	int pid, gtid;
	bool noack, swbreak, hwbreak;
	bool begin;		/* activate: report replaylog:begin */
	char stop[96];		/* activate: the stop reply to send */
	int nr_bp, nr_wp;
	struct gdb_breakpoint bp[GDB_MAX_BREAKPOINTS];
	struct gdb_watchpoint wp[GDB_MAX_WATCHPOINTS];
};

struct rev_result {
	bool found;
	uint64_t instret;
	char why[48];
};

_Static_assert(sizeof(struct rev_cmd) <= 4096, "atomic pipe writes");

static struct gdb_reverse *rev_exiting; /* for the on_exit handler only */

/* ---- output while re-executing ------------------------------------------ */

static void quiet_on(struct gdb_reverse *r)
{
	if (r->quiet)
		return;
	fflush(stdout);
	fflush(stderr);
	r->saved_out = dup(1);
	r->saved_err = dup(2);
	dup2(r->null_fd, 1);
	dup2(r->null_fd, 2);
	r->quiet = true;
}

static void quiet_off(struct gdb_reverse *r)
{
	if (!r->quiet)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(r->saved_out, 1);
	dup2(r->saved_err, 2);
	close(r->saved_out);
	close(r->saved_err);
	r->quiet = false;
}

/* ---- the supervisor ---------------------------------------------------------- */

static void report_status(int status, void *arg)
{
	struct gdb_reverse *r = arg;

	fflush(NULL);
	for (int i = 0; i < r->n; i++)
		kill(r->c[i].pid, SIGKILL);
	if (write(r->status_w, &status, sizeof(status)) < 0) {
		/* the supervisor is gone: nobody to tell */
	}
}

int rev_start(struct gdb_stub *s, int sock, uint64_t interval)
{
	struct gdb_reverse *r = calloc(1, sizeof(*r));
	int sp[2];
	pid_t pid;

	if (!r)
		return -ENOMEM;
	r->null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (r->null_fd < 0 || pipe2(sp, O_CLOEXEC) < 0) {
		free(r);
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(r);
		return -errno;
	}
	if (pid > 0) {
		/* Supervisor: orphans of the tree come to us and are reaped
		 * automatically; wait for the last worker's status. */
		int status = 1;
		close(sp[1]);
		close(sock);
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		signal(SIGCHLD, SIG_IGN);
		while (read(sp[0], &status, sizeof(status)) < 0 &&
		       errno == EINTR)
			;
		_exit(status & 0xff);
	}
	close(sp[0]);
	signal(SIGPIPE, SIG_IGN); /* a dead checkpoint's pipe: an error */
	r->supervisor = getppid();
	r->status_w = sp[1];
	r->interval = interval ? interval : 100000;
	r->next = s->k->cpu.instret; /* a checkpoint at the start */
	r->hwm = s->k->cpu.instret;
	s->rev = r;
	rev_exiting = r;
	on_exit(report_status, r);
	return 0;
}

/* ---- checkpoints ---------------------------------------------------------------- */

static void apply(struct gdb_stub *s, const struct rev_cmd *c)
{
	s->pid = c->pid;
	s->gtid = c->gtid;
	s->noack = c->noack;
	s->swbreak = c->swbreak;
	s->hwbreak = c->hwbreak;
	s->nr_bp = c->nr_bp;
	s->nr_wp = c->nr_wp;
	memcpy(s->bp, c->bp, sizeof(s->bp));
	memcpy(s->wp, c->wp, sizeof(s->wp));
	gdbstub_sync_hart(s);
	s->wp_stepped = false;
	s->sig_reported = false;
	s->rev->hwm = c->hwm;
	s->exited = false;
}

/*
 * Re-execute from here, one followed instruction at a time (the slow
 * path every replay takes, so all of them visit the same states).  With
 * @scout, note the last stop point before c->until; else run to
 * c->target.  Output stays quiet.
 */
static struct rev_result replay(struct gdb_stub *s, const struct rev_cmd *c,
				bool scout)
{
	struct rev_result res = {0};
	struct kernel *k = s->k;
	uint64_t end = scout ? c->until : c->target;

	s->interrupted = NULL;
	s->sig_auto = true; /* signals pass on (gdb's default for most) */
	for (;;) {
		if (settle(s) != RUN_READY)
			break;
		if (k->cpu.instret >= end)
			break;
		if (scout) {
			char why[48];
			if (c->op == REV_SCOUT_STEP) {
				res.found = true;
				res.instret = k->cpu.instret;
				res.why[0] = '\0';
			} else if (stop_here(s, why, sizeof(why))) {
				res.found = true;
				res.instret = k->cpu.instret;
				snprintf(res.why, sizeof(res.why), "%s", why);
			}
		}
		if (exec_one(s) != RUN_READY)
			break;
	}
	return res;
}

/* The sleeping checkpoint's loop.  Returns only when told to take over. */
static void ckpt_wait(struct gdb_stub *s, int cmd_r, int res_w)
{
	struct gdb_reverse *r = s->rev;
	struct rev_cmd c;

	for (;;) {
		struct pollfd p = {.fd = cmd_r, .events = POLLIN};
		int n = poll(&p, 1, 1000);

		if (n == 0) {
			if (kill(r->supervisor, 0) < 0)
				_exit(0);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || read(cmd_r, &c, sizeof(c)) != sizeof(c))
			_exit(0);
		apply(s, &c);
		if (c.op != REV_ACTIVATE) {
			pid_t scout = fork();
			if (scout == 0) {
				quiet_on(r);
				struct rev_result res = replay(s, &c, true);
				if (write(res_w, &res, sizeof(res)) < 0)
					_exit(1);
				_exit(0);
			}
			if (scout < 0) {
				struct rev_result res = {0};
				if (write(res_w, &res, sizeof(res)) < 0)
					_exit(1);
			} else {
				waitpid(scout, NULL, 0);
			}
			continue;
		}
		/* Take over, leaving a copy of ourselves in our place. */
		uint64_t here = s->k->cpu.instret;
		int pc2a[2], pc2b[2];
		if (pipe2(pc2a, O_CLOEXEC) < 0 || pipe2(pc2b, O_CLOEXEC) < 0)
			_exit(1);
		fflush(NULL);
		pid_t twin = fork();
		if (twin == 0) {
			close(pc2a[1]);
			close(pc2b[0]);
			cmd_r = pc2a[0];
			res_w = pc2b[1];
			continue;
		}
		close(pc2a[0]);
		close(pc2b[1]);
		if (twin > 0 && r->n < REV_MAX_CKPT)
			r->c[r->n++] = (struct ckpt){twin, here, pc2a[1], pc2b[0]};
		bool (*intr)(void *) = s->interrupted;
		quiet_on(r);
		replay(s, &c, false);
		s->sig_auto = false;
		s->interrupted = intr;
		s->took_over = true;
		if (s->k->cpu.instret >= r->hwm)
			quiet_off(r);
		rsp_buf_reset(&s->reply);
		if (s->exited) {
			rsp_buf_puts(&s->reply, s->stop);
		} else {
			char why[128];
			snprintf(why, sizeof(why), "%s%s", c.stop,
				 c.begin ? "replaylog:begin;" : "");
			stop_reply(s, GDB_SIGTRAP, why);
		}
		struct rev_result ready = {.found = true,
					   .instret = s->k->cpu.instret};
		if (write(res_w, &ready, sizeof(ready)) < 0)
			_exit(1);
		close(res_w);
		close(cmd_r);
		r->next = s->k->cpu.instret + r->interval;
		return;
	}
}

/* Fork a checkpoint of this moment.  Returns true in a checkpoint that
 * has just taken over. */
static bool checkpoint(struct gdb_stub *s)
{
	struct gdb_reverse *r = s->rev;
	int cmd[2], res[2];
	pid_t pid;

	if (r->n == REV_MAX_CKPT) {
		/* Keep the first; drop every other one after it. */
		int j = 1;
		for (int i = 1; i < r->n; i++) {
			if (i % 2) {
				kill(r->c[i].pid, SIGKILL);
				close(r->c[i].cmd_w);
				close(r->c[i].res_r);
			} else {
				r->c[j++] = r->c[i];
			}
		}
		r->n = j;
		r->interval *= 2;
	}
	if (pipe2(cmd, O_CLOEXEC) < 0)
		return false;
	if (pipe2(res, O_CLOEXEC) < 0) {
		close(cmd[0]);
		close(cmd[1]);
		return false;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(cmd[1]);
		close(res[0]);
		ckpt_wait(s, cmd[0], res[1]);
		return true;
	}
	close(cmd[0]);
	close(res[1]);
	if (pid < 0) {
		close(cmd[1]);
		close(res[0]);
		return false;
	}
	r->c[r->n++] = (struct ckpt){pid, s->k->cpu.instret, cmd[1], res[0]};
	return false;
}

bool rev_tick(struct gdb_stub *s)
{
	struct gdb_reverse *r = s->rev;
	uint64_t now;

	if (!r)
		return false;
	now = s->k->cpu.instret;
	if (now > r->hwm)
		r->hwm = now;
	if (r->quiet && now >= r->hwm)
		quiet_off(r);
	if (now >= r->next) {
		r->next = now + r->interval;
		if (!r->n || r->c[r->n - 1].instret < now)
			return checkpoint(s);
	}
	return false;
}

uint64_t rev_budget(struct gdb_stub *s, uint64_t want)
{
	struct gdb_reverse *r = s->rev;
	uint64_t now;

	if (!r)
		return want;
	now = s->k->cpu.instret;
	if (r->next > now && r->next - now < want)
		want = r->next - now;
	if (r->quiet && r->hwm > now && r->hwm - now < want)
		want = r->hwm - now;
	return want ? want : 1;
}

int rev_finish(struct gdb_stub *s, bool run)
{
	struct gdb_reverse *r = s->rev;
	struct kernel *k = s->k;

	if (!r)
		return run ? kernel_run(k) : k->init_status;
	r->next = UINT64_MAX; /* no more checkpoints */
	while (run && kernel_step(k, rev_budget(s, UINT64_MAX), 0) !=
			      KSTOP_DONE)
		rev_tick(s);
	quiet_off(r);
	return k->init_status;
}

/* ---- going back -------------------------------------------------------------- */

static void fill_cmd(struct gdb_stub *s, struct rev_cmd *c, enum rev_op op)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->hwm = s->rev->hwm;
	c->pid = s->pid;
	c->gtid = s->gtid;
	c->noack = s->noack;
	c->swbreak = s->swbreak;
	c->hwbreak = s->hwbreak;
	c->nr_bp = s->nr_bp;
	c->nr_wp = s->nr_wp;
	memcpy(c->bp, s->bp, sizeof(c->bp));
	memcpy(c->wp, s->wp, sizeof(c->wp));
}

static bool ask(struct ckpt *ck, const struct rev_cmd *c, struct rev_result *res)
{
	if (write(ck->cmd_w, c, sizeof(*c)) != sizeof(*c))
		return false;
	for (;;) {
		ssize_t n = read(ck->res_r, res, sizeof(*res));
		if (n == sizeof(*res))
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		return false;
	}
}

void rev_run(struct gdb_stub *s, bool step)
{
	struct gdb_reverse *r = s->rev;
	uint64_t now = s->k->cpu.instret;
	struct rev_cmd c;
	struct rev_result res = {0};
	int i;

	rsp_buf_reset(&s->reply);
	if (!r || !r->n) {
		rsp_buf_puts(&s->reply, "E16");
		return;
	}
	/* The latest segment before now holding a stop point. */
	for (i = r->n - 1; i >= 0; i--) {
		if (r->c[i].instret >= now)
			continue;
		fill_cmd(s, &c, step ? REV_SCOUT_STEP : REV_SCOUT_CONT);
		c.until = now;
		if (!ask(&r->c[i], &c, &res))
			continue; /* it is gone (thinned out): an older one */
		if (res.found)
			break;
		now = r->c[i].instret; /* search the segment before */
	}
	if (i < 0) {
		/* Nothing before: the beginning of the recorded history. */
		i = 0;
		res.instret = r->c[0].instret;
		res.why[0] = '\0';
	}
	fill_cmd(s, &c, REV_ACTIVATE);
	c.target = res.instret;
	c.begin = !res.found;
	snprintf(c.stop, sizeof(c.stop), "%s", res.why);
	if (!ask(&r->c[i], &c, &res)) {
		rsp_buf_puts(&s->reply, "E05");
		return;
	}
	/* It answers gdb from now on; the future beyond it goes. */
	for (int j = i + 1; j < r->n; j++)
		kill(r->c[j].pid, SIGKILL);
	rev_exiting = NULL;
	_exit(0);
}
