/*
 * The GDB stub's command layer: one packet in, one action out (see
 * gdbstub.h).  Nothing here touches a socket; gdbserve.c does.
 *
 * Packets served (GDB manual, "Packets"):
 *
 *   ?                     last stop reply
 *   g G p P               registers x0..x31, pc (RV32, little endian)
 *   m M X                 memory through kernel_peek/kernel_poke
 *   Z0-Z4 z0-z4           breakpoints (kept here, guest code untouched),
 *                         write/read/access watchpoints
 *   c s C S vCont         continue, step (one instruction of the followed
 *                         process)
 *   H T qC qfThreadInfo qsThreadInfo qThreadExtraInfo
 *                         processes as threads
 *   qSupported qXfer:features:read QStartNoAckMode qAttached qRcmd
 *   k D vKill             kill, detach
 *
 * Breakpoints and watchpoints are the hart's (cpu_set_breakpoint(),
 * cpu_set_watchpoint()) for as long as the session lasts, so `continue`
 * runs through kernel_step() in slices at the interpreter's full speed:
 * the hart stops at a breakpoint before its instruction, and right after
 * an access to a watched byte.  A stop in another process than the
 * followed one is passed over.  gdb treats RISC-V watchpoints as
 * nonsteppable (it expects the stop before the access, then steps over
 * it with the watchpoint removed, by vCont;s or by a breakpoint on the
 * next instruction): so until gdb resumes, pc reads as the access's
 * (cpu.watch_pc), and that step, done already, returns at once
 * (s->wp_stepped): gdb sees what a stop before the access and its step
 * would give.
 *
 * Points the hart cannot take (its tables are full) are kept by the stub
 * and checked one instruction at a time (the slow path that single steps,
 * and reverse execution's replays, use): a watchpoint then is found by
 * decoding the instruction about to run and comparing its effective
 * address with the watched ranges, before the access.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "gdb/gdbstub.h"
#include "gdb/reverse.h"
#include "kernel/kernel/sched.h"
#include "kernel/kernel/signal.h"
#include "kernel/lib/seq.h"

#define GDB_SIGINT 2
#define GDB_SIGTRAP 5
#define GDB_NR_REGS 33		/* x0..x31, pc */
#define STEP_MASK (KSTOP_ON_SYSCALL | KSTOP_ON_EXIT)

static const char target_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target version=\"1.0\">\n"
	"<architecture>riscv:rv32</architecture>\n"
	"<feature name=\"org.gnu.gdb.riscv.cpu\">\n"
	"<reg name=\"zero\" bitsize=\"32\" type=\"int\" regnum=\"0\"/>\n"
	"<reg name=\"ra\" bitsize=\"32\" type=\"code_ptr\"/>\n"
	"<reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
	"<reg name=\"gp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
	"<reg name=\"tp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
	"<reg name=\"t0\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"t1\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"t2\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"fp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
	"<reg name=\"s1\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a0\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a1\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a2\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a3\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a4\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a5\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a6\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"a7\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s2\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s3\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s4\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s5\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s6\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s7\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s8\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s9\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s10\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"s11\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"t3\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"t4\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"t5\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"t6\" bitsize=\"32\" type=\"int\"/>\n"
	"<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>\n"
	"</feature>\n"
	"</target>\n";

/*
 * GDB's signal numbers (include/gdb/signals.def) are not Linux's.  Linux
 * numbers 1-31 (RISC-V, asm-generic) in GDB's; then the real-time ones.
 */
static const uint8_t gdb_of_linux[32] = {
	0, 1, 2, 3, 4, 5, 6, 10, 8, 9, 30, 11, 31, 13, 14, 15,
	/* SIGSTKFLT has no GDB number: GDB_SIGNAL_UNKNOWN (143) */
	143, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,
};

int gdb_signal_from_linux(int sig)
{
	if (sig > 0 && sig < 32)
		return gdb_of_linux[sig];
	if (sig == 32)
		return 77;		/* GDB_SIGNAL_REALTIME_32 */
	if (sig >= 33 && sig <= 63)
		return 45 + sig - 33;	/* GDB_SIGNAL_REALTIME_33.. */
	if (sig == 64)
		return 78;		/* GDB_SIGNAL_REALTIME_64 */
	return 143;
}

int gdb_signal_to_linux(int gsig)
{
	for (int sig = 1; sig <= 64; sig++)
		if (gdb_signal_from_linux(sig) == gsig && gsig != 143)
			return sig;
	return 0;
}

void gdbstub_init(struct gdb_stub *s, struct kernel *k, int pid)
{
	memset(s, 0, sizeof(*s));
	s->k = k;
	s->pid = pid;
	s->gtid = pid;
	s->chunk = 10000;
	k->sig_traced = pid;
	snprintf(s->stop, sizeof(s->stop), "T%02xthread:%x;", GDB_SIGTRAP,
		 pid);
}

void gdbstub_free(struct gdb_stub *s)
{
	rsp_buf_free(&s->reply);
	rsp_buf_free(&s->console);
}

static struct task *live_task(struct kernel *k, int pid)
{
	struct task *t = find_task(k, pid);

