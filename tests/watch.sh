#!/bin/sh
# Watching never changes behaviour: every guest program of guest/bin runs
# plain, stepped one instruction at a time (MMULAB_STEP=1, every optional
# stop of kernel_step enabled) and with a sink recording every event
# (MMULAB_WATCH, see src/views/watch.h; it also peeks at guest memory at
# every system call, as a debugger would); stdout, stderr, the exit status
# and the `--stats=all --json` object must be byte-identical.  TAP.
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
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 1200" # stepping is slow under sanitizers

# every counter: --stats=all where the option exists
stats=--stats
"$MMULAB" run --stats=all --json "$GUEST_BIN/hello.elf" >/dev/null 2>&1 &&
	stats=--stats=all
opts=
# Programs that never end by themselves (yes writes until its reader
# goes, sharedloop until a host signal) are left out.
skip=" yes sharedloop "
progs=${WATCH_PROGS:-$(cd "$GUEST_BIN" && ls *.elf | sed 's/\.elf$//' |
	while read -r p; do
		case $skip in *" $p "*) ;; *) echo "$p" ;; esac
	done)}
set -- $progs
echo "1..$(($# * 3 + 4 + 8))"
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
	plain | plain-rec) set -- ;;
	step) set -- MMULAB_STEP=1 ;;
	watch) set -- MMULAB_WATCH="$tmp/events" ;;
	esac
	env -u MMULAB_STEP -u MMULAB_WATCH "$@" $tmo "$MMULAB" run \
		--unset MMULAB_STEP --unset MMULAB_WATCH --root root \
		$stats --json $opts "$GUEST_BIN/$prog.elf" \
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
	rm -f events
	run watch "$p"
	cmp -s plain.out watch.out && cmp -s plain.err watch.err &&
		cmp -s plain.rc watch.rc
	report $? "$p: a sink recording every event = plain" \
		watch.out watch.err watch.rc
	# the sink saw the run: one sys_enter per system call counted, one
	# sched_process_exit per process, and no malformed event
	calls=$(sed -n 's/.*"syscalls":\([0-9]*\).*/\1/p' plain.err)
	seen=$(sed -n 's/^raw_syscalls:sys_enter //p' events 2>/dev/null)
	exits=$(sed -n 's/^sched:sched_process_exit //p' events 2>/dev/null)
	forks=$(sed -n 's/^sched:sched_process_fork //p' events 2>/dev/null)
	bad=$(sed -n 's/^bad //p' events 2>/dev/null)
	[ -n "$calls" ] && [ "$calls" = "${seen:-x}" ] &&
		[ "${exits:-0}" = $((${forks:-0} + 1)) ] && [ "$bad" = 0 ]
	report $? "$p: the sink saw $calls system calls (${seen:-none}), \
${exits:-no} exits of $((${forks:-0} + 1)) processes, ${bad:-?} bad events"
done

# The exit views are a subscriber too; other machines and a short slice.
views="--on-exit ps,pmap,maps,smaps,status --dump-proc meminfo"
views="$views --dump-proc vmstat --dump-proc self/maps"
for o in "$views" "--paging sv32 --asid --tlb 16:2 --quantum 997 $views"; do
	opts=$o
	run plain forktree
	run step forktree
	cmp -s plain.out step.out && cmp -s plain.err step.err &&
		cmp -s plain.rc step.rc
	report $? "forktree $o: stepped = plain" step.out step.err step.rc
	run watch forktree
	cmp -s plain.out watch.out && cmp -s plain.err watch.err &&
		cmp -s plain.rc watch.rc && grep -q "==== exit of 1" plain.err
	report $? "forktree $o: watched = plain" watch.out watch.err watch.rc
done

# --record-refs is a watcher too: recording every page reference changes
# no output and no counter (the JSON's "options" name the file, so they
# are left out of the comparison).
opts=
for p in forktree execve signals cowfaults filemap mmapfam pipes vmtree; do
	run plain "$p"
	opts="--record-refs $tmp/refs"
	run plain-rec "$p"
	opts=
	sed 's/,"options":\[[^]]*\]//' plain.err >plain.cmp
	sed 's/,"options":\[[^]]*\]//' plain-rec.err >plain-rec.cmp
	cmp -s plain.out plain-rec.out && cmp -s plain.cmp plain-rec.cmp &&
		cmp -s plain.rc plain-rec.rc &&
		[ "$(head -n 1 "$tmp/refs")" = "# mmulab-refs 1" ]
	report $? "$p: --record-refs = plain" plain-rec.out plain-rec.cmp
done
