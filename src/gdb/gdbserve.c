/*
 * The GDB stub's transport: one TCP connection on 127.0.0.1 (never another
 * interface: the guest's memory is not for the network), bytes through
 * the packet layer (rsp.c) into the command layer (gdbstub.c).
 *
 * While the guest runs, the socket is polled between slices for gdb's
 * Ctrl-C (0x03).  When gdb disconnects, detaches or kills, the run is
 * finished as --gdb-detach says: the guest runs on to its end, or every
 * process is killed.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdb/gdbstub.h"
#include "gdb/reverse.h"
#include "kernel/kernel/sched.h"

struct conn {
	int fd;
	struct rsp_rx rx;
	struct rsp_buf out;	/* the last packet sent (for '-') */
	bool interrupt;		/* 0x03 seen while running */
	bool closed;
};

static int send_all(struct conn *c, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			c->closed = true;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void send_packet(struct conn *c, const char *payload, size_t n)
{
	rsp_buf_reset(&c->out);
	rsp_frame(&c->out, payload, n, true);
	if (c->out.oom) {
		rsp_buf_reset(&c->out);
		rsp_frame(&c->out, "E0c", 3, false);
	}
	send_all(c, c->out.data, c->out.len);
}

/* Monitor output in O packets ("O" + hex), at most 1 KiB of text each. */
static void send_console(struct conn *c, struct rsp_buf *con)
{
	struct rsp_buf pkt = {0};

	for (size_t off = 0; off < con->len; off += 1024) {
		size_t n = con->len - off < 1024 ? con->len - off : 1024;
		rsp_buf_reset(&pkt);
		rsp_buf_puts(&pkt, "O");
		rsp_buf_hex(&pkt, con->data + off, n);
		send_packet(c, pkt.data, pkt.len);
	}
	rsp_buf_free(&pkt);
	rsp_buf_reset(con);
}

/* Bytes that arrived while the guest ran: only Ctrl-C means anything. */
static bool poll_interrupt(void *arg)
{
	struct conn *c = arg;
	struct pollfd p = {.fd = c->fd, .events = POLLIN};
	uint8_t buf[256];

	while (!c->interrupt && !c->closed && poll(&p, 1, 0) > 0) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0) {
			c->closed = true;
			break;
		}
		for (ssize_t i = 0; i < n; i++)
			if (rsp_rx_byte(&c->rx, buf[i]) == RSP_EV_INTERRUPT)
				c->interrupt = true;
	}
	return c->interrupt || c->closed;
}

static int listen_on(int port, int *bound)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	*bound = ntohs(a.sin_port);
	return fd;
}

/* Serve packets until gdb goes away; returns what it asked for. */
static enum gdb_action session(struct gdb_stub *s, struct conn *c)
{
	uint8_t buf[4096];

	while (!c->closed) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n && !c->closed; i++) {
			int ev = rsp_rx_byte(&c->rx, buf[i]);
			enum gdb_action act;

			switch (ev) {
			case RSP_EV_NAK:
				if (!s->noack && c->out.len)
					send_all(c, c->out.data, c->out.len);
				continue;
			case RSP_EV_BAD_CHECKSUM:
				if (!s->noack)
					send_all(c, "-", 1);
				continue;
			case RSP_EV_OVERFLOW:
				if (!s->noack)
					send_all(c, "+", 1);
				send_packet(c, "E01", 3);
				continue;
			case RSP_EV_PACKET:
				break;
			default:
				continue; /* acks; Ctrl-C while stopped */
			}
			if (!s->noack)
				send_all(c, "+", 1);
			act = gdbstub_handle(s, c->rx.pkt, c->rx.len);
			if (s->console.len)
				send_console(c, &s->console);
			switch (act) {
			case GDB_REPLY:
				send_packet(c, s->reply.data ? s->reply.data : "",
					    s->reply.len);
				break;
			case GDB_RESUME:
				c->interrupt = false;
				gdbstub_run(s);
				if (s->took_over) {
					/* We are a checkpoint that became the
					 * stub: what we knew of the connection
					 * is old. */
					s->took_over = false;
					rsp_rx_init(&c->rx);
					rsp_buf_reset(&c->out);
					c->interrupt = false;
					i = n; /* bytes read before the fork */
				}
				if (!c->closed)
					send_packet(c, s->reply.data,
						    s->reply.len);
				break;
			case GDB_DETACH:
				send_packet(c, s->reply.data, s->reply.len);
				return GDB_DETACH;
			case GDB_KILL:
				if (s->reply.len)
					send_packet(c, s->reply.data,
						    s->reply.len);
				return GDB_KILL;
			}
		}
	}
	return GDB_DETACH; /* gdb went away */
}

