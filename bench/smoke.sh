#!/bin/sh
# Smoke test of the guest benchmarks for `make check`: each benchmark runs
# at scale 1 (tiny sizes) natively and under `mmulab run --ram 1G`, and the
# checksum lines must be identical.  Times are never looked at.
#
# Environment (tests/local.mk): MMULAB; BENCH_BIN defaults to bench/bin
# next to the mmulab binary.  Output: TAP.

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

[ -n "$MMULAB" ] && [ -x "$MMULAB" ] || skip_all "MMULAB not set or not built"
bin=${BENCH_BIN:-$(dirname "$MMULAB")/bench/bin}
progs="compute random seq fault cow lz"
[ -f "$bin/compute.elf" ] || skip_all "no guest benchmarks in $bin (guest toolchain missing)"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

set -- $progs
echo "1..$#"
n=0
for p in $progs; do
	n=$((n + 1))
	if ! "$bin/$p.native" 1 >"$tmp/native" 2>"$tmp/native.err"; then
		echo "not ok $n - $p: native run failed: $(head -c 200 "$tmp/native.err")"
		continue
	fi
	"$MMULAB" run --ram 1G "$bin/$p.elf" 1 >"$tmp/mmulab" 2>"$tmp/mmulab.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "not ok $n - $p: mmulab exited $rc: $(head -c 200 "$tmp/mmulab.err")"
	elif ! grep -q "^$p checksum [0-9a-f]\{8\}\$" "$tmp/native"; then
		echo "not ok $n - $p: no checksum line from the native run"
	elif cmp -s "$tmp/native" "$tmp/mmulab"; then
		echo "ok $n - $p $(cat "$tmp/mmulab")"
	else
		echo "not ok $n - $p: native '$(cat "$tmp/native")' mmulab '$(cat "$tmp/mmulab")'"
	fi
done
