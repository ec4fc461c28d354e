#!/bin/sh
# NUMA memory policies, pressure stall information and the user/kernel
# split, end to end (TAP).
#
#  - numaswap: pages swapped in come from the mapping's policy nodes;
#  - numapol under --numa 2: get/set_mempolicy and mbind results, Linux's
#    errors, interleaving by task counter and by vma offset, MPOL_MF_STRICT
#    (EIO) and MPOL_MF_MOVE (the pages change node, contents kept), the
#    inherited policy of a child, numa_maps lines;
#  - --numa-policy sets the first process's policy; numa_interleave and
#    numa_miss move in /proc/vmstat; bad values: one line, exit 2;
#  - /proc/pressure/memory: zero for a program that fits, nonzero some and
#    full totals for one that thrashes through swap; the same with --trace;
#  - --vmsplit: the stack top, the mmap base and fixed mappings follow the
#    split; HighMem starts at 896 MiB, 1920 MiB or 2944 MiB; bad values:
#    one line, exit 2;
#  - --wss-interval: VmWSS follows a program's phases, and a run that
#    estimates the working set gives the same output and counters.
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
[ -f "$GUEST_BIN/numapol.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/numa.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
check() { # NAME STATUS: one TAP line; on failure show out/err
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' out err 2>/dev/null | head -12
	fi
}
has() { grep -qxF "$1" out; }

# ---- 1. memory policies ---------------------------------------------------
"$MMULAB" run --numa 2 --ram 64M "$GUEST_BIN/numapol.elf" >out 2>err
check "numapol runs (status $?)" $?
has "start: get_mempolicy 0 mode 0 nodes 0" &&
	has "mems_allowed: 0 nodes 0x3"
check "default policy, MPOL_F_MEMS_ALLOWED" $?
has "bad mode: EINVAL" && has "bind, empty mask: EINVAL" &&
	has "default with nodes: EINVAL" && has "local with nodes: EINVAL" &&
	has "bind, node 20: EINVAL" && has "bind, bad pointer: EFAULT" &&
	has "static|relative: EINVAL" && has "get, bad flags: EINVAL" &&
	has "get, addr without MPOL_F_ADDR: EINVAL" &&
	has "get, MPOL_F_ADDR unmapped: EFAULT" &&
	has "get, MPOL_F_NODE of the default: EINVAL" &&
	has "get, maxnode 1 < nodes: EINVAL" &&
	has "get, bad policy pointer: EFAULT"
check "Linux's errors for bad modes, masks, flags and pointers" $?
has "preferred: get_mempolicy 0 mode 1 nodes 0x2" &&
	has "local: get_mempolicy 0 mode 4 nodes 0" &&
	has "interleave: get_mempolicy 0 mode 3 nodes 0x3"
check "preferred, empty preferred = local, interleave read back" $?
has "task interleave, 8 pages: 0 1 0 1 0 1 0 1" &&
	has "numa_maps: interleave:0-1 anon=8 dirty=8 active=0 N0=4 N1=4 kernelpagesize_kB=4"
check "task interleave alternates nodes; numa_maps line" $?
has "child: get_mempolicy 0 mode 3 nodes 0x3"
check "fork inherits the task policy" $?
has "policy at q+5: 0 mode 3 nodes 0x3" && has "policy at q: 0 mode 0" &&
	has "numa_maps: default anon=4 dirty=4 active=0 N0=4 kernelpagesize_kB=4" &&
	has "numa_maps: interleave:0-1 anon=4 dirty=4 active=0 N0=2 N1=2 kernelpagesize_kB=4"
check "mbind splits the vma; vma interleave by page offset" $?
has "mbind unaligned: EINVAL" && has "mbind bad flags: EINVAL" &&
	has "mbind over a hole: EFAULT" && has "mbind default over a hole: 0" &&
	has "mbind all hole: EFAULT" && has "mbind len 0: 0"
check "mbind errors" $?
has "mbind bind:1 strict on node-0 pages: EIO" && has "after strict: 0 0 0 0" &&
	has "mbind bind:1 strict|move: 0" && has "after move: 1 1 1 1" &&
	has "contents kept: yes" &&
	has "numa_maps: bind:1 anon=4 dirty=4 active=0 N1=4 kernelpagesize_kB=4"
check "MPOL_MF_STRICT gives EIO; MPOL_MF_MOVE migrates, contents kept" $?
grep -q "^numa_maps: default anon=16 dirty=16 active=0 N0=[0-9]* N1=[0-9]* kernelpagesize_kB=4$" out
check "mbind default merges the vmas back" $?

# ---- 2. --numa-policy -------------------------------------------------------
for p in "bind:1 2 0x2" "interleave:0-1 3 0x3" "preferred:1 1 0x2" "local 4 0"; do
	set -- $p
	"$MMULAB" run --numa 2 --ram 64M --numa-policy "$1" \
		"$GUEST_BIN/numapol.elf" >out 2>err
	head -n 1 out | grep -qxF "start: get_mempolicy 0 mode $2 nodes $3"
	check "--numa-policy $1: the first process starts with it" $?
done
"$MMULAB" run --numa 2 --ram 64M --numa-policy interleave:0-1 \
	--dump-proc vmstat "$GUEST_BIN/hello.elf" >out 2>err
il=$(sed -n 's/^numa_interleave //p' err)
[ "${il:-0}" -gt 0 ]
check "interleave: numa_interleave moves ($il)" $?
"$MMULAB" run --numa 2 --ram 64M --numa-policy bind:1 \
	--dump-proc vmstat "$GUEST_BIN/hello.elf" >out 2>err
hit=$(sed -n 's/^numa_hit //p' err)
other=$(sed -n 's/^numa_other //p' err)
# Linux counts a bind allocation against the first allowed zone: a hit
# on node 1, and other_node (the CPU is on node 0).
[ "${hit:-0}" -gt 0 ] && [ "${other:-0}" -gt 0 ]
check "bind:1: numa_hit ($hit) and numa_other ($other) move" $?
"$MMULAB" run --numa 2 --ram 64M --numa-policy preferred:1 \
	--dump-proc vmstat "$GUEST_BIN/hello.elf" >out 2>err
other=$(sed -n 's/^numa_other //p' err)
[ "${other:-0}" -gt 0 ]
check "preferred:1: numa_other moves ($other)" $?
"$MMULAB" run --numa 2 --ram 64M --numa-policy bind:1 \
	--dump-proc zoneinfo "$GUEST_BIN/hello.elf" >out 2>err
# Per zone, as CONFIG_NUMA prints them: node 1's Normal zone got the hits.
awk '/^Node 1, zone +Normal/ { z = 1; next } /^Node/ { z = 0 }
     z && $1 == "numa_hit" && $2 > 0 { ok = 1 } END { exit !ok }' err
check "zoneinfo: per-zone numa_hit on node 1 under bind:1" $?
"$MMULAB" run --ram 64M --dump-proc zoneinfo "$GUEST_BIN/hello.elf" >out 2>err
! grep -q numa_hit err
check "zoneinfo without --numa: no numa lines (as before)" $?
for bad in bind:2 bind: foo interleave:1-0 preferred:0-1 local:0; do
	"$MMULAB" run --numa 2 --numa-policy "$bad" "$GUEST_BIN/hello.elf" \
		>out 2>err
	rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] &&
		grep -q '^mmulab: --numa-policy: ' err && [ ! -s out ]
	check "--numa-policy $bad: one line, exit 2" $?
