#!/bin/sh
# The page cache, readahead and madvise, end to end (TAP): what mmulab
# counts that a differential run against qemu-riscv32 cannot compare.
#
#  - a file written with write() and mapped after close and reopen takes
#    minor faults only (its pages stayed cached);
#  - written data is cached and dirty at the end of the run (Cached,
#    nr_dirty) and reaches the host file byte for byte at exit, after
#    eviction under --ram pressure and after SIGTERM mid-run;
#  - drop_caches empties the cache; fault-around maps 16 pages a fault;
#  - the readahead window grows 4, 8, 16, 32 pages on sequential read()s
#    (mincore and the filemap:file_readahead trace event), none under
#    MADV_RANDOM / POSIX_FADV_RANDOM, twice the maximum under SEQUENTIAL;
#  - MADV_FREE is lazy: nothing lost without pressure, discarded under it
#    (pglazyfreed), a store after it keeps the data;
#  - MADV_WILLNEED swaps anonymous pages back in; the flusher writes back
#    after dirty_expire_centisecs of virtual time;
#  - O_DIRECT bypasses the cache and refuses misaligned transfers.
#
# Environment (tests/local.mk): MMULAB, GUEST_BIN.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
P=$GUEST_BIN/pcache.elf
[ -f "$P" ] || { echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pcache.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
check() { # NAME STATUS: one TAP line; on failure show out/err
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' out err 2>/dev/null | head -12
	fi
}
# A counter from the --json line in err.
counter() {
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" err | head -n 1
}
# A field "NAME VALUE" of the program's one-line report in out.
field() {
	tr ' ' '\n' <out | sed -n "/^$1\$/{n;p;}" | head -n 1
}
run() { # ARGS...: mmulab run with --stats --json, output in out/err
	"$MMULAB" run --stats --json "$@" >out 2>err
}

# ---- 1. write, close, reopen, mmap: minor faults --------------------------
run "$P" faults 64
[ $? = 0 ] && [ "$(field bad)" = 0 ] && [ "$(field major)" = 0 ] &&
	[ "$(field minor)" -ge 4 ] && [ "$(field minor)" -le 8 ]
check "write() then mmap after reopen: $(field major) major, $(field minor) minor faults for 64 pages" $?

# ---- 2. written data cached and dirty; on the host at exit ------------------
run "$P" write w.dat 32
[ $? = 0 ] && [ "$(counter nr_dirty)" -ge 33 ] &&
	[ "$(counter nr_file_pages)" -ge 33 ] && [ "$(counter Cached)" -ge 132 ] &&
	[ "$(counter pgpgout)" = 0 ]
check "written pages are cached and dirty at the end (nr_dirty $(counter nr_dirty), Cached $(counter Cached) kB, pgpgout 0)" $?
# pattern(i) = i*31 + (i>>12)*7 + 1 (mod 256), then "tail"
byte() { od -A n -t u1 -j "$2" -N 1 "$1" | tr -d ' '; }
want() { echo $((($1 * 31 + ($1 >> 12) * 7 + 1) % 256)); }
ok=0
[ "$(stat -c %s w.dat)" = $((32 * 4096 + 4)) ] || ok=1
for off in 0 1 4095 4096 70001 131071; do
	[ "$(byte w.dat $off)" = "$(want $off)" ] || ok=1
done
[ "$(tail -c 4 w.dat)" = tail ] || ok=1
check "the host file has every byte after exit" $ok
cp w.dat ref.dat

# Closed files keep their pages, not host descriptors.
(ulimit -n 256 2>/dev/null; run "$P" manyfiles 600)
ok=$?
[ $ok = 0 ] && [ "$(cat out)" = "files 600 bad 0" ] || ok=1
for i in 0 299 599; do
	[ "$(byte pcache-many/$i 4000)" = "$(want 4000)" ] || ok=1
done
check "600 files written and closed under ulimit -n 256: all on the host" $ok

# ---- 3. eviction under pressure writes back first ---------------------------
run --ram 8M "$P" write big.dat 3072
rc=$?
"$MMULAB" run --ram 256M "$P" write bigref.dat 3072 >/dev/null 2>&1
[ $rc = 0 ] && cmp -s big.dat bigref.dat && [ "$(counter nr_vmscan_write)" -gt 0 ]
check "12 MiB written in 8M of RAM: reclaim wrote back (nr_vmscan_write $(counter nr_vmscan_write)), host file exact" $?

# ---- 4. SIGTERM mid-run: nothing written is lost ---------------------------
rm -f t.dat out err
"$MMULAB" run "$P" write t.dat 32 forever >out 2>err &
pid=$!
i=0
while [ $i -lt 300 ] && ! grep -q 'written 32 pages' out 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" = 143 ] && cmp -s t.dat ref.dat
check "SIGTERM mid-run: status $rc, the written file is on the host" $?

# ---- 5. drop_caches, fault-around, readahead -------------------------------
run "$P" seqmap 256
maj=$(field major)
min=$(field minor)
[ $? = 0 ] && [ "$(field bad)" = 0 ] && [ $((maj + min)) -ge 16 ] &&
	[ $((maj + min)) -le 20 ] && [ "$maj" -le 2 ]
check "sequential mmap read of 256 dropped pages: $maj major + $min minor faults (16 pages a fault)" $?
run "$P" readseq 64
set -- $(cat out)
[ "$2 $3 $4 $6" = "4 12 12 28" ] && [ "${14}" = 60 ] && [ "$#" = 65 ]
check "read() window after drop_caches: 4, then +8, +16, +32 pages ($2 $3 $6 ${14})" $?
"$MMULAB" run --trace filemap:file_readahead "$P" readseq 64 >out 2>err
grep 'pcache-r.bin' err | sed -n 's/.* nr=\([0-9]*\) .*/\1/p' | tr '\n' ' ' >sizes
[ "$(cat sizes)" = "4 8 16 32 4 " ]
check "filemap:file_readahead events show the windows: $(cat sizes)" $?
run "$P" readseq 16 1
[ "$(cat out)" = "cached: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" ]
check "POSIX_FADV_RANDOM: no readahead" $?
run "$P" readseq 128 2
grep -q ' 60 .* 124 ' out && ! grep -q ' 92 ' out
check "POSIX_FADV_SEQUENTIAL: the window grows to 64 pages" $?
run "$P" seqmap 64 1
[ "$(field major)" = 64 ] && [ "$(field minor)" = 0 ]
check "MADV_RANDOM: one major fault a page, no readahead ($(field major))" $?
run "$P" seqmap 256 2
[ "$(field major)" -le 4 ] && [ "$(field cached)" = 256 ]
check "MADV_SEQUENTIAL: $(field major) major faults for 256 pages" $?

# ---- 6. MADV_FREE ---------------------------------------------------------
run "$P" lazyfree 512 128 1200
[ "$(sed -n 1p out)" = "kept 512 zero 0" ] &&
	[ "$(sed -n 2p out)" = "LazyFree before the pressure: 1536 kB" ] &&
	[ "$(counter pglazyfree)" = 512 ] &&
	[ "$(counter pglazyfreed)" = 0 ]
check "MADV_FREE without pressure: nothing discarded (pglazyfree 512, smaps LazyFree 384 pages)" $?
run --ram 8M "$P" lazyfree 512 128 1200
kept=$(field kept)
zero=$(field zero)
[ "$kept" -ge 128 ] && [ "$zero" -gt 0 ] && [ $((kept + zero)) = 512 ] &&
	[ "$(counter pglazyfreed)" = "$zero" ] && [ "$(counter pswpout)" = 0 ]
check "MADV_FREE under --ram 8M: $zero discarded (pglazyfreed), the 128 stored kept" $?

run --swap "$tmp/s.img:64M" "$P" willneed 64
[ "$(cat out)" = "swapped in by WILLNEED 64, then major 0, bad 0" ]
check "MADV_WILLNEED brings 64 swapped-out pages back before the touch" $?
rm -f s.img

# ---- 7. the flusher -------------------------------------------------------
run --sysctl dirty_expire_centisecs=5 --sysctl dirty_writeback_centisecs=5 \
	"$P" flusher
[ "$(sed -n 2p out)" = "nr_dirty after 200 ms: 0" ]
check "dirty_expire_centisecs=5: written back during a 200 ms sleep" $?
run "$P" flusher
[ "$(sed -n 2p out)" = "nr_dirty after 200 ms: 8" ]
check "the default 30 s expiry: still dirty after 200 ms" $?

# ---- 8. O_DIRECT ----------------------------------------------------------
run "$P" direct 16
[ "$(cat out)" = "direct read bad 0 cached 0" ] &&
	[ "$(counter pgpgin)" -ge 64 ]
check "O_DIRECT reads bypass the cache (pgpgin $(counter pgpgin) kB)" $?
run "$P" direct-errors
[ "$(grep -c 'errno 22' out)" = 5 ] && grep -q 'sees the direct write: yes' out &&
	grep -q '^F_SETFL O_DIRECT  *0$' out &&
	grep -q 'then a misaligned read  *errno 22' out &&
	grep -q 'O_DIRECT on a procfs file  *errno 22' out
check "O_DIRECT: EINVAL when misaligned (also after F_SETFL); a direct write is seen by read()" $?
run "$P" remove
grep -q 'page 1 reads zero after MADV_REMOVE: yes' out &&
	grep -q 'shared anonymous: 0 6' out &&
	grep -q 'private mapping  *errno 22' out &&
	grep -q 'read-only shared mapping  *errno 13' out
check "MADV_REMOVE punches a hole (EINVAL private, EACCES read-only)" $?

echo "1..$n"
