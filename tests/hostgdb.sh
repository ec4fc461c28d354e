#!/bin/sh
# Host gdb on mmulab itself: mmulab-gdb.py auto-loads next to the binary,
# its pretty-printers decode pte_t, struct vma/page/mm/task, mmulab-walk
# reads a process's tables and mmulab-tlb the TLBs -- watched on the
# copy-on-write of guest/progs/cowlesson.c.  The lesson script
# (examples/lesson-host-gdb/cow.gdb) stops inside do_wp_page, whose
# locals exist only in a -O0 build (./configure --enable-debug): with
# another build that part is a SKIP.  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
command -v gdb >/dev/null 2>&1 || { echo "1..0 # SKIP gdb not installed (Debian package gdb)"; exit 0; }
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -f "$GUEST_BIN/cowlesson.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
bindir=$(cd "$(dirname "$MMULAB")" && pwd)
[ -f "$bindir/mmulab-gdb.py" ] ||
	{ echo "1..0 # SKIP mmulab-gdb.py not next to the binary (make)"; exit 0; }
lesson=$(cd "${top_srcdir:-$bindir}" && pwd)/examples/lesson-host-gdb/cow.gdb
gdb -batch -ex 'python print(1)' >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP this gdb has no Python"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostgdb.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
# has FILE NAME REGEX: a line of FILE matches
has() { if grep -q -- "$3" "$1"; then ok "$2"; else notok "$2" "no line matching '$3' in:" "$(head -c 1500 "$1")"; fi; }

hgdb() {
	timeout 120 gdb -q -batch -nx -iex "add-auto-load-safe-path $bindir" \
		-iex 'set pagination off' -iex 'set breakpoint pending on' "$@"
}

if ! gdb -batch -ex 'info functions ^handle_mm_fault$' "$MMULAB" 2>/dev/null |
	grep -q handle_mm_fault; then
	echo "1..0 # SKIP mmulab has no debug symbols (build with -g)"
	exit 0
fi

# ---- auto-load and printers without running -----------------------------
hgdb -ex 'info pretty-printer' -ex 'help mmulab-walk' -ex 'help mmulab-tlb' \
	-ex 'print (pte_t)0x1f060d7' -ex 'print (pte_t)0x1f03493' \
	-ex 'print (pte_t)0x1402' -ex 'print (pte_t)0' \
	-ex 'print (pte_t)0x1f03100' -ex 'print/r (pte_t)0x1f060d7' \
	-ex 'mmulab-walk 0x1000' "$MMULAB" >static.out 2>&1
has static.out "mmulab-gdb.py auto-loads from the binary's directory" 'mmulab_lookup'
has static.out "help mmulab-walk" 'Walk the guest page tables'
has static.out "help mmulab-tlb" 'Show the modelled TLBs'
has static.out "pte_t: a writable dirty leaf" '= 0x1f060d7 {leaf pfn=0x7c18 V R W U A D}'
has static.out "pte_t: a write-protected leaf" '{leaf pfn=0x7c0d V R U D}'
has static.out "pte_t: a swap entry" '= swap type=1 offset=5'
has static.out "pte_t: none" '= none'
has static.out "pte_t: PROT_NONE" '= PROT_NONE pfn=0x7c0c'
has static.out "print/r bypasses the printer" '= 32530647'
has static.out "mmulab-walk without a machine says why" "no 'struct kernel \*k'"

# ---- the copy-on-write of cowlesson, from handle_mm_fault ------------------
# handle_mm_fault's arguments exist at its entry in any -g build.
hgdb -ex 'break handle_mm_fault if addr == 0x40000000 && (flags & 1) && k->current->pid == 2' \
	-ex run \
	-ex 'echo @@before\n' -ex 'print *k->current' -ex 'mmulab-walk 0x40000000' \
	-ex 'print *k->current->mm' \
	-ex 'echo @@parent\n' -ex 'mmulab-walk 0x40000000 1' \
	-ex 'finish' \
	-ex 'echo @@after\n' -ex 'mmulab-walk 0x40000000' \
	-ex 'echo @@parent-after\n' -ex 'mmulab-walk 0x40000000 1' \
	-ex 'echo @@tlb\n' -ex 'mmulab-tlb' -ex 'mmulab-tlb x' \
	-ex 'mmulab-walk 0x40000000 77' -ex continue \
	--args "$MMULAB" run "$GUEST_BIN/cowlesson.elf" >cow.out 2>&1
