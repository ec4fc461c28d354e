#!/bin/bash
# How fast `continue` runs under the GDB stub: times a guest program run
# plainly, under `mmulab run --gdb 0` with gdb-multiarch continuing to
# the end with no breakpoint, and with one breakpoint and one watchpoint
# set where the program never goes.  The stub keeps them in the hart
# (src/gdb/gdbstub.c), so all three should take about the same time.
#
#   bench/gdb-continue.sh [PROG.elf]     (default bench/bin/lz.elf)
#
# Environment: MMULAB (default ./mmulab).  Prints seconds (wall) per run.
set -u
MMULAB=${MMULAB:-./mmulab}
prog=${1:-bench/bin/lz.elf}
command -v gdb-multiarch >/dev/null || { echo "gdb-multiarch not installed" >&2; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gdbbench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# under_gdb NAME GDB-ARGS...: seconds from connecting to the guest's end
under_gdb() {
	local name=$1 port= t0 t1
	shift
	"$MMULAB" run --gdb 0 "$prog" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	local pid=$!
	for _ in $(seq 200); do
		port=$(sed -n 's/^mmulab: gdb: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err" 2>/dev/null)
		[ -n "$port" ] && break
		sleep 0.05
	done
	t0=$(now)
	gdb-multiarch -q -batch -nx -ex 'set architecture riscv:rv32' \
		-ex "target remote 127.0.0.1:$port" "$@" -ex continue \
		"$prog" >"$tmp/$name.gdb" 2>&1
	wait $pid
	t1=$(now)
	grep -q 'exited' "$tmp/$name.gdb" || { echo "$name: no exit seen" >&2; cat "$tmp/$name.gdb" >&2; }
	echo "$t1 - $t0" | bc
}

t0=$(now)
"$MMULAB" run "$prog" >/dev/null 2>&1
t1=$(now)
printf '%-36s %8.2f s\n' "plain run" "$(echo "$t1 - $t0" | bc)"
printf '%-36s %8.2f s\n' "gdb continue, no breakpoint" "$(under_gdb none)"
printf '%-36s %8.2f s\n' "gdb continue, 1 breakpoint" \
	"$(under_gdb bp -ex 'break *0x4')"
printf '%-36s %8.2f s\n' "gdb continue, 1 bp + 1 watchpoint" \
	"$(under_gdb wp -ex 'break *0x4' -ex 'watch *(int *)0x8')"
