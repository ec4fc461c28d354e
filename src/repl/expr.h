/*
 * The REPL's expression evaluator: C-like integer and floating-point
 * expressions over counters, registers, symbols and guest memory, for
 * `expect`, `print`, `x`, `break` and `set`.
 *
 *   expect vmstat.pgmajfault > 0 && tlb.d.miss_rate < 0.05
 *   expect $a0 == 3
 *   expect *(int*)0x1000 == 7        expect mem32[buf + 4] == 0x2a
 *   x/4x main+8                      break parse+0x10
 *
 * Operators by falling precedence: unary - + ! ~ * (deref) (TYPE) casts;
 * * / %; + -; << >>; < <= > >=; == !=; &; ^; |; &&; ||.  Numbers are
 * decimal, 0x hex, 0b binary, 0 octal, or decimal floats ("0.05", "1e3").
 * Names are resolved by the caller: "$reg", dotted counter names, symbols.
 * Memory comes from the caller too, so evaluation never touches the guest
 * itself and never changes it.
 *
 * The parser is recursive descent with a depth limit; nothing typed can
 * make it crash or loop (it has a libFuzzer target).
 */
#ifndef MMULAB_REPL_EXPR_H
#define MMULAB_REPL_EXPR_H

#include <stddef.h>

#include "types.h"

struct expr_val {
	bool flt;	/* a double (counter ratios, rates) */
	int64_t i;	/* when !flt */
	double f;	/* when flt */
};

struct expr_ops {
	/*
	 * Resolve @name ("$a0", "vmstat.pgfault", "main", "exit"): 0 and
	 * *out, or -1 with a one-line reason in @err (@errlen bytes).
	 */
	int (*lookup)(void *arg, const char *name, struct expr_val *out,
		      char *err, size_t errlen);
	/*
	 * Read @size (1, 2 or 4) bytes of guest virtual memory at @addr,
	 * without side effects: 0 and *out (zero-extended), or -1 and @err.
	 * @size 0 asks for the guest physical address @addr maps to
	 * (pa[VA]): *out, or ~0 when no page is present there.
	 */
	int (*read_mem)(void *arg, uint64_t addr, unsigned size, uint64_t *out,
			char *err, size_t errlen);
	void *arg;
};

/* The outermost comparison of an expression, for "(0 > 0)" messages. */
struct expr_cmp {
	bool valid;
	const char *op;		/* "==", "<", ... */
	struct expr_val lhs, rhs;
};

/*
 * Evaluate @text.  Returns 0 with *out (and *cmp when not NULL), or -1
 * with a one-line reason in @err ("unknown name 'foo'", "expected ')' at
 * 'x'", "division by zero").
 */
int expr_eval(const char *text, const struct expr_ops *ops,
	      struct expr_val *out, struct expr_cmp *cmp, char *err,
	      size_t errlen);

/* The value as an integer (doubles truncated) / as a truth value. */
int64_t expr_int(struct expr_val v);
bool expr_true(struct expr_val v);

/* Print @v into @buf: decimal integers, %g doubles.  Returns @buf. */
char *expr_format(struct expr_val v, char *buf, size_t len);

#endif
