#!/bin/sh
# Scripted REPL experiments: `mmulab script FILE` and `mmulab repl < FILE`
# run the REPL's commands without a terminal; `expect` failures make the
# exit status 1 with the failing line quoted.  One script exercises every
# command that `help` lists.  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -f "$GUEST_BIN/hello.elf" ] || { echo "1..0 # SKIP guest programs not built"; exit 0; }
examples=$(cd "${top_srcdir:-.}/examples" 2>/dev/null && pwd)
docs=$(cd "${top_srcdir:-.}/docs" 2>/dev/null && pwd)
builddir=$(dirname "$MMULAB")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/script.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
HOME=$tmp
export HOME

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { # check NAME FILE PATTERN: grep -q PATTERN in FILE
	if grep -q -- "$3" "$2"; then ok "$1"; else notok "$1" "no '$3' in $2:" "$(head -c 600 "$2")"; fi
}
clean() { # no sanitizer report, no crash
	! grep -q 'Sanitizer\|runtime error\|kernel BUG' "$1"
}

H=$GUEST_BIN/hello.elf

# ---- every command of `help`, in one script ----------------------------------
cat >all.mmu <<EOF
# every command the REPL knows, once
help
help translate
echo start of the tour
replay --string 1,2,3,4,1,2,5,1,2,3,4,5 --frames 3 --policy fifo
expect \$fifo == 9
load $H one two
print main
print \$pc == _start
set \$entry = \$pc
expect \$entry == _start
expect \$a0 == 0
regs
regs 1
x/4xw \$sp
x/2dw \$sp
x/s mem32[\$sp + 4]
x/3i _start
x/2c mem32[\$sp + 4]
disas main 4
disas
translate \$sp
translate 0x7000
pgtable
pgtable 1 --all
pgtable --dot
pgtable 1 --dot tree.dot
physmap
physmap --svg phys.svg
tlb
tlb i
tlb d
ps
maps
maps 1
pmap -x 1
cat /proc/meminfo
cat /proc/1/status
dmesg
vmstat
free
buddyinfo
slabinfo
sysctl
sysctl vm.swappiness
sysctl vm.swappiness=10
expect vmstat.pgfault >= 0
stats
wss
pressure
pressure memory
continue
expect exit == 2
run
expect exit == 2
expect vmstat.pgfault > 0
expect instructions > 1000
expect tlb.d.miss_rate < 0.05
expect tlb.i.hits + tlb.i.misses == tlb.i.accesses
set eat.ma 200
set eat.fault 1000000
expect eat.ma == 200
expect eat > 200
stats
load $H
list main
break main
tbreak hello.c:11
info break
run
expect \$pc == main
gdb 0
expect \$pc == main
step
next 2
stepi 2
nexti
until
finish
delete 1
watch \$sp-64
catch syscall write
catch fault
catch fork
continue
delete
continue
load $H
kill 1 SIGKILL
xp/2xw 0
continue
expect exit == 128 + 9
run
expect exit == 0
quit
echo never printed
EOF
# `gdb 0` waits for a gdb: a raw client (python3) reads the registers and
# detaches; without python3 the tour runs without its gdb line.
rsp_client() { # rsp_client PORT: g, then D; the replies in rsp.out
	python3 - "$1" >rsp.out 2>&1 <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
def pkt(p):
    s.sendall(b"$%s#%02x" % (p, sum(p) & 0xff))
    buf = b""
    while not buf.endswith(b"#") or True:
        buf += s.recv(4096)
        i = buf.find(b"$")
        if i >= 0 and b"#" in buf[i:] and len(buf) >= buf.index(b"#", i) + 3:
            return buf[i + 1:buf.index(b"#", i)]
g = pkt(b"g").decode()
out = ""
i = 0
while i < len(g):  # undo run-length encoding ("X*N": N - 29 more X)
    if g[i] == "*":
        out += out[-1] * (ord(g[i + 1]) - 29)
        i += 2
    else:
        out += g[i]
        i += 1
print("g", out)
print("D", pkt(b"D").decode())
PY
}
if command -v python3 >/dev/null 2>&1; then
	"$MMULAB" script all.mmu >all.out 2>all.err &
	tour=$!
	port=
	for i in $(seq 600); do
		port=$(sed -n 's/^mmulab: gdb: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' all.err 2>/dev/null)
		[ -n "$port" ] && break
		kill -0 $tour 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$port" ] && rsp_client "$port"
	wait $tour
	rc=$?
	if [ -n "$port" ] && grep -q '^D OK$' rsp.out && grep -q '^g [0-9a-f]\{264\}$' rsp.out; then
		ok "gdb PORT serves a gdb client, which detaches"
	else
		notok "gdb PORT (port '$port')" "$(cat rsp.out 2>/dev/null)" "$(tail -3 all.err)"
	fi
