/*
 * The GDB stub's command layer (src/gdb/gdbstub.c) without a socket:
 * packets go straight into gdbstub_handle(), resumes into gdbstub_run(),
 * on a kernel running guest/progs/cowlesson.c (a private page at
 * 0x40000000 written before and after a fork).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdb/gdbstub.h"
#include "kharness.h"

#define COW_PAGE 0x40000000u

struct fx {
	struct kh *h;
	struct gdb_stub s;
	int saved_out;
};

/* Boot, spawn cowlesson as pid 1, attach a stub.  The guest's stdout
 * goes to /dev/null.  Returns false when the guest is not built. */
static bool fx_start_prog(struct fx *f, const char *prog)
{
	char path[512], err[256];
	char *argv[] = {(char *)prog, NULL};

	if (!kh_guest_path(prog, path, sizeof(path)))
		return false;
	f->h = kh_boot_bare(NULL);
	cr_assert_eq(kernel_spawn_init(&f->h->k, path, argv, err, sizeof(err)),
		     0, "%s", err);
	fflush(stdout);
	f->saved_out = dup(1);
	int null = open("/dev/null", O_WRONLY);
	cr_assert(null >= 0 && dup2(null, 1) >= 0);
	close(null);
	gdbstub_init(&f->s, &f->h->k, 1);
	return true;
}

static bool fx_start(struct fx *f)
{
	return fx_start_prog(f, "cowlesson.elf");
}

static void fx_stop(struct fx *f)
{
	fflush(stdout);
	dup2(f->saved_out, 1);
	close(f->saved_out);
	gdbstub_free(&f->s);
	kh_shutdown(f->h);
}

/* Send @pkt; returns the action and leaves the reply in f->s.reply. */
static enum gdb_action send(struct fx *f, const char *pkt)
{
	char buf[RSP_MAX_PACKET + 1];
	size_t n = strlen(pkt);

	cr_assert(n < sizeof(buf));
	memcpy(buf, pkt, n + 1);
	return gdbstub_handle(&f->s, buf, n);
}

static const char *reply(struct fx *f)
{
	static const char empty[4];

	return f->s.reply.data ? f->s.reply.data : empty;
}

/* Send and expect a plain reply equal to @want (NULL: anything). */
static const char *ask(struct fx *f, const char *pkt, const char *want)
{
	cr_assert_eq(send(f, pkt), GDB_REPLY, "%s", pkt);
	if (want)
		cr_assert_str_eq(reply(f), want, "reply to %s", pkt);
	return reply(f);
}

/* Resume with @pkt and return the stop reply. */
static const char *resume(struct fx *f, const char *pkt)
{
	cr_assert_eq(send(f, pkt), GDB_RESUME, "%s", pkt);
	gdbstub_run(&f->s);
	return reply(f);
}

static uint32_t reg(struct fx *f, unsigned n)
{
	char pkt[16];
	uint8_t b[4];

	snprintf(pkt, sizeof(pkt), "p%x", n);
	ask(f, pkt, NULL);
	cr_assert_eq(rsp_hex_decode(reply(f), 4, b), 0, "p%x: %s", n, reply(f));
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

#define START(f)                                                             \
	struct fx f;                                                         \
	if (!fx_start(&f))                                                   \
		cr_skip_test("guest programs not built (GUEST_BIN)")

Test(gdbstub, supported_and_target_description)
{
	START(f);
	ask(&f, "qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386", NULL);
	cr_assert(strstr(reply(&f), "PacketSize=4000"));
	cr_assert(strstr(reply(&f), "qXfer:features:read+"));
	cr_assert(strstr(reply(&f), "swbreak+"));

	/* Read target.xml in small chunks, as gdb does with a small buffer. */
	char xml[8192] = "";
	for (size_t off = 0;;) {
		char pkt[64];
		snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,40",
			 off);
		ask(&f, pkt, NULL);
		cr_assert(reply(&f)[0] == 'm' || reply(&f)[0] == 'l');
		cr_assert(strlen(reply(&f)) <= 1 + 0x40);
		cr_assert(off + strlen(reply(&f)) < sizeof(xml));
		strcat(xml, reply(&f) + 1);
		off += strlen(reply(&f) + 1);
		if (reply(&f)[0] == 'l')
			break;
	}
	cr_assert(strstr(xml, "<architecture>riscv:rv32</architecture>"));
	cr_assert(strstr(xml, "org.gnu.gdb.riscv.cpu"));
	int regs = 0;
	for (const char *p = xml; (p = strstr(p, "<reg ")); p++)
		regs++;
	cr_assert_eq(regs, 33);
	ask(&f, "qXfer:features:read:other.xml:0,100", "E00");
	ask(&f, "qXfer:features:read:target.xml:zz", "E01");
	fx_stop(&f);
}

