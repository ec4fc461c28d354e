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

# 1. A fork bomb under 64M: the allocation-failure warnings are
# rate-limited (10 per 5 s of virtual time, as Linux's warn_alloc), the
# emulator ends with the guest's status and no crash.
"$MMULAB" run --ram 64M "$GUEST_BIN/forkbomb.elf" >out 2>err
rc=$?
warns=$(grep -c 'page allocation failure' err)
size=$(wc -c <err)
if [ "$rc" -lt 128 ] || [ "$rc" = 137 ]; then :; else rc="bad $rc"; fi
case $rc in
bad*) notok "forkbomb: exit status" "$rc" "$(tail -3 err)" ;;
*) ok "forkbomb: ends with a guest status ($rc)" ;;
esac
[ "$warns" -ge 1 ] && [ "$warns" -le 20 ] && sane err &&
	ok "forkbomb: $warns allocation-failure lines" ||
	notok "forkbomb: allocation-failure lines" "$warns lines"
[ "$size" -lt 32768 ] && ok "forkbomb: stderr $size bytes" ||
	notok "forkbomb: stderr too big" "$size bytes"

# A bomb limited to 100 children under plenty of RAM forks them all.
"$MMULAB" run "$GUEST_BIN/forkbomb.elf" 100 >out 2>err
rc=$?
[ "$rc" = 0 ] && grep -q 'forked 100 children, reaped 100' out && [ ! -s err ] &&
	ok "forkbomb 100: all reaped" ||
	notok "forkbomb 100" "status $rc" "$(cat out)" "$(head -3 err)"

echo "1..$n"
exit $fail
