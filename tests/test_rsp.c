/*
 * The RSP packet layer (src/gdb/rsp.c): framing and checksums both ways,
 * acks and Ctrl-C, binary escapes, run-length encoding, hex, and what
 * malformed input turns into.  Pure functions: no socket, no machine.
 */
#define _GNU_SOURCE 1
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb/rsp.h"

/* Feed @s; return the last event (or -1) and the number of packets. */
static int feed(struct rsp_rx *rx, const char *s, size_t n, int *packets)
{
	int last = -1;

	for (size_t i = 0; i < n; i++) {
		int ev = rsp_rx_byte(rx, (uint8_t)s[i]);
		if (ev >= 0)
			last = ev;
		if (ev == RSP_EV_PACKET && packets)
			(*packets)++;
	}
	return last;
}

Test(rsp, checksum_of_known_packets)
{
	/* From gdb sessions: "$g#67", "$qSupported#37", "$?#3f". */
	cr_assert_eq(rsp_checksum("g", 1), 0x67);
	cr_assert_eq(rsp_checksum("qSupported", 10), 0x37);
	cr_assert_eq(rsp_checksum("?", 1), 0x3f);
	cr_assert_eq(rsp_checksum("", 0), 0);
}

Test(rsp, receives_a_packet)
{
	struct rsp_rx rx;
	int n = 0;

	rsp_rx_init(&rx);
	cr_assert_eq(feed(&rx, "$m10074,4#c9", 12, &n), RSP_EV_PACKET);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(rx.pkt, "m10074,4");
	cr_assert_eq(rx.len, 8);
}

Test(rsp, checksum_digits_either_case)
{
	struct rsp_rx rx;
	char buf[32];

	rsp_rx_init(&rx);
	snprintf(buf, sizeof(buf), "$vCont?#%02X", rsp_checksum("vCont?", 6));
	cr_assert_eq(feed(&rx, buf, strlen(buf), NULL), RSP_EV_PACKET);
}

Test(rsp, bad_checksum_is_reported_not_run)
{
	struct rsp_rx rx;
	int n = 0;

	rsp_rx_init(&rx);
	cr_assert_eq(feed(&rx, "$g#68", 5, &n), RSP_EV_BAD_CHECKSUM);
	cr_assert_eq(n, 0);
	cr_assert_eq(feed(&rx, "$g#zz", 5, &n), RSP_EV_BAD_CHECKSUM);
	/* And the receiver recovers for the next one. */
	cr_assert_eq(feed(&rx, "$g#67", 5, &n), RSP_EV_PACKET);
	cr_assert_eq(n, 1);
}

Test(rsp, acks_interrupt_and_noise)
{
	struct rsp_rx rx;

	rsp_rx_init(&rx);
	cr_assert_eq(rsp_rx_byte(&rx, '+'), RSP_EV_ACK);
	cr_assert_eq(rsp_rx_byte(&rx, '-'), RSP_EV_NAK);
	cr_assert_eq(rsp_rx_byte(&rx, 0x03), RSP_EV_INTERRUPT);
	cr_assert_eq(rsp_rx_byte(&rx, 'x'), -1);
	cr_assert_eq(rsp_rx_byte(&rx, '\n'), -1);
	/* Inside a packet those bytes are data. */
	cr_assert_eq(feed(&rx, "$+-#58", 6, NULL), RSP_EV_PACKET);
	cr_assert_str_eq(rx.pkt, "+-");
}

Test(rsp, dollar_inside_restarts)
{
	struct rsp_rx rx;
	int n = 0;

	rsp_rx_init(&rx);
	cr_assert_eq(feed(&rx, "$garbage$g#67", 13, &n), RSP_EV_PACKET);
	cr_assert_str_eq(rx.pkt, "g");
}

Test(rsp, overlong_packet_is_cut_and_reported)
{
	struct rsp_rx rx;
	size_t n = RSP_MAX_PACKET + 100;
	char *big = malloc(n + 4);
	unsigned sum = 0;

	memset(big, 'a', n);
	for (size_t i = 0; i < n; i++)
		sum += 'a';
	rsp_rx_init(&rx);
	cr_assert_eq(rsp_rx_byte(&rx, '$'), -1);
	cr_assert_eq(feed(&rx, big, n, NULL), -1);
	char tail[4];
	snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
	cr_assert_eq(feed(&rx, tail, 3, NULL), RSP_EV_OVERFLOW);
	cr_assert_eq(rx.len, RSP_MAX_PACKET);
	free(big);
}

Test(rsp, frame_round_trips_through_the_receiver)
{
	struct rsp_buf out = {0};
	struct rsp_rx rx;
	const char payload[] = "T05thread:1;swbreak:;";

	rsp_frame(&out, payload, strlen(payload), false);
	cr_assert_str_eq(out.data, "$T05thread:1;swbreak:;#3b");
	rsp_rx_init(&rx);
	cr_assert_eq(feed(&rx, out.data, out.len, NULL), RSP_EV_PACKET);
	cr_assert_str_eq(rx.pkt, payload);
	rsp_buf_free(&out);
}

