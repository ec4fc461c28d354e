#!/bin/sh
# Watching never changes behaviour: every guest program of guest/bin runs
# plain, stepped one instruction at a time (MMULAB_STEP=1, every optional
# stop of kernel_step enabled) and with a sink recording every event
# (MMULAB_WATCH, see src/views/watch.h); stdout, stderr, the exit status
# and the `--stats --json` object must be byte-identical.  TAP.
#
# Environment (tests/local.mk): MMULAB, GUEST_BIN.  WATCH_PROGS limits the
# programs (names without .elf).
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/hello.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/watch.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 120"

progs=${WATCH_PROGS:-$(cd "$GUEST_BIN" && ls *.elf | sed 's/\.elf$//')}
set -- $progs
echo "1..$#"
n=0
report() { # OK? DESCRIPTION [FILES TO SHOW]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		shift 2
		for f in "$@"; do
			diff "plain.${f#*.}" "$f" 2>&1 | tr , '\n' |
				head -12 | sed 's/^/# /'
		done
	fi
}
# run MODE PROG: in a fresh sandbox root with a data file; outputs in
# MODE.out, MODE.err, MODE.rc.  The guest gets the host's environment:
# the variables that select the mode are kept out of it.
run() {
	mode=$1
	prog=$2
	rm -rf root && mkdir root && printf 'aaaa\n' >root/data
	case $mode in
	plain) set -- ;;
	step) set -- MMULAB_STEP=1 ;;
	watch) set -- MMULAB_WATCH="$tmp/events" ;;
	esac
	env -u MMULAB_STEP -u MMULAB_WATCH "$@" $tmo "$MMULAB" run \
		--unset MMULAB_STEP --unset MMULAB_WATCH --root root \
		--stats --json "$GUEST_BIN/$prog.elf" \
		>$mode.out 2>$mode.err </dev/null
	echo $? >$mode.rc
}
for p; do
	run plain "$p"
	run step "$p"
	cmp -s plain.out step.out && cmp -s plain.err step.err &&
		cmp -s plain.rc step.rc
	report $? "$p: stepped one instruction at a time = plain" \
		step.out step.err step.rc
done
