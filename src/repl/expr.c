/*
 * Recursive-descent evaluator for the REPL (see expr.h).  Every level
 * returns a value and checks p->failed after each call: the first error
 * wins and everything after it unwinds without doing work.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl/expr.h"

#define EXPR_MAX_DEPTH 64

struct parser {
	const char *s;		/* next character */
	const struct expr_ops *ops;
	int depth;
	bool failed;
	char *err;
	size_t errlen;
	struct expr_cmp *cmp;
};

static const struct expr_val zero;

static struct expr_val fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct expr_val fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	p->failed = true;
	return zero;
}

static void skip_space(struct parser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

/* Consume @tok when it comes next (after blanks). */
static bool accept(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);

	skip_space(p);
	if (strncmp(p->s, tok, n))
		return false;
	/* "<" must not eat the start of "<<" or "<=", "&" of "&&"... */
	if (n == 1) {
		char c = tok[0], d = p->s[1];
		if (((c == '<' || c == '>') && (d == '=' || d == c)) ||
		    ((c == '&' || c == '|') && d == c) ||
		    (c == '!' && d == '='))
			return false;
	}
	if (n == 2 && (!strcmp(tok, "<<") || !strcmp(tok, ">>")) &&
	    p->s[2] == '=')
		return false;
	p->s += n;
	return true;
}

/* A short quote of where parsing stands, for messages. */
static const char *here(const struct parser *p)
{
	return *p->s ? p->s : "end of line";
}

int64_t expr_int(struct expr_val v)
{
	if (!v.flt)
		return v.i;
	if (v.f != v.f)	/* NaN */
		return 0;
	if (v.f >= 9.2e18)
		return INT64_MAX;
	if (v.f <= -9.2e18)
		return INT64_MIN;
	return (int64_t)v.f;
}

static double as_double(struct expr_val v)
{
	return v.flt ? v.f : (double)v.i;
}

bool expr_true(struct expr_val v)
{
	return v.flt ? v.f != 0.0 : v.i != 0;
}

static struct expr_val mk_int(int64_t i)
{
	return (struct expr_val){ .i = i };
}

static struct expr_val mk_flt(double f)
{
	return (struct expr_val){ .flt = true, .f = f };
}

char *expr_format(struct expr_val v, char *buf, size_t len)
{
	if (v.flt)
		snprintf(buf, len, "%g", v.f);
	else
		snprintf(buf, len, "%lld", (long long)v.i);
	return buf;
}

static struct expr_val parse_expr(struct parser *p);
static struct expr_val parse_unary(struct parser *p);

/* ---- primaries ---------------------------------------------------------- */

static struct expr_val parse_number(struct parser *p)
{
	const char *start = p->s;
	char *end;

	/* A float if a '.' or an exponent follows the digits (not in hex). */
	if (!(start[0] == '0' && (start[1] == 'x' || start[1] == 'X'))) {
		size_t n = strspn(start, "0123456789");
		if (start[n] == '.' || start[n] == 'e' || start[n] == 'E') {
			errno = 0;
			double d = strtod(start, &end);
			if (end != start && !isalnum((unsigned char)*end) &&
			    *end != '.') {
				p->s = end;
				return mk_flt(d);
			}
		}
	}
	errno = 0;
	unsigned long long v;
	if (start[0] == '0' && (start[1] == 'b' || start[1] == 'B'))
		v = strtoull(start + 2, &end, 2);
	else
		v = strtoull(start, &end, 0);
	if (errno == ERANGE)
		return fail(p, "number too large at '%.20s'", start);
	if (isalnum((unsigned char)*end) || *end == '_' || end == start)
		return fail(p, "bad number at '%.20s'", start);
	p->s = end;
	return mk_int((int64_t)v);
}

static bool name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || c == '$' ||
	       (!first && (isdigit((unsigned char)c) || c == '.'));
}

/* A C type name for casts: returns its size (1, 2, 4, 8) and signedness,
 * or 0 when @word is not a type. */