done

# A page bound to node 1 goes to swap and comes back on node 1.
rm -f swap.img
"$MMULAB" run --numa 2 --ram 32M --swap swap.img:64M --stats --json \
	"$GUEST_BIN/numaswap.elf" 256 >out 2>err
rc=$?
[ "$rc" = 0 ] && has "swapped in: node 0: 0 pages, node 1: 256 pages, other: 0" &&
	has "read back: 0 bad words" &&
	grep -q '"pswpin": *256[,}]' err
check "swap-in follows the mapping's policy: 256 pages back on node 1" $?

# ---- 3. pressure stall information ------------------------------------------
"$MMULAB" run --ram 64M "$GUEST_BIN/psimem.elf" 4 2 >out 2>err
[ "$(grep -c '^some avg10=0.00 avg60=0.00 avg300=0.00 total=0$' out)" = 3 ] &&
	[ "$(grep -c '^full avg10=0.00 avg60=0.00 avg300=0.00 total=0$' out)" = 3 ]
check "a program that fits: no pressure, Linux's format" $?
SW="--ram 16M --swap $tmp/swap.img:128M"
"$MMULAB" run $SW "$GUEST_BIN/psimem.elf" 24 2 >out 2>err
cp out psi.ref
some=$(sed -n '/pressure\/memory/{n;s/^some .* total=\([0-9]*\)$/\1/p;}' out)
full=$(sed -n '/pressure\/memory/{n;n;s/^full .* total=\([0-9]*\)$/\1/p;}' out)
[ "${some:-0}" -gt 0 ] && [ "${full:-0}" -gt 0 ]
check "thrashing 24 MiB in 16M: memory some=$some full=$full us" $?
rm -f swap.img
"$MMULAB" run $SW --trace all --trace-file /dev/null \
	"$GUEST_BIN/psimem.elf" 24 2 >out 2>err
