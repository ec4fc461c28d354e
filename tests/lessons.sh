#!/bin/sh
# The lessons in examples/: every examples/lesson-*.mmu, and the other
# examples/*.mmu experiments, run with `mmulab script` and pass their own
# expect lines.  Each runs in a fresh directory of its own (a lesson may
# create files: swap images, a mapped file) where guest/bin/ leads to the
# build's guest programs, so the source tree is never written and VPATH
# builds work.  One TAP line a script; a failure quotes the failing lines.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -n "$GUEST_BIN" ] || GUEST_BIN=$(dirname "$MMULAB")/guest/bin
[ -f "$GUEST_BIN/hello.elf" ] || { echo "1..0 # SKIP guest programs not built"; exit 0; }
examples=$(cd "${top_srcdir:-.}/examples" 2>/dev/null && pwd)
[ -n "$examples" ] || { echo "1..0 # SKIP examples/ not found"; exit 0; }
guest_dir=$(cd "$GUEST_BIN/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lessons.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 900"

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# run NAME: examples/NAME.mmu in $tmp/NAME; output in $tmp/NAME.out
run() {
	d=$tmp/$1
	mkdir "$d" && ln -s "$guest_dir" "$d/guest" || return 99
	opts=
	# cost.mmu compares the cost model with the EAT formula
	[ "$1" = cost ] && opts="--cost default"
	(cd "$d" && HOME=$d $tmo "$MMULAB" script $opts "$examples/$1.mmu") \
		>"$tmp/$1.out" 2>&1
}

for ex in "$examples"/lesson-*.mmu "$examples"/*.mmu; do
	[ -f "$ex" ] || continue
	name=$(basename "$ex" .mmu)
	[ -d "$tmp/$name" ] && continue	# lesson-* came first
	run "$name"
	rc=$?
	out=$tmp/$name.out
	if [ $rc = 0 ] && ! grep -q 'Sanitizer\|runtime error\|kernel BUG' "$out"; then
		ok "examples/$name.mmu"
	else
		# the failing expect lines and errors, as the script printed them
		fails=$(grep -E '^[^ ]*\.mmu:[0-9]+: ' "$out" | head -5)
		[ -n "$fails" ] || fails=$(tail -5 "$out")
		notok "examples/$name.mmu (status $rc)" "$fails"
	fi
done

# What a lesson claims about the host side, checked from the host.
f=$tmp/lesson-mmap/lesson-mmap.txt
if [ -d "$tmp/lesson-mmap" ]; then
	if [ -f "$f" ] && [ "$(dd if="$f" bs=1 count=6 2>/dev/null)" = Shared ] &&
	   [ "$(dd if="$f" bs=1 skip=100 count=5 2>/dev/null)" = child ] &&
	   [ "$(dd if="$f" bs=1 skip=4096 count=5 2>/dev/null)" = Later ] &&
	   ! grep -q Private "$f"; then
		ok "lesson-mmap: the host file holds the MAP_SHARED stores, not the MAP_PRIVATE one"
	else
		notok "lesson-mmap: the host file" "$(head -c 120 "$f" 2>&1)"
	fi
fi
if [ -d "$tmp/lesson-madvise" ]; then
	if [ ! -e "$tmp/lesson-madvise/lesson-madvise.dat" ]; then
		ok "lesson-madvise: its data file is removed"
	else
		notok "lesson-madvise: lesson-madvise.dat left behind"
	fi
fi

# ---- the REPL features the lessons use ------------------------------------
# load --OPTIONS: the machine of this load (and the later ones)
d=$tmp/repl
mkdir "$d" && ln -s "$guest_dir" "$d/guest"
cat >"$d/opts.mmu" <<EOC
load --ram 8M --swap sw.img:8M guest/bin/hello.elf
run
cat /proc/meminfo
cat /proc/swaps
load guest/bin/hello.elf
run
cat /proc/meminfo
load --ram 1x guest/bin/hello.elf
load --ram 16M
EOC
(cd "$d" && "$MMULAB" script --ram 64M opts.mmu) >"$d/opts.out" 2>"$d/opts.err"
rc=$?
totals=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' "$d/opts.out" | tr '\n' ' ')
set -- $totals
if [ $# = 2 ] && [ "$1" = "$2" ] && [ "$1" -lt 8192 ] && [ -f "$d/sw.img" ] &&
   grep -q 'sw.img .*file' "$d/opts.out"; then
	ok "load --ram 8M --swap FILE:SIZE boots that machine, and the next load keeps it"
else
	notok "load with options" "MemTotal: $totals" "$(head -3 "$d/opts.err")"
fi
if [ $rc = 1 ] && grep -q "^mmulab: --ram: bad size '1x'" "$d/opts.err" &&
   grep -q 'opts.mmu:9: load: which program' "$d/opts.err" &&
   [ "$(wc -l <"$d/opts.err")" -le 4 ]; then
	ok "load with a bad option or no program: one line each, status 1"
else
	notok "load with a bad option (status $rc)" "$(cat "$d/opts.err")"
fi

# pa[VA]: the physical address, -1 when nothing is mapped, never a fault
cat >"$d/pa.mmu" <<EOC
load guest/bin/hello.elf
break main
run
set \$f = vmstat.pgfault
print pa[main]
expect pa[main] != -1
expect (pa[main] & 0xfff) == (main & 0xfff)
expect pa[0x1000] == -1
expect pa[\$sp] != -1
expect vmstat.pgfault == \$f
print pa[0x100000000]
print pa[main
EOC
(cd "$d" && "$MMULAB" script pa.mmu) >"$d/pa.out" 2>"$d/pa.err"
rc=$?
if [ $rc = 1 ] && [ "$(grep -c 'expect failed' "$d/pa.err")" = 0 ] &&
   grep -q 'pa.mmu:11: .*32 bits' "$d/pa.err" &&
   grep -q "pa.mmu:12: expected ']'" "$d/pa.err"; then
	ok "pa[VA]: the frame of a mapped page, -1 for none, errors for bad input"
else
	notok "pa[VA] (status $rc)" "$(cat "$d/pa.err")"
fi

echo "1..$n"
exit $fail