static unsigned type_size(const char *word, bool *is_signed)
{
	static const struct {
		const char *name;
		unsigned size;
		bool sign;
	} types[] = {
		{"char", 1, true},	   {"short", 2, true},
		{"int", 4, true},	   {"long", 4, true},
		{"int8_t", 1, true},	   {"int16_t", 2, true},
		{"int32_t", 4, true},	   {"int64_t", 8, true},
		{"uint8_t", 1, false},	   {"uint16_t", 2, false},
		{"uint32_t", 4, false},	   {"uint64_t", 8, false},
		{"u8", 1, false},	   {"u16", 2, false},
		{"u32", 4, false},	   {"u64", 8, false},
		{"s8", 1, true},	   {"s16", 2, true},
		{"s32", 4, true},	   {"s64", 8, true},
		{"unsigned", 4, false},	   {"signed", 4, true},
		{"void", 1, false},
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(word, types[i].name)) {
			*is_signed = types[i].sign;
			return types[i].size;
		}
	return 0;
}

struct ctype {
	unsigned size;		/* of the value, or of what the pointer
				 * points to */
	bool sign;
	bool pointer;
};

/* The "[EXPR]" after mem8..mem64 or pa, at its '[': EXPR (p->failed set
 * when it does not parse or lacks its ']'). */
static struct expr_val bracket_arg(struct parser *p)
{
	struct expr_val a;

	p->s++;
	a = parse_expr(p);
	if (!p->failed && !accept(p, "]"))
		return fail(p, "expected ']' at '%.20s'", here(p));
	return a;
}

/*
 * After '(' : try to read "TYPE [*])".  On success consumes it and returns
 * true; otherwise leaves p->s alone.
 */
static bool parse_cast(struct parser *p, struct ctype *t)
{
	const char *save = p->s;
	char word[16];
	bool sign = true, any = false, explicit_sign = false;
	unsigned size = 0;

	for (;;) {
		skip_space(p);
		size_t n = 0;
		while (isalnum((unsigned char)p->s[n]) || p->s[n] == '_')
			n++;
		if (!n || n >= sizeof(word))
			break;
		memcpy(word, p->s, n);
		word[n] = '\0';
		bool s;
		unsigned sz = type_size(word, &s);
		if (!sz)
			break;
		p->s += n;
		any = true;
		if (!strcmp(word, "unsigned") || !strcmp(word, "signed")) {
			sign = s;
			explicit_sign = true;
			if (!size)
				size = 4;
		} else {
			size = sz;
			if (!explicit_sign)
				sign = s;
		}
	}
	if (!any) {
		p->s = save;
		return false;
	}
	t->pointer = accept(p, "*");
	if (!accept(p, ")")) {
		p->s = save;
		return false;
	}
	t->size = size;
	t->sign = sign;
	return true;
}

static struct expr_val convert(struct expr_val v, unsigned size, bool sign)
{
	uint64_t u = (uint64_t)expr_int(v);

	switch (size) {
	case 1:
		return mk_int(sign ? (int64_t)(int8_t)u : (int64_t)(uint8_t)u);
	case 2:
		return mk_int(sign ? (int64_t)(int16_t)u : (int64_t)(uint16_t)u);
	case 4:
		return mk_int(sign ? (int64_t)(int32_t)u : (int64_t)(uint32_t)u);
	default:
		return mk_int((int64_t)u);
	}
}

static struct expr_val deref(struct parser *p, struct expr_val addr,
			     unsigned size, bool sign)
{
	char msg[128] = "";
	uint64_t lo, hi = 0;

	if (p->failed)
		return zero;
	if (!p->ops || !p->ops->read_mem)
		return fail(p, "no memory to read here");
	uint64_t a = (uint64_t)expr_int(addr);
	if (a > 0xffffffffull)
		return fail(p, "address 0x%llx is beyond 32 bits",
			    (unsigned long long)a);
	if (size == 8) {
		if (p->ops->read_mem(p->ops->arg, a, 4, &lo, msg, sizeof(msg)) ||
		    p->ops->read_mem(p->ops->arg, a + 4, 4, &hi, msg,
				     sizeof(msg)))
			return fail(p, "%s", msg[0] ? msg : "cannot read memory");
		return mk_int((int64_t)(lo | hi << 32));
	}
	if (p->ops->read_mem(p->ops->arg, a, size, &lo, msg, sizeof(msg)))
		return fail(p, "%s", msg[0] ? msg : "cannot read memory");
	return convert(mk_int((int64_t)lo), size, sign);
}

