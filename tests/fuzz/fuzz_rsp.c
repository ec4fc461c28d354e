/*
 * fuzz_rsp: the GDB stub without a socket -- bytes into the packet layer
 * (src/gdb/rsp.c), packets into the command layer (src/gdb/gdbstub.c),
 * on a booted kernel whose pid 1 loops on ecall (fuzz_kernel.h).
 *
 *	u8 mode
 *	mode even: the rest is wire bytes, fed to the receiver as they are
 *		   (bad checksums, escapes, Ctrl-C, noise)
 *	mode odd:  the rest is payloads separated by '\n', each framed with
 *		   a correct checksum first (so commands are reached without
 *		   the fuzzer having to solve checksums)
 *
 * Every packet is handled; a resume runs at most a few hundred
 * instructions (the interrupt poll always says "Ctrl-C").  Each reply is
 * framed with run-length encoding, parsed back and decoded, and must come
 * back byte for byte.  'k' and 'D' end the input.
 *
 * About 200 inputs a second (each boots a kernel); 90 s from the seeds
 * in corpus/fuzz_rsp found nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_kernel.h"
#include "gdb/gdbstub.h"

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_rsp: %s:%d: %s\n", __FILE__,   \
				__LINE__, #cond);                            \
			abort();                                             \
		}                                                            \
	} while (0)

static bool always(void *arg)
{
	(void)arg;
	return true;
}

/* Frame @reply, parse it back, undo RLE and escapes: the same bytes. */
static void round_trip(const struct rsp_buf *reply)
{
	static struct rsp_rx rx;
	static char back[2 * RSP_MAX_PACKET];
	struct rsp_buf out = {0};
	int ev = -1;

	rsp_frame(&out, reply->data ? reply->data : "", reply->len, true);
	CHECK(!out.oom);
	rsp_rx_init(&rx);
	for (size_t i = 0; i < out.len; i++) {
		int e = rsp_rx_byte(&rx, (uint8_t)out.data[i]);
		if (e >= 0)
			ev = e;
	}
	if (reply->len <= RSP_MAX_PACKET) {
		CHECK(ev == RSP_EV_PACKET);
		long n = rsp_rle_decode(rx.pkt, rx.len, back, sizeof(back));
		CHECK(n >= 0);
		n = rsp_unescape(back, (size_t)n);
		CHECK(n == (long)reply->len);
		CHECK(!memcmp(back, reply->data ? reply->data : "", reply->len));
	}
	rsp_buf_free(&out);
}

/* Returns false when the stub was told to go away. */
static bool packet(struct gdb_stub *s, char *pkt, size_t len)
{
	enum gdb_action a = gdbstub_handle(s, pkt, len);

	if (a == GDB_RESUME)
		gdbstub_run(s);
	CHECK(s->reply.len == 0 || s->reply.data[s->reply.len] == '\0');
	CHECK(s->reply.len <= 2 * RSP_MAX_PACKET);
	round_trip(&s->reply);
	rsp_buf_reset(&s->console);
	return a != GDB_KILL && a != GDB_DETACH;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rsp_rx rx;
	struct fz f = {data, size};
	struct kernel *k;
	struct gdb_stub s;
	uint8_t mode = fz_u8(&f);

	if (f.n > 8192)
		return 0;
	k = fk_boot();
	gdbstub_init(&s, k, 1);
	s.interrupted = always;
	s.chunk = 200;
	rsp_rx_init(&rx);
	if (mode & 1) {
		struct rsp_buf wire = {0};
		const uint8_t *p = f.p, *end = f.p + f.n;
		while (p < end) {
			const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = (size_t)((nl ? nl : end) - p);
			rsp_buf_reset(&wire);
			rsp_frame(&wire, (const char *)p, n, false);
			bool more = true;
			for (size_t i = 0; i < wire.len && more; i++)
				if (rsp_rx_byte(&rx, (uint8_t)wire.data[i]) ==
				    RSP_EV_PACKET)
					more = packet(&s, rx.pkt, rx.len);
			if (!more)
				break;
			p += n + 1;
		}
		rsp_buf_free(&wire);
	} else {
		for (size_t i = 0; i < f.n; i++)
			if (rsp_rx_byte(&rx, f.p[i]) == RSP_EV_PACKET &&
			    !packet(&s, rx.pkt, rx.len))
				break;
	}
	gdbstub_free(&s);
	fk_shutdown(k);
	return 0;
}