static void kill_all(struct kernel *k)
{
	struct task *t;

	for (bool found = true; found;) {
		found = false;
		list_for_each_entry(t, &k->tasks, tasks) {
			if (t->state == TASK_ZOMBIE)
				continue;
			struct task *cur = k->current;
			k->current = t;
			task_exit(k, t, 0, 9);
			k->current = cur == t ? NULL : cur;
			found = true;
			break;
		}
	}
}

/*
 * Listen on @port, serve one gdb session on @s (initialised here), close.
 * Returns what gdb last asked for (GDB_DETACH when it just went away), or
 * -errno when the socket could not be set up.
 */
static int serve_session(struct kernel *k, int port, uint64_t reverse_interval,
			 struct gdb_stub *s)
{
	struct conn c = {.fd = -1};
	int bound = 0, lfd = listen_on(port, &bound);
	enum gdb_action how;

	if (lfd < 0)
		return lfd;
	fprintf(stderr, "mmulab: gdb: listening on 127.0.0.1:%d\n", bound);
	fflush(stderr);
	do
		c.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (c.fd < 0 && errno == EINTR && !(k->cfg.stop && *k->cfg.stop));
	if (c.fd < 0) {
		int e = -errno;
		close(lfd);
		return e;
	}
	close(lfd);
	int one = 1;
	setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	rsp_rx_init(&c.rx);
	gdbstub_init(s, k, k->init ? k->init->pid : 1);
	s->interrupted = poll_interrupt;
	s->interrupted_arg = &c;
	if (reverse_interval) {
		int e = rev_start(s, c.fd, reverse_interval);
		if (e < 0)
			fprintf(stderr, "mmulab: gdb: no reverse execution: %s\n",
				strerror(-e));
	}
	how = session(s, &c);
	gdbstub_release(s);
	gdbstub_untrace(s);
	s->interrupted = NULL;
	close(c.fd);
	rsp_buf_free(&c.out);
	return how;
}

/* Kill every process and run the machine to its end. */
static void finish_killed(struct kernel *k)
{
	kernel_step(k, 0, 0); /* a trap left pending is handled first */
	kill_all(k);
	while (kernel_step(k, UINT64_MAX, 0) != KSTOP_DONE)
		;
}

int gdbstub_serve(struct kernel *k, int port, enum gdb_detach on_detach,
		  uint64_t reverse_interval)
{
	struct gdb_stub s;
	int how = serve_session(k, port, reverse_interval, &s);

	if (how < 0)
		return how;
	if (how == GDB_KILL || on_detach == GDB_DETACH_KILL) {
		rev_finish(&s, false);
		finish_killed(k);
		gdbstub_free(&s);
		return k->init_status;
	}
	int status = rev_finish(&s, true);
	gdbstub_free(&s);
	return status;
}

int gdbstub_attach(struct kernel *k, int port, enum gdb_detach on_detach)
{
	struct gdb_stub s;
	int how;

	if (k->done)
		return -ESRCH;
	how = serve_session(k, port, 0, &s);
	if (how < 0)
		return how;
	if (how == GDB_KILL || on_detach == GDB_DETACH_KILL)
		finish_killed(k);
	gdbstub_free(&s);
	return 0;
}
