#!/bin/sh
# Random instruction sequences: for each seed, gen_rand writes an RV32IMAC
# program (tests/diff/gen_rand.c explains what it does) that ends by
# printing every register and checksums of the memory it touched.  Each is
# built with the guest compiler and run under qemu-riscv32 and `mmulab run`;
# the outputs and exit statuses must be identical.  TAP, one line per seed.
#
# Environment: QEMU_RISCV32, MMULAB, GUEST_CC, GUEST_CFLAGS, GUEST_LIBS,
# GUEST_RT_OBJS (set by tests/local.mk); RAND_SEEDS (number of seeds,
# default 300), RAND_FIRST (first seed, default 1), RAND_COUNT (items per
# program, default 200), RAND_JOBS (parallel builds and runs, default 2),
# GEN_RAND (the generator, default ./tests/diff/gen_rand), DIFF_RUNNER
# (replaces "$MMULAB run", e.g. qemu-riscv32 to check the suite itself).

here=$(cd "$(dirname "$0")" && pwd)
seeds=${RAND_SEEDS:-300}
first=${RAND_FIRST:-1}
count=${RAND_COUNT:-200}
jobs=${RAND_JOBS:-2}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

abspath() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$(pwd)/$1" ;;
	esac
}

case ${QEMU_RISCV32:-no} in
no) skip_all "qemu-riscv32 not found (Debian package qemu-user)" ;;
esac
command -v "$QEMU_RISCV32" >/dev/null 2>&1 ||
	skip_all "qemu-riscv32 '$QEMU_RISCV32' is not executable"
case ${GUEST_CC:-no} in
no) skip_all "no guest compiler (riscv64-unknown-elf-gcc)" ;;
esac
command -v "$GUEST_CC" >/dev/null 2>&1 ||
	skip_all "guest compiler '$GUEST_CC' not found"
[ -n "$GUEST_RT_OBJS" ] || skip_all "GUEST_RT_OBJS not set"
for o in $GUEST_RT_OBJS; do
	[ -f "$o" ] || skip_all "guest runtime not built ($o; make guest)"
done
gen=$(abspath "${GEN_RAND:-tests/diff/gen_rand}")
[ -x "$gen" ] || skip_all "generator not built ($gen)"

if [ -n "$DIFF_RUNNER" ]; then
	runner=$DIFF_RUNNER
else
	[ -n "$MMULAB" ] || skip_all "MMULAB not set"
	MMULAB=$(abspath "$MMULAB")
	[ -x "$MMULAB" ] || skip_all "mmulab not built ($MMULAB)"
	runner="$MMULAB run"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rand-insn.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
cd "$tmp" || exit 99

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 30"
export QEMU_RISCV32 GUEST_CC GUEST_CFLAGS GUEST_LIBS GUEST_RT_OBJS
export RAND_RUNNER="$runner" RAND_TMO="$tmo"

# shellcheck disable=SC2086
if ! $GUEST_CC $GUEST_CFLAGS -c -o dump.o "$here/rand-dump.c" 2>dump.err; then
	echo "1..1"
	echo "not ok 1 - build rand-dump.c"
	sed 's/^/# /' dump.err
	exit 0
fi

last=$((first + seeds - 1))
seq "$first" "$last" >seeds
while read -r s; do
	"$gen" "$s" "$count" >"s$s.S" || echo "gen_rand $s failed" >"s$s.err"
done <seeds

# One compiler invocation per seed, RAND_JOBS at a time.
# shellcheck disable=SC2016
xargs -P "$jobs" -n 1 sh -c '
	[ -s "s$1.err" ] && exit 0
	$GUEST_CC $GUEST_CFLAGS -o "s$1.elf" $GUEST_RT_OBJS "s$1.S" dump.o \
		$GUEST_LIBS 2>"s$1.err" || exit 0
	{ $RAND_TMO "$QEMU_RISCV32" "s$1.elf" >"s$1.ref" 2>/dev/null </dev/null
	  echo $? >"s$1.ref.rc"; } 2>/dev/null
' sh <seeds

# A stub mmulab (before the kernel is integrated) says "not yet": skip
# rather than report every seed as a failure.
if [ -z "$DIFF_RUNNER" ] && [ -f "s$first.elf" ]; then
	$runner "s$first.elf" >/dev/null 2>probe.err </dev/null
	if [ $? = 2 ] && grep -q "not yet" probe.err; then
		skip_all "mmulab run is not implemented yet"
	fi
fi

# shellcheck disable=SC2016
xargs -P "$jobs" -n 1 sh -c '
	[ -f "s$1.elf" ] || exit 0
	{ $RAND_TMO $RAND_RUNNER "s$1.elf" >"s$1.got" 2>"s$1.got.err" </dev/null
	  echo $? >"s$1.got.rc"; } 2>/dev/null
' sh <seeds

echo "1..$seeds"
i=0
while read -r s; do
	i=$((i + 1))
	if [ ! -f "s$s.elf" ]; then
		echo "not ok $i - seed $s # build failed"
		head -n 5 "s$s.err" | sed 's/^/# /'
		continue
	fi
	ref_rc=$(cat "s$s.ref.rc")
	got_rc=$(cat "s$s.got.rc")
	if [ "$ref_rc" != 0 ]; then
		echo "not ok $i - seed $s # qemu-riscv32 exited $ref_rc: generator bug"
		continue
	fi
	if [ "$ref_rc" = "$got_rc" ] && cmp -s "s$s.ref" "s$s.got"; then
		echo "ok $i - seed $s"
		continue
	fi
	echo "not ok $i - seed $s (tests/diff/gen_rand $s $count to see it)"
	[ "$ref_rc" = "$got_rc" ] ||
		echo "# exit status: qemu $ref_rc, mmulab $got_rc"
	if ! cmp -s "s$s.ref" "s$s.got"; then
		diff -u "s$s.ref" "s$s.got" | tail -n +3 | head -n 20 |
			sed 's/^/# /'
	fi
	if [ -s "s$s.got.err" ]; then
		echo "# mmulab stderr:"
		head -n 5 "s$s.got.err" | sed 's/^/#   /'
	fi
done <seeds
exit 0
