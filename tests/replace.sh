#!/bin/sh
# Replacement experiments, end to end (TAP):
#  - bigmem (a working set larger than RAM) gives the same output under
#    every --policy at three --ram sizes with --swap, and fork children
#    sharing swap stay exact under local replacement;
#  - the same run twice gives the same counters (random is seeded);
#  - --record-refs changes no counter and its file replays, opt first;
#  - mmulab replay counts Belady's anomaly (FIFO 9 faults with 3 frames,
#    10 with 4) and --csv;
#  - bad --policy, --replacement, --frames, record files: one line, exit 2.
#
# Environment (tests/local.mk): MMULAB, GUEST_BIN.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/bigmem.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/replace.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
check() { # NAME STATUS
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' out err 2>/dev/null | head -12
	fi
}
counter() { # NAME [FILE]: a counter of the --json line
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" "${2:-err}" | head -n 1
}
# The JSON without its "options" (which name the policy or the file).
counters() {
	sed 's/,"options":\[[^]]*\]//' "$1"
}
# One-line error, exit 2, naming $2.
usage_error() { # NAME PATTERN COMMAND...
	name=$1 pat=$2
	shift 2
	"$@" >out 2>err
	rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q -- "$pat" err
	check "$name: exit 2 and one line naming $pat" $?
}

# ---- every policy at three RAM sizes ----------------------------------------
"$MMULAB" run --ram 128M "$GUEST_BIN/bigmem.elf" 24 >ref 2>/dev/null
grep -q ', 0 bad words' ref
check "bigmem 24 in 128M RAM: reference output" $?
for ram in 8M 12M 16M; do
	for p in lru2 fifo clock lru random; do
		rm -f swap.img
		"$MMULAB" run --ram $ram --swap swap.img:128M --policy $p \
			--stats --json "$GUEST_BIN/bigmem.elf" 24 >out 2>err
		rc=$?
		[ "$rc" = 0 ] && cmp -s ref out &&
			[ "$(counter pswpout)" -gt 0 ] 2>/dev/null
		check "bigmem 24 in --ram $ram --policy $p: exact, pswpin $(counter pswpin), pgmajfault $(counter pgmajfault)" $?
		# pgscan: by who scanned = by kind, and never below pgsteal
		scan=$(($(counter pgscan_kswapd) + $(counter pgscan_direct)))
		steal=$(($(counter pgsteal_kswapd) + $(counter pgsteal_direct)))
		[ "$scan" = $(($(counter pgscan_anon) + $(counter pgscan_file))) ] &&
			[ "$scan" -ge "$steal" ] && [ "$steal" -gt 0 ]
		check "--ram $ram --policy $p: pgscan $scan = anon + file >= pgsteal $steal > 0" $?
		[ $p = clock ] && [ $ram = 8M ] && clock_scan=$scan clock_steal=$steal
	done
done
# clock's hand passes over used pages: they count as scanned, not stolen
[ "$clock_scan" -gt "$clock_steal" ] 2>/dev/null
check "--policy clock in 8M: pgscan $clock_scan > pgsteal $clock_steal" $?

# ---- no swap: reclaim gives up and the OOM killer takes the hog ---------------
for p in fifo clock lru random; do
	"$MMULAB" run --ram 16M --policy $p "$GUEST_BIN/oomhog.elf" 64 tree \
		>out 2>err
	rc=$?
	[ "$rc" = 0 ] && grep -q '^hog: killed by signal 9' out &&
		grep -q '^sibling: exited 0' out &&
		[ "$(grep -c 'Out of memory: Killed process' err)" = 1 ]
	check "oomhog 64 tree without swap, --policy $p: the hog is killed, the sibling lives" $?
done

# ---- local replacement with processes sharing swap ----------------------------
"$MMULAB" run --ram 128M "$GUEST_BIN/bigmem.elf" 12 fork >ref 2>/dev/null
for r in global local:equal local:proportional; do
	rm -f swap.img
	"$MMULAB" run --ram 12M --swap swap.img:128M --policy clock \
		--replacement $r "$GUEST_BIN/bigmem.elf" 12 fork >out 2>err
	rc=$?
	[ "$rc" = 0 ] && cmp -s ref out
	check "bigmem 12 fork --policy clock --replacement $r: exact" $?
done

# ---- determinism ------------------------------------------------------------------
for p in random lru; do
	for i in 1 2; do
		rm -f swap.img
		"$MMULAB" run --ram 8M --swap swap.img:128M --policy $p \
			--seed 7 --stats-file s$i.json \
			"$GUEST_BIN/bigmem.elf" 16 >/dev/null 2>&1
	done
	[ "$(counters s1.json)" = "$(counters s2.json)" ]
	check "--policy $p --seed 7 twice: identical counters" $?
done
rm -f swap.img
"$MMULAB" run --ram 8M --swap swap.img:128M --policy random --seed 8 \
	--stats-file s3.json "$GUEST_BIN/bigmem.elf" 16 >/dev/null 2>&1
[ "$(counters s1.json)" != "$(counters s3.json)" ]
check "--policy random: another --seed, other decisions" $?

# ---- --record-refs and replay -------------------------------------------------------
rm -f swap.img
"$MMULAB" run --ram 8M --swap swap.img:128M --policy fifo \
	--stats-file plain.json "$GUEST_BIN/bigmem.elf" 12 >out1 2>/dev/null
