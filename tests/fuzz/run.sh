#!/bin/sh
# The fuzz targets (tests/fuzz/local.mk, docs/fuzzing.md).
#
#   run.sh                          make check: each target a few seconds
#                                   from its committed seed corpus, then
#                                   every input under regress/TARGET once (TAP)
#   run.sh --long TARGET SECS DIR   make fuzz: TARGET for SECS seconds,
#                                   new inputs into DIR/TARGET, crashes
#                                   into DIR/TARGET-crashes/; $FUZZ_ARGS
#                                   are more libFuzzer options
#
# New inputs never go into the committed corpus: libFuzzer writes into the
# first directory it is given, which is always a scratch one.
src=$(cd "${srcdir:-.}/tests/fuzz" && pwd) || exit 99
TARGETS="fuzz_elf fuzz_exec fuzz_syscall fuzz_procfs fuzz_path fuzz_rsp fuzz_repl"
# Per target: the longest input worth trying.
max_len() {
	case $1 in
	fuzz_elf) echo 65536 ;;
	fuzz_procfs) echo 1024 ;;
	fuzz_repl) echo 512 ;;
	*) echo 4096 ;;
	esac
}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export UBSAN_OPTIONS
# fuzz_repl loads this program (from any directory)
if [ -z "$MMULAB_FUZZ_ELF" ] && [ -n "$GUEST_BIN" ]; then
	MMULAB_FUZZ_ELF=$(cd "$GUEST_BIN" 2>/dev/null && pwd)/hello.elf
	export MMULAB_FUZZ_ELF
fi

if [ "$1" = --long ]; then
	t=$2 secs=$3 out=$4
	mkdir -p "$out/$t" "$out/$t-crashes" || exit 1
	log="$out/$t.log"
	echo "fuzz: $t for ${secs}s into $out/$t (log: $log)"
	"$FUZZ_BIN/$t" -max_total_time="$secs" -max_len="$(max_len "$t")" \
		-timeout=20 -print_final_stats=1 \
		-artifact_prefix="$out/$t-crashes/" $FUZZ_ARGS \
		"$out/$t" "$src/corpus/$t" >"$log" 2>&1
	rc=$?
	grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|^stat::number_of_executed_units|^stat::average_exec_per_sec' "$log"
	[ $rc = 0 ] || { tail -40 "$log"; echo "fuzz: $t failed (exit $rc)"; }
	exit $rc
fi

if [ "$HAVE_FUZZ" != yes ]; then
	echo "1..0 # SKIP fuzz targets not configured (need clang and libFuzzer: Debian packages clang libclang-rt-14-dev)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzzcheck.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

echo "1..$((2 * $(echo $TARGETS | wc -w)))"
n=0
for t in $TARGETS; do
	n=$((n + 1))
	mkdir -p "scratch-$t"
	if "$FUZZ_BIN/$t" -max_total_time=3 -runs=200000 -timeout=20 \
		-max_len="$(max_len "$t")" -artifact_prefix="$tmp/" \
		"scratch-$t" "$src/corpus/$t" >log 2>&1; then
		echo "ok $n - $t: $(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE *\(cov: [0-9]* ft: [0-9]*\).*/\1 runs, \2/p' log | head -1)"
	else
		echo "not ok $n - $t"
		tail -40 log | sed 's/^/# /'
	fi
	n=$((n + 1))
	set -- "$src/regress/$t"/*
	if [ ! -f "$1" ]; then
		echo "ok $n - $t regressions # SKIP none recorded"
	elif "$FUZZ_BIN/$t" -runs=1 "$@" >log 2>&1; then
		echo "ok $n - $t regressions: $# inputs replayed"
	else
		echo "not ok $n - $t regressions"
		tail -40 log | sed 's/^/# /'
	fi
done