static struct expr_val parse_name(struct parser *p)
{
	char name[128];
	size_t n = 0;

	while (name_char(p->s[n], n == 0))
		n++;
	if (n >= sizeof(name))
		return fail(p, "name too long at '%.20s'", p->s);
	memcpy(name, p->s, n);
	name[n] = '\0';
	p->s += n;

	/* mem8[], mem16[], mem32[], mem64[]: raw memory by address. */
	if (!strncmp(name, "mem", 3)) {
		skip_space(p);
		unsigned size = !strcmp(name, "mem8")    ? 1
				: !strcmp(name, "mem16") ? 2
				: !strcmp(name, "mem32") ? 4
				: !strcmp(name, "mem64") ? 8
							 : 0;
		if (size && *p->s == '[') {
			struct expr_val a = bracket_arg(p);

			if (p->failed)
				return zero;
			return deref(p, a, size, false);
		}
	}
	/* pa[VA]: the physical address VA maps to now, -1 if none. */
	if (!strcmp(name, "pa")) {
		skip_space(p);
		if (*p->s == '[') {
			char msg[128] = "";
			uint64_t pa;

			struct expr_val a = bracket_arg(p);

			if (p->failed)
				return zero;
			if (!p->ops || !p->ops->read_mem)
				return fail(p, "no memory to translate here");
			if ((uint64_t)expr_int(a) > 0xffffffffull)
				return fail(p, "address beyond 32 bits");
			if (p->ops->read_mem(p->ops->arg,
					     (uint64_t)expr_int(a), 0, &pa,
					     msg, sizeof(msg)))
				return fail(p, "%s", msg[0] ? msg :
					    "cannot translate");
			return mk_int(pa == ~0ull ? -1 : (int64_t)pa);
		}
	}
	if (!p->ops || !p->ops->lookup)
		return fail(p, "unknown name '%s'", name);
	char msg[160] = "";
	struct expr_val v;
	if (p->ops->lookup(p->ops->arg, name, &v, msg, sizeof(msg)) < 0)
		return fail(p, "%s", msg[0] ? msg : "unknown name");
	return v;
}

static struct expr_val parse_primary(struct parser *p)
{
	skip_space(p);
	if (isdigit((unsigned char)*p->s) ||
	    (*p->s == '.' && isdigit((unsigned char)p->s[1])))
		return parse_number(p);
	if (name_char(*p->s, true))
		return parse_name(p);
	if (accept(p, "(")) {
		struct expr_val v = parse_expr(p);
		if (p->failed)
			return zero;
		if (!accept(p, ")"))
			return fail(p, "expected ')' at '%.20s'", here(p));
		return v;
	}
	if (*p->s == '\'' && p->s[1] && p->s[1] != '\'' && p->s[2] == '\'') {
		int64_t c = (unsigned char)p->s[1];
		p->s += 3;
		return mk_int(c);
	}
	if (!*p->s)
		return fail(p, "expression ends too early");
	return fail(p, "unexpected '%.20s'", p->s);
}

/* ---- operators ----------------------------------------------------------- */

static struct expr_val parse_unary(struct parser *p)
{
	struct expr_val v;