else
	sed '/^gdb 0$/d' all.mmu >tour.mmu
	"$MMULAB" script tour.mmu >all.out 2>all.err
	rc=$?
	echo "ok $((n = n + 1)) # SKIP python3 not installed: gdb PORT not exercised"
fi
sed -i '/^mmulab: gdb: listening on /d' all.err
if [ $rc = 0 ] && clean all.err; then ok "every command runs (status 0)"; else
	notok "every command runs (status $rc)" "$(head -20 all.err)"; fi
# the self-check: each command of `help` appears in all.mmu
missing=
for c in $("$MMULAB" script /dev/stdin <<EOF | sed -n 's/^  \([a-z]*\).*/\1/p'
help
EOF
); do
	grep -q "^$c\\b" all.mmu || missing="$missing $c"
done
if [ -z "$missing" ]; then ok "the tour uses every command in help"; else
	notok "commands of help missing from the tour:$missing"; fi
check "help lists commands" all.out "translate VA \[PID\]"
check "help CMD explains" all.out "Shows each level's index"
check "echo" all.out "^start of the tour"
check "load reports pid and entry" all.out "loaded .*hello.elf: pid 1, entry 0x"
check "regs shows pc and a symbol" all.out "pc 0x[0-9a-f]* _start"
check "x/s reads argv[0]" all.out '"[^"]*hello.elf"'
check "x/2c prints characters" all.out "'/'"
check "x/i disassembles" all.out "<_start>:"
check "disas marks the pc" all.out "^=> "
check "disas speaks objdump (c.* forms)" all.out "	c.addi sp,-32$"
check "translate walks level by level" all.out "pte table pa 0x[0-9a-f]* index"
check "translate ends in a physical address" all.out "pa = 0x[0-9a-f]*"
check "translate tells a missing page's fate" all.out "SIGSEGV (SEGV_MAPERR)"
check "pgtable lists leaves" all.out "tables, [0-9]* leaves"
check "pgtable --dot writes Graphviz here" all.out "^digraph pgtable_1 {"
check "pgtable --dot FILE says so" all.out "^wrote tree.dot$"
check "physmap counts frames by owner" all.out "^  page table  *[1-9][0-9]* frames"
check "physmap --svg FILE says so" all.out "^wrote phys.svg$"
check "gdb gives the machine back" all.out "^gdb has gone; the REPL has the machine back"
if command -v dot >/dev/null 2>&1; then
	sed -n '/^digraph pgtable_1 {/,/^}$/p' all.out >here.dot
	if dot -Tsvg here.dot >/dev/null 2>dot.err && dot -Tsvg tree.dot >/dev/null 2>>dot.err; then
		ok "dot -Tsvg parses both pgtable --dot outputs"
	else notok "dot -Tsvg" "$(head -5 dot.err)"; fi
else
	echo "ok $((n = n + 1)) # SKIP graphviz dot not installed"
fi
if command -v xmllint >/dev/null 2>&1; then
	if xmllint --noout phys.svg 2>xml.err; then ok "xmllint accepts physmap --svg"
	else notok "xmllint phys.svg" "$(head -5 xml.err)"; fi
else
	echo "ok $((n = n + 1)) # SKIP xmllint not installed"