Test(gdbstub, registers_read_and_write)
{
	START(f);
	uint32_t pc = f.h->k.cpu.pc;

	ask(&f, "g", NULL);
	cr_assert_eq(strlen(reply(&f)), 33 * 8);
	cr_assert_eq(reg(&f, 32), pc);
	cr_assert_eq(reg(&f, 2), f.h->k.cpu.x[2], "sp");
	ask(&f, "P5=78563412", "OK");
	cr_assert_eq(f.h->k.cpu.x[5], 0x12345678);
	ask(&f, "P0=ffffffff", "OK");
	cr_assert_eq(reg(&f, 0), 0, "x0 stays zero");
	/* G with what g said, then g again: the same. */
	char saved[33 * 8 + 2];
	ask(&f, "g", NULL);
	snprintf(saved, sizeof(saved), "G%s", reply(&f));
	ask(&f, saved, "OK");
	ask(&f, "g", saved + 1);
	ask(&f, "G1234", "E01");
	ask(&f, "p21", "E01");
	ask(&f, "Pz=0", "E01");
	ask(&f, "P5=123", "E01");
	fx_stop(&f);
}

Test(gdbstub, memory_read_write_and_errors)
{
	START(f);
	char pkt[64];
	uint8_t code[4];
	uint32_t pc = f.h->k.cpu.pc;

	cr_assert_eq(kernel_peek(&f.h->k, 1, pc, code, 4), 0);
	snprintf(pkt, sizeof(pkt), "m%x,4", pc);
	char hex[9];
	snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", code[0], code[1],
		 code[2], code[3]);
	ask(&f, pkt, hex);
	ask(&f, "m0,4", "E0e");		/* nothing mapped at 0: EFAULT */
	ask(&f, "m10000", "E01");
	ask(&f, "m,4", "E01");
	ask(&f, "m10000,100000", "E01");	/* longer than a packet */
	ask(&f, "m1ffffffff,4", "E01");	/* beyond 32 bits */
	/* Write the stack through M and X (with escaped bytes). */
	uint32_t sp = f.h->k.cpu.x[2];
	snprintf(pkt, sizeof(pkt), "M%x,4:deadbeef", sp - 16);
	ask(&f, pkt, "OK");
	snprintf(pkt, sizeof(pkt), "m%x,4", sp - 16);
	ask(&f, pkt, "deadbeef");
	char xpkt[64];
	int n = snprintf(xpkt, sizeof(xpkt), "X%x,3:", sp - 16);
	memcpy(xpkt + n, "}\x03}\x04*", 5); /* '#', '$', '*' */
	cr_assert_eq(gdbstub_handle(&f.s, xpkt, (size_t)n + 5), GDB_REPLY);
	cr_assert_str_eq(reply(&f), "OK");
	ask(&f, pkt, "23242aef");
	snprintf(pkt, sizeof(pkt), "M%x,4:dead", sp - 16);
	ask(&f, pkt, "E01");
	snprintf(pkt, sizeof(pkt), "X%x,0:", sp - 16);
	ask(&f, pkt, "OK");
	fx_stop(&f);
}

