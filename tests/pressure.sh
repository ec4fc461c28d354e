#!/bin/sh
# Memory pressure: reclaim, swap and the OOM killer, end to end (TAP).
#
#  - bigmem writes 4x --ram and reads it back bit-exact through swap, with
#    pswpout and pswpin moving; a fork tree sharing swap stays exact;
#  - every case of tests/diff/cases.txt gives under --ram 16M --swap the
#    stdout and status of the same run without swap;
#  - without swap the OOM killer takes the hog (Linux's report), a small
#    sibling survives, and run exits 137 when the hog is pid 1;
#  - MAP_SHARED and written file data reach the host under pressure;
#  - two identical runs under pressure give identical --stats --json (every counter);
#  - bad swap images are refused with one line and exit 2; an injected
#    swap I/O error gives the faulting task SIGBUS and no crash.
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
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/bigmem.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pressure.XXXXXX") || exit 99
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
# A counter from the --json line in err.
counter() {
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" err | head -n 1
}
SW="--ram 16M --swap $tmp/swap.img:256M"

# ---- 1. swap round trips ----------------------------------------------------
"$MMULAB" run --ram 128M "$GUEST_BIN/bigmem.elf" 64 >ref 2>/dev/null
rm -f swap.img
"$MMULAB" run $SW --stats --json "$GUEST_BIN/bigmem.elf" 64 >out 2>err
rc=$?
[ "$rc" = 0 ] && cmp -s ref out && grep -q ', 0 bad words' out
check "bigmem 64 MiB in 16M RAM: same checksum as with 128M" $?
[ "$(counter pswpout)" -gt 0 ] 2>/dev/null &&
	[ "$(counter pswpin)" -gt 0 ] 2>/dev/null
check "bigmem: pswpout $(counter pswpout) and pswpin $(counter pswpin) > 0" $?
od -A d -t x1 -j 4086 -N 10 swap.img | grep -q '53 57 41 50 53 50 41 43 45 32'
check "the swap file has the SWAPSPACE2 signature" $?

"$MMULAB" run --ram 128M "$GUEST_BIN/bigmem.elf" 24 fork >ref 2>/dev/null
rm -f swap.img
"$MMULAB" run $SW --stats --json "$GUEST_BIN/bigmem.elf" 24 fork >out 2>err
rc=$?
[ "$rc" = 0 ] && cmp -s ref out && [ "$(counter pswpin)" -gt 0 ]
check "24 MiB fork tree under pressure is bit-exact (pswpin $(counter pswpin))" $?

