#!/bin/sh
# Pictures and the run report: --pgtable-dot (Graphviz), --physmap-svg and
# --report FILE.html.  The files must parse (dot, xmllint), say what they
# claim (COW and shared marks, every frame in the legend, every process in
# the tree), and drawing must never change the run.  TAP; a check whose
# tool is missing is a SKIP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -f "$GUEST_BIN/cowfaults.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
examples=$(cd "${top_srcdir:-$(dirname "$MMULAB")}" && pwd)/examples
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pictures.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
have() { command -v "$1" >/dev/null 2>&1; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }

# ---- page-table tree ------------------------------------------------------
"$MMULAB" run --pgtable-dot child.dot --pgtable-pid 2 \
	"$GUEST_BIN/cowfaults.elf" >out 2>err
check "--pgtable-dot run exits 0" [ $? = 0 ]
check "dot names pid 2 and the geometry" grep -q 'page tables of pid 2 (cowfaults.elf), pae paging' child.dot
# The child of a fork still shares its parent's private pages when it
# exits: write-protected, writable vma -> COW, and mapped twice.
check "dot marks a COW entry of the forked child" grep -q 'u--d COW mapped x2' child.dot
check "dot has pgd, pmd and pte tables" sh -c 'grep -q "<b>pgd</b>" child.dot && grep -q "<b>pmd</b>" child.dot && grep -q "<b>pte</b>" child.dot'
edges=$(grep -c ' -> ' child.dot)
tables=$(grep -c '\[label=<<table' child.dot)
check "one edge into every table but the pgd ($edges edges, $tables tables)" [ "$edges" = $((tables - 1)) ]
if have dot; then
	check "dot accepts the pae tree" dot -Tsvg child.dot -o child.svg
else
	skip "graphviz dot not installed"
fi

"$MMULAB" run --paging sv32 --pgtable-dot sv32.dot "$GUEST_BIN/hello.elf" >out 2>err
check "sv32: two levels, no pmd" sh -c 'grep -q "sv32 paging" sv32.dot && ! grep -q "<b>pmd</b>" sv32.dot'
if have dot; then
	check "dot accepts the sv32 tree" dot -Tsvg sv32.dot -o sv32.svg
else
	skip "graphviz dot not installed"
fi

# Under memory pressure with swap, swapped-out pages are swap entries.
if [ -f "$GUEST_BIN/bigmem.elf" ]; then
	"$MMULAB" run --ram 16M --swap "$tmp/swap.img:64M" --pgtable-dot swap.dot \
		"$GUEST_BIN/bigmem.elf" 24 >out 2>swap.err
	check "swapped-out pages drawn as swap entries" grep -q 'swap type 0 offset [1-9]' swap.dot
	if have dot; then
		check "dot accepts the tree with swap entries" dot -Tsvg swap.dot -o swap.svg
	else
		skip "graphviz dot not installed"
	fi
else
	skip "bigmem.elf not built"
	skip "bigmem.elf not built"
fi

"$MMULAB" run --pgtable-dot none.dot --pgtable-pid 999 "$GUEST_BIN/hello.elf" >out 2>err
check "a pid that never ran: the file says so" grep -q 'pid 999 never exited' none.dot

# ---- physical map -----------------------------------------------------------
"$MMULAB" run --ram 64M --numa 2 --physmap-svg map.svg "$GUEST_BIN/forktree.elf" >out 2>err
check "--physmap-svg run exits 0" [ $? = 0 ]
if have xmllint; then
	check "map is well-formed XML" xmllint --noout map.svg
else
	skip "xmllint not installed"
fi
sum=$(sed -n 's/.*<text[^>]*>[^<]*: \([0-9][0-9]*\)<\/text>$/\1/p' map.svg |
	awk '{ s += $1 } END { print s }')
check "legend counts add up to every frame of 64 MiB ($sum)" [ "$sum" = 16384 ]
check "map outlines both nodes and names the zones" sh -c \
	'grep -q "node 0 DMA" map.svg && grep -q "node 1 Normal" map.svg &&
	 [ $(grep -c "stroke=\"#c00000\"" map.svg) = 2 ]'
check "map shows page tables, slab, anon and free frames" sh -c \
	'grep -q "page table: [1-9]" map.svg && grep -q "slab: [1-9]" map.svg &&
	 grep -q "anonymous: [1-9]" map.svg && grep -q "order 10: [1-9]" map.svg'

"$MMULAB" run --ram 2G --physmap-svg big.svg "$GUEST_BIN/hello.elf" >out 2>err
check "2 GiB map groups frames (bounded size)" sh -c \
	'grep -q "8 frames per cell" big.svg && [ $(wc -c <big.svg) -lt 2000000 ]'