rm -f swap.img
"$MMULAB" run --ram 8M --swap swap.img:128M --policy fifo \
	--record-refs refs --stats-file rec.json "$GUEST_BIN/bigmem.elf" 12 \
	>out2 2>/dev/null
rc=$?
[ "$rc" = 0 ] && cmp -s out1 out2 && [ "$(counters plain.json)" = "$(counters rec.json)" ]
check "--record-refs: same output and every counter the same" $?
[ "$(head -n 1 refs)" = "# mmulab-refs 1" ] &&
	[ "$(grep -c '^1 ' refs)" -gt 3072 ] &&
	awk '!/^#/ { if ($0 == prev) exit 1; prev = $0 }' refs
check "the record: header, one line a reference, runs collapsed" $?
"$MMULAB" replay refs --pid 1 --frames 512,1024,2048,4096 --csv >out 2>err
rc=$?
[ "$rc" = 0 ] && [ "$(wc -l <out)" = 21 ] &&
	awk -F, 'NR > 1 { f[$1 "," $2] = $4 }
		END { for (k in f) { split(k, a, ","); o = f[a[1] ",opt"];
			if (o > f[k]) exit 1 } }' out
check "replay of the record: 4 frame counts x 5 policies, opt the least" $?
"$MMULAB" replay refs --frames 1024 --policy opt,lru >out 2>err
[ $? = 0 ] && grep -q '^# refs: [0-9]* references to [0-9]* pages' out &&
	[ "$(wc -l <out)" = 3 ]
check "replay table: header, one row" $?

# ---- Belady's anomaly ---------------------------------------------------------------
echo "1 2 3 4 1 2 5 1 2 3 4 5" >belady
"$MMULAB" replay belady --frames 3,4 --policy fifo --csv >out 2>err
printf 'frames,policy,references,faults,fault_rate\n3,fifo,12,9,0.750000\n4,fifo,12,10,0.833333\n' >want
cmp -s want out
check "Belady's string: FIFO 9 faults with 3 frames, 10 with 4" $?
"$MMULAB" replay belady --frames 3 --policy opt --csv >out 2>err
grep -q '^3,opt,12,7,' out
check "Belady's string: OPT 7 faults with 3 frames" $?
"$MMULAB" run --record-refs lb.refs "$GUEST_BIN/lesson_belady.elf" >/dev/null 2>&1 &&
	"$MMULAB" replay lb.refs --pid 1 --pages 40000-40004 --frames 3,4 \
		--policy fifo --csv >out 2>err
cmp -s want out
check "lesson_belady recorded, its five data pages replayed: FIFO 9 then 10" $?
"$MMULAB" replay --string '1 2 3 4 1 2 5 1 2 3 4 5' --frames=3,4 \
	--policy=fifo --csv >out 2>err
cmp -s want out
check "replay --string: the same counts" $?
"$MMULAB" replay --help >out 2>err
[ $? = 0 ] && grep -q -- '--frames' out
check "replay --help" $?

# ---- bad input ------------------------------------------------------------------------
usage_error "run --policy bogus" "--policy" \
	"$MMULAB" run --policy bogus "$GUEST_BIN/hello.elf"
usage_error "run --replacement bogus" "--replacement" \
	"$MMULAB" run --policy fifo --replacement bogus "$GUEST_BIN/hello.elf"
usage_error "run --replacement local with lru2" "--replacement" \
	"$MMULAB" run --replacement local "$GUEST_BIN/hello.elf"
usage_error "run --record-refs into a missing directory" "--record-refs" \
	"$MMULAB" run --record-refs "$tmp/no/such/dir" "$GUEST_BIN/hello.elf"
usage_error "replay --frames 0" "--frames" \
	"$MMULAB" replay belady --frames 0
usage_error "replay --frames 3,x" "--frames" \
	"$MMULAB" replay belady --frames 3,x
usage_error "replay --frames 5-2" "--frames" \
	"$MMULAB" replay belady --frames 5-2
usage_error "replay --policy bogus" "--policy" \
	"$MMULAB" replay belady --frames 3 --policy bogus
usage_error "replay without --frames" "--frames" \
	"$MMULAB" replay belady
usage_error "replay of a missing file" "cannot read $tmp/missing" \
	"$MMULAB" replay "$tmp/missing" --frames 3
printf '# mmulab-refs 1\n1 10\n1 xyz\n' >corrupt
usage_error "replay of a corrupt record" "corrupt:3: corrupt record" \
	"$MMULAB" replay corrupt --frames 3
printf '1 2 banana\n' >words
usage_error "replay of a file of words" "words:1: not a page number" \
	"$MMULAB" replay words --frames 3
usage_error "replay --pid of nobody" "no reference of pid 9" \
	"$MMULAB" replay refs --frames 3 --pid 9
usage_error "replay --pages 5-2" "--pages" \
	"$MMULAB" replay belady --frames 3 --pages 5-2
usage_error "replay --string and a file" "not both" \
	"$MMULAB" replay belady --string 1,2 --frames 3
usage_error "replay --string of words" "--string" \
	"$MMULAB" replay --string 'a b' --frames 3
usage_error "replay --bogus" "--bogus" \
	"$MMULAB" replay belady --frames 3 --bogus

echo "1..$n"