fi
check "tlb shows both TLBs" all.out "^itlb: 64 entries"
check "ps" all.out "PID  PPID"
check "maps shows the stack" all.out "\[stack\]"
check "pmap -x" all.out "total kB"
check "cat /proc/meminfo" all.out "^MemTotal:"
check "cat /proc/1/status" all.out "^VmRSS:"
check "dmesg" all.out "Linux version"
check "vmstat" all.out "^pgfault "
check "free" all.out "^Mem: "
check "buddyinfo" all.out "zone *Normal"
check "slabinfo" all.out "^slabinfo - version"
check "sysctl lists vm settings" all.out "^vm.overcommit_memory = "
check "sysctl sets" all.out "^vm.swappiness = 10"
check "the guest runs" all.out "Hello from RISC-V! argc=3"
check "continue reports the exit" all.out "exited with status 2"
check "run again restarts with the same arguments" all.out "argv\[2\] = two"
check "stats shows the EAT" all.out "EAT .*ma = 200 ns, fault_time = 1e+06 ns"
check "kill" all.out "sent signal 9 to pid 1"
check "run after kill starts a fresh machine" all.out "killed by signal 9"
if grep -q "never printed" all.out; then notok "quit stops the script"; else ok "quit stops the script"; fi

check "break at main stops there" all.out "^Breakpoint 1, pid 1 at 0x"
check "stops show the source line" all.out "^hello.c:7"
check "list shows numbered source" all.out "int main(int argc, char \*\*argv)"
check "tbreak at FILE:LINE" all.out "^Temporary breakpoint 2 at 0x[0-9a-f]* <main+0x[0-9a-f]*>: hello.c:1[12]"
check "info break lists them" all.out "^1    breakpoint  0x"
check "stepi shows the TLB under the instruction" all.out "^      itlb: hit"
check "watch" all.out "^Watchpoint 3: the 32-bit word"
check "catch syscall NAME" all.out "^Catchpoint 4 (syscall): pid 1 calls write(1, "

# x and xp agree on the same byte through translate
cat >xp.mmu <<EOF
load $H
translate \$sp
x/xw \$sp
EOF
"$MMULAB" script xp.mmu >xp.out 2>&1
pa=$(sed -n 's/^  pa = \(0x[0-9a-f]*\).*/\1/p' xp.out)
v=$(sed -n 's/^0x[0-9a-f]*:[[:space:]]*\(0x[0-9a-f]*\)$/\1/p' xp.out)
printf 'load %s\nxp/xw %s\n' "$H" "$pa" >xp2.mmu
"$MMULAB" script xp2.mmu >xp2.out 2>&1
if [ -n "$pa" ] && [ -n "$v" ] && grep -q "$v\$" xp2.out; then
	ok "xp at translate's pa reads what x reads at the va ($v)"
else
	notok "xp/x agree" "pa=$pa v=$v" "$(cat xp2.out)"
fi

# ---- debugging never changes behaviour -------------------------------------------
for prog in hello forktree cowfaults; do
	[ -f "$GUEST_BIN/$prog.elf" ] || continue
	printf 'load %s\nrun\nstats\n' "$GUEST_BIN/$prog.elf" >plain.mmu
	cat >dbg.mmu <<EOF
load $GUEST_BIN/$prog.elf
break main
watch \$sp-16
catch fault
catch syscall
run
stepi 3
x/8xw \$sp
translate \$pc
delete 3
next
continue 20
delete
catch fork
continue
delete
break *\$pc
continue
delete
continue
stats
EOF
	"$MMULAB" script plain.mmu >plain.out 2>&1
	"$MMULAB" script dbg.mmu >dbg.out 2>&1
	sed -n '/^instructions /,$p' plain.out >plain.stats
	sed -n '/^instructions /,$p' dbg.out | tail -n "$(wc -l <plain.stats)" >dbg.stats
	if [ -s plain.stats ] && cmp -s plain.stats dbg.stats; then
		ok "$prog: stepped, watched and caught = plain (every counter)"
	else
		notok "$prog: a debugged run changed the counters" "$(diff plain.stats dbg.stats | head -6)"
	fi
done

