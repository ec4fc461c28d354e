#!/bin/sh
# Differential test: run each case of cases.txt under qemu-riscv32 (the
# oracle) and under `mmulab run`, and compare stdout and exit status.
#
# @BIN@ in a case's arguments names the guest program directory: qemu gets
# $GUEST_BIN, mmulab runs with --root $GUEST_BIN and gets "" (so @BIN@/x.elf
# is /x.elf inside its sandbox).  Such cases exec guest programs, which
# qemu-user can only do through binfmt_misc; without it they are skipped.
# qemu reports a guest killed by signal N as its own death by N (the shell
# sees 128+N); `mmulab run` exits 128+N itself, so $? compares directly.
#
# Environment (set by tests/local.mk): MMULAB, GUEST_BIN, QEMU_RISCV32.
# DIFF_RUNNER, when set, replaces "$MMULAB run" (e.g. DIFF_RUNNER=qemu-riscv32
# checks the script itself).  DIFF_CASES selects another manifest.
# Output: TAP.

here=$(cd "$(dirname "$0")" && pwd)
cases=${DIFF_CASES:-$here/cases.txt}

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
[ -n "$GUEST_BIN" ] || skip_all "GUEST_BIN not set"
GUEST_BIN=$(abspath "$GUEST_BIN")
set -- "$GUEST_BIN"/*.elf
[ -f "$1" ] || skip_all "no guest programs in $GUEST_BIN (make guest)"
[ -r "$cases" ] || skip_all "no case list $cases"

if [ -n "$DIFF_RUNNER" ]; then
	runner=$DIFF_RUNNER
else
	[ -n "$MMULAB" ] || skip_all "MMULAB not set"
	MMULAB=$(abspath "$MMULAB")
	[ -x "$MMULAB" ] || skip_all "mmulab not built ($MMULAB)"
	runner="$MMULAB run"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/diff-guest.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
cd "$tmp" || exit 99

# Can a guest under qemu exec another guest program (binfmt_misc)?
qemu_can_exec=no
for f in /proc/sys/fs/binfmt_misc/*riscv32*; do
	[ -f "$f" ] && grep -q '^enabled' "$f" 2>/dev/null && qemu_can_exec=yes
done

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 60"

# run OUT STDIN CMD...: stdout to OUT, stderr to OUT.err, status in $rc.
# Called with 2>/dev/null so that the shell's own "Segmentation fault"
# notices stay out of the log.
run() {
	_out=$1 _in=$2
	shift 2
	$tmo "$@" >"$_out" 2>"$_out.err" <"$_in"
	rc=$?
}

# A stub mmulab (before the kernel is integrated) says "not yet": skip
# rather than report every case as a failure.
if [ -z "$DIFF_RUNNER" ] && [ -f "$GUEST_BIN/hello.elf" ]; then
	run probe /dev/null $runner "$GUEST_BIN/hello.elf" 2>/dev/null
	if [ "$rc" = 2 ] && grep -q "not yet" probe.err; then
		skip_all "mmulab run is not implemented yet"
	fi
fi

n=$(grep -cv '^[[:space:]]*\(#.*\)\{0,1\}$' "$cases")
echo "1..$n"

i=0
status=0
grep -v '^[[:space:]]*\(#.*\)\{0,1\}$' "$cases" >cases.list
while IFS= read -r line; do
	i=$((i + 1))
	input=/dev/null
	case $line in
	*'<'*)
		input=${line##*<}
		line=${line%<*}
		input=${input#"${input%%[![:space:]]*}"}
		input=${input%"${input##*[![:space:]]}"}
		eval "input=\"$input\""
		case $input in
		/*) ;;
		*) input=$here/$input ;;
		esac
		;;
	esac
	desc=$(echo "$line" | sed 's/[[:space:]]*$//')
	root_opt=
	case $line in
	*@BIN@*)
		if [ "$qemu_can_exec" = no ]; then
			echo "ok $i - $desc # SKIP qemu-riscv32 cannot exec guest programs (no binfmt_misc entry)"
			continue
		fi
		[ -n "$DIFF_RUNNER" ] || root_opt="--root $GUEST_BIN"
		;;
	esac
	eval "set -- $(echo "$line" | sed "s|@BIN@|$GUEST_BIN|g")"
	name=$1
	shift
	[ "$input" = /dev/null ] || desc="$desc < $(basename "$input")"
	elf=$GUEST_BIN/$name.elf
	if [ ! -f "$elf" ]; then
		echo "ok $i - $desc # SKIP $name.elf not built"
		continue
	fi
	if [ ! -r "$input" ]; then
		echo "not ok $i - $desc"
		echo "# stdin file $input is missing"
		status=1
		continue
	fi
	run ref.out "$input" "$QEMU_RISCV32" "$elf" "$@" 2>/dev/null
	ref_rc=$rc
	if [ -n "$root_opt" ]; then
		eval "set -- $(echo "$line" | sed 's|@BIN@||g')"
		shift
	fi
	run got.out "$input" $runner $root_opt "$elf" "$@" 2>/dev/null
	got_rc=$rc
	if [ "$ref_rc" = "$got_rc" ] && cmp -s ref.out got.out; then
		echo "ok $i - $desc"
		continue
	fi
	echo "not ok $i - $desc"
	[ "$ref_rc" = "$got_rc" ] ||
		echo "# exit status: qemu $ref_rc, mmulab $got_rc"
	if ! cmp -s ref.out got.out; then
		diff -u ref.out got.out | tail -n +3 | head -n 20 |
			sed 's/^/# /'
	fi
	if [ -s got.out.err ]; then
		echo "# mmulab stderr:"
		head -n 5 got.out.err | sed 's/^/#   /'
	fi
done <cases.list
exit 0