cmp -s psi.ref out
check "the same pressure when traced" $?
rm -f swap.img
"$MMULAB" run $SW --stats-file s.json "$GUEST_BIN/psimem.elf" 24 2 >out 2>err
python3 -c 'import json; d = json.load(open("s.json"))["pressure"]; assert d["memory"]["some"] > 0 and d["memory"]["full"] == d["memory"]["some"] and d["cpu"]["full"] == 0' 2>err
check "--stats-file: the pressure totals" $?
# One pass writes 24 MiB once: pages go out, hardly any come back.  Under
# --cost the swap writes of direct reclaim take virtual time, and the
# allocating task stalls on memory for that long (more than swap-ins).
rm -f swap.img
"$MMULAB" run $SW --cost default --stats --json "$GUEST_BIN/psimem.elf" 24 1 \
	>out 2>err
some=$(sed -n '/pressure\/memory/{n;s/^some .* total=\([0-9]*\)$/\1/p;}' out)
pswpin=$(sed -n 's/.*"pswpin": *\([0-9]*\).*/\1/p' err | head -n 1)
stall=$(grep -o '"allocstall_[a-z]*": *[0-9]*' err | awk -F: '{ n += $2 } END { print n + 0 }')
[ "${stall:-0}" -gt 0 ] && [ "${some:-0}" -gt $((${pswpin:-0} * 80 + 1000)) ]
check "direct reclaim under --cost is a memory stall: some=$some us, pswpin $pswpin, allocstall $stall" $?
rm -f swap.img
"$MMULAB" run $SW "$GUEST_BIN/psimem.elf" 40 30 >out 2>err
grep -A1 pressure/memory out | grep -q '^some avg10=[0-9]*\.[0-9][0-9] ' &&
	! grep -A1 pressure/memory out | grep -q '^some avg10=0.00 avg60=0.00'
check "thrashing for seconds of virtual time: the averages move" $?

# ---- 4. the user/kernel split -------------------------------------------------
for s in "3G/1G c0000000 0xb7fff000 ok" "2G/2G 80000000 0x77fff000 ENOMEM" \
	 "1G/3G 40000000 0x37fff000 ENOMEM"; do
	set -- $s
	"$MMULAB" run --vmsplit "$1" "$GUEST_BIN/vmsplit.elf" >out 2>err
	has "stack ends at 0x$2" && has "mmap without a hint: $3" &&
		has "MAP_FIXED at 0xb0000000: $4" &&
		has "MAP_FIXED at 0x3f000000: ok"
	check "--vmsplit $1: stack top, mmap base, fixed mappings" $?
done
"$MMULAB" run "$GUEST_BIN/vmsplit.elf" >out 2>err
has "stack ends at 0xc0000000"
check "the default is 3G/1G" $?
for s in "3G/1G 0x38000000" "2G/2G 0x78000000" "1G/3G 0xb8000000"; do
	set -- $s
	"$MMULAB" run --vmsplit "$1" --ram 3G --boot-log \
		"$GUEST_BIN/hello.elf" >out 2>err
	grep -q "HighMem  \[mem 0x00000000${2#0x}-" err
	check "--vmsplit $1 --ram 3G: HighMem starts at $2" $?
