/*
 * The RSP packet layer (see rsp.h): a byte-at-a-time receiver, framing
 * with escapes and run-length encoding, and hex helpers.  Every input is
 * bounded: a packet longer than RSP_MAX_PACKET is reported, not stored.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb/rsp.h"

void rsp_rx_init(struct rsp_rx *rx)
{
	rx->state = RX_IDLE;
	rx->len = 0;
	rx->sum = 0;
	rx->csum = 0;
	rx->overflow = false;
	rx->pkt[0] = '\0';
}

int rsp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int rsp_rx_byte(struct rsp_rx *rx, uint8_t c)
{
	int v;

	switch (rx->state) {
	case RX_IDLE:
		if (c == '$') {
			rx->state = RX_DATA;
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
			return -1;
		}
		if (c == '+')
			return RSP_EV_ACK;
		if (c == '-')
			return RSP_EV_NAK;
		if (c == RSP_INTERRUPT)
			return RSP_EV_INTERRUPT;
		return -1;
	case RX_DATA:
		if (c == '#') {
			rx->state = RX_CSUM1;
			return -1;
		}
		if (c == '$') {
			/* A new packet inside one: gdb gave up on the old. */
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
			return -1;
		}
		rx->sum = (rx->sum + c) & 0xff;
		if (rx->len < RSP_MAX_PACKET)
			rx->pkt[rx->len++] = (char)c;
		else
			rx->overflow = true;
		return -1;
	case RX_CSUM1:
		v = rsp_hexval(c);
		rx->csum = v < 0 ? 0x100 : (unsigned)v << 4;
		rx->state = RX_CSUM2;
		return -1;
	case RX_CSUM2:
		v = rsp_hexval(c);
		rx->state = RX_IDLE;
		rx->pkt[rx->len] = '\0';
		if (v < 0 || rx->csum > 0xff || (rx->csum | (unsigned)v) != rx->sum)
			return RSP_EV_BAD_CHECKSUM;
		return rx->overflow ? RSP_EV_OVERFLOW : RSP_EV_PACKET;
	}
	return -1;
}

/* ---- output buffers ------------------------------------------------------ */

static bool buf_grow(struct rsp_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		b->oom = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void rsp_buf_reset(struct rsp_buf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->data)
		b->data[0] = '\0';
}

void rsp_buf_free(struct rsp_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void rsp_buf_put(struct rsp_buf *b, const void *p, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rsp_buf_puts(struct rsp_buf *b, const char *s)
{
	rsp_buf_put(b, s, strlen(s));
}

void rsp_buf_printf(struct rsp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void rsp_buf_hex(struct rsp_buf *b, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *s = p;

	if (!buf_grow(b, 2 * n))
		return;
	for (size_t i = 0; i < n; i++) {
		b->data[b->len++] = digits[s[i] >> 4];
		b->data[b->len++] = digits[s[i] & 15];
	}
	b->data[b->len] = '\0';
}

/* ---- framing ----------------------------------------------------------------- */

unsigned rsp_checksum(const char *p, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (uint8_t)p[i];
	return sum & 0xff;
}

static bool needs_escape(uint8_t c)
{
	return c == '$' || c == '#' || c == '}' || c == '*';
}

/*
 * The longest run we may encode after the first byte: the count byte is
 * n + 29, printable, at most '~' (n <= 97), never '#' (n = 6) or '$'
 * (n = 7) -- those runs are cut to 5.
 */
static size_t rle_extra(size_t run)
{
	size_t n = run - 1;

	if (n > 97)
		n = 97;
	if (n == 6 || n == 7)
		n = 5;
	return n;
}

void rsp_frame(struct rsp_buf *out, const char *payload, size_t n, bool rle)
{
	size_t start;
	char tail[4];

	rsp_buf_put(out, "$", 1);
	start = out->len;
	for (size_t i = 0; i < n;) {
		uint8_t c = (uint8_t)payload[i];
		size_t run = 1;

		if (needs_escape(c)) {
			char esc[2] = {'}', (char)(c ^ 0x20)};
			rsp_buf_put(out, esc, 2);
			i++;
			continue;
		}
		while (i + run < n && (uint8_t)payload[i + run] == c)
			run++;
		if (rle && run >= 4) {
			size_t extra = rle_extra(run);
			char enc[3] = {(char)c, '*', (char)(extra + 29)};
			rsp_buf_put(out, enc, 3);
			i += extra + 1;
			continue;
		}
		rsp_buf_put(out, &payload[i], 1);
		i++;
	}
	if (out->oom)
		return;
	snprintf(tail, sizeof(tail), "#%02x",
		 rsp_checksum(out->data + start, out->len - start));
	rsp_buf_put(out, tail, 3);
}

long rsp_unescape(char *p, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '}') {
			if (++i == n)
				return -1;
			p[j++] = (char)(p[i] ^ 0x20);
		} else {
			p[j++] = p[i];
		}
	}
	return (long)j;
}

long rsp_rle_decode(const char *in, size_t n, char *out, size_t cap)
{
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] == '*') {
			if (!j || i + 1 == n)
				return -1;
			int c = (uint8_t)in[++i];
			if (c < 29 + 3 || c > '~' || c == '#' || c == '$')
				return -1;
			size_t extra = (size_t)(c - 29);
			if (j + extra > cap)
				return -1;
			memset(out + j, out[j - 1], extra);
			j += extra;
			continue;
		}
		if (j == cap)
			return -1;
		out[j++] = in[i];
	}
	return (long)j;
}

/* ---- hex ----------------------------------------------------------------------- */

int rsp_hex_decode(const char *hex, size_t n, void *out)
{
	uint8_t *o = out;

	for (size_t i = 0; i < n; i++) {
		int hi = rsp_hexval((uint8_t)hex[2 * i]);
		int lo = hi < 0 ? -1 : rsp_hexval((uint8_t)hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		o[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int rsp_parse_hex(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int n = 0;

	for (int d; (d = rsp_hexval((uint8_t)*p)) >= 0; p++, n++) {
		if (n == 16)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	if (!n)
		return -1;
	*v = x;
	*s = p;
	return 0;
}
