/*
 * The GDB remote serial protocol's packet layer: framing, checksums,
 * acknowledgements, binary escapes, run-length encoding and hex.  It knows
 * nothing of commands, sockets or the machine, so it can be fed any bytes
 * (unit tests, tests/fuzz/fuzz_rsp.c).
 *
 * On the wire a packet is
 *
 *	$ payload # c1 c2
 *
 * where c1 c2 are the two hex digits of the modulo-256 sum of the payload
 * bytes as sent.  Inside a payload '}' escapes the next byte, which is
 * XORed with 0x20 ('$', '#', '}' and '*' are always escaped that way in
 * binary data), and "X*n" repeats X (n - 29) more times (run-length
 * encoding; only in replies).  Example: "0* " is "0" followed by
 * ' ' - 29 = 3 more zeros: "0000".  Outside packets the receiver sees
 * '+' / '-' (ack / resend) and the interrupt byte 0x03 (Ctrl-C).
 */
#ifndef MMULAB_GDB_RSP_H
#define MMULAB_GDB_RSP_H

#include <stddef.h>

#include "types.h"

#define RSP_MAX_PACKET 0x4000	/* PacketSize we announce (bytes of payload) */
#define RSP_INTERRUPT 0x03

/* What rsp_rx_feed() found. */
enum rsp_event {
	RSP_EV_PACKET,		/* a packet with a good checksum: rx->pkt */
	RSP_EV_BAD_CHECKSUM,	/* a packet whose checksum is wrong */
	RSP_EV_OVERFLOW,	/* a packet longer than RSP_MAX_PACKET */
	RSP_EV_INTERRUPT,	/* 0x03 outside a packet */
	RSP_EV_ACK,		/* '+' */
	RSP_EV_NAK,		/* '-': resend the last packet */
};

enum rsp_rx_state { RX_IDLE, RX_DATA, RX_CSUM1, RX_CSUM2 };

/* The receiver: one incremental parser per connection. */
struct rsp_rx {
	enum rsp_rx_state state;
	char pkt[RSP_MAX_PACKET + 1]; /* payload as sent (escapes kept), NUL */
	size_t len;
	unsigned sum;		/* running checksum of the payload */
	unsigned csum;		/* the checksum received */
	bool overflow;		/* payload was cut: report, do not run */
};

void rsp_rx_init(struct rsp_rx *rx);

/*
 * Feed one byte.  Returns -1 when the byte completes nothing, else the
 * enum rsp_event it completes (for RSP_EV_PACKET the payload is rx->pkt,
 * rx->len bytes, NUL-terminated, valid until the next call).  Bytes
 * outside a packet other than '+', '-', 0x03 and '$' are ignored, as gdb
 * does.
 */
int rsp_rx_byte(struct rsp_rx *rx, uint8_t c);

/* A growable output buffer (replies, packets). */
struct rsp_buf {
	char *data;
	size_t len, cap;
	bool oom;		/* an allocation failed: contents are cut */
};

void rsp_buf_reset(struct rsp_buf *b);
void rsp_buf_free(struct rsp_buf *b);
void rsp_buf_put(struct rsp_buf *b, const void *p, size_t n);
void rsp_buf_puts(struct rsp_buf *b, const char *s);
void rsp_buf_printf(struct rsp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append @n bytes as 2n lowercase hex digits. */
void rsp_buf_hex(struct rsp_buf *b, const void *p, size_t n);

/*
 * Frame @payload (n bytes, any values) as "$...#cs" into @out: '$', '#',
 * '}' and '*' are escaped; with @rle, runs of 4 or more equal bytes are
 * run-length encoded (never producing '$', '#' or a byte above '~').
 */
void rsp_frame(struct rsp_buf *out, const char *payload, size_t n, bool rle);

/* Checksum of @n bytes (what follows '#'). */
unsigned rsp_checksum(const char *p, size_t n);

/*
 * Undo binary escapes in place ("}\x03" -> '#'); returns the new length,
 * or -1 for a '}' with nothing after it.
 */
long rsp_unescape(char *p, size_t n);

/* Expand run-length encoding of @in into @out (at most @cap bytes).
 * Returns the length, or -1 on a malformed run or overflow. */
long rsp_rle_decode(const char *in, size_t n, char *out, size_t cap);

/* Value of hex digit @c, or -1. */
int rsp_hexval(int c);
/* Decode 2n hex digits of @hex into @n bytes; -1 on a bad digit. */
int rsp_hex_decode(const char *hex, size_t n, void *out);
/*
 * Parse a hex number at *@s (1..16 digits) into *@v and advance *@s.
 * Returns 0, or -1 when there is no digit or too many.
 */
int rsp_parse_hex(const char **s, uint64_t *v);

#endif