Test(gdbstub, step_then_breakpoint_then_exit)
{
	START(f);
	uint32_t pcs[40];

	for (int i = 0; i < 40; i++) {
		const char *r = resume(&f, "s");
		cr_assert(!strncmp(r, "T05thread:1;", 12), "step: %s", r);
		pcs[i] = reg(&f, 32);
	}
	/* A fresh run: break where the 30th step was; continuing stops
	 * there with swbreak, the guest's code untouched. */
	fx_stop(&f);
	START(g);
	uint8_t before[4], after[4];
	char pkt[64];
	cr_assert_eq(kernel_peek(&g.h->k, 1, pcs[30], before, 4), 0);
	ask(&g, "qSupported:swbreak+;hwbreak+", NULL);
	snprintf(pkt, sizeof(pkt), "Z0,%x,2", pcs[30]);
	ask(&g, pkt, "OK");
	const char *r = resume(&g, "vCont;c");
	cr_assert_str_eq(r, "T05thread:1;swbreak:;");
	cr_assert_eq(reg(&g, 32), pcs[30]);
	cr_assert_eq(kernel_peek(&g.h->k, 1, pcs[30], after, 4), 0);
	cr_assert_arr_eq(before, after, 4, "no ebreak was written");
	ask(&g, "?", "T05thread:1;swbreak:;");
	/* Continuing from the breakpoint runs past it. */
	snprintf(pkt, sizeof(pkt), "z0,%x,2", pcs[30]);
	ask(&g, pkt, "OK");
	r = resume(&g, "c");
	cr_assert_str_eq(r, "W00", "cowlesson exits 0: %s", r);
	ask(&g, "?", "W00");
	ask(&g, "c", "E03");
	fx_stop(&g);
}

Test(gdbstub, write_watchpoint_and_threads_after_fork)
{
	START(f);
	ask(&f, "Z2,40000000,1", "OK");
	const char *r = resume(&f, "c");
	cr_assert_str_eq(r, "T05thread:1;watch:40000000;");
	/* Stopped before the store: 'P' is not there yet, then is. */
	ask(&f, "Z2,40000000,1", "OK"); /* idempotent */
	ask(&f, "z2,40000000,1", "OK");
	ask(&f, "qfThreadInfo", "m1");
	ask(&f, "qC", "QC1");
	/* Break on the system call after fork's: the child now exists. */
	ask(&f, "Z3,40000000,1", "OK"); /* the parent reads p[0] at the end */
	r = resume(&f, "c");
	cr_assert_str_eq(r, "T05thread:1;rwatch:40000000;");
	ask(&f, "qfThreadInfo", NULL);
	cr_assert(!strcmp(reply(&f), "m1") || !strncmp(reply(&f), "m1,", 3),
		  "%s", reply(&f));
	ask(&f, "qsThreadInfo", "l");
	ask(&f, "m40000000,1", "50"); /* 'P': the child's 'C' is its own */
	ask(&f, "T1", "OK");
	ask(&f, "T63", "E03");
	ask(&f, "Hg63", "E03");
	ask(&f, "Hg0", "OK");
	ask(&f, "Hc-1", "OK");
	ask(&f, "qThreadExtraInfo,1", NULL);
	cr_assert(strstr(reply(&f), "6f6c6c6f7765642900") == NULL);
	fx_stop(&f);
}

Test(gdbstub, poke_into_cow_page_is_private)
{
	START(f);
	/* Stop right after fork: the parent's first write watch is on the
	 * child's side of the page only if the poke leaked. */
	ask(&f, "Z2,40000000,1", "OK");
	cr_assert_str_eq(resume(&f, "c"), "T05thread:1;watch:40000000;");
	ask(&f, "z2,40000000,1", "OK");
	/* Step until a second process exists (fork returned). */
	for (int i = 0; i < 20000; i++) {
		resume(&f, "s");
		ask(&f, "qfThreadInfo", NULL);
		if (strchr(reply(&f), ','))
			break;
	}
	ask(&f, "qfThreadInfo", "m1,2");
	ask(&f, "m40000000,1", "50");
	ask(&f, "M40000000,1:51", "OK");		/* 'Q' in the parent */
	ask(&f, "m40000000,1", "51");
	ask(&f, "Hg2", "OK");
	ask(&f, "m40000000,1", "50");		/* the child keeps 'P' */
	ask(&f, "Hg1", "OK");
	const char *r = resume(&f, "c");
	cr_assert_str_eq(r, "W01", "the parent saw Q and exits 1: %s", r);
	fx_stop(&f);
}

