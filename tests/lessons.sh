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
	(cd "$d" && HOME=$d $tmo "$MMULAB" script "$examples/$1.mmu") \
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

echo "1..$n"
exit $fail