	if (p->failed)
		return zero;
	if (++p->depth > EXPR_MAX_DEPTH) {
		p->depth--;
		return fail(p, "expression nested too deeply");
	}
	skip_space(p);
	if (accept(p, "-")) {
		v = parse_unary(p);
		v = v.flt ? mk_flt(-v.f) : mk_int((int64_t)(0 - (uint64_t)v.i));
	} else if (accept(p, "+")) {
		v = parse_unary(p);
	} else if (accept(p, "!")) {
		v = mk_int(!expr_true(parse_unary(p)));
	} else if (accept(p, "~")) {
		v = mk_int(~expr_int(parse_unary(p)));
	} else if (accept(p, "*")) {
		/* *(T*)expr reads a T; *expr a 32-bit word. */
		struct ctype t = { .size = 4, .sign = true };
		const char *save = p->s;
		skip_space(p);
		if (*p->s == '(') {
			p->s++;
			if (!parse_cast(p, &t) || !t.pointer) {
				p->s = save;
				t = (struct ctype){ .size = 4, .sign = true };
			}
		}
		v = parse_unary(p);
		v = deref(p, v, t.size, t.sign);
	} else if (*p->s == '(') {
		struct ctype t;
		const char *save = p->s;
		p->s++;
		if (parse_cast(p, &t)) {
			v = parse_unary(p);
			if (!t.pointer)
				v = convert(v, t.size, t.sign);
			/* a pointer cast alone keeps the address */
		} else {
			p->s = save;
			v = parse_primary(p);
		}
	} else {
		v = parse_primary(p);
	}
	p->depth--;
	return p->failed ? zero : v;
}

static struct expr_val arith(struct parser *p, char op, struct expr_val a,
			     struct expr_val b)
{
	if (p->failed)
		return zero;
	if (a.flt || b.flt) {
		double x = as_double(a), y = as_double(b);
		switch (op) {
		case '+': return mk_flt(x + y);
		case '-': return mk_flt(x - y);
		case '*': return mk_flt(x * y);
		case '/':
			if (y == 0.0)
				return fail(p, "division by zero");
			return mk_flt(x / y);
		case '%':
			if (y == 0.0)
				return fail(p, "division by zero");
			/* fmod without libm: exact enough for counters */
			if (x / y > -9e18 && x / y < 9e18)
				return mk_flt(x - y * (double)(int64_t)(x / y));
			return mk_flt(0.0);
		}
		return zero;
	}
	/* Wrap like the guest's unsigned arithmetic instead of overflowing. */
	uint64_t x = (uint64_t)a.i, y = (uint64_t)b.i;
	switch (op) {
	case '+': return mk_int((int64_t)(x + y));
	case '-': return mk_int((int64_t)(x - y));
	case '*': return mk_int((int64_t)(x * y));
	case '/':
	case '%':
		if (!b.i)
			return fail(p, "division by zero");
		if (a.i == INT64_MIN && b.i == -1)
			return mk_int(op == '/' ? INT64_MIN : 0);
		return mk_int(op == '/' ? a.i / b.i : a.i % b.i);
	}
	return zero;
}

static struct expr_val parse_mul(struct parser *p)
{
	struct expr_val v = parse_unary(p);

	while (!p->failed) {
		char op;
		skip_space(p);
		if (*p->s == '*' || *p->s == '/' || *p->s == '%')
			op = *p->s++;
		else
			break;
		v = arith(p, op, v, parse_unary(p));
	}
	return v;
}

static struct expr_val parse_add(struct parser *p)
{
	struct expr_val v = parse_mul(p);

	while (!p->failed) {
		char op;
		skip_space(p);
		if (*p->s == '+' || *p->s == '-')
			op = *p->s++;
		else
			break;
		v = arith(p, op, v, parse_mul(p));
	}
	return v;
}

static struct expr_val parse_shift(struct parser *p)
{
	struct expr_val v = parse_add(p);

	while (!p->failed) {
		bool left;
		if (accept(p, "<<"))
			left = true;
		else if (accept(p, ">>"))
			left = false;
		else
			break;
		int64_t n = expr_int(parse_add(p));
		uint64_t x = (uint64_t)expr_int(v);
		if (n < 0 || n > 63)
			v = mk_int(0);
		else
			v = mk_int(left ? (int64_t)(x << n)
					: expr_int(v) >> n);
	}
	return v;
}

