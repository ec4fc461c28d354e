#!/bin/sh
# Linux conformance checks that cannot be differential against qemu-riscv32
# because qemu-user emulates the calls itself and departs from Linux there
# (mincore, mremap, errors on unmapped ranges, RLIMIT_AS/DATA/STACK, brk
# shrinking, /proc/meminfo from the host kernel, getrusage fault counts,
# which under qemu are the emulator's own) or cannot exec guest
# programs without binfmt_misc.  Each guest run's stdout is compared with
# the expected Linux output in tests/conform/NAME.out; the exec case is
# compared with qemu running the exec'ed program directly.
# Environment (tests/local.mk): MMULAB, GUEST_BIN, QEMU_RISCV32, srcdir.
# Output: TAP.

here=$(cd "$(dirname "$0")" && pwd)
expected=$here/conform

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

[ -n "$MMULAB" ] || skip_all "MMULAB not set"
MMULAB=$(abspath "$MMULAB")
[ -x "$MMULAB" ] || skip_all "mmulab not built"
[ -n "$GUEST_BIN" ] || skip_all "GUEST_BIN not set"
GUEST_BIN=$(abspath "$GUEST_BIN")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/conform.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail() {
	echo "not ok $n - $1"
	diff -u "$2" "$3" | tail -n +3 | head -n 20 | sed 's/^/# /'
}

# golden NAME ARG: mmulab run NAME.elf ARG against conform/NAME-ARG.out.
golden() {
	n=$((n + 1))
	if [ ! -f "$GUEST_BIN/$1.elf" ]; then
		echo "ok $n - $1 $2 # SKIP $1.elf not built"
		return
	fi
	"$MMULAB" run "$GUEST_BIN/$1.elf" "$2" >got.out 2>got.err </dev/null
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "not ok $n - $1 $2 (exit status $rc)"
		head -n 5 got.err | sed 's/^/#   /'
	elif cmp -s "$expected/$1-$2.out" got.out; then
		echo "ok $n - $1 $2"
	else
		fail "$1 $2" "$expected/$1-$2.out" got.out
	fi
}

echo "1..8"
golden mmapfam linux
golden brk linux
golden rlimits linux
golden procself all
golden rusage linux
golden sysctl linux
golden pagemap linux

# execve of a guest program from the sandbox, fork+exec and vfork+exec:
# the exec'ed program's output must be what qemu prints running it.
n=$((n + 1))
if [ ! -f "$GUEST_BIN/execve.elf" ] || [ ! -f "$GUEST_BIN/args.elf" ]; then
	echo "ok $n - execve /args.elf # SKIP guest programs not built"
elif [ "${QEMU_RISCV32:-no}" = no ] ||
	! command -v "$QEMU_RISCV32" >/dev/null 2>&1; then
	echo "ok $n - execve /args.elf # SKIP qemu-riscv32 not found"
else
	: >want.out
	"$QEMU_RISCV32" "$GUEST_BIN/args.elf" x "y z" >args.out 2>/dev/null
	args_rc=$?
	{
		cat args.out
		echo "fork+exec: exit $args_rc"
		cat args.out
		echo "vfork+exec: exit $args_rc"
		echo "vfork child's store seen by parent 1"
	} >>want.out
	"$MMULAB" run --root "$GUEST_BIN" "$GUEST_BIN/execve.elf" \
		/args.elf x "y z" >got.out 2>got.err </dev/null
	if cmp -s want.out got.out; then
		echo "ok $n - execve /args.elf"
	else
		fail "execve /args.elf" want.out got.out
	fi
fi
exit 0
