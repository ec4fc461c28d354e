#!/bin/sh
# The hostfs sandbox: under `mmulab run --root DIR`, "..", absolute paths
# and symlinks pointing outside must resolve inside DIR and never reach
# the host's files.  mmulab only (under qemu-riscv32 these paths WOULD
# reach the host, so they are not differential cases).
# Environment (tests/local.mk): MMULAB, GUEST_BIN.  Output: TAP.

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

[ -n "$MMULAB" ] && [ -x "$MMULAB" ] || skip_all "mmulab not built"
prog=$GUEST_BIN/sandbox.elf
[ -f "$prog" ] || skip_all "sandbox.elf not built (make guest)"
[ -r /etc/passwd ] || skip_all "host has no /etc/passwd to protect"

root=$(mktemp -d "${TMPDIR:-/tmp}/sandbox.XXXXXX") || exit 99
trap 'rm -rf "$root"' EXIT
mkdir "$root/etc" "$root/sub"
echo "sandbox passwd" >"$root/etc/passwd"
ln -s /etc "$root/etclink"
ln -s ../../../../../../etc/passwd "$root/sub/uplink"
ln -s /etc/shadow "$root/shadowlink"

n=0
status=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	status=1
}

# expect PATH EXPECTED-LINE: the guest's report for PATH must be exactly it.
expect() {
	got=$(grep -F "$1: " out | head -n 1)
	if [ "$got" = "$1: $2" ]; then
		ok "$1 -> $2"
	else
		not_ok "$1 -> $2"
		echo "# got: $got"
	fi
}

echo "1..21"
"$MMULAB" run --root "$root" "$prog" \
	/etc/passwd ../../etc/passwd /../../../etc/passwd etclink/passwd \
	sub/uplink shadowlink /etc/hostname ../etc/hostname \
	-x /bin/sh -x ../../bin/sh \
	>out 2>err </dev/null
rc=$?
[ "$rc" = 0 ] && ok "run exits 0" || not_ok "run exits 0 (got $rc)"
expect /etc/passwd "sandbox passwd"
expect ../../etc/passwd "sandbox passwd"
expect /../../../etc/passwd "sandbox passwd"
expect etclink/passwd "sandbox passwd"
expect sub/uplink "sandbox passwd"
expect shadowlink "errno 2"
expect /etc/hostname "errno 2"
expect ../etc/hostname "errno 2"
expect "exec /bin/sh" "errno 2"
expect "exec ../../bin/sh" "errno 2"
# Nothing the guest printed may come from the host's /etc/passwd.
first=$(head -n 1 /etc/passwd)
if grep -qF "$first" out; then
	not_ok "no host /etc/passwd content leaked"
else
	ok "no host /etc/passwd content leaked"
fi

# --root DIR:ro: every write-type call is EROFS and the tree is unchanged.
rr=$GUEST_BIN/regress_robust.elf
ro=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-ro.XXXXXX") || exit 99
trap 'rm -rf "$root" "$ro"' EXIT
mkdir "$ro/sub"
printf aaaa >"$ro/data"
snap() { (cd "$ro" && find . -exec stat -c '%n %s %a %Y %i' {} + | sort); }
before=$(snap)
"$MMULAB" run --root "$ro:ro" "$rr" rofs >out 2>err </dev/null
rc=$?
bad=
for kv in "open_w = -30" "open_rw = -30" "open_trunc = -30" \
	"open_creat = -30" "open_creat_rd = -30" "open_creat_nodir = -2" \
	"open_excl = -17" "open_missing = -2" "read = 'aaaa'" \
	"ftruncate = -22" "unlink = -30" "rmdir = -30" "mkdir = -30" \
	"mkdir_exists = -17" "rename = -30" "link = -30" "symlink = -30" \
	"chmod = -30" "access_w = -30" "access_r = 0" "truncate = -30" \
	"utimensat = -30" "futimens = -30" "futimens_stdin = -1"; do
	grep -qxF "$kv" out || bad="$bad [$kv]"