# after fork, translate tells a copy-on-write page
if [ -f "$GUEST_BIN/cowfaults.elf" ]; then
	printf 'load %s\ncatch fork\nrun\ndelete\nstepi\ntranslate $sp\ntranslate $sp 2\n' "$GUEST_BIN/cowfaults.elf" >cow.mmu
	"$MMULAB" script cow.mmu >cow.out 2>&1
	if [ "$(grep -c '^  copy-on-write: ' cow.out)" = 2 ]; then
		ok "translate shows parent's and child's stack page copy-on-write after fork"
	else
		notok "translate after fork" "$(tail -6 cow.out)"
	fi
fi

# ---- expect failures -----------------------------------------------------------
cat >fail.mmu <<EOF
load $H
run
expect exit == 0
expect vmstat.pgmajfault > 100000
echo after the failure
expect nosuchcounter > 0
EOF
"$MMULAB" script fail.mmu >fail.out 2>fail.err
rc=$?
[ $rc = 1 ] && ok "a failed expect exits 1" || notok "a failed expect exits 1 (got $rc)"
check "the failure quotes file, line and both sides" fail.err \
	"^fail.mmu:4: expect failed: vmstat.pgmajfault > 100000 ([0-9]* > 100000)$"
check "the script goes on after a failure" fail.out "after the failure"
check "an unknown name in expect is reported" fail.err "^fail.mmu:6: unknown name 'nosuchcounter'"

cat >pass.mmu <<EOF
load $H
run
expect exit == 0
EOF
"$MMULAB" script pass.mmu >/dev/null 2>&1 && ok "a passing script exits 0" || notok "a passing script exits 0"

# ---- repl < FILE behaves as script FILE -------------------------------------------
"$MMULAB" repl <fail.mmu >pipe.out 2>pipe.err
rc=$?
[ $rc = 1 ] && ok "repl < FILE exits 1 on a failed expect" || notok "repl < FILE status $rc"
check "repl < FILE names stdin and the line" pipe.err "^stdin:4: expect failed"
"$MMULAB" repl "$H" <<EOF >pipe2.out 2>&1
regs
run
expect exit == 0
EOF
rc=$?
[ $rc = 0 ] && ok "repl PROG < FILE loads PROG first" || notok "repl PROG < FILE status $rc" "$(cat pipe2.out)"

