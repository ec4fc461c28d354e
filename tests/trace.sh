#!/bin/sh
# Tracing never changes behaviour: every guest program runs plain and with
# `--trace all`, and its stdout, exit status and `--stats --json` object
# must be byte-identical (a few also as JSON lines).  The trace itself must
# be well formed: every line names the time, the pid and each address's
# kind (va= or pa=), and the walker's accesses are marked.  TAP.
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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trace.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 120"
# A trace of every event is large (a gigabyte for the pressure programs):
# the whole suite is compared traced vs plain by watch.sh, with a sink that
# records every event; here a handful of programs that touch every kind of
# event check the text and JSON formats.  TRACE_PROGS overrides the list.
progs=${TRACE_PROGS:-hello forktree cowfaults filemap mmapfam signals pipes vmtree}
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# run MODE PROG [OPTIONS]: outputs in MODE.out, MODE.stats, MODE.rc.  The
# stats object is the last line of stderr (the guest may write its own).
run() {
	mode=$1
	prog=$2
	shift 2
	rm -rf root && mkdir root && printf 'aaaa\n' >root/data
	$tmo "$MMULAB" run --root root --stats --json "$@" \
		"$GUEST_BIN/$prog.elf" >$mode.out 2>$mode.err </dev/null
	echo $? >$mode.rc
	# the counters; "options" lists the command line, which differs
	grep '^{"' $mode.err | tail -1 | sed 's/"options":\[[^]]*\]//' >$mode.stats
}
total=0
# Every program: traced (every event, text, to /dev/null: some programs
# emit millions) = plain.
for p in $progs; do
	run plain "$p"
	run text "$p" --trace all --trace-file /dev/null
	if cmp -s plain.out text.out && cmp -s plain.rc text.rc &&
		cmp -s plain.stats text.stats; then
		ok "$p: traced = plain (stdout, status, counters)"
	else
		notok "$p: traced differs from plain" \
			"$(diff plain.stats text.stats | head -4)" \
			"$(diff plain.out text.out | head -4)"
	fi
done
# A few: JSON too, and the trace itself well formed.
for p in hello forktree cowfaults; do
	[ -f "$GUEST_BIN/$p.elf" ] || continue
	run plain "$p"
	run text "$p" --trace all --trace-file text.trace
	run json "$p" --trace all --trace-format json --trace-file json.trace
	if cmp -s plain.out json.out && cmp -s plain.rc json.rc &&
		cmp -s plain.stats json.stats; then
		ok "$p: traced as JSON = plain"
	else
		notok "$p: traced as JSON differs from plain" "$(diff plain.stats json.stats | head -4)"
	fi
	lines=$(wc -l <text.trace)
	total=$((total + lines))
	bad=$(grep -cv '^t=[0-9]* pid=-\?[0-9]* [a-z_]*:[a-z_]*' text.trace)
	# every access names its address's kind; the walker's own reads of
	# page-table entries are physical and marked
	badaddr=$(grep -E ' (tlb:(hit|miss|fill)|mmu:walk_done|exceptions:page_fault_user) ' text.trace | grep -cv ' va=0x')
	badwalk=$(grep ' mmu:walk_level ' text.trace | grep -cv ' walker [a-z]* pa=0x')
	badaddr=$((badaddr + badwalk))
	badjson=$(grep -cv '^{"t":[0-9]*,"pid":-\?[0-9]*,"event":"[a-z_]*:[a-z_]*".*}$' json.trace)
	if [ "$bad" = 0 ] && [ "$badaddr" = 0 ] && [ "$badjson" = 0 ] &&
		[ "$lines" = "$(wc -l <json.trace)" ]; then
		ok "$p: $lines trace lines, text and JSON well formed"
	else
		notok "$p: malformed trace ($bad text, $badaddr without va/pa, $badjson JSON)" \
			"$(grep -v '^t=' text.trace | head -3)"
	fi
done
# Filters: --trace-pid 99 and an empty range keep nothing with an address.
run plain hello
run pid hello --trace all --trace-pid 99 --trace-file pid.trace
if [ ! -s pid.trace ] && cmp -s plain.out pid.out; then
	ok "--trace-pid 99: no line"
else
	notok "--trace-pid 99" "$(head -3 pid.trace)"
fi
if [ "$total" = 0 ]; then
	echo "ok $((n + 1)) # SKIP no event is emitted by this build's MMU and kernel"
	n=$((n + 1))
else
	run range hello --trace 'tlb:*' --trace-range 0x10000-0x10fff \
		--trace-file range.trace
	if grep -q ' va=0x00010' range.trace &&
		! grep ' va=0x' range.trace | grep -v ' va=0x00010[0-9a-f]\{3\}' | grep -q .; then
		ok "--trace-range keeps only its addresses ($(wc -l <range.trace) lines)"
	else
		notok "--trace-range" "$(grep ' va=0x' range.trace | grep -v ' va=0x00010' | head -3)"
	fi
fi
echo "1..$n"
exit $fail