static int compare(struct expr_val a, struct expr_val b)
{
	if (a.flt || b.flt) {
		double x = as_double(a), y = as_double(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
}

static struct expr_val record_cmp(struct parser *p, const char *op,
				  struct expr_val a, struct expr_val b,
				  bool result)
{
	if (p->cmp && p->depth == 0 && !p->failed) {
		p->cmp->valid = true;
		p->cmp->op = op;
		p->cmp->lhs = a;
		p->cmp->rhs = b;
	}
	return mk_int(result);
}

static struct expr_val parse_rel(struct parser *p)
{
	struct expr_val v = parse_shift(p);

	while (!p->failed) {
		static const char *const ops[] = { "<=", ">=", "<", ">" };
		const char *op = NULL;
		for (int i = 0; i < 4 && !op; i++)
			if (accept(p, ops[i]))
				op = ops[i];
		if (!op)
			break;
		struct expr_val r = parse_shift(p);
		int c = compare(v, r);
		bool res = op[0] == '<' ? (op[1] ? c <= 0 : c < 0)
					: (op[1] ? c >= 0 : c > 0);
		v = record_cmp(p, op, v, r, res);
	}
	return v;
}

static struct expr_val parse_eq(struct parser *p)
{
	struct expr_val v = parse_rel(p);

	while (!p->failed) {
		const char *op;
		if (accept(p, "=="))
			op = "==";
		else if (accept(p, "!="))
			op = "!=";
		else
			break;
		struct expr_val r = parse_rel(p);
		bool eq = compare(v, r) == 0;
		v = record_cmp(p, op, v, r, op[0] == '=' ? eq : !eq);
	}
	return v;
}

static struct expr_val parse_bits(struct parser *p, int level)
{
	static const char *const ops[] = { "|", "^", "&" };

	if (level == 3)
		return parse_eq(p);
	struct expr_val v = parse_bits(p, level + 1);
	while (!p->failed && accept(p, ops[level])) {
		int64_t r = expr_int(parse_bits(p, level + 1));
		int64_t l = expr_int(v);
		v = mk_int(level == 0 ? (l | r) : level == 1 ? (l ^ r) : (l & r));
	}
	return v;
}

static struct expr_val parse_and(struct parser *p)
{
	struct expr_val v = parse_bits(p, 0);

	while (!p->failed && accept(p, "&&")) {
		/* Both sides are evaluated: nothing here has side effects
		 * and errors on the right still deserve a message. */
		struct expr_val r = parse_bits(p, 0);
		v = mk_int(expr_true(v) && expr_true(r));
	}
	return v;
}

static struct expr_val parse_expr(struct parser *p)
{
	struct expr_val v;

	if (++p->depth > EXPR_MAX_DEPTH) {
		p->depth--;
		return fail(p, "expression nested too deeply");
	}
	v = parse_and(p);
	while (!p->failed && accept(p, "||")) {
		struct expr_val r = parse_and(p);
		v = mk_int(expr_true(v) || expr_true(r));
	}
	p->depth--;
	return v;
}

int expr_eval(const char *text, const struct expr_ops *ops,
	      struct expr_val *out, struct expr_cmp *cmp, char *err,
	      size_t errlen)
{
	struct parser p = {
		.s = text, .ops = ops, .err = err, .errlen = errlen,
		.cmp = cmp,
		/* Comparisons are recorded only at the outermost level:
		 * parse_expr counts itself once, so start one below. */
		.depth = -1,
	};

	if (cmp)
		cmp->valid = false;
	if (errlen)
		err[0] = '\0';
	struct expr_val v = parse_expr(&p);
	if (!p.failed) {
		skip_space(&p);
		if (*p.s)
			fail(&p, "unexpected '%.20s' after the expression", p.s);
	}
	if (p.failed) {
		if (cmp)
			cmp->valid = false;
		return -1;
	}
	*out = v;
	return 0;
}
