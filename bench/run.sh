#!/bin/bash
# The benchmark runner (make bench): runs every guest benchmark natively,
# under qemu-riscv32 and under `mmulab run --ram 1G`, alternating the three
# in each of N rounds so that a drift of the host (frequency, other load)
# hits them alike; checks that all checksums agree; prints the median wall
# time of each, the ratio mmulab/qemu against the target, mmulab's MIPS
# (from its own instruction counter, `--stats --json`) and peak RSS; then
# the start-up time and peak RSS of `mmulab run hello`.
#
#   bench/run.sh [-n ROUNDS] [-s SCALE] [BENCH...]
#
# Environment (set by `make bench`): MMULAB, BENCH_BIN, PEAKRSS, GUEST_BIN,
# QEMU_RISCV32; BENCH_RAM (default 1G) is mmulab's --ram for the benchmarks.
# Exit status 1 when a checksum disagrees or a run fails;
# missing a performance target is reported, not an error.

set -u
rounds=3
scale=100
while getopts n:s: opt; do
	case $opt in
	n) rounds=$OPTARG ;;
	s) scale=$OPTARG ;;
	*) echo "usage: $0 [-n ROUNDS] [-s SCALE] [BENCH...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
benches=${*:-compute seq random fault cow lz swap}

here=$(cd "$(dirname "$0")" && pwd)
MMULAB=${MMULAB:-./mmulab}
BENCH_BIN=${BENCH_BIN:-bench/bin}
PEAKRSS=${PEAKRSS:-bench/peakrss}
GUEST_BIN=${GUEST_BIN:-guest/bin}
QEMU=${QEMU_RISCV32:-qemu-riscv32}
ram=${BENCH_RAM:-1G}
[ "$QEMU" = no ] && QEMU=
if [ -n "$QEMU" ] && ! command -v "$QEMU" >/dev/null 2>&1; then
	QEMU=
fi
[ -n "$QEMU" ] || echo "qemu-riscv32 not found: its column stays empty" >&2
for f in "$MMULAB" "$PEAKRSS"; do
	[ -x "$f" ] || { echo "$0: $f is not built" >&2; exit 2; }
done

# targets for mmulab/qemu, from issue 5
declare -A target=([compute]=4 [seq]=4 [random]=3 [fault]=0.75 [cow]=1.0)

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# mmulab's options per benchmark (default --ram $ram): swap runs in 16M
# with a 256M swap file, so nearly every page goes out and back in.
declare -A mmopts=([swap]="--ram 16M --swap $tmp/swap.img:256M")
status=0

