#!/bin/sh
# Paths of any length: guest programs copied under a directory more than
# 200 characters deep run as they do from guest/bin, and /proc/PID/maps
# and /proc/self/exe show their whole path, not the first 64 bytes.  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/procself.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/longpath.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# 7 levels of 40 characters: a guest path of 290 characters to the
# directory, 300 and more to each program.
rel=.
for i in 1 2 3 4 5 6 7; do
	rel=$rel/level$i-abcdefghijklmnopqrstuvwxyz0123456789
done
rel=${rel#./}
mkdir -p "root/$rel" "short" || exit 99
deep=/$rel
[ ${#deep} -gt 200 ] || { echo "1..0 # SKIP path only ${#deep} long"; exit 0; }

for prog in procself hello filemap vmtree; do
	if [ ! -f "$GUEST_BIN/$prog.elf" ]; then
		n=$((n + 1)); echo "ok $n # SKIP $prog.elf not built"
		continue
	fi
	cp "$GUEST_BIN/$prog.elf" "root/$rel/$prog.elf"
	cp "$GUEST_BIN/$prog.elf" "short/$prog.elf"
	# Same program, same working directory (the sandbox root), once at
	# the top and once deep down; argv[0] is the same relative name.
	mkdir -p "root/short" && cp "$GUEST_BIN/$prog.elf" "root/short/$prog.elf"
	(cd root && "$MMULAB" run --root . "short/$prog.elf" x >../out.short 2>../err.short)
	rs=$?
	(cd root && "$MMULAB" run --root . --dump-proc self/maps \
		"$rel/$prog.elf" x >../out.deep 2>../err.deep)
	rd=$?
	# Whatever the program prints of its own path is the only difference.
	sed "s|$rel|short|g" out.deep >out.deep.cmp
	if [ "$rs" = "$rd" ] && cmp -s out.short out.deep.cmp; then
		ok "$prog: same output and status ($rd) from ${#deep} characters deep"
	else
		notok "$prog: output differs" "status $rs vs $rd" \
			"$(diff out.short out.deep.cmp | head -5)"
	fi
	if grep -q "r-xp .* $deep/$prog.elf\$" err.deep; then
		ok "$prog: /proc/self/maps shows the whole path"
	else
		notok "$prog: /proc/self/maps" "$(grep "$prog" err.deep | head -2)"
	fi
done

# /proc/self/exe and the maps the program reads itself.
if [ -f "$GUEST_BIN/procself.elf" ]; then
	(cd root && "$MMULAB" run --root . --on-exit maps "$rel/procself.elf" >../out 2>../err)
	grep -q " $deep/procself.elf\$" err && ok "--on-exit maps: whole path" ||
		notok "--on-exit maps" "$(grep procself err | head -2)"
fi

echo "1..$n"
exit $fail
