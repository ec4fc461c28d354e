#!/bin/sh
# Hostile guests (mmulab only; TAP).  Each program attacks one limit of the
# kernel; each test checks the guest got Linux's error, the emulator ended
# normally (no host crash, no runaway output), and the emulator's own host
# memory stayed bounded: peak RSS at most the guest RAM plus a fixed
# allowance (HOST_RSS_SLACK_KB, documented in docs/robustness.md).
# The kernel's leak checks after each program run in test_kernel.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
PEAKRSS=${PEAKRSS:-$(dirname "$MMULAB")/bench/peakrss}
HOST_RSS_SLACK_KB=24576
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/hostile_efault.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostile.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
cp "$GUEST_BIN"/hostile_*.elf .

echo 1..17
n=0
check() { # NAME STATUS
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' out err 2>/dev/null | tail -8
	fi
}
# run RAM_MB PROG [ARGS]: status in $rc, peak host RSS (KiB) in $rss
run() {
	ram=$1
	shift
	if [ -x "$PEAKRSS" ]; then
		"$PEAKRSS" -o rss "$MMULAB" run --ram "${ram}M" "$@" >out 2>err </dev/null
		rc=$?
		rss=$(cut -d' ' -f2 rss)
	else
		"$MMULAB" run --ram "${ram}M" "$@" >out 2>err </dev/null
		rc=$?
		rss=0
	fi
}
bounded() { # the host RSS of the last run is within RAM + slack
	[ "$rss" -le $((ram * 1024 + HOST_RSS_SLACK_KB)) ] ||
		{ echo "peak RSS ${rss} KiB > ${ram} MiB + slack" >>err; return 1; }
}

run 128 hostile_efault.elf
[ $rc = 0 ] && grep -q '^hostile_efault: 0 call' out
check "every bad pointer to every system call gives EFAULT" $?
bounded
check "efault: host memory bounded" $?

run 128 hostile_limits.elf mmaps
[ $rc = 0 ] && grep -q '^mmaps    ok' out && grep -q '^mmaps: 6552[0-9] mapped' out
check "100,000 mmaps: ENOMEM at vm.max_map_count" $?
bounded
check "mmaps: host memory bounded" $?

run 128 hostile_limits.elf fds
[ $rc = 0 ] && grep -q '^open     ok' out && grep -q '^dup      ok' out &&
	grep -q '^pipe2    ok' out && grep -q '^fds: 197 opened, highest 199' out
check "descriptors: EMFILE at RLIMIT_NOFILE for open, dup and pipe2" $?

run 32 hostile_limits.elf fork
[ $rc = 0 ] && grep -q '^fork     ok' out && grep -q '^fork: 0 left' out
check "fork bomb: EAGAIN at the kernel's threads-max, all reaped" $?
bounded
check "fork bomb: host memory bounded" $?
[ "$(wc -c <err)" -lt 4096 ]
check "fork bomb: stderr stays small" $?

run 128 hostile_limits.elf argv
[ $rc = 0 ] && grep -q '^execve   ok' out
check "execve with 3 MiB of arguments: E2BIG" $?

run 8 hostile_kmem.elf tables
[ $rc = 137 ] && grep -q 'Out of memory: Killed process 1 (hostile_kmem.el)' err
check "page tables exhaust RAM: the task is killed, exit 137" $?
bounded
check "page tables: host memory bounded" $?

# Kernel memory exhausted through vmas: Linux either fails the call
# (ENOMEM) or, when an allocation cannot wait, runs the OOM killer.
killed_or_enomem() {
	{ [ $rc = 0 ] &&
		grep -q '^vmas: mprotect failed after [0-9]* splits, errno 12' out; } ||
	{ [ $rc = 137 ] && grep -q 'Out of memory: Killed process 1' err; }
}
run 4 hostile_kmem.elf vmas
killed_or_enomem
check "vmas exhaust kernel memory: ENOMEM or the OOM killer" $?

run 4 hostile_kmem.elf retry
killed_or_enomem
check "2000 more failing attempts: still ENOMEM or the OOM killer" $?
warns=$(grep -c 'page allocation failure' err)
[ "$warns" -le 20 ] && [ "$(wc -l <err)" -le 80 ]
check "their kernel messages stay bounded ($warns warnings, $(wc -l <err) lines)" $?

run 128 hostile_kmem.elf tables
[ $rc = 0 ] && grep -q '^tables: 1280 tables touched' out
check "with RAM enough, 1280 page tables are built and freed" $?

# An endless loop stopped by --max-insns: exit 124 (as timeout(1)), with
# the pages it wrote through a shared mapping and write(2) on disk.
cp "$GUEST_BIN/sharedloop.elf" .
"$MMULAB" run --max-insns 3000000 sharedloop.elf loop >out 2>err </dev/null
rc=$?
[ $rc = 124 ] && grep -q '^mmulab: --max-insns 3000000 reached' err
check "an endless loop stops at --max-insns with status 124" $?
i=0
: >want
for c in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
	head -c 4096 /dev/zero | tr '\0' "$c" >>want
done
for c in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
	head -c 4096 /dev/zero | tr '\0' "$c" >>want
done
for c in A B C D E F G H I J K L; do
	head -c 4096 /dev/zero | tr '\0' "$c" >>want
done
cmp -s want map.dat && cmp -s want wr.dat
check "...and every byte it wrote is in the files" $?