median() { # numbers on stdin -> median
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run NAME ROUND CMD...: time one run into $tmp/NAME.ROUND.{out,err,t}
run() {
	local name=$1 round=$2
	shift 2
	"$PEAKRSS" -o "$tmp/$name.$round.t" "$@" >"$tmp/$name.$round.out" \
		2>"$tmp/$name.$round.err"
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name (round $round) exited $rc: $(head -c 300 "$tmp/$name.$round.err")" >&2
		status=1
	fi
}

printf '%-8s %9s %9s %9s %8s %7s %8s %9s %9s\n' bench native_s qemu_s \
	mmulab_s mm/qemu target MIPS mm_rssMiB qemu_rssM
for b in $benches; do
	elf=$BENCH_BIN/$b.elf native=$BENCH_BIN/$b.native
	if [ ! -f "$elf" ] || [ ! -x "$native" ]; then
		echo "FAIL: $b: $elf or $native missing (make bench-progs)" >&2
		status=1
		continue
	fi
	for r in $(seq 1 "$rounds"); do
		run "$b.native" "$r" "$native" "$scale"
		[ -n "$QEMU" ] && run "$b.qemu" "$r" "$QEMU" "$elf" "$scale"
		rm -f "$tmp/swap.img"
		run "$b.mmulab" "$r" "$MMULAB" run ${mmopts[$b]:---ram $ram} \
			--stats --json "$elf" "$scale"
	done
	ref=$tmp/$b.native.1.out
	for f in "$tmp/$b".*.out; do
		if ! cmp -s "$ref" "$f"; then
			echo "FAIL: $b: checksum of $(basename "$f" .out) '$(cat "$f")' != native '$(cat "$ref")'" >&2
			status=1
		fi
	done
	t_nat=$(cat "$tmp/$b".native.*.t | awk '{print $1}' | median)
	t_mm=$(cat "$tmp/$b".mmulab.*.t | awk '{print $1}' | median)
	rss_mm=$(cat "$tmp/$b".mmulab.*.t | awk '{print $2}' | median)
	t_q=nan rss_q=nan
	if [ -n "$QEMU" ]; then
		t_q=$(cat "$tmp/$b".qemu.*.t | awk '{print $1}' | median)
		rss_q=$(cat "$tmp/$b".qemu.*.t | awk '{print $2}' | median)
	fi
	insns=$(grep -o '"instructions":[0-9]*' "$tmp/$b.mmulab.1.err" |
		head -1 | cut -d: -f2)
	awk -v b="$b" -v tn="$t_nat" -v tq="$t_q" -v tm="$t_mm" \
		-v tg="${target[$b]:-}" -v ni="${insns:-0}" -v rm="$rss_mm" \
		-v rq="$rss_q" 'BEGIN {
		ratio = (tq == "nan" || tq == 0) ? "-" : sprintf("%.2f", tm / tq);
		mark = "";
		if (tg != "" && ratio != "-")
			mark = (tm / tq <= tg) ? " ok" : " MISS";
		printf "%-8s %9.3f %9s %9.3f %8s %7s %8.0f %9.1f %9s%s\n", b, tn,
			tq == "nan" ? "-" : sprintf("%.3f", tq), tm, ratio,
			tg == "" ? "-" : tg, ni / tm / 1e6, rm / 1024,
			rq == "nan" ? "-" : sprintf("%.1f", rq / 1024), mark }'
	if [ "$b" = swap ]; then
		# host time per page swapped out and back in (a round trip)
		out=$(grep -o '"pswpout": *[0-9]*' "$tmp/$b.mmulab.1.err" | grep -o '[0-9]*$')
		in=$(grep -o '"pswpin": *[0-9]*' "$tmp/$b.mmulab.1.err" | grep -o '[0-9]*$')
		awk -v o="${out:-0}" -v i="${in:-0}" -v tm="$t_mm" 'BEGIN {
			rt = o < i ? o : i;
			if (rt == 0) { print "swap: no page was swapped (MISS)"; exit }
			us = tm / rt * 1e6;
			printf "swap: %d pages out, %d in: %.2f us of host time per round trip (target <= 10)%s\n",
				o, i, us, us <= 10 ? " ok" : " MISS" }'
	fi
done

# Start-up and footprint: `mmulab run hello` (median of 11) and the peak RSS
# of `mmulab run --ram 1G hello`.
hello=$GUEST_BIN/hello.elf
if [ -f "$hello" ]; then
	for r in $(seq 1 11); do
		run hello.start "$r" "$MMULAB" run "$hello"
		run hello.1g "$r" "$MMULAB" run --ram 1G "$hello"
	done
	t_start=$(cat "$tmp"/hello.start.*.t | awk '{print $1}' | median)
	rss_1g=$(cat "$tmp"/hello.1g.*.t | awk '{print $2}' | median)
	awk -v t="$t_start" -v r="$rss_1g" 'BEGIN {
		printf "start-up of mmulab run hello: %.1f ms (target < 20)%s\n",
			t * 1000, t * 1000 < 20 ? " ok" : " MISS";
		printf "peak RSS of mmulab run --ram 1G hello: %.1f MiB (target < 32)%s\n",
			r / 1024, r / 1024 < 32 ? " ok" : " MISS" }'
else
	echo "no $hello: start-up not measured (make guest)" >&2
fi
exit $status
