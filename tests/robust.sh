#!/bin/sh
# Hostile programs and a hostile host: a fork bomb, host signals in the
# middle of a run, a reader that goes away.  mmulab must end cleanly,
# keep its log bounded and lose no file data.  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/forkbomb.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/robust.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
sane() { ! grep -q 'Sanitizer\|runtime error\|kernel BUG' "$1"; }

# 1. A fork bomb under 64M whose children each touch 512 KiB: memory runs
# out before the process limit; the allocation-failure warnings are
# rate-limited (10 per 5 s of virtual time, as Linux's warn_alloc), the
# emulator ends with the guest's status and no crash.
"$MMULAB" run --ram 64M "$GUEST_BIN/forkbomb.elf" -1 512 >out 2>err
rc=$?
warns=$(grep -c 'page allocation failure' err)
size=$(wc -c <err)
if [ "$rc" -lt 128 ] || [ "$rc" = 137 ]; then :; else rc="bad $rc"; fi
case $rc in
bad*) notok "forkbomb: exit status" "$rc" "$(tail -3 err)" ;;
*) ok "forkbomb: ends with a guest status ($rc)" ;;
esac
[ "$warns" -le 20 ] && sane err &&
	ok "forkbomb: $warns allocation-failure lines" ||
	notok "forkbomb: allocation-failure lines" "$warns lines"
# Each OOM kill logs its "Killed process" line (Linux does not limit
# those); the full reports, with their task tables, are rate-limited
# (oom_rs: 10 per 5 s), which keeps a thousand kills near a megabyte.
[ "$size" -lt 2097152 ] && ok "forkbomb: stderr $size bytes" ||
	notok "forkbomb: stderr too big" "$size bytes"

# A bomb limited to 100 children under plenty of RAM forks them all.
"$MMULAB" run "$GUEST_BIN/forkbomb.elf" 100 >out 2>err
rc=$?
[ "$rc" = 0 ] && grep -q 'forked 100 children, reaped 100' out && [ ! -s err ] &&
	ok "forkbomb 100: all reaped" ||
	notok "forkbomb 100" "status $rc" "$(cat out)" "$(head -3 err)"

# A storm of segfaults: 10 lines in the first 5 s of virtual time (as
# Linux's printk_ratelimit), the error code in hex as Linux prints it
# ("error %lx": a fetch fault is 4|16 = 0x14), the count of the dropped
# ones before the next line, and the file's basename after "in".
"$MMULAB" run "$GUEST_BIN/segvstorm.elf" 50 >out 2>err
rc=$?
lines=$(grep -c ': segfault at ' err)
if [ "$rc" = 0 ] && [ "$lines" = 11 ] && grep -q '51 of 51 children died' out &&
	grep -q 'segvstorm.elf\[2\]: segfault at 1000 ip 00001000 sp [0-9a-f]\{8\} error 14$' err &&
	grep -q 'segfault at 10 ip [0-9a-f]\{8\} sp [0-9a-f]\{8\} error 6 in segvstorm.elf\[10000+[0-9a-f]*\]$' err &&
	grep -q '^\[    6\.[0-9]*\] show_signal_msg: 40 callbacks suppressed$' err && sane err; then
	ok "segfault storm: 11 of 51 lines, then 40 callbacks suppressed"
else
	notok "segfault storm" "status $rc, $lines lines" "$(head -3 err)" "$(tail -2 err)"
fi

# 2. A host signal in the middle of a run: the guest stops at the next
# slice, every byte it wrote to files (through a MAP_SHARED mapping and
# through write(2) into the page cache) reaches the host files, one line
# says so, and the status is 128+signal.
expect_pages() {
	# expect_pages FILE: 64 pages, page i all 'A' + i % 26
	i=0
	: >want
	while [ $i -lt 64 ]; do
		c=$(printf "\\$(printf %o $((65 + i % 26)))")
		head -c 4096 /dev/zero | tr '\0' "$c" >>want
		i=$((i + 1))
	done
	cmp -s want "$1"
}
for sig in TERM:143 INT:130 HUP:129 QUIT:131; do
	name=${sig%:*}
	want=${sig#*:}
	rm -rf sl && mkdir sl
	(
		cd sl || exit 99
		exec "$MMULAB" run --root . "$GUEST_BIN/sharedloop.elf" loop >out 2>err
	) &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q ready sl/out 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -$name $pid
	wait $pid
	rc=$?
	if [ "$rc" = "$want" ] && expect_pages sl/map.dat && expect_pages sl/wr.dat &&
		[ "$(cat sl/err)" = "mmulab: interrupted by SIG$name; file data written back" ]; then
		ok "SIG$name mid-run: status $rc, 128 KiB of file data on disk"
	else
		notok "SIG$name mid-run" "status $rc (want $want)" "$(head -3 sl/err)" \
			"$(ls -l sl 2>&1 | tr '\n' ' ')"
	fi
done

# 3. A reader that goes away: the guest gets SIGPIPE (status 141, as
# qemu-riscv32 and Linux give), or EPIPE when it ignores SIGPIPE; the
# emulator itself survives and says nothing.
( "$MMULAB" run "$GUEST_BIN/yes.elf" -f 2>err; echo $? >rc ) | head -1 >out
rc=$(cat rc)
[ "$rc" = 141 ] && [ "$(cat out)" = y ] && [ ! -s err ] &&
	ok "| head -1: guest killed by SIGPIPE (141)" ||
	notok "| head -1" "status $rc" "$(head -3 err)"
( "$MMULAB" run "$GUEST_BIN/yes.elf" -f -i 2>err; echo $? >rc ) | head -1 >out
rc=$(cat rc)
[ "$rc" = 3 ] && [ "$(cat err)" = "yes: write: EPIPE" ] &&
	ok "| head -1 with SIGPIPE ignored: EPIPE" ||
	notok "| head -1, SIGPIPE ignored" "status $rc" "$(head -3 err)"

echo "1..$n"
exit $fail
