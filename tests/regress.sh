#!/bin/sh
# Regressions found by review: each guest program reproduced a kernel bug
# (host crash, sandbox escape, wrong Linux semantics); mmulab only.  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/regress_mremap_fixed.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/regress.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
check() { # NAME CONDITION-STATUS ...: report one TAP line
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' out err 2>/dev/null | head -8
	fi
}
# run NAME [OPTIONS] [ARGS]: in a fresh sandbox "root" holding "data"
run() {
	prog=$1
	shift
	rm -rf root && mkdir root && printf 'aaaa' >root/data
	"$MMULAB" run --root root "$@" >out 2>err </dev/null
	rc=$?
}

run regress_mremap_fixed "$GUEST_BIN/regress_mremap_fixed.elf"
[ "$rc" = 139 ]
check "mremap FIXED shrink leaves nothing beyond the new size" $?

printf 'secret\n' >victim
chmod 600 victim
chmod 755 .
run regress_chmod_escape "$GUEST_BIN/regress_chmod_escape.elf" "$tmp/victim"
[ "$(stat -c %a victim)" = 600 ] && [ "$(stat -c %a .)" = 755 ]
check "chmod cannot reach outside the sandbox" $?

run regress_kill_group "$GUEST_BIN/regress_kill_group.elf"
grep -q '= -3$' out
check "kill of a missing process group is ESRCH" $?
run regress_kill_group "$GUEST_BIN/regress_kill_group.elf" x
[ "$rc" = 192 ]
check "signal 64 is delivered" $?

run regress_pipe_epipe "$GUEST_BIN/regress_pipe_epipe.elf"
grep -q 'returned 5 (want 5)' out && grep -q "= 5 'hello'" out
check "a write after EPIPE writes its own bytes" $?

run regress_sigstop "$GUEST_BIN/regress_sigstop.elf"
grep -q 'code 2 status 15' out
check "SIGSTOP does not kill" $?

run regress_asid_wrap "$GUEST_BIN/regress_asid_wrap.elf" --asid --paging sv32
grep -q "child sees 'P'" out
check "ASIDs that run out start a new generation" $?

run regress_vfork_orphan "$GUEST_BIN/regress_vfork_orphan.elf"
[ "$rc" -lt 128 ] && grep -q 'A reaped' out
check "a vfork child outlives its killed parent" $?

run regress_clone_files --root "$GUEST_BIN" \
	"$GUEST_BIN/regress_clone_files.elf"
grep -q 'exec: 2 (want 2)' out
check "exec unshares a CLONE_FILES table" $?

run regress_msync_dirty "$GUEST_BIN/regress_msync_dirty.elf"
[ "$(cat root/data)" = baaa ]
check "stores after a read fault reach the file on msync" $?

run regress_sparse_cache "$GUEST_BIN/regress_sparse_cache.elf"
grep -q '^byte 0' out
check "a sparse 1 TiB file faults one page" $?

# Robustness of the file and memory calls (guest/progs/regress_robust.c).
rr="$GUEST_BIN/regress_robust.elf"
# want KEY VALUE: the guest printed "KEY = VALUE"
want() { grep -qxF "$1 = $2" out; }

run regress_robust "$rr" emfile
want fill -24 && want trunc -24 && want creat -24 &&
	[ "$(cat root/data)" = aaaa ] && [ ! -e root/new ] && [ ! -e root/new2 ]
check "an open failing with EMFILE neither truncates nor creates" $?

run regress_robust "$rr" shortio
want read 2 && want got "'aa'" && want rest "'aa'" && want write 2 &&
	want write_hole -14 && [ "$(cat root/out)" = xy ]
check "read/write running into a hole give the short count" $?

run regress_robust "$rr" madvise
want madvise_wrap -22 && want madvise_zero 0
check "madvise with a wrapping length is EINVAL" $?

run regress_robust "$rr" mremap0
want dup_moved yes && want dup_sees "'X'" && want orig_sees "'Y'" &&
	want dup_nomove -12 && want dup_private -22
check "mremap old_len 0 duplicates a shared mapping, EINVAL if private" $?

run regress_robust "$rr" mremapfix
want overlap -22 && want past_vma -14
check "an overlapping MREMAP_FIXED is EINVAL before the EFAULT" $?

run regress_robust "$rr" cwd
want getcwd "'/e'" && want proc_cwd "'/e'" && want open_rel ok &&
	want read_rel "'in-d'" && want open_dirfd ok && want new_e_g ok &&
	want new_d_g missing && want dotdot_dirfd ok
check "the working directory and dirfds follow a renamed directory" $?

rm -rf root && mkdir root && printf 'aaaa' >root/data
"$MMULAB" run --root root "$rr" links >out 2>err </dev/null
want root "'/'" && want cwd "'/'" && want fd_data "'/data'" &&
	want fd_bad -2 && want cwd_sub "'/sub'" && want cwd_top "'/'" &&
	! grep -q "$tmp" out
check "/proc/self/{root,cwd,fd/N} never point outside the root" $?
printf 'host file\n' >"$tmp/stdin.txt"
rm -rf root && mkdir root && printf 'aaaa' >root/data
"$MMULAB" run --root root "$rr" links >out 2>err <"$tmp/stdin.txt"
grep -q '^fd_0 = ' out && ! grep -q "$tmp" out
check "/proc/self/fd/0 of a host file outside the root hides its path" $?

run regress_robust --root "$GUEST_BIN" "$rr" args 5000 10
want argc 5002
check "execve takes more than 4096 arguments" $?
run regress_robust --root "$GUEST_BIN" "$rr" args 1 131071
want argc 3
check "execve takes a 131071-byte argument" $?
run regress_robust --root "$GUEST_BIN" "$rr" args 1 131072
want execve -7
check "execve refuses an argument over MAX_ARG_STRLEN (E2BIG)" $?
run regress_robust --root "$GUEST_BIN" "$rr" args 20 120000
want execve -7
check "execve refuses more than a quarter of RLIMIT_STACK (E2BIG)" $?
run regress_robust --root "$GUEST_BIN" "$rr" args 10 120000
want argc 12
check "execve takes 1.2 MB of arguments under an 8 MiB stack limit" $?

ok_all=0
for opts in "" "--quantum 1" "--tlb 1:1" "--tlb 16:2 --tlb-policy plru"; do
	run regress_smc_mirror $opts "$GUEST_BIN/regress_smc_mirror.elf"
	grep -q 'executed li a0,2' out || ok_all=1
done
check "stores after a read of a code page drop its decode" $ok_all

# The number of D-TLB and I-TLB lookups is a property of the program, not
# of the TLB's size or the time slice: hits + misses must not change.
for prog in atomics misaligned; do
	same=0
	ref=
	for opts in "" "--tlb 4:2" "--tlb 1:1" "--tlb 16:2 --tlb-policy plru --quantum 3"; do
		"$MMULAB" run --stats --json $opts "$GUEST_BIN/$prog.elf" \
			>out 2>err </dev/null
		a=$(sed 's/.*"dtlb":{"entries":[0-9]*,"ways":[0-9]*,"accesses":\([0-9]*\).*/\1/' err | tail -1)
		[ -n "$ref" ] || ref=$a
		[ "$a" = "$ref" ] || same=1
	done
	check "$prog: D-TLB lookups do not depend on the TLB or the quantum" $same
done

echo "1..$n"