	return t && t->state != TASK_ZOMBIE ? t : NULL;
}

static void reply_error(struct gdb_stub *s, int e)
{
	rsp_buf_reset(&s->reply);
	rsp_buf_printf(&s->reply, "E%02x", e & 0xff);
}

static void reply_ok(struct gdb_stub *s)
{
	rsp_buf_reset(&s->reply);
	rsp_buf_puts(&s->reply, "OK");
}

/* ---- registers ------------------------------------------------------------ */

/* The register file of @t: the hart's when it is running, else saved. */
static uint32_t *reg_slot(struct gdb_stub *s, struct task *t, unsigned n)
{
	bool on_hart = t == s->k->current;

	if (n == 32 && s->wp_stepped && t->pid == s->pid)
		return &s->wp_pc; /* before the access, as gdb expects */
	if (n == 32)
		return on_hart ? &s->k->cpu.pc : &t->pc;
	return on_hart ? &s->k->cpu.x[n] : &t->regs[n];
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void cmd_read_regs(struct gdb_stub *s, struct task *t)
{
	uint8_t b[4];

	rsp_buf_reset(&s->reply);
	for (unsigned i = 0; i < GDB_NR_REGS; i++) {
		le32(b, i == 0 ? 0 : *reg_slot(s, t, i));
		rsp_buf_hex(&s->reply, b, 4);
	}
}

static void set_reg(struct gdb_stub *s, struct task *t, unsigned n,
		    uint32_t v)
{
	if (n == 0)
		return; /* x0 stays zero */
	s->wp_stepped = false;
	*reg_slot(s, t, n) = v;
	if (n == 32 && t == s->k->current)
		s->k->cpu.resv_valid = false;
}

static void cmd_write_regs(struct gdb_stub *s, struct task *t,
			   const char *hex, size_t len)
{
	uint8_t b[GDB_NR_REGS * 4];

	if (len != 2 * sizeof(b) || rsp_hex_decode(hex, sizeof(b), b) < 0)
		return reply_error(s, 1);
	for (unsigned i = 0; i < GDB_NR_REGS; i++)
		set_reg(s, t, i, get_le32(b + 4 * i));
	reply_ok(s);
}

static void cmd_read_reg(struct gdb_stub *s, struct task *t, const char *p)
{
	uint64_t n;
	uint8_t b[4];

	if (rsp_parse_hex(&p, &n) < 0 || *p)
		return reply_error(s, 1);
	rsp_buf_reset(&s->reply);
	if (n >= GDB_NR_REGS)
		return reply_error(s, 1);
	le32(b, n == 0 ? 0 : *reg_slot(s, t, (unsigned)n));
	rsp_buf_hex(&s->reply, b, 4);
}

static void cmd_write_reg(struct gdb_stub *s, struct task *t, const char *p)
{
	uint64_t n;
	uint8_t b[4];

	if (rsp_parse_hex(&p, &n) < 0 || *p++ != '=' || n >= GDB_NR_REGS ||
	    strlen(p) != 8 || rsp_hex_decode(p, 4, b) < 0)
		return reply_error(s, 1);
	set_reg(s, t, (unsigned)n, get_le32(b));
	reply_ok(s);
}

/* ---- memory ---------------------------------------------------------------- */

/* "ADDR,LEN" then @sep; 32-bit address, length at most @max. */
static int parse_addr_len(const char **p, char sep, gva_t *addr,
			  uint32_t *len, uint32_t max)
{
	uint64_t a, l;

	if (rsp_parse_hex(p, &a) < 0 || *(*p)++ != ',' ||
	    rsp_parse_hex(p, &l) < 0 || a > UINT32_MAX || l > max)
		return -1;
	if (sep && *(*p)++ != sep)
		return -1;
	if (!sep && **p)
		return -1;
	*addr = (gva_t)a;
	*len = (uint32_t)l;
	return 0;
}

static void cmd_read_mem(struct gdb_stub *s, int pid, const char *p)
{
	uint8_t buf[RSP_MAX_PACKET / 2];
	gva_t addr;
	uint32_t len, got = 0;

	if (parse_addr_len(&p, 0, &addr, &len, sizeof(buf)) < 0)
		return reply_error(s, 1);
	if (kernel_peek(s->k, pid, addr, buf, len) == 0) {
		got = len;
	} else {
		/* Give what can be read up to the first hole, as ptrace. */
		while (got < len &&
		       kernel_peek(s->k, pid, addr + got, buf + got, 1) == 0)
			got++;
	}
	if (!got && len)
		return reply_error(s, EFAULT);
	rsp_buf_reset(&s->reply);
	rsp_buf_hex(&s->reply, buf, got);
}

static void write_mem(struct gdb_stub *s, int pid, gva_t addr,
		      const void *buf, uint32_t len)
{
	int r = len ? kernel_poke(s->k, pid, addr, buf, len) : 0;

	if (r < 0)
		return reply_error(s, -r);
	reply_ok(s);
}

static void cmd_write_mem(struct gdb_stub *s, int pid, const char *p)
{
	uint8_t buf[RSP_MAX_PACKET / 2];
	gva_t addr;
	uint32_t len;

	if (parse_addr_len(&p, ':', &addr, &len, sizeof(buf)) < 0 ||
	    strlen(p) != 2 * (size_t)len || rsp_hex_decode(p, len, buf) < 0)
		return reply_error(s, 1);
	write_mem(s, pid, addr, buf, len);
}

/* X: binary data after ':', escapes still in place. */
static void cmd_write_bin(struct gdb_stub *s, int pid, char *pkt, size_t n)
{
	const char *p = pkt + 1;
	char *colon = memchr(pkt, ':', n);
	gva_t addr;
	uint32_t len;
	long got;

	if (!colon)
		return reply_error(s, 1);
	*colon = '\0';
	if (parse_addr_len(&p, 0, &addr, &len, RSP_MAX_PACKET) < 0)
		return reply_error(s, 1);
	got = rsp_unescape(colon + 1, n - (size_t)(colon + 1 - pkt));
	if (got != (long)len)
		return reply_error(s, 1);
	write_mem(s, pid, addr, colon + 1, len);
}

/* ---- breakpoints and watchpoints ------------------------------------------- */

static void cmd_point(struct gdb_stub *s, const char *p, bool insert)
{
	uint64_t type, addr, kind;

	if (rsp_parse_hex(&p, &type) < 0 || *p++ != ',' ||
	    rsp_parse_hex(&p, &addr) < 0 || *p++ != ',' ||
	    rsp_parse_hex(&p, &kind) < 0 || (*p && *p != ';') ||
	    addr > UINT32_MAX)
		return reply_error(s, 1);
	if (type > 4) {
		rsp_buf_reset(&s->reply); /* unsupported type */
		return;
	}
	if (type <= 1) {
		int i;
		for (i = 0; i < s->nr_bp; i++)
			if (s->bp[i].addr == addr)
				break;
		if (insert) {
			if (i == s->nr_bp) {
				if (s->nr_bp == GDB_MAX_BREAKPOINTS)
					return reply_error(s, ENOSPC);
				s->nr_bp++;
			}
			s->bp[i] = (struct gdb_breakpoint){
				(gva_t)addr, type ? GDB_BP_HW : GDB_BP_SW};
		} else if (i < s->nr_bp) {
			s->bp[i] = s->bp[--s->nr_bp];
		}
		gdbstub_sync_hart(s);
		return reply_ok(s);
	}
	if (!kind || kind > 4096 || addr + kind - 1 > UINT32_MAX)
		return reply_error(s, 1);
	for (int i = 0; i < s->nr_wp; i++) {
		struct gdb_watchpoint *w = &s->wp[i];
		if (w->addr == addr && w->len == kind &&
		    w->kind == (enum gdb_wp_kind)type) {
			if (!insert) {
				*w = s->wp[--s->nr_wp];
				gdbstub_sync_hart(s);
			}
			return reply_ok(s);
		}
	}
	if (!insert)
		return reply_ok(s);
	if (s->nr_wp == GDB_MAX_WATCHPOINTS)
		return reply_error(s, ENOSPC);
	s->wp[s->nr_wp++] = (struct gdb_watchpoint){
		(gva_t)addr, (uint32_t)kind, (enum gdb_wp_kind)type};
	gdbstub_sync_hart(s);
	reply_ok(s);
}

static enum mmu_watch_kind hart_kind(enum gdb_wp_kind kind)
{
	return kind == GDB_WP_WRITE  ? MMU_WATCH_WRITE
	       : kind == GDB_WP_READ ? MMU_WATCH_READ
				     : MMU_WATCH_ACCESS;
}

void gdbstub_sync_hart(struct gdb_stub *s)
{
	struct cpu *c = &s->k->cpu;

	gdbstub_release(s);
	s->nr_soft = 0;
	for (int i = 0; i < s->nr_bp; i++)
		if (cpu_set_breakpoint(c, s->bp[i].addr) < 0)
			s->nr_soft++;
	for (int i = 0; i < s->nr_wp; i++)
		if (cpu_set_watchpoint(c, s->wp[i].addr, s->wp[i].len,
				       hart_kind(s->wp[i].kind)) < 0)
			s->nr_soft++;
}

/* The hart's points are all the stub's while a session lasts. */
void gdbstub_release(struct gdb_stub *s)
{
	cpu_clear_breakpoints(&s->k->cpu);
	cpu_clear_watchpoints(&s->k->cpu);
}

void gdbstub_untrace(struct gdb_stub *s)
{
	struct kernel *k = s->k;

	if (k->sig_traced != s->pid)
		return;
	k->sig_traced = 0;
	if (k->sig_stopped && k->sig_resume < 0)
		k->sig_resume = k->stop.sig; /* as if nobody had looked */
}

/* ---- threads --------------------------------------------------------------- */

static void cmd_thread_list(struct gdb_stub *s)
{
	struct task *t;
	bool first = true;

	rsp_buf_reset(&s->reply);
	rsp_buf_puts(&s->reply, "m");
	if (live_task(s->k, s->pid)) {
		rsp_buf_printf(&s->reply, "%x", s->pid);
		first = false;
	}
	list_for_each_entry(t, &s->k->tasks, tasks) {
		if (t->state == TASK_ZOMBIE || t->pid == s->pid)
			continue;
		rsp_buf_printf(&s->reply, "%s%x", first ? "" : ",", t->pid);
		first = false;
	}
	if (first)
		rsp_buf_reset(&s->reply), rsp_buf_puts(&s->reply, "l");
}

/* "H[gc]TID": -1 and 0 mean any; TID must be a live process. */
static void cmd_set_thread(struct gdb_stub *s, const char *p)
{
	char op = *p++;
	uint64_t tid;

	if (p[0] == '-' && p[1] == '1' && !p[2])
		tid = 0;
	else if (rsp_parse_hex(&p, &tid) < 0 || *p)
		return reply_error(s, 1);
	if (tid && (tid > INT32_MAX || !live_task(s->k, (int)tid)))
		return reply_error(s, ESRCH);
	if (op == 'g')
		s->gtid = tid ? (int)tid : s->pid;
	else if (op != 'c')
		return reply_error(s, 1);
	reply_ok(s);
}

static void cmd_thread_extra(struct gdb_stub *s, const char *p)
{
	uint64_t tid;
	struct task *t;
	char text[64];

	if (rsp_parse_hex(&p, &tid) < 0 || *p || tid > INT32_MAX ||
	    !(t = live_task(s->k, (int)tid)))
		return reply_error(s, ESRCH);
	snprintf(text, sizeof(text), "%s pid %d%s", t->comm, t->pid,
		 t->pid == s->pid ? " (followed)" : "");
	rsp_buf_reset(&s->reply);
	rsp_buf_hex(&s->reply, text, strlen(text));
}

/* The monitor's text goes to s->console (sent in O packets), then OK. */
static void cmd_monitor(struct gdb_stub *s, const char *hex)
{
	size_t n = strlen(hex) / 2;
	char cmd[256];
	struct seq out = {0};

	if (strlen(hex) % 2 || n >= sizeof(cmd) || rsp_hex_decode(hex, n, cmd) < 0)
		return reply_error(s, 1);
	cmd[n] = '\0';
	if (memchr(cmd, '\0', n))
		return reply_error(s, 1);
	gdb_monitor(s->k, s->gtid, cmd, &out);
	if (out.buf)
		rsp_buf_put(&s->console, out.buf, out.len);
	seq_free(&out);
	reply_ok(s);
}

/* ---- qSupported, qXfer ------------------------------------------------------------ */

static void cmd_supported(struct gdb_stub *s, const char *p)
{
	s->swbreak = strstr(p, "swbreak+") != NULL;
	s->hwbreak = strstr(p, "hwbreak+") != NULL;
	rsp_buf_reset(&s->reply);
	rsp_buf_printf(&s->reply,
		       "PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+;"
		       "QStartNoAckMode+;vContSupported+%s",
		       RSP_MAX_PACKET,
		       s->rev ? ";ReverseStep+;ReverseContinue+" : "");
}

static void cmd_xfer_features(struct gdb_stub *s, const char *p)
{
	uint64_t off, len;
	size_t total = sizeof(target_xml) - 1;

	if (strncmp(p, "target.xml:", 11)) {
		return reply_error(s, 0); /* E00: no such annex */
	}
	p += 11;
	if (rsp_parse_hex(&p, &off) < 0 || *p++ != ',' ||
	    rsp_parse_hex(&p, &len) < 0 || *p)
		return reply_error(s, 1);
	rsp_buf_reset(&s->reply);
	if (off >= total) {
		rsp_buf_puts(&s->reply, "l");
		return;
	}
	if (len > RSP_MAX_PACKET / 2)
		len = RSP_MAX_PACKET / 2;
	size_t n = total - off < len ? total - off : len;
	rsp_buf_puts(&s->reply, off + n < total ? "m" : "l");
	rsp_buf_put(&s->reply, target_xml + off, n);
}

/* ---- resuming --------------------------------------------------------------------- */

static bool parse_resume_addr(struct gdb_stub *s, const char *p)
{
	uint64_t addr;

	if (!*p)
		return true;
	if (rsp_parse_hex(&p, &addr) < 0 || *p || addr > UINT32_MAX)
		return false;
	struct task *t = live_task(s->k, s->pid);
	if (t)
		set_reg(s, t, 32, (uint32_t)addr);
	return true;
}

/* "vCont;ACTION[:TID][;ACTION[:TID]]...": the first action that applies
 * to the followed process (or to all) decides. */
static enum gdb_action cmd_vcont(struct gdb_stub *s, const char *p)
{
	while (*p == ';') {
		char a = *++p;
		uint64_t tid = 0;

		if (a != 'c' && a != 's' && a != 'C' && a != 'S')
			break;
		p++;
		uint64_t sig = 0;
		if (a == 'C' || a == 'S') {
			if (rsp_parse_hex(&p, &sig) < 0 || sig > 0xff)
				break;
		}
		if (*p == ':') {
			p++;
			if (p[0] == '-' && p[1] == '1')
				p += 2;
			else if (rsp_parse_hex(&p, &tid) < 0)
				break;
		}
		if (*p && *p != ';')
			break;
		if (!tid || tid == (uint64_t)s->pid || a == 'c' || a == 'C') {
			s->resume = (a == 's' || a == 'S') ? GDB_RESUME_STEP
							   : GDB_RESUME_CONT;
			s->resume_sig = (int)sig;
			return GDB_RESUME;
		}
	}
	reply_error(s, 1);
	return GDB_REPLY;
}

enum gdb_action gdbstub_handle(struct gdb_stub *s, char *pkt, size_t len)
{
	struct task *t;

	rsp_buf_reset(&s->reply);
	if (!len)
		return GDB_REPLY;
	if (memchr(pkt, '\0', len) && pkt[0] != 'X') {
		reply_error(s, 1);
		return GDB_REPLY;
	}
	pkt[len] = '\0';
	switch (pkt[0]) {
	case '?':
		rsp_buf_puts(&s->reply, s->stop);
		return GDB_REPLY;
	case 'g':
	case 'G':
	case 'p':
	case 'P':
		t = live_task(s->k, s->gtid);
		if (!t) {
			reply_error(s, ESRCH);
		} else if (pkt[0] == 'g') {
			cmd_read_regs(s, t);
		} else if (pkt[0] == 'G') {
			cmd_write_regs(s, t, pkt + 1, len - 1);
		} else if (pkt[0] == 'p') {
			cmd_read_reg(s, t, pkt + 1);
		} else {
			cmd_write_reg(s, t, pkt + 1);
		}
		return GDB_REPLY;
	case 'm':
		cmd_read_mem(s, s->gtid, pkt + 1);
		return GDB_REPLY;
	case 'M':
		cmd_write_mem(s, s->gtid, pkt + 1);
		return GDB_REPLY;
	case 'X':
		cmd_write_bin(s, s->gtid, pkt, len);
		return GDB_REPLY;
	case 'Z':
	case 'z':
		cmd_point(s, pkt + 1, pkt[0] == 'Z');
		return GDB_REPLY;
	case 'H':
		cmd_set_thread(s, pkt + 1);
		return GDB_REPLY;
	case 'T': {
		const char *p = pkt + 1;
		uint64_t tid;
		if (rsp_parse_hex(&p, &tid) < 0 || *p || tid > INT32_MAX ||
		    !live_task(s->k, (int)tid))
			reply_error(s, ESRCH);
		else
			reply_ok(s);
		return GDB_REPLY;
	}
	case 'c':
	case 's':
		if (s->exited || !parse_resume_addr(s, pkt + 1)) {
			reply_error(s, s->exited ? ESRCH : 1);
			return GDB_REPLY;
		}
		s->resume = pkt[0] == 's' ? GDB_RESUME_STEP : GDB_RESUME_CONT;
		s->resume_sig = 0;
		return GDB_RESUME;
	case 'C':
	case 'S': {
		/* Resume delivering the signal (gdbserver's semantics). */
		const char *p = pkt + 1;
		uint64_t sig;
		if (s->exited || rsp_parse_hex(&p, &sig) < 0 || sig > 0xff ||
		    (*p && (*p++ != ';' || !parse_resume_addr(s, p)))) {
			reply_error(s, 1);
			return GDB_REPLY;
		}
		s->resume = pkt[0] == 'S' ? GDB_RESUME_STEP : GDB_RESUME_CONT;
		s->resume_sig = (int)sig;
		return GDB_RESUME;
	}
	case 'b':
		if (!s->rev || (strcmp(pkt, "bs") && strcmp(pkt, "bc")))
			return GDB_REPLY; /* unsupported: empty */
		s->resume = pkt[1] == 's' ? GDB_RESUME_BSTEP : GDB_RESUME_BCONT;
		return GDB_RESUME;
	case 'k':
		return GDB_KILL;
	case 'D':
		reply_ok(s);
		return GDB_DETACH;
	case 'v':
		if (!strcmp(pkt, "vCont?")) {
			rsp_buf_puts(&s->reply, "vCont;c;C;s;S");
		} else if (!strncmp(pkt, "vCont;", 6)) {
			if (s->exited) {
				reply_error(s, ESRCH);
				return GDB_REPLY;
			}
			return cmd_vcont(s, pkt + 5);
		} else if (!strncmp(pkt, "vKill", 5)) {
			reply_ok(s);
			return GDB_KILL;
		}
		return GDB_REPLY; /* vMustReplyEmpty and the rest: empty */
	case 'q':
		if (!strncmp(pkt, "qSupported", 10)) {
			cmd_supported(s, pkt + 10);
		} else if (!strncmp(pkt, "qXfer:features:read:", 20)) {
			cmd_xfer_features(s, pkt + 20);
		} else if (!strcmp(pkt, "qfThreadInfo")) {
			cmd_thread_list(s);
		} else if (!strcmp(pkt, "qsThreadInfo")) {
			rsp_buf_puts(&s->reply, "l");
		} else if (!strncmp(pkt, "qThreadExtraInfo,", 17)) {
			cmd_thread_extra(s, pkt + 17);
		} else if (!strcmp(pkt, "qC")) {
			rsp_buf_printf(&s->reply, "QC%x", s->pid);
		} else if (!strcmp(pkt, "qAttached")) {
			rsp_buf_puts(&s->reply, "1");
		} else if (!strncmp(pkt, "qRcmd,", 6)) {
			cmd_monitor(s, pkt + 6);
		} else if (!strncmp(pkt, "qSymbol", 7)) {
			rsp_buf_puts(&s->reply, "OK");
		}
		return GDB_REPLY;
	case 'Q':
		if (!strcmp(pkt, "QStartNoAckMode")) {
			s->noack = true;
			reply_ok(s);
		}
		return GDB_REPLY;
	default:
		return GDB_REPLY; /* unsupported: empty reply */
	}
}

/* ---- the run engine ------------------------------------------------------------------ */


/* The followed process exited: its wait status, if it can still be found. */
static void note_exit(struct gdb_stub *s, int status)
{
	rsp_buf_reset(&s->reply);
	if (status & 0x7f)
		rsp_buf_printf(&s->reply, "X%02x",
			       gdb_signal_from_linux(status & 0x7f));
	else
		rsp_buf_printf(&s->reply, "W%02x", (status >> 8) & 0xff);
	snprintf(s->stop, sizeof(s->stop), "%s", s->reply.data);
	s->exited = true;
}

/* The init status of a run (code, or 128 + signal) as a wait status. */
static int run_status_to_wait(const struct kernel *k)
{
	return k->init_status > 128 ? k->init_status - 128
				    : (k->init_status & 0xff) << 8;
}

/* After kernel_step() returned @r: did the followed process go away? */
static enum run_result after_step(struct gdb_stub *s, enum kstop r)
{
	struct task *t;

	if (r == KSTOP_SIGNAL) {
		if (s->sig_auto || s->k->stop.pid != s->pid) {
			s->k->sig_resume = s->k->stop.sig; /* pass it on */
			return RUN_READY;
		}
		stop_reply(s, gdb_signal_from_linux(s->k->stop.sig), "");
		s->sig_reported = true;
		return RUN_SIGNAL;
	}
	if (r == KSTOP_EXIT && s->k->stop.pid == s->pid) {
		note_exit(s, s->k->stop.exit_code);
		return RUN_EXITED;
	}
	t = find_task(s->k, s->pid);
	if (!t || t->state == TASK_ZOMBIE) {
		note_exit(s, t ? t->exit_code : run_status_to_wait(s->k));
		return RUN_EXITED;
	}
	if (r == KSTOP_DONE) {
		note_exit(s, run_status_to_wait(s->k));
		return RUN_DONE;
	}
	return RUN_READY;
}

/*
 * Bring the machine to the point where the followed process is on the
 * hart about to execute its next instruction, running the others (one
 * instruction at a time) meanwhile.
 */
enum run_result settle(struct gdb_stub *s)
{
	struct kernel *k = s->k;

	for (;;) {
		enum run_result rr = after_step(s, kernel_step(k, 0, STEP_MASK));
		if (rr != RUN_READY)
			return rr;
		if (k->current && k->current->pid == s->pid)
			return RUN_READY;
		rr = after_step(s, kernel_step(k, 1, STEP_MASK));
		if (rr != RUN_READY)
			return rr;
	}
}

/* Execute the followed process's next instruction (a system call whole). */
enum run_result exec_one(struct gdb_stub *s)
{
	enum kstop r = kernel_step(s->k, 1, STEP_MASK);

	if (r == KSTOP_BREAKPOINT) /* the hart's, before it: now pass it */
		r = kernel_step(s->k, 1, STEP_MASK);
	if (r == KSTOP_TRAP) {
		enum run_result rr = after_step(s, r);
		if (rr != RUN_READY)
			return rr;
		r = kernel_step(s->k, 0, STEP_MASK); /* the system call */
	}
	return after_step(s, r);
}

/* Bytes a load/store/AMO at the hart's pc will touch: 0 when it is none
 * (or its code cannot be read), else the size, with *addr and *write. */
static unsigned next_access(struct gdb_stub *s, gva_t *addr, bool *write,
			    bool *read)
{
	struct kernel *k = s->k;
	uint8_t b[4];
	struct insn in;

	if (kernel_peek(k, s->pid, k->cpu.pc, b, 2) < 0)
		return 0;
	if (insn_length(b[0] | b[1] << 8) == 4) {
		if (kernel_peek(k, s->pid, k->cpu.pc + 2, b + 2, 2) < 0)
			return 0;
		decode32(get_le32(b), &in);
	} else {
		decode16((uint16_t)(b[0] | b[1] << 8), &in);
	}
	*addr = k->cpu.x[in.rs1] + (uint32_t)in.imm;
	*read = *write = false;
	switch (in.op) {
	case OP_LB: case OP_LBU:
		*read = true;
		return 1;
	case OP_LH: case OP_LHU:
		*read = true;
		return 2;
	case OP_LW:
		*read = true;
		return 4;
	case OP_SB:
		*write = true;
		return 1;
	case OP_SH:
		*write = true;
		return 2;
	case OP_SW:
		*write = true;
		return 4;
	case OP_LR_W:
		*addr = k->cpu.x[in.rs1];
		*read = true;
		return 4;
	case OP_SC_W:
		*addr = k->cpu.x[in.rs1];
		*write = true;
		return 4;
	case OP_AMOSWAP_W: case OP_AMOADD_W: case OP_AMOXOR_W:
	case OP_AMOAND_W: case OP_AMOOR_W: case OP_AMOMIN_W:
	case OP_AMOMAX_W: case OP_AMOMINU_W: case OP_AMOMAXU_W:
		*addr = k->cpu.x[in.rs1];
		*read = *write = true;
		return 4;
	default:
		return 0;
	}
}

/* The watchpoint the next instruction triggers, or NULL. */
static const struct gdb_watchpoint *watch_hit(struct gdb_stub *s,
					      gva_t *where)
{
	gva_t a;
	bool w, r;
	unsigned n;

	if (!s->nr_wp || !(n = next_access(s, &a, &w, &r)))
		return NULL;
	for (int i = 0; i < s->nr_wp; i++) {
		const struct gdb_watchpoint *wp = &s->wp[i];
		uint64_t lo = wp->addr, hi = (uint64_t)wp->addr + wp->len;

		if ((uint64_t)a + n <= lo || a >= hi)
			continue;
		if ((wp->kind == GDB_WP_WRITE && !w) ||
		    (wp->kind == GDB_WP_READ && !r))
			continue;
		*where = a > wp->addr ? a : wp->addr;
		return wp;
	}
	return NULL;
}

static const struct gdb_breakpoint *bp_at(struct gdb_stub *s, gva_t pc)
{
	for (int i = 0; i < s->nr_bp; i++)
		if (s->bp[i].addr == pc)
			return &s->bp[i];
	return NULL;
}

bool stop_here(struct gdb_stub *s, char *why, size_t len)
{
	const struct gdb_breakpoint *bp = bp_at(s, s->k->cpu.pc);
	const struct gdb_watchpoint *wp;
	gva_t where = 0;

	if (bp) {
		snprintf(why, len, "%s",
			 bp->kind == GDB_BP_SW && s->swbreak   ? "swbreak:;"
			 : bp->kind == GDB_BP_HW && s->hwbreak ? "hwbreak:;"
							       : "");
		return true;
	}
	wp = watch_hit(s, &where);
	if (wp) {
		snprintf(why, len, "%swatch:%x;",
			 wp->kind == GDB_WP_WRITE  ? ""
			 : wp->kind == GDB_WP_READ ? "r"
						   : "a",
			 where);
		return true;
	}
	return false;
}

void stop_reply(struct gdb_stub *s, int sig, const char *why)
{
	rsp_buf_reset(&s->reply);
	rsp_buf_printf(&s->reply, "T%02xthread:%x;%s", sig, s->pid, why);
	snprintf(s->stop, sizeof(s->stop), "%s", s->reply.data);
}

/*
 * Resume with s->resume_sig, as gdbserver: at a signal stop the signal
 * delivered is the one gdb resumes with (none for plain c/s); else a
 * signal given is sent to the followed process.  Returns true when that
 * ended the run (the reply is set).
 */
static bool resume_signal(struct gdb_stub *s)
{
	struct kernel *k = s->k;
	int sig = gdb_signal_to_linux(s->resume_sig);
	struct task *t;

	s->resume_sig = 0;
	if (k->sig_stopped && s->sig_reported && k->stop.pid == s->pid) {
		s->sig_reported = false;
		k->sig_resume = sig;
		/* deliver it now: a fatal one ends the run here */
		enum kstop r = kernel_step(k, 0, STEP_MASK);

		return after_step(s, r) != RUN_READY;
	}
	s->sig_reported = false;
	/* (a signal stop gdb has not seen yet is reported by the next
	 * kernel_step: the hart's stop came first) */
	if (sig && (t = live_task(k, s->pid)))
		send_signal(k, t, sig);
	return false;
}

/* Which watchpoint of the stub the hart's watch stop was, as a stop reason. */
static void hart_watch_why(struct gdb_stub *s, char *why, size_t len)
{
	const struct mmu_watchpoints *mw = &s->k->mmu.watch;
	gva_t a = (gva_t)s->k->stop.addr;
	enum gdb_wp_kind kind = GDB_WP_ACCESS;

	if (mw->hit_index >= 0 && mw->hit_index < mw->nr) {
		enum mmu_watch_kind hk = mw->w[mw->hit_index].kind;
		kind = hk == MMU_WATCH_WRITE  ? GDB_WP_WRITE
		       : hk == MMU_WATCH_READ ? GDB_WP_READ
					      : GDB_WP_ACCESS;
	}
	snprintf(why, len, "%swatch:%x;",
		 kind == GDB_WP_WRITE ? "" : kind == GDB_WP_READ ? "r" : "a",
		 a);
}

/* gdb sent Ctrl-C, or went away, or the host asked the run to stop
 * (k->cfg.stop, which is then taken as gdb's Ctrl-C). */
static bool run_interrupted(struct gdb_stub *s)
{
	volatile int *stop = s->k->cfg.stop;

	if (stop && *stop) {
		*stop = 0;
		return true;
	}
	return s->interrupted && s->interrupted(s->interrupted_arg);
}

/*
 * Continue with every point in the hart: slices at full speed until a
 * breakpoint or watchpoint of the followed process, its end, or Ctrl-C.
 */
static void run_fast(struct gdb_stub *s)
{
	struct kernel *k = s->k;
	struct task *cur = k->current;

	/* Resuming at a breakpoint runs its instruction (as the slow path,
	 * which checks before each instruction but the first). */
	if (cur && cur->pid == s->pid &&
	    cpu_breakpoint_at(&k->cpu, k->cpu.pc)) {
		k->cpu.bp_resume = true;
		k->cpu.bp_resume_pc = k->cpu.pc;
	}
	for (;;) {
		char why[48];

		if (rev_tick(s))
			return; /* a checkpoint took over: s->reply is set */
		if (run_interrupted(s)) {
			if (settle(s) == RUN_READY)
				stop_reply(s, GDB_SIGINT, "");
			return;
		}
		enum kstop r = kernel_step(k, rev_budget(s, s->chunk),
					   KSTOP_ON_EXIT);
		if ((r == KSTOP_BREAKPOINT || r == KSTOP_WATCHPOINT) &&
		    k->stop.pid == s->pid) {
			if (r == KSTOP_BREAKPOINT) {
				const struct gdb_breakpoint *bp =
					bp_at(s, k->cpu.pc);
				snprintf(why, sizeof(why), "%s",
					 !bp ? ""
					 : bp->kind == GDB_BP_SW && s->swbreak
						 ? "swbreak:;"
					 : bp->kind == GDB_BP_HW && s->hwbreak
						 ? "hwbreak:;"
						 : "");
			} else {
				hart_watch_why(s, why, sizeof(why));
				s->wp_stepped = true;
				s->wp_pc = k->cpu.watch_pc;
			}
			stop_reply(s, GDB_SIGTRAP, why);
			return;
		}
		/* another process's stop: the hart passes it next time */
		if (after_step(s, r) != RUN_READY)
			return;
	}
}

void gdbstub_run(struct gdb_stub *s)
{
	struct kernel *k = s->k;
	bool first = true;
	uint64_t polled = k->cpu.instret;
	bool stepped = s->wp_stepped;

	s->wp_stepped = false;
	if (s->resume == GDB_RESUME_BSTEP || s->resume == GDB_RESUME_BCONT) {
		rev_run(s, s->resume == GDB_RESUME_BSTEP);
		return;
	}
	if (s->exited) {
		rsp_buf_reset(&s->reply);
		rsp_buf_puts(&s->reply, s->stop);
		return;
	}
	if (resume_signal(s))
		return;
	if (stepped) {
		/* gdb steps over the watchpoint's access, done already: by
		 * vCont;s, or (software single step) by a breakpoint at the
		 * next instruction -- where the hart is now. */
		const struct gdb_breakpoint *bp = bp_at(s, k->cpu.pc);
		struct task *cur = k->current;

		if (s->resume == GDB_RESUME_STEP) {
			stop_reply(s, GDB_SIGTRAP, "");
			return;
		}
		if (bp && cur && cur->pid == s->pid) {
			stop_reply(s, GDB_SIGTRAP,
				   bp->kind == GDB_BP_SW && s->swbreak
					   ? "swbreak:;"
				   : bp->kind == GDB_BP_HW && s->hwbreak
					   ? "hwbreak:;"
					   : "");
			return;
		}
	}
	if (s->resume == GDB_RESUME_CONT && !s->nr_soft) {
		run_fast(s);
		return;
	}
	for (;;) {
		char why[48];

		if (rev_tick(s))
			return; /* a checkpoint took over: s->reply is set */
		if (k->cpu.instret - polled >= s->chunk ||
		    (k->cfg.stop && *k->cfg.stop)) {
			polled = k->cpu.instret;
			if (run_interrupted(s)) {
				if (settle(s) == RUN_READY)
					stop_reply(s, GDB_SIGINT, "");
				return;
			}
		}
		if (settle(s) != RUN_READY)
			return;
		/* Checked before each instruction but the first: resuming
		 * from a breakpoint or watchpoint runs its instruction. */
		if (!first && s->resume == GDB_RESUME_CONT &&
		    stop_here(s, why, sizeof(why))) {
			stop_reply(s, GDB_SIGTRAP, why);
			return;
		}
		first = false;
		if (exec_one(s) != RUN_READY)
			return;
		if (s->resume == GDB_RESUME_STEP) {
			if (settle(s) == RUN_READY)
				stop_reply(s, GDB_SIGTRAP, "");
			return;
		}
	}
}
