#!/bin/sh
# Huge pages end to end (TAP): the hugetlb pool in /proc/meminfo, MAP_HUGETLB
# without and with a pool, reservations, alignment errors, copy-on-write and
# sharing across fork, THP under MADV_HUGEPAGE and its splits, idle THPs
# split and swapped under pressure, the same when traced (guest program
# hugepages.elf, under pae and sv32); the TLB miss difference of
# lesson_tlbreach.elf in --stats --json; the lesson script; and that every
# page comes back after exit.
#
# Environment (tests/local.mk): MMULAB, GUEST_BIN, top_srcdir.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
srcroot=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/hugepages.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/huge.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
check() { # NAME STATUS: one TAP line; on failure show out/err
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' out err 2>/dev/null | grep -v '^# ok' | head -12
	fi
}
# A counter from the --json line in err ("dtlb" object: its misses).
counter() {
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" err | head -n 1
}
dtlb_misses() {
	sed -n 's/.*"dtlb":{[^}]*"misses":\([0-9]*\).*/\1/p' err | head -n 1
}

for paging in pae sv32; do
	P="--paging $paging"
	"$MMULAB" run $P "$GUEST_BIN/hugepages.elf" nopool >out 2>err
	[ $? = 0 ] && grep -q '^ok MAP_HUGETLB without a pool fails with ENOMEM' out
	check "$paging: MAP_HUGETLB without a pool: ENOMEM" $?

	"$MMULAB" run $P --sysctl vm.nr_hugepages=3 \
		"$GUEST_BIN/hugepages.elf" pool 3 >out 2>err
	[ $? = 0 ] && ! grep -q FAIL out && [ "$(grep -c '^ok' out)" -ge 18 ]
	check "$paging: pool accounting, reservations, alignment, fork COW and sharing" $?

	"$MMULAB" run $P --stats --json "$GUEST_BIN/hugepages.elf" thp >out 2>err
	[ $? = 0 ] && ! grep -q FAIL out && [ "$(counter thp_fault_alloc)" -ge 2 ] &&
		[ "$(counter thp_split_pmd)" -ge 2 ]
	check "$paging: THP: thp_fault_alloc $(counter thp_fault_alloc), splits $(counter thp_split_pmd), data kept" $?

	# Under pressure, idle THPs are split and their pages swapped.
	rm -f swap.img
	"$MMULAB" run $P --ram 16M --swap swap.img:64M --stats --json \
		"$GUEST_BIN/hugepages.elf" thpswap 8 >out 2>err
	[ $? = 0 ] && ! grep -q FAIL out && [ "$(counter thp_split_page)" -ge 1 ] &&
		[ "$(counter pswpout)" -gt 0 ] && [ "$(counter oom_kill)" = 0 ]
	check "$paging: idle THPs under pressure: split $(counter thp_split_page), pswpout $(counter pswpout), data kept" $?
	cp out thp.out
	sed -n 's/"options":[^]]*\]//p' err >thp.json
	rm -f swap.img
	"$MMULAB" run $P --ram 16M --swap swap.img:64M --stats --json \
		--trace all --trace-file /dev/null \
		"$GUEST_BIN/hugepages.elf" thpswap 8 >out 2>err
	sed -n 's/"options":[^]]*\]//p' err >thp2.json
	cmp -s thp.out out && cmp -s thp.json thp2.json && [ -s thp.json ]
	check "$paging: the same THP reclaim when traced (output and counters)" $?
done

# The pool through /proc/sys/vm/nr_hugepages and meminfo, before and after.
cat >script.mmu <<'SCRIPT'
load GUEST/hello.elf
cat /proc/meminfo
sysctl vm.nr_hugepages=5
cat /proc/sys/vm/nr_hugepages
cat /proc/meminfo
sysctl vm.transparent_hugepage=always
cat /proc/sys/vm/transparent_hugepage
SCRIPT
sed -i "s|GUEST|$GUEST_BIN|" script.mmu
"$MMULAB" script script.mmu >out 2>err
grep -q '^HugePages_Total:       0$' out && grep -q '^HugePages_Total:       5$' out &&
	grep -q '^HugePages_Free:        5$' out && grep -q '^Hugetlb: *10240 kB$' out &&
	grep -q '^\[always\] madvise never$' out
check "meminfo shows the pool before and after vm.nr_hugepages=5; THP setting" $?
memfree() { sed -n 's/^MemFree: *\([0-9]*\) kB$/\1/p' out | sed -n "$1p"; }
[ "$(( $(memfree 1) - $(memfree 2) ))" = 10240 ]
check "the pool comes out of MemFree (10240 kB)" $?

"$MMULAB" run --sysctl vm.nr_hugepages=x "$GUEST_BIN/hello.elf" >out 2>err
[ $? = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q nr_hugepages err
check "a bad vm.nr_hugepages is refused with one line and exit 2" $?

# TLB reach: the same program with 4 KiB and huge pages.
for paging in pae sv32; do
	"$MMULAB" run --paging $paging --stats --json \
		"$GUEST_BIN/lesson_tlbreach.elf" small >out 2>err
	small=$(dtlb_misses)
	cp out ref
	"$MMULAB" run --paging $paging --sysctl vm.nr_hugepages=4 --stats --json \
		"$GUEST_BIN/lesson_tlbreach.elf" hugetlb >out 2>err
	hugetlb=$(dtlb_misses)
	cmp -s ref out || hugetlb=999999
	"$MMULAB" run --paging $paging --stats --json \
		"$GUEST_BIN/lesson_tlbreach.elf" thp >out 2>err
	thp=$(dtlb_misses)
	cmp -s ref out || thp=999999
	[ "$small" -gt 8000 ] && [ $((hugetlb * 100)) -lt "$small" ] &&
		[ $((thp * 100)) -lt "$small" ]
	check "$paging: dtlb misses 4 KiB $small, hugetlb $hugetlb, THP $thp (same output)" $?
done

# The lesson script.
if [ -f "$srcroot/examples/lesson-tlbreach.mmu" ]; then
	(cd "$(dirname "$GUEST_BIN")/.." 2>/dev/null &&
		"$MMULAB" script "$srcroot/examples/lesson-tlbreach.mmu") >out 2>err
	check "examples/lesson-tlbreach.mmu passes" $?
else
	n=$((n + 1)); echo "ok $n # SKIP examples not found"
fi

# Every page comes back: free and slab pages at exit as after hello (the
# pool, the same in both runs, stays).
"$MMULAB" run --sysctl vm.nr_hugepages=3 --stats --json "$GUEST_BIN/hugepages.elf" nopool >out 2>err
base=$(( $(counter nr_free_pages) + $(counter nr_slab_unreclaimable) ))
for args in "pool 3" thp; do
	"$MMULAB" run --sysctl vm.nr_hugepages=3 --stats --json \
		"$GUEST_BIN/hugepages.elf" $args >out 2>err
	now=$(( $(counter nr_free_pages) + $(counter nr_slab_unreclaimable) ))
	[ "$now" = "$base" ] && [ "$(counter nr_anon_transparent_hugepages)" = 0 ]
	check "hugepages $args: free+slab pages after exit $now = $base" $?
done
echo "1..$n"