# ---- report ------------------------------------------------------------------
"$MMULAB" run --report rep.html "$GUEST_BIN/forktree.elf" >out 2>err
check "--report run exits 0" [ $? = 0 ]
"$MMULAB" run --on-exit ps "$GUEST_BIN/forktree.elf" >/dev/null 2>exits
nexit=$(grep -c '==== exit of' exits)
if have xmllint; then
	check "report is well-formed (polyglot XHTML)" xmllint --noout rep.html
	# The HTML4 parser knows no SVG tags; anything else is an error.
	xmllint --html --noout rep.html 2>html.err
	check "report parses as HTML" sh -c \
		'! grep "error" html.err | grep -v "Tag [a-z]* invalid" | grep -q .'
else
	skip "xmllint not installed"
	skip "xmllint not installed"
fi
check "report is self-contained (no script, no external reference)" sh -c \
	'! grep -qi "<script\|src=\|href=\|@import\|url(" rep.html'
check "report has its five parts" sh -c \
	'for h in "Physical memory" "Page faults over time" "Resident set size over time" "TLB and page walks" "Processes"; do
		grep -q "<h2>$h</h2>" rep.html || exit 1; done'
nproc=$(grep -c '^<li><b>' rep.html)
check "process tree lists every process that exited ($nproc of $nexit)" \
	sh -c "[ $nproc = $nexit ] && [ $nproc -gt 10 ]"
check "RSS chart draws a line per process" [ "$(grep -c '<polyline' rep.html)" -ge 2 ]
check "fault timeline has bars" grep -q 'faults (.* major) up to instruction' rep.html
if have chromium; then
	chromium --headless --disable-gpu --no-sandbox --screenshot="$tmp/shot.png" \
		"file://$tmp/rep.html" >/dev/null 2>&1
	check "chromium renders the report" [ -s shot.png ]
else
	skip "chromium not installed"
fi

# ---- gnuplot scripts for the --sample/--csv series ---------------------------------
# The series' columns are the CSV contract: insns,pid,rss_kb,minflt,majflt,
# dtlb_miss,itlb_miss.  A hand-made series checks the scripts themselves.
printf 'insns,pid,rss_kb,minflt,majflt,dtlb_miss,itlb_miss\n0,1,100,5,1,10,5\n10000,1,120,8,2,20,7\n10000,2,40,1,0,20,7\n20000,1,130,9,2,40,9\n20000,2,60,4,0,40,9\n' >run.csv
for g in rss faults tlb; do
	if have gnuplot; then
		gnuplot -e "csv='run.csv'; out='$g.png'" "$examples/plot-$g.gp" >gp.out 2>&1
		check "examples/plot-$g.gp draws the series" sh -c \
			"[ -s $g.png ] && ! grep -qi 'warning\|error' gp.out"
	else
		skip "gnuplot not installed"
	fi
done

# ---- watching never changes behaviour -------------------------------------------
for prog in cowfaults forktree filemap; do
	"$MMULAB" run --stats --json "$GUEST_BIN/$prog.elf" >plain.out 2>plain.err
	rc1=$?
	"$MMULAB" run --stats --json --report r.html --physmap-svg m.svg \
		--pgtable-dot p.dot "$GUEST_BIN/$prog.elf" >drawn.out 2>drawn.err
	rc2=$?
	# The JSON names the options used: leave that key out.
	sed 's/"options":\[[^]]*\],//' plain.err >plain.err2
	sed 's/"options":\[[^]]*\],//' drawn.err >drawn.err2
	check "$prog: same status, output and counters with pictures" sh -c \
		"[ $rc1 = $rc2 ] && cmp -s plain.out drawn.out && cmp -s plain.err2 drawn.err2"
done

# ---- errors -------------------------------------------------------------------------
"$MMULAB" run --report /nonexistent/dir/r.html "$GUEST_BIN/hello.elf" >out 2>err
rc=$?
check "unwritable --report: status 2, one line" sh -c \
	"[ $rc = 2 ] && [ \$(wc -l <err) = 1 ] && grep -q \"cannot write '/nonexistent/dir/r.html'\" err && [ ! -s out ]"
"$MMULAB" run --pgtable-pid x "$GUEST_BIN/hello.elf" >out 2>err
rc=$?
check "bad --pgtable-pid: status 2" sh -c "[ $rc = 2 ] && [ \$(wc -l <err) = 1 ]"

# Under --enable-sanitizers: no report in anything mmulab printed.
if cat ./*.err 2>/dev/null | grep -aq 'Sanitizer\|runtime error'; then
	notok "sanitizer reports" "$(cat ./*.err | grep -a -m5 'Sanitizer\|runtime error')"
else
	ok "no sanitizer report on stderr"
fi

echo "1..$n"
exit 0