done
for bad in 4G/0G 3G 2g/2g ""; do
	"$MMULAB" run --vmsplit "$bad" "$GUEST_BIN/hello.elf" >out 2>err
	rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] &&
		grep -q '^mmulab: --vmsplit: ' err
	check "--vmsplit '$bad': one line, exit 2" $?
done

# ---- 5. working set ---------------------------------------------------------
"$MMULAB" run "$GUEST_BIN/wsphases.elf" >out 2>err
has "small: sum 6451200, VmWSS off"
check "without --wss-interval status has no VmWSS" $?
"$MMULAB" run --wss-interval 100000 "$GUEST_BIN/wsphases.elf" >out 2>err
kb() { sed -n "s/^$1: sum [0-9]*, VmWSS:[^0-9]*\([0-9]*\) kB$/\1/p" out; }
small=$(kb small) large=$(kb large) again=$(kb "small again")
# 64 pages (256 kB) and 1024 pages (4096 kB), plus the code, stack and
# data pages, at most a TLB's worth (128 pages) over.
[ "${small:-0}" -ge 256 ] && [ "$small" -le 768 ] &&
	[ "${large:-0}" -ge 4096 ] && [ "$large" -le 4608 ] &&
	[ "${again:-0}" -ge 256 ] && [ "$again" -le 768 ]
check "VmWSS follows the phases: $small, $large, $again kB" $?
"$MMULAB" run --wss-interval 100000 --stats-file s.json \
	"$GUEST_BIN/wsphases.elf" >out 2>err
python3 -c '
import json, sys
d = json.load(open("s.json"))
assert d["schema_minor"] >= 2
p = d["processes"][0]
assert p["pid"] == 1 and p["wss_windows"] > 10, p
assert 4096 <= p["wss_peak_kb"] <= 4608, p["wss_peak_kb"]
assert 0 < p["wss_kb"] <= p["wss_peak_kb"], p
' 2>err
check "--stats-file: each process's working set, its peak the large phase" $?
rm -f s.json
"$MMULAB" run --stats --json "$GUEST_BIN/hello.elf" >out 2>err
! grep -q '"wss_' err
check "without --wss-interval the JSON has no wss_ keys" $?
"$MMULAB" run --wss-interval 1000000 "$GUEST_BIN/wsphases.elf" >out 2>err
[ "$(kb small)" -ge 4096 ]
check "a window longer than the phase sees both sets ($(kb small) kB)" $?
for prog in "psimem.elf 24 3" "forktree.elf"; do
	rm -f swap.img
	"$MMULAB" run $SW --stats --json "$GUEST_BIN"/$prog >out.1 2>err
	sed -n 's/"options":[^]]*\]//p' err >json.1
	rm -f swap.img
	"$MMULAB" run $SW --wss-interval 5000 --stats --json \
		"$GUEST_BIN"/$prog >out 2>err
	# (less the per-process working sets it adds)
	sed -n 's/"options":[^]]*\]//p' err |
		sed 's/,"wss_kb":[0-9]*,"wss_peak_kb":[0-9]*,"wss_windows":[0-9]*//g' >json.2
	cmp -s out.1 out && cmp -s json.1 json.2 && [ -s json.1 ]
	check "watching the working set changes nothing: $prog" $?
done
printf 'load %s\nstepi 1500000\nwss\nwss 1\npressure memory\n' \
	"$GUEST_BIN/wsphases.elf" |
	"$MMULAB" repl --wss-interval 100000 >out 2>err
w=$(awk '$2 == "wsphases.elf" { print $4; exit }' out)
[ "${w:-0}" -ge 4096 ] && [ "$w" -le 4608 ] &&
	grep -q '^some avg10=0.00 avg60=0.00 avg300=0.00 total=0$' out
check "REPL: wss shows the large phase ($w kB), pressure memory" $?
printf 'wss\n' | "$MMULAB" repl "$GUEST_BIN/hello.elf" >out 2>err
grep -q "working-set estimation is off" out
check "REPL: wss without --wss-interval says how to turn it on" $?
for bad in -1 x 1e3 ""; do
	"$MMULAB" run --wss-interval "$bad" "$GUEST_BIN/hello.elf" >out 2>err
	rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] &&
		grep -q '^mmulab: --wss-interval: ' err
	check "--wss-interval '$bad': one line, exit 2" $?
done

echo "1..$n"