Test(gdbstub, monitor_commands)
{
	START(f);
	char pkt[256], cmd[64];
	struct rsp_buf hex = {0};

	/* The stack page is present from exec on. */
	snprintf(cmd, sizeof(cmd), "translate 0x%x", f.h->k.cpu.x[2]);

	rsp_buf_puts(&hex, "qRcmd,");
	rsp_buf_hex(&hex, cmd, strlen(cmd));
	ask(&f, hex.data, "OK");
	cr_assert(strstr(f.s.console.data, "-> pa 0x"), "%s", f.s.console.data);
	cr_assert(strstr(f.s.console.data, "pte[511]"), "%s", f.s.console.data);
	rsp_buf_reset(&f.s.console);
	const char *cmds[] = {"maps", "cat /proc/meminfo", "ps", "stats",
			      "tlb", "help", "frobnicate", "cat /etc/passwd",
			      "translate", "translate zz"};
	const char *want[] = {"r-xp", "MemTotal:", "PID", "instructions",
			      "dtlb:", "translate VA", "unknown monitor",
			      "only /proc", "usage", "usage"};
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		rsp_buf_reset(&hex);
		rsp_buf_puts(&hex, "qRcmd,");
		rsp_buf_hex(&hex, cmds[i], strlen(cmds[i]));
		ask(&f, hex.data, "OK");
		cr_assert(f.s.console.data && strstr(f.s.console.data, want[i]),
			  "monitor %s: %s", cmds[i],
			  f.s.console.data ? f.s.console.data : "(nothing)");
		rsp_buf_reset(&f.s.console);
	}
	snprintf(pkt, sizeof(pkt), "qRcmd,7");
	ask(&f, pkt, "E01");
	ask(&f, "qRcmd,zz", "E01");
	ask(&f, "qRcmd,6100", "E01"); /* a NUL inside */
	rsp_buf_free(&hex);
	fx_stop(&f);
}

Test(gdbstub, hostile_packets_get_errors_and_the_stub_survives)
{
	START(f);
	const char *junk[] = {
		"", "Z", "Z0", "Z0,", "Z0,zz,2", "Z9,1000,4", "Z2,1000,0",
		"Z2,ffffffff,8", "Z2,1000,100000", "z", "p", "P", "P1", "P1=",
		"H", "Hx1", "Hg", "Hgzz", "T", "Tzz", "m", "M", "M0,1:",
		"M0,2:00", "X", "X0,1", "X0,2:}", "X0,1:}", "vCont;", "vCont;x",
		"vCont;s:zz", "qRcmd,", "qThreadExtraInfo,", "qXfer:features:read:",
		"qXfer:features:read:target.xml:ffffffff,1", "c1ffffffff",
		"Cxx", "S05;zz", "\x01\x02", "m1,-1", "g1", "bs", "bc", "bx",
	};
	for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
		enum gdb_action a = send(&f, junk[i]);
		cr_assert(a == GDB_REPLY, "'%s' -> action %d", junk[i], a);
		const char *r = reply(&f);
		cr_assert(!*r || r[0] == 'E' || !strcmp(r, "OK") || r[0] == 'l' ||
			  strlen(r) == 33 * 8,
			  "'%s' -> '%s'", junk[i], r);
	}
	/* Too many breakpoints: ENOSPC, then still working. */
	for (int i = 0; i < GDB_MAX_BREAKPOINTS; i++) {
		char pkt[32];
		snprintf(pkt, sizeof(pkt), "Z0,%x,2", 0x1000 + 2 * i);
		ask(&f, pkt, "OK");
	}
	ask(&f, "Z0,9000,2", "E1c");
	ask(&f, "?", "T05thread:1;");
	ask(&f, "vMustReplyEmpty", "");
	ask(&f, "vCont?", "vCont;c;C;s;S");
	cr_assert_eq(send(&f, "D"), GDB_DETACH);
	cr_assert_str_eq(reply(&f), "OK");
	cr_assert_eq(send(&f, "k"), GDB_KILL);
	fx_stop(&f);
}