done
if [ "$rc" = 0 ] && [ -z "$bad" ]; then
	ok "--root DIR:ro: writes give EROFS, reads work"
else
	not_ok "--root DIR:ro: writes give EROFS, reads work"
	echo "# rc $rc, missing:$bad"
fi
if [ "$(snap)" = "$before" ]; then
	ok "--root DIR:ro: the tree is unchanged"
else
	not_ok "--root DIR:ro: the tree is unchanged"
fi
# The same calls without :ro do write (the check above can fail).
"$MMULAB" run --root "$ro" "$rr" rofs >out 2>err </dev/null
if grep -qxF "unlink = 0" out && [ ! -e "$ro/data" ] &&
	grep -qxF "futimens = 0" out && grep -qxF "futimens_stdin = -1" out; then
	ok "--root DIR (writable): the same calls write"
else
	not_ok "--root DIR (writable): the same calls write"
fi
# A directory whose name ends in :ro is taken as it is.
mkdir "$ro/x:ro"
if "$MMULAB" run --root "$ro/x:ro" "$rr" rofs >out 2>err </dev/null &&
	grep -qxF "open_creat = 3" out; then
	ok "--root of a directory named x:ro is writable"
else
	not_ok "--root of a directory named x:ro is writable"
fi

# Thousands of hostile name calls (guest/progs/pathfuzz.c): the kernel
# never fails and nothing next to the root changes; under :ro nothing in
# it changes either.
pf=$GUEST_BIN/pathfuzz.elf
fz=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$root" "$ro" "$fz"' EXIT
mkdir "$fz/root" "$fz/outside"
echo keep >"$fz/outside/sentinel"
echo keep >"$fz/sentinel"
fsnap() { (cd "$fz" && find . -path ./root -prune -o \
	-exec stat -c '%n %s %a %Y %i' {} + | sort); }
before=$(fsnap)
"$MMULAB" run --root "$fz/root" "$pf" 5000 >out 2>err </dev/null
rc=$?
if [ "$rc" = 0 ] && grep -q 'rounds done' out && ! grep -qi 'bug' err; then
	ok "pathfuzz: 5000 hostile name calls, no kernel failure"
else
	not_ok "pathfuzz: 5000 hostile name calls, no kernel failure"
	echo "# rc $rc"; sed 's/^/# /' err | head -5
fi
if [ "$(fsnap)" = "$before" ]; then
	ok "pathfuzz: nothing outside the root changed"
else
	not_ok "pathfuzz: nothing outside the root changed"
fi
rsnap() { (cd "$fz/root" && find . -exec stat -c '%n %s %a %Y %i' {} + |
	sort); }
before=$(rsnap)
"$MMULAB" run --root "$fz/root:ro" "$pf" 5000 >out 2>err </dev/null
rc=$?
if [ "$rc" = 0 ] && [ "$(rsnap)" = "$before" ]; then
	ok "pathfuzz under --root DIR:ro changes nothing"
else
	not_ok "pathfuzz under --root DIR:ro changes nothing (rc $rc)"
fi

# A program outside the root: maps and /proc/self/exe name the file, not
# the host directories holding it.
mkdir -p "$fz/empty"
"$MMULAB" run --root "$fz/empty" --on-exit maps "$GUEST_BIN/hello.elf" \
	>out 2>err </dev/null
if grep -q ' /\[host\]/hello\.elf$' err && ! grep -qF "$GUEST_BIN" err; then
	ok "a program outside the root shows as /[host]/NAME in maps"
else
	not_ok "a program outside the root shows as /[host]/NAME in maps"
fi
"$MMULAB" run --root "$fz/empty" "$GUEST_BIN/procself.elf" >out 2>err </dev/null
if ! grep -qF "$GUEST_BIN" out; then
	ok "...and the guest reads no host directory in /proc/self"
else
	not_ok "...and the guest reads no host directory in /proc/self"
fi
rm -f out err
exit $status
