#!/bin/sh
# The command line's contract: bad options and bad ELF files give one line
# on stderr and exit status 2, never a crash; good runs give the program's
# status.  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# expect_usage NAME ARGS...: status 2, exactly one line on stderr, none on
# stdout, no sanitizer report.
expect_err() {
	name=$1
	shift
	"$MMULAB" "$@" >out 2>err </dev/null
	rc=$?
	lines=$(wc -l <err)
	if [ "$rc" = 2 ] && [ "$lines" = 1 ] && [ ! -s out ] &&
		! grep -q 'Sanitizer\|runtime error' err; then
		ok "$name: $(cat err)"
	else
		notok "$name" "status $rc, $lines stderr lines:" "$(head -5 err)"
	fi
}

: >empty.elf
mkdir adir.elf
printf 'hello, not an ELF\n' >text.elf
printf '\177ELF\001\001\001' >trunc.elf
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' >class64.elf
head -c 200 /dev/urandom >random.elf 2>/dev/null || printf 'xxxx' >random.elf

expect_err "no command"
expect_err "unknown command" frobnicate
expect_err "run without program" run
expect_err "unknown option" run --frob x.elf
expect_err "bad --ram" run --ram 12Q x.elf
expect_err "--ram too small" run --ram 1M x.elf
expect_err "bad --paging" run --paging sv39 x.elf
expect_err "bad --tlb" run --tlb 48 x.elf
expect_err "bad --tlb ways" run --tlb 64:3 x.elf
expect_err "bad --numa" run --numa 0 x.elf
expect_err "missing argument" run --ram
expect_err "bad --root" run --root /nonexistent/dir x.elf
expect_err "bad --sysctl" run --sysctl vm.bogus=1 x.elf
expect_err "missing file" run missing.elf
expect_err "empty file" run empty.elf
expect_err "directory" run adir.elf
expect_err "text file" run text.elf
expect_err "truncated header" run trunc.elf
expect_err "ELF64" run class64.elf
expect_err "random bytes" run random.elf

if [ -n "$GUEST_BIN" ] && [ -f "$GUEST_BIN/hello.elf" ]; then
	"$MMULAB" run "$GUEST_BIN/hello.elf" a b c >out 2>err
	rc=$?
	[ "$rc" = 3 ] && grep -q 'argv\[3\] = c' out && ok "hello status 3" ||
		notok "hello status" "status $rc"
	"$MMULAB" run --stats --json "$GUEST_BIN/hello.elf" >out 2>err
	grep -q '"pgfault":[1-9]' err && grep -q '"instructions":[1-9]' err &&
		grep -q '"dtlb":{' err && ok "--stats --json" ||
		notok "--stats --json" "$(head -c 300 err)"
	"$MMULAB" run --boot-log "$GUEST_BIN/hello.elf" >out 2>err
	grep -q 'BIOS-e820: \[mem 0x0000000000000000-0x000000000009fbff\] usable' err &&
		grep -q 'Zone ranges:' err && ok "--boot-log" ||
		notok "--boot-log" "$(head -5 err)"
	"$MMULAB" run --dump-proc meminfo --dump-proc buddyinfo "$GUEST_BIN/hello.elf" >out 2>err
	grep -q '^MemTotal: ' err && grep -q '^Node 0, zone' err &&
		ok "--dump-proc" || notok "--dump-proc" "$(head -5 err)"
	for g in pae sv32; do
		"$MMULAB" run --paging $g --env GREETING=hi "$GUEST_BIN/hello.elf" x >out.$g 2>err
	done
	cmp -s out.pae out.sv32 && ok "pae and sv32 print the same" ||
		notok "pae vs sv32" "$(diff out.pae out.sv32 | head -5)"
	"$MMULAB" run "$GUEST_BIN/deadlock.elf" >out 2>err
	rc=$?
	[ "$rc" = 137 ] && grep -q 'deadlock: every process is asleep' err &&
		grep -q 'about to sleep forever' out && ok "deadlock reported" ||
		notok "deadlock" "status $rc" "$(head -3 err)"
	mkdir fuzzroot
	"$MMULAB" run --root fuzzroot "$GUEST_BIN/sysfuzz.elf" 200 >out 2>err
	rc=$?
	[ "$rc" = 0 ] && grep -q '^fuzzed 200 rounds' out &&
		! grep -q 'BUG\|Sanitizer\|runtime error' err &&
		ok "system-call fuzzer: kernel survives" ||
		notok "system-call fuzzer" "status $rc" "$(grep -v segfault err | head -3)"
fi
echo "1..$n"
exit 0