Test(rsp, binary_escapes_both_ways)
{
	const char raw[] = {'a', '$', '#', '}', '*', 0, (char)0xff, 'z'};
	struct rsp_buf out = {0};
	struct rsp_rx rx;

	rsp_frame(&out, raw, sizeof(raw), false);
	/* $ # } * each become } and the byte ^ 0x20. */
	cr_assert(memmem(out.data, out.len, "a}\x04}\x03}]}\x0a", 9) != NULL);
	rsp_rx_init(&rx);
	cr_assert_eq(feed(&rx, out.data, out.len, NULL), RSP_EV_PACKET);
	long n = rsp_unescape(rx.pkt, rx.len);
	cr_assert_eq(n, (long)sizeof(raw));
	cr_assert_arr_eq(rx.pkt, raw, sizeof(raw));
	rsp_buf_free(&out);
}

Test(rsp, unescape_rejects_a_trailing_brace)
{
	char p[] = "ab}";

	cr_assert_eq(rsp_unescape(p, 3), -1);
}

Test(rsp, rle_encodes_runs_and_decodes_back)
{
	struct rsp_buf out = {0};
	char zeros[64], back[128];

	memset(zeros, '0', sizeof(zeros));
	rsp_frame(&out, zeros, sizeof(zeros), true);
	/* 64 zeros: '0', then '*' and the count 63 + 29 = 92 ('\\') */
	cr_assert_str_eq(out.data, "$0*\\#b6", "got %s", out.data);
	long n = rsp_rle_decode(out.data + 1, out.len - 4, back, sizeof(back));
	cr_assert_eq(n, 64);
	cr_assert_arr_eq(back, zeros, 64);
	rsp_buf_free(&out);
}

Test(rsp, rle_never_emits_dollar_or_hash)
{
	/* Runs of 7 and 8 would need count bytes '#' (6) and '$' (7). */
	for (size_t run = 1; run <= 300; run++) {
		struct rsp_buf out = {0};
		char *in = malloc(run), *back = malloc(run + 1);
		memset(in, 'f', run);
		rsp_frame(&out, in, run, true);
		const char *body = out.data + 1;
		size_t blen = out.len - 4;
		cr_assert(!memchr(body, '$', blen) && !memchr(body, '#', blen),
			  "run %zu: %s", run, out.data);
		for (size_t i = 0; i < blen; i++)
			cr_assert((uint8_t)body[i] <= '~');
		cr_assert_eq(rsp_rle_decode(body, blen, back, run + 1),
			     (long)run, "run %zu: %s", run, out.data);
		cr_assert_arr_eq(back, in, run);
		free(in);
		free(back);
		rsp_buf_free(&out);
	}
}

Test(rsp, rle_decode_rejects_malformed_runs)
{
	char out[16];

	cr_assert_eq(rsp_rle_decode("*a", 2, out, sizeof(out)), -1);
	cr_assert_eq(rsp_rle_decode("0*", 2, out, sizeof(out)), -1);
	cr_assert_eq(rsp_rle_decode("0*\x10", 3, out, sizeof(out)), -1);
	cr_assert_eq(rsp_rle_decode("0*~", 3, out, sizeof(out)), -1); /* 97 > 16 */
	cr_assert_eq(rsp_rle_decode("0* ", 3, out, sizeof(out)), 4);
}

Test(rsp, hex_helpers)
{
	uint8_t b[4];
	const char *p = "1f,x";
	uint64_t v;
	struct rsp_buf out = {0};

	cr_assert_eq(rsp_hex_decode("deadBEEF", 4, b), 0);
	cr_assert_eq(b[0], 0xde);
	cr_assert_eq(b[3], 0xef);
	cr_assert_eq(rsp_hex_decode("12g4", 2, b), -1);
	cr_assert_eq(rsp_hex_decode("1", 1, b), -1);
	cr_assert_eq(rsp_parse_hex(&p, &v), 0);
	cr_assert_eq(v, 0x1f);
	cr_assert_str_eq(p, ",x");
	p = "xyz";
	cr_assert_eq(rsp_parse_hex(&p, &v), -1);
	p = "11112222333344445";
	cr_assert_eq(rsp_parse_hex(&p, &v), -1, "17 digits overflow");
	rsp_buf_hex(&out, "\x01\xab", 2);
	cr_assert_str_eq(out.data, "01ab");
	rsp_buf_free(&out);
}

Test(rsp, random_bytes_never_break_the_receiver)
{
	struct rsp_rx rx;
	uint64_t x = 88172645463325252ull;

	rsp_rx_init(&rx);
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int ev = rsp_rx_byte(&rx, (uint8_t)x);
		cr_assert(ev >= -1 && ev <= RSP_EV_NAK);
		cr_assert(rx.len <= RSP_MAX_PACKET);
	}
}