# ---- 2. the guest suite under pressure --------------------------------------
# Each case under --ram 16M --swap must match the same run without swap.
# The second pass also raises min_free_kbytes to 12000 (watermarks above
# what these small programs leave free): kswapd and direct reclaim then
# evict their pages all the time, text and stacks included.
grep -v '^[[:space:]]*\(#.*\)\{0,1\}$' "$here/diff/cases.txt" >cases.list
suite() { # LABEL OPTIONS...
	label=$1
	shift
	while IFS= read -r line; do
		input=/dev/null
		case $line in
		*'<'*)
			input=${line##*<}
			line=${line%<*}
			input=$(echo $input)
			eval "input=\"$input\""
			case $input in
			/*) ;;
			*) input=$here/diff/$input ;;
			esac
			;;
		esac
		desc=$(echo "$line" | sed 's/[[:space:]]*$//')
		eval "set -- $(echo "$line" | sed 's|@BIN@||g')"
		name=$1
		shift
		root=
		case $line in *@BIN@*) root="--root $GUEST_BIN" ;; esac
		rm -rf r1 r2 && mkdir r1 r2
		(cd r1 && "$MMULAB" run --ram 16M $root "$GUEST_BIN/$name.elf" \
			"$@" <"$input" >../ref 2>/dev/null)
		r1=$?
		rm -f swap.img
		(cd r2 && "$MMULAB" run $SW $opts $root "$GUEST_BIN/$name.elf" \
			"$@" <"$input" >../out 2>../err)
		r2=$?
		[ "$r1" = "$r2" ] && cmp -s ref out
		check "$label: $desc" $?
	done <cases.list
}
opts= suite "under pressure"
opts="--sysctl min_free_kbytes=12000" suite "reclaiming all the time"

# ---- 3. the OOM killer ------------------------------------------------------
"$MMULAB" run --ram 16M --stats --json "$GUEST_BIN/oomhog.elf" 64 >out 2>err
rc=$?
[ "$rc" = 137 ]
check "a hog that is pid 1 is OOM-killed: exit 137" $?
grep -q 'oomhog.elf invoked oom-killer: gfp_mask=0x[0-9a-f]*(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0' err &&
	grep -q '^\[.*\] \[  pid  \]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name' err &&
	grep -q 'Out of memory: Killed process 1 (oomhog.elf) total-vm:[0-9]*kB, anon-rss:[0-9]*kB, file-rss:[0-9]*kB, shmem-rss:[0-9]*kB, UID:0 pgtables:[0-9]*kB oom_score_adj:0' err &&
	grep -q 'Mem-Info:' err && [ "$(counter oom_kill)" = 1 ]
check "the OOM report has Linux's lines and oom_kill is 1" $?
"$MMULAB" run --ram 16M "$GUEST_BIN/oomhog.elf" 64 tree >out 2>err
rc=$?
printf 'sibling: 0 bad bytes\nhog: killed by signal 9\nsibling: exited 0\n' >ref
[ "$rc" = 0 ] && cmp -s ref out
check "the hog child is killed (WTERMSIG 9), its small sibling survives" $?
"$MMULAB" run --ram 16M --sysctl panic_on_oom=1 "$GUEST_BIN/oomhog.elf" 64 tree >out 2>err
rc=$?
[ "$rc" = 137 ] && grep -q 'Kernel panic - not syncing: Out of memory' err
check "vm.panic_on_oom=1 stops the machine" $?
"$MMULAB" run --ram 16M --sysctl oom_kill_allocating_task=1 "$GUEST_BIN/oomhog.elf" 64 tree >out 2>err
rc=$?
[ "$rc" = 0 ] && grep -q 'hog: killed by signal 9' out
check "vm.oom_kill_allocating_task=1 kills the allocating hog" $?

# ---- 4. file data under pressure --------------------------------------------
rm -rf f1 f2 f3 && mkdir f1 f2 f3
"$MMULAB" run --root f1 --ram 128M "$GUEST_BIN/filepress.elf" 24 >/dev/null 2>&1
"$MMULAB" run --root f2 --ram 16M --stats --json "$GUEST_BIN/filepress.elf" 24 >out 2>err
rc=$?
[ "$rc" = 0 ] && [ "$(counter nr_vmscan_write)" -gt 0 ] &&
	cmp f1/shared.dat f2/shared.dat && cmp f1/written.dat f2/written.dat
check "MAP_SHARED and written files reach the host after eviction (no swap)" $?
rm -f swap.img
"$MMULAB" run --root f3 $SW "$GUEST_BIN/filepress.elf" 24 >out 2>err
rc=$?
[ "$rc" = 0 ] && cmp f1/shared.dat f3/shared.dat &&
	cmp f1/written.dat f3/written.dat
check "MAP_SHARED and written files reach the host (with swap)" $?

# ---- 5. determinism ---------------------------------------------------------
rm -f swap.img
"$MMULAB" run $SW --stats --json "$GUEST_BIN/bigmem.elf" 24 fork >out 2>err1
rm -f swap.img
"$MMULAB" run $SW --stats --json "$GUEST_BIN/bigmem.elf" 24 fork >out 2>err2
grep '^{' err1 >j1
grep '^{' err2 >j2
[ -s j1 ] && cmp -s j1 j2
check "two runs under pressure give identical --stats --json (every counter)" $?

# ---- 5b. util-linux interoperability -----------------------------------------
mkswap=$(command -v mkswap || echo /sbin/mkswap)
if [ -x "$mkswap" ]; then
	head -c 16777216 /dev/zero >mk.img && chmod 600 mk.img &&
		"$mkswap" -L mmulab mk.img >/dev/null 2>&1
	"$MMULAB" run --ram 128M "$GUEST_BIN/bigmem.elf" 28 >ref 2>/dev/null
	"$MMULAB" run --ram 16M --swap "$tmp/mk.img" --stats --json \
		"$GUEST_BIN/bigmem.elf" 28 >out 2>err
	rc=$?
	[ "$rc" = 0 ] && cmp -s ref out && [ "$(counter pswpout)" -gt 0 ]
	check "a file made by mkswap is used (28 MiB in 16M RAM + 16M swap)" $?
else
	n=$((n + 1))
	echo "ok $n - a file made by mkswap is used # SKIP no mkswap"
fi
blkid=$(command -v blkid || echo /sbin/blkid)
if [ -x "$blkid" ]; then
	rm -f swap.img
	"$MMULAB" run --ram 16M --swap "$tmp/swap.img:1M" "$GUEST_BIN/hello.elf" >out 2>err
	"$blkid" -p swap.img >out 2>err
	grep -q 'TYPE="swap"' out && grep -q 'VERSION="1"' out
	check "blkid recognises mmulab's swap file (TYPE swap, version 1)" $?
else
	n=$((n + 1))
	echo "ok $n - blkid recognises mmulab's swap file # SKIP no blkid"
fi

# ---- 6. swapon, swapoff, /proc/swaps, oom_score ---------------------------
rm -rf sc && mkdir sc
"$MMULAB" run --root sc --ram 16M --swap "$tmp/sc/swap.img:64M" \
	"$GUEST_BIN/swapctl.elf" /swap.img 20 >out 2>err
rc=$?
if [ "$rc" = 77 ]; then
	n=$((n + 1))
	echo "ok $n - swapoff brings every page back # SKIP no CAP_SYS_ADMIN"
else
	cat >ref <<'EOF'
VmSwap > 0: yes
/proc/swaps header: ok
oom_score_adj 0, oom_score > 0: yes
oom_score_adj now 500
swapoff: 0
SwapTotal after swapoff: 0 kB, VmSwap 0 kB
after swapoff: 0 bad words
swapon: 0, SwapTotal > 0: yes
swapon again: -16 (EBUSY is -16)
after swapon: 0 bad words
EOF
	[ "$rc" = 0 ] && cmp -s ref out
	check "swapoff brings every page back, swapon again, /proc/swaps, oom_score_adj" $?
fi

# ---- 7. bad images and I/O errors -------------------------------------------
bad() { # NAME SPEC: refused with one line, exit 2
	"$MMULAB" run --ram 16M --swap "$2" "$GUEST_BIN/hello.elf" >out 2>err
	rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q '^mmulab: --swap: ' err
	check "$1 is refused with one line and exit 2" $?
}
bad "a missing image" "$tmp/missing.img"
head -c 20000 /dev/zero >small.img
bad "a too small image" "$tmp/small.img"
head -c 1048576 /dev/zero >nosig.img
bad "an image without a swap signature" "$tmp/nosig.img"
bad "an image size below 40 KiB" "$tmp/tiny.img:8K"
bad "a directory" "$tmp"
bad "an unwritable image" "/proc/version"
rm -f swap.img
"$MMULAB" run --ram 16M --swap "$tmp/swap.img:64M" "$GUEST_BIN/hello.elf" >out 2>err &&
	head -c 8192 swap.img >trunc.img
bad "a truncated image" "$tmp/trunc.img"
rm -f swap.img
"$MMULAB" run --ram 16M --swap "$tmp/swap.img:32M:prio=5" "$GUEST_BIN/procself.elf" >out 2>err
[ $? = 0 ]
check "--swap FILE:SIZE:prio=N creates the image" $?
rm -f swap.img
MMULAB_SWAP_FAIL_NTH=r1 "$MMULAB" run $SW "$GUEST_BIN/bigmem.elf" 64 >out 2>err
rc=$?
[ "$rc" = 135 ] && ! grep -q 'kernel BUG' err && grep -q 'bigmem.elf\[1\]: unhandled signal 7' err
check "a swap read error: the task gets SIGBUS (exit 135), no crash" $?
rm -f swap.img
MMULAB_SWAP_FAIL_NTH=w100 "$MMULAB" run $SW "$GUEST_BIN/bigmem.elf" 64 >out 2>err
rc=$?
"$MMULAB" run --ram 128M "$GUEST_BIN/bigmem.elf" 64 >ref 2>/dev/null
[ "$rc" = 0 ] && cmp -s ref out
check "a swap write error loses nothing: the page stays in RAM" $?

echo "1..$n"
exit 0
