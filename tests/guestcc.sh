#!/bin/sh
# Guest programs are ordinary POSIX C.  A program written as a textbook
# writes it (<sys/mman.h>, <sys/wait.h>, <sys/resource.h> with ru_minflt and
# setrlimit, sysconf(_SC_PAGESIZE), getpagesize) compiles with the guest
# flags and runs; a student's program with warnings still builds (the
# default guest flags have no -Werror); and the project's own programs in
# guest/progs/ have no warning at all (-Werror).  TAP.
[ -n "$GUEST_CC" ] && [ "$GUEST_CC" != no ] && command -v "$GUEST_CC" >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP no guest compiler"; exit 0; }
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
src=$(cd "${top_srcdir:-.}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestcc.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# GUEST_CFLAGS name the runtime's headers as -I$(top_srcdir)/guest/runtime,
# relative to the build directory, where make check runs this.
cc() { $GUEST_CC $GUEST_CFLAGS "$@"; }

case " $GUEST_CFLAGS " in
*" -Werror "*) notok "the default guest flags have no -Werror" "$GUEST_CFLAGS" ;;
*) ok "the default guest flags have no -Werror" ;;
esac

# ---- a student's program with a warning builds -----------------------------
cat >"$tmp/student.c" <<'EOC'
#include <stdio.h>
int main(void)
{
	int unused;
	printf("student\n");
	return 0;
}
EOC
if cc -o "$tmp/student.elf" $GUEST_RT_OBJS "$tmp/student.c" $GUEST_LIBS \
	>"$tmp/student.err" 2>&1 && grep -q "warning" "$tmp/student.err"; then
	ok "a program with a warning builds (the warning is shown)"
else
	notok "a program with a warning builds" "$(head -3 "$tmp/student.err")"
fi

# ---- a textbook program: only POSIX headers ---------------------------------
cat >"$tmp/book.c" <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct rusage ru0, ru1;
	struct rlimit rl = { 8, 8 };
	int status;
	char *p = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || pg != getpagesize())
		return 1;
	getrusage(RUSAGE_SELF, &ru0);
	for (int i = 0; i < 8; i++)
		p[i * pg] = 1;
	getrusage(RUSAGE_SELF, &ru1);
	printf("minflt %ld majflt %ld maxrss>0 %d\n",
	       ru1.ru_minflt - ru0.ru_minflt, ru1.ru_majflt - ru0.ru_majflt,
	       ru1.ru_maxrss > 0);
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 2;
	printf("nofile %llu\n", (unsigned long long)rl.rlim_cur);
	fflush(stdout);
	if (fork() == 0)
		exit(7);
	wait(&status);
	printf("child %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	munmap(p, 8 * pg);
	return 0;
}
EOC
if cc -Werror -o "$tmp/book.elf" $GUEST_RT_OBJS "$tmp/book.c" $GUEST_LIBS \
	>"$tmp/book.err" 2>&1; then
	ok "a textbook program compiles unchanged, without a warning"
	if [ -x "$MMULAB" ]; then
		"$MMULAB" run "$tmp/book.elf" >"$tmp/book.out" 2>&1
		rc=$?
		if [ $rc = 0 ] && grep -q '^minflt 8 majflt 0 maxrss>0 1$' "$tmp/book.out" &&
		   grep -q '^nofile 8$' "$tmp/book.out" && grep -q '^child 7$' "$tmp/book.out"; then
			ok "it runs: getrusage faults, setrlimit, fork and wait"
		else
			notok "the textbook program runs (status $rc)" "$(head -5 "$tmp/book.out")"
		fi
	else
		echo "ok $((n + 1)) # SKIP mmulab not built"
		n=$((n + 1))
	fi
else
	notok "a textbook program compiles unchanged" "$(head -5 "$tmp/book.err")"
fi

# ---- the project's own programs: no warning ---------------------------------
for f in "$src"/guest/progs/*.c; do
	p=$(basename "$f" .c)
	if cc -Werror -fsyntax-only "$f" >"$tmp/w.err" 2>&1; then
		ok "guest/progs/$p.c has no warning"
	else
		notok "guest/progs/$p.c has warnings (-Werror)" "$(head -3 "$tmp/w.err")"
	fi
done

echo "1..$n"
exit $fail