sec() { sed -n "/^@@$1\$/,/^@@/p" cow.out >"$1.sec"; }
for s in before parent after parent-after tlb; do sec $s; done
has before.sec "struct task printer: the child faulted" '= task 2 (cowlesson.elf) R pc=0x.* ppid=1'
has before.sec "walk before: pgd, pmd, pte levels" '^  pte\[  0\] @pa'
has before.sec "walk before: the leaf is write-protected" 'pte\[  0\].*{leaf pfn=0x[0-9a-f]* V R U \(A \)\{0,1\}D}'
has before.sec "walk before: says copy-on-write (no COW bit: vma + PTE)" '^  copy-on-write: read-only entry in a writable private vma'
has before.sec "struct page printer: shared by two" 'page pfn 0x[0-9a-f]* node 0 .*mapcount=2 anon_vma='
has before.sec "struct mm printer lists the vmas" 'vma \[0x40000000-0x40001000) rw-p pgoff=0x40000 anon'
old=$(sed -n 's/.*-> pa 0x\([0-9a-f]*\).*/\1/p' before.sec)
pold=$(sed -n 's/.*-> pa 0x\([0-9a-f]*\).*/\1/p' parent.sec)
new=$(sed -n 's/.*-> pa 0x\([0-9a-f]*\).*/\1/p' after.sec)
pnew=$(sed -n 's/.*-> pa 0x\([0-9a-f]*\).*/\1/p' parent-after.sec)
if [ -n "$old" ] && [ "$old" = "$pold" ]; then ok "parent and child map one frame before the write ($old)"
else notok "one frame before the write" "child $old parent $pold"; fi
if [ -n "$new" ] && [ "$new" != "$old" ] && [ "$pnew" = "$old" ]; then
	ok "after the fault the child has its own frame ($new), the parent keeps $old"
else notok "frames after the copy" "child $old -> $new, parent $pold -> $pnew"; fi
has after.sec "walk after: writable, accessed, dirty" 'pte\[  0\].*{leaf pfn=0x[0-9a-f]* V R W U A D}'
has after.sec "the copy is mapped once" 'mapcount=1'
if grep -q '^  copy-on-write' after.sec; then notok "walk after: no longer copy-on-write"; else ok "walk after: no longer copy-on-write"; fi
has parent-after.sec "the parent's frame is mapped once again" 'mapcount=1'
has tlb.sec "mmulab-tlb shows both TLBs" '^dtlb: 64 entries, 4-way'
has tlb.sec "mmulab-tlb lists valid itlb entries" 'va 0x00010000 -> pfn'
has cow.out "mmulab-tlb rejects a bad argument" 'usage: mmulab-tlb \[i|d\]'
has cow.out "mmulab-walk of an unknown pid says so" 'no process 77'
has cow.out "the guest still runs to the end under gdb" '^parent sees P'

# ---- the lesson itself: do_wp_page's locals need -O0 --------------------------
# At -O0 vmf lives in the frame (DW_OP_fbreg); optimised builds keep it
# in registers or drop it.
if gdb -batch -nx -iex 'set auto-load python-scripts off' \
	-ex 'info scope do_wp_page' "$MMULAB" 2>/dev/null |
	grep -A1 '^Symbol vmf is' | grep -q 'DW_OP_fbreg'; then
	hgdb -x "$lesson" --args "$MMULAB" run "$GUEST_BIN/cowlesson.elf" >lesson.out 2>&1
	has lesson.out "lesson: stops in do_wp_page for the child's write" '^Breakpoint 1, do_wp_page'
	has lesson.out "lesson: orig_pte printed decoded" '^\$3 = 0x[0-9a-f]* {leaf pfn=.* V R U \(A \)\{0,1\}D}'
	has lesson.out "lesson: walks before and after the copy" 'V R W U A D}'
	has lesson.out "lesson: runs to the end" '^\[Inferior 1 (process [0-9]*) exited normally\]'
	if grep -q 'Error\|Python Exception' lesson.out; then
		notok "lesson: no errors" "$(grep -m3 'Error\|Python Exception' lesson.out)"
	else ok "lesson: no errors"; fi
else
	for i in 1 2 3 4 5; do skip "lesson needs a -O0 build (./configure --enable-debug)"; done
fi

echo "1..$n"
exit 0