# ---- bad input: one line each, never a crash -------------------------------------
cat >bad.mmu <<EOF
frobnicate
trnaslate 0x1000
regs
load /nonexistent.elf
load $H
x/4q \$sp
x/0x 0
x
translate
translate 0x1000 99
print (1 +
print 1/0
print 99999999999999999999999
print ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
print *(int*)0xfffffffe
print "unterminated
expect
set
set x = 1
sysctl vm.nosuch=1
sysctl vm.swappiness=abc
kill 1 SIGNOPE
kill 77 9
cat /etc/passwd
cat /proc/../../etc/passwd
cat /proc/nosuch
tlb q
pgtable 1 2 3
disas 0 99999
help nosuch
EOF
"$MMULAB" script bad.mmu >bad.out 2>bad.err
rc=$?
nlines=$(wc -l <bad.err)
nbad=$(grep -vc '^$\|^load '"$H"'$' bad.mmu)
if [ $rc = 1 ] && clean bad.err; then ok "bad commands: status 1, no crash"; else
	notok "bad commands (status $rc)" "$(tail -5 bad.err)"; fi
if [ "$nlines" = "$nbad" ]; then ok "one error line per bad command ($nlines)"; else
	notok "one error line per bad command: $nlines lines for $nbad commands" "$(cat bad.err)"; fi
check "did you mean" bad.err "bad.mmu:1: unknown command 'frobnicate'"
check "did you mean (typo)" bad.err "did you mean 'translate'"
check "no program loaded" bad.err "regs: no program loaded (try 'load PROG')"
check "cat outside /proc is refused" bad.err "only /proc files can be read"

# random bytes never crash the interpreter
i=0
while [ $i -lt 20 ]; do
	{ echo "load $H"; head -c 400 /dev/urandom | tr -c 'a-z0-9$*()/=<>!&| .\n-' ' '; } >rand.mmu
	"$MMULAB" script rand.mmu >/dev/null 2>rand.err
	rc=$?
	if [ $rc -gt 1 ] || ! clean rand.err; then
		notok "random input $i (status $rc)" "$(tail -3 rand.err)"
		cp rand.mmu "${TMPDIR:-/tmp}/mmulab-rand-crash.mmu"
		break
	fi
	i=$((i + 1))
done
[ $i = 20 ] && ok "20 scripts of random words: no crash"

# usage errors
"$MMULAB" script >u.out 2>u.err; rc=$?
[ $rc = 2 ] && [ "$(wc -l <u.err)" = 1 ] && ok "script without FILE: status 2, one line" || notok "script without FILE ($rc)" "$(cat u.err)"
"$MMULAB" script /nonexistent.mmu >u.out 2>u.err; rc=$?
[ $rc = 2 ] && [ "$(wc -l <u.err)" = 1 ] && ok "script with a missing FILE: status 2, one line" || notok "missing FILE ($rc)"
"$MMULAB" repl --frob </dev/null >u.out 2>u.err; rc=$?
[ $rc = 2 ] && [ "$(wc -l <u.err)" = 1 ] && ok "repl --frob: status 2, one line" || notok "repl --frob ($rc)"

# the man page section comes from the same table
"$MMULAB" help --man >man.out 2>&1
if grep -q '^\.SH REPL COMMANDS' man.out && grep -q '^\.B translate' man.out; then
	ok "help --man generates the REPL section"; else notok "help --man" "$(head -5 man.out)"; fi

# docs/repl.md's command reference is the table's own text
if [ -f "$docs/repl.md" ]; then
	sed -n '/^<!-- Generated by `mmulab help --markdown`/,$p' "$docs/repl.md" | tail -n +3 >doc.ref
	"$MMULAB" help --markdown >table.ref
	if cmp -s doc.ref table.ref; then ok "docs/repl.md's reference matches the command table"; else
		notok "docs/repl.md is out of date: regenerate its reference with 'mmulab help --markdown'" "$(diff table.ref doc.ref | head -5)"; fi
fi

if [ -f "$docs/repl-commands.man" ]; then
	"$MMULAB" help --man >man.ref
	if cmp -s man.ref "$docs/repl-commands.man"; then ok "docs/repl-commands.man matches the command table"; else
		notok "docs/repl-commands.man is out of date: mmulab help --man > docs/repl-commands.man"; fi
fi

# the examples/ scripts pass their own expects (from the build directory,
# where guest/bin is)
if [ -n "$examples" ]; then
	for ex in "$examples"/*.mmu; do
		# lessons may create files: tests/lessons.sh runs them apart
		case $ex in */lesson-*) continue ;; esac
		exopt=
		# cost.mmu compares the cost model with the EAT formula
		[ "$(basename "$ex")" = cost.mmu ] && exopt="--cost default"
		(cd "$builddir" && HOME=$tmp "$MMULAB" script $exopt "$ex") >ex.out 2>&1
		rc=$?
		if [ $rc = 0 ] && clean ex.out; then ok "examples/$(basename "$ex")"; else
			notok "examples/$(basename "$ex") (status $rc)" "$(tail -5 ex.out)"; fi
	done
	(cd "$builddir" && "$MMULAB" script --tlb 8:2 "$examples/tlb.mmu") >small.out 2>&1
	(cd "$builddir" && "$MMULAB" script --tlb 256:4 "$examples/tlb.mmu") >big.out 2>&1
	small=$(sed -n '/^8 (0x8)$/{n;p;}' small.out)
	big=$(sed -n '/^256 (0x100)$/{n;p;}' big.out)
	if [ -n "$small" ] && [ -n "$big" ] && awk -v a="$small" -v b="$big" 'BEGIN { exit !(a > b) }'; then
		ok "a smaller TLB misses more ($small > $big)"
	else
		notok "TLB reach: 8 entries $small, 256 entries $big"
	fi
else
	echo "ok $((n + 1)) # SKIP examples/ not found"
	n=$((n + 1))
fi

echo "1..$n"
exit $fail