/*
 * The hart stops after the store to a watched byte; gdb (nonsteppable
 * watchpoints on RISC-V) expects the stop before it and steps over it:
 * the stub shows the store's pc and answers the step without running.
 */
Test(gdbstub, hart_watchpoint_shows_the_access_then_steps_over_it)
{
	START(f);
	ask(&f, "Z2,40000000,1", "OK");
	const char *r = resume(&f, "vCont;c");
	cr_assert_str_eq(r, "T05thread:1;watch:40000000;");
	uint32_t pc = reg(&f, 32);
	uint8_t insn[2];
	cr_assert_eq(kernel_peek(&f.h->k, 1, pc, insn, 2), 0);
	unsigned len = (insn[0] & 3) == 3 ? 4 : 2;
	cr_assert_eq(f.h->k.cpu.pc, pc + len, "the hart is past the store");
	uint64_t instret = f.h->k.cpu.instret;
	ask(&f, "z2,40000000,1", "OK");
	r = resume(&f, "vCont;s:1");
	cr_assert_str_eq(r, "T05thread:1;");
	cr_assert_eq(reg(&f, 32), pc + len, "the step lands after the store");
	cr_assert_eq(f.h->k.cpu.instret, instret, "and ran nothing");
	ask(&f, "m40000000,1", "50");
	/* A breakpoint elsewhere, never reached: continue runs to the end. */
	ask(&f, "Z0,4,2", "OK");
	r = resume(&f, "c");
	cr_assert_str_eq(r, "W00", "%s", r);
	fx_stop(&f);
}

/*
 * gdbserver's semantics for signals: the SIGSEGV of the store to 0x10 is
 * reported (GDB's number 0x0b) before delivery; resuming without it drops
 * it (the store faults again), resuming with it kills the program.
 */
Test(gdbstub, signal_stops_before_delivery)
{
	struct fx f;
	if (!fx_start_prog(&f, "segv.elf"))
		cr_skip_test("guest programs not built (GUEST_BIN)");
	const char *r = resume(&f, "c");
	cr_assert_str_eq(r, "T0bthread:1;");
	ask(&f, "?", "T0bthread:1;");
	uint32_t pc = reg(&f, 32);
	r = resume(&f, "vCont;c:1");
	cr_assert_str_eq(r, "T0bthread:1;", "dropped: it faults again");
	cr_assert_eq(reg(&f, 32), pc);
	r = resume(&f, "C0b");
	cr_assert_str_eq(r, "X0b", "delivered: killed by SIGSEGV (%s)", r);
	cr_assert_eq(f.h->k.init_status, 128 + 11);
	fx_stop(&f);
}

Test(gdbstub, signal_numbers_are_gdbs)
{
	cr_assert_eq(gdb_signal_from_linux(11), 11);	/* SIGSEGV */
	cr_assert_eq(gdb_signal_from_linux(7), 10);	/* SIGBUS */
	cr_assert_eq(gdb_signal_from_linux(10), 30);	/* SIGUSR1 */
	cr_assert_eq(gdb_signal_from_linux(17), 20);	/* SIGCHLD */
	cr_assert_eq(gdb_signal_from_linux(34), 46);	/* SIGRTMIN+2 */
	for (int sig = 1; sig <= 64; sig++)
		if (sig != 16) /* SIGSTKFLT has no GDB number */
			cr_assert_eq(gdb_signal_to_linux(
					     gdb_signal_from_linux(sig)),
				     sig, "signal %d", sig);
	cr_assert_eq(gdb_signal_to_linux(0), 0);
	cr_assert_eq(gdb_signal_to_linux(143), 0);
}
