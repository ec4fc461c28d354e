#!/bin/sh
# The GDB remote stub end to end: mmulab run --gdb 0 listens on a free port
# of 127.0.0.1 and gdb-multiarch (Debian package gdb-multiarch) connects,
# breaks at main, reads registers and memory, sets a watchpoint that
# fires, steps, lists the forked child as a thread, writes into a page
# the parent shares copy-on-write with its child (only the parent sees
# it), and runs monitor commands.  A raw client (python3) checks what gdb
# never sends: bad checksums, hostile and overlong packets, Ctrl-C, kill.
# Watching never changes behaviour: a run under gdb prints and counts
# what a plain run does.  TAP; without gdb-multiarch or python3 the
# affected checks are SKIPs.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -f "$GUEST_BIN/cowlesson.elf" ] ||
	{ echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gdbstub.XXXXXX") || exit 99
stub=
trap '[ -n "$stub" ] && kill $stub 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
has() { if grep -aq -- "$3" "$1"; then ok "$2"; else notok "$2" "no line matching '$3' in $1:" "$(head -c 2000 "$1")"; fi; }
have() { command -v "$1" >/dev/null 2>&1; }

# start NAME ARGS...: mmulab run --gdb 0 ARGS in the background, output in
# NAME.out / NAME.err; sets $stub (pid) and $port.
start() {
	name=$1
	shift
	"$MMULAB" run --gdb 0 "$@" >"$name.out" 2>"$name.err" &
	stub=$!
	port=
	for i in $(seq 100); do
		port=$(sed -n 's/^mmulab: gdb: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$name.err" 2>/dev/null)
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	return 1
}
# finish: wait for the stub; its status in $rc.
finish() {
	for i in $(seq 200); do
		kill -0 $stub 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 $stub 2>/dev/null; then
		kill $stub
		rc=timeout
	else
		wait $stub
		rc=$?
	fi
	stub=
}

# ---- command line -------------------------------------------------------------
"$MMULAB" run --gdb 70000 "$GUEST_BIN/hello.elf" >out 2>err
rc=$?
if [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q -- "--gdb: bad port '70000'" err; then
	ok "bad --gdb port: status 2, one line"
else notok "bad --gdb port" "status $rc: $(cat err)"; fi
"$MMULAB" run --gdb 0 --gdb-detach maybe "$GUEST_BIN/hello.elf" >out 2>err
rc=$?
if [ $rc = 2 ] && grep -q -- "--gdb-detach: 'maybe'" err; then ok "bad --gdb-detach: status 2"
else notok "bad --gdb-detach" "status $rc: $(cat err)"; fi

# ---- gdb-multiarch --------------------------------------------------------------
if ! have gdb-multiarch; then
	for i in $(seq 24); do skip "gdb-multiarch not installed (Debian package gdb-multiarch)"; done
else
	gdbm() {
		timeout 120 gdb-multiarch -q -batch -nx \
			-ex 'set architecture riscv:rv32' -ex 'set pagination off' \
			-ex "target remote 127.0.0.1:$port" "$@"
	}
	if start cow "$GUEST_BIN/cowlesson.elf"; then
		gdbm -ex 'break main' -ex continue \
			-ex 'echo @@regs\n' -ex 'info registers pc sp' -ex 'x/2xw $sp' \
			-ex 'echo @@stepi\n' -ex 'stepi' -ex 'print/x $pc' \
			-ex 'break cowlesson.c:21' -ex continue \
			-ex 'echo @@watch\n' -ex 'watch *(char *)0x40000000' -ex continue \
			-ex 'echo @@fork\n' -ex delete -ex 'break cowlesson.c:27' -ex continue \
			-ex 'info threads' \
			-ex 'echo @@poke\n' -ex 'set var *(char *)0x40000000 = 81' \
			-ex 'x/c 0x40000000' -ex 'thread 2' -ex 'x/c 0x40000000' -ex 'thread 1' \
			-ex 'echo @@monitor\n' -ex 'monitor translate 0x40000000' \
			-ex 'monitor cat /proc/meminfo' -ex 'monitor maps' -ex 'monitor stats' \
			-ex 'monitor tlb' -ex 'echo @@end\n' -ex delete -ex continue \
			"$GUEST_BIN/cowlesson.elf" >cow.gdb 2>&1
		finish
		sed -n '/^@@regs/,/^@@stepi/p' cow.gdb >regs.sec
		sed -n '/^@@stepi/,/^@@watch/p' cow.gdb >stepi.sec
		sed -n '/^@@watch/,/^@@fork/p' cow.gdb >watch.sec
		sed -n '/^@@fork/,/^@@poke/p' cow.gdb >fork.sec
		sed -n '/^@@poke/,/^@@monitor/p' cow.gdb >poke.sec
		sed -n '/^@@monitor/,/^@@end/p' cow.gdb >monitor.sec
		has cow.gdb "gdb breaks at main" '^Breakpoint 1, main () at .*cowlesson.c'
		has regs.sec "registers: pc is main" '^pc  *0x[0-9a-f]*	0x[0-9a-f]* <main>'
		has regs.sec "registers: sp on the stack" '^sp  *0xbff'
		has regs.sec "memory at sp reads" '^0xbff[0-9a-f]*:	0x'
		if grep -q '^\$1 = 0x100d[e-f]$\|^\$1 = 0x100e[0-2]$' stepi.sec; then ok "stepi moves one instruction"
		else notok "stepi" "$(cat stepi.sec)"; fi
		has watch.sec "watchpoint fires on the parent's store" '^New value = 80 .P.$'
		has watch.sec "watchpoint saw the old value" '^Old value = 0 '
		has watch.sec "stopped just after the store (line 25)" 'cowlesson.c:25$'
		has fork.sec "the forked child appears" '^\[New Thread 2\]'
		has fork.sec "info threads lists the child" '^  2    Thread 2 (cowlesson.elf pid 2)'
		has fork.sec "the parent is followed" '^\* 1    Thread 1 (cowlesson.elf pid 1 (followed))'
		has poke.sec "write into the COW-shared page: the parent sees it" "^0x40000000:	81 'Q'"
		has poke.sec "the child keeps its copy" "^0x40000000:	80 'P'"
		has monitor.sec "monitor translate walks the tables" '^  -> pa 0x[0-9a-f]* rw-u'
		has monitor.sec "monitor cat /proc/meminfo" '^MemTotal:'
		has monitor.sec "monitor maps" '^40000000-40001000 rw-p'
		has monitor.sec "monitor stats" '^instructions [0-9]'
		has monitor.sec "monitor tlb" '^dtlb: '
		has cow.gdb "the followed process's exit reaches gdb" 'exited with code 01\]'
		has cow.out "the child never saw the write" '^child saw P, wrote C$'
		has cow.out "the parent did" '^parent sees Q$'
		if [ "$rc" = 1 ]; then ok "mmulab exits with the guest's status (1)"
		else notok "exit status" "got $rc"; fi
	else
		notok "stub did not start" "$(cat cow.err)"
	fi

	# Watching never changes behaviour: stepping, breakpoints and a
	# continue give the same output and counters as a plain run.
	"$MMULAB" run --stats --json "$GUEST_BIN/forktree.elf" >plain.out 2>plain.err
	if start same --stats --json "$GUEST_BIN/forktree.elf"; then
		gdbm -ex 'break main' -ex continue -ex 'stepi 50' -ex next \
			-ex 'info registers' -ex 'x/16xw $sp' -ex delete -ex continue \
			"$GUEST_BIN/forktree.elf" >same.gdb 2>&1
		finish
		# The JSON names the options used: leave that key out.
		grep -v '^mmulab: gdb: listening' same.err |
			sed 's/"options":\[[^]]*\],//' >same.err2
		sed 's/"options":\[[^]]*\],//' plain.err >plain.err2
		if cmp -s plain.out same.out && cmp -s plain.err2 same.err2; then
			ok "forktree under gdb: same output and --stats --json"
		else
			notok "forktree under gdb differs" "$(diff plain.out same.out | head -5)" \
				"$(diff plain.err2 same.err2 | head -5)"
		fi
	else
		notok "stub did not start" "$(cat same.err)"
	fi

	# detach: the guest runs on to its normal end.
	if start det "$GUEST_BIN/hello.elf" a b; then
		gdbm -ex 'break main' -ex continue -ex detach "$GUEST_BIN/hello.elf" >det.gdb 2>&1
		finish
		if [ "$rc" = 2 ] && grep -q '^sum of squares' det.out; then ok "detach: the guest runs on (status 2 = argc-1)"
		else notok "detach" "status $rc" "$(cat det.out det.gdb | head -8)"; fi
	else
		notok "stub did not start" "$(cat det.err)"
	fi
fi

# ---- reverse execution (--gdb-reverse) ------------------------------------------
if ! have gdb-multiarch; then
	for i in $(seq 9); do skip "gdb-multiarch not installed (Debian package gdb-multiarch)"; done
elif start rev --gdb-reverse 2000 "$GUEST_BIN/cowlesson.elf"; then
	# The learner's case: stop before the store that faults the page in
	# (line 25, p[0] = 'P'), step over it, step back: the same registers,
	# field by field, and the page is not there again.
	gdbm -ex 'break main' -ex 'break cowlesson.c:21' -ex continue -ex continue \
		-ex 'echo @@before\n' -ex 'info registers' -ex 'x/c 0x40000000' \
		-ex 'stepi 4' -ex 'echo @@after\n' -ex 'info registers pc' -ex 'x/c 0x40000000' \
		-ex 'reverse-stepi 4' -ex 'echo @@back\n' -ex 'info registers' -ex 'x/c 0x40000000' \
		-ex 'echo @@rc\n' -ex 'reverse-continue' -ex 'info registers pc' \
		-ex 'reverse-continue' -ex 'echo @@end\n' -ex 'delete' -ex continue \
		"$GUEST_BIN/cowlesson.elf" >rev.gdb 2>&1
	finish
	regs='^[a-z0-9]*  *0x\|^0x40000000:'
	sed -n '/^@@before/,/^@@after/p' rev.gdb | grep -a "$regs" >before.sec
	sed -n '/^@@after/,/^@@back/p' rev.gdb >after.sec
	sed -n '/^@@back/,/^@@rc/p' rev.gdb | grep -a "$regs" >back.sec
	sed -n '/^@@rc/,/^@@end/p' rev.gdb >rc.sec
	has rev.gdb "reverse session reaches line 21" '^Breakpoint 2, main () at .*cowlesson.c:21'
	has before.sec "before the store the byte is 0" "^0x40000000:	0 '.000'$"
	has after.sec "stepping over the store writes 'P'" "^0x40000000:	80 'P'"
	if [ "$(grep -c '^[a-z0-9]*  *0x' before.sec)" = 32 ] && cmp -s before.sec back.sec; then
		ok "reverse-stepi 4: ra..t6 and pc (32 registers) and the byte as they were"
	else
		notok "reverse-stepi 4 differs" "$(diff before.sec back.sec | head -10)"
	fi
	has rc.sec "reverse-continue stops at the breakpoint at main" '^pc  *0x[0-9a-f]*	0x[0-9a-f]* <main>'
	has rc.sec "and then at the beginning of the history" 'No more reverse-execution history'
	if [ "$(grep -c '^child saw P, wrote C$' rev.out)" = 1 ] &&
		[ "$(grep -c '^parent sees P$' rev.out)" = 1 ]; then
		ok "re-executed output is printed once"
	else notok "output after reverse" "$(cat rev.out)"; fi
	if [ "$rc" = 0 ]; then ok "status of the run is the guest's (0)"
	else notok "status after reverse" "$rc"; fi
	sleep 0.2
	if pgrep -f "gdb-reverse 2000 $GUEST_BIN/cowlesson.elf" >/dev/null 2>&1; then
		notok "checkpoint processes left behind" "$(pgrep -af 'gdb-reverse 2000')"
	else ok "no checkpoint process is left behind"; fi
else
	notok "stub did not start" "$(cat rev.err)"
fi

# ---- guest signals are gdb stops (gdbserver's semantics) --------------------------
if ! have gdb-multiarch; then
	for i in $(seq 8); do skip "gdb-multiarch not installed (Debian package gdb-multiarch)"; done
elif start sig "$GUEST_BIN/segv.elf"; then
	# The store to 0x10 faults: gdb sees SIGSEGV before it is delivered;
	# `signal 0` drops it (the store faults again), `continue` passes it.
	gdbm -ex continue -ex 'echo @@pc\n' -ex 'info registers pc' \
		-ex 'echo @@drop\n' -ex 'signal 0' -ex 'echo @@pass\n' -ex continue \
		"$GUEST_BIN/segv.elf" >sig.gdb 2>&1
	finish
	sed -n '/^@@drop/,/^@@pass/p' sig.gdb >drop.sec
	sed -n '/^@@pass/,$p' sig.gdb >pass.sec
	has sig.gdb "a page fault the kernel cannot resolve stops gdb with SIGSEGV" '^Program received signal SIGSEGV, Segmentation fault\.$'
	has sig.gdb "stopped at the faulting store" '^pc  *0x[0-9a-f]*	0x[0-9a-f]* <main+[0-9]*>$'
	has drop.sec "signal 0 drops it: the store faults again" '^Program received signal SIGSEGV'
	has pass.sec "continue delivers it: the program dies of it" '^Program terminated with signal SIGSEGV'
	has sig.out "the program ran up to the store" '^about to write to 0x10$'
	if [ "$rc" = 139 ]; then ok "mmulab exits with 128 + SIGSEGV (139)"
	else notok "exit status after SIGSEGV" "got $rc"; fi
else
	notok "stub did not start" "$(cat sig.err)"
fi
if have gdb-multiarch && start sigs "$GUEST_BIN/signals.elf"; then
	# Signals passed on (handled, ignored, fatal) as without gdb.
	gdbm -ex 'handle SIGSEGV SIGBUS SIGUSR1 SIGUSR2 SIGALRM SIGCHLD SIGTERM SIGPIPE SIGILL SIGFPE SIGABRT SIGHUP SIGQUIT nostop noprint pass' \
		-ex continue "$GUEST_BIN/signals.elf" >sigs.gdb 2>&1
	finish
	"$MMULAB" run "$GUEST_BIN/signals.elf" >plain.out 2>plain.err
	prc=$?
	if [ "$rc" = "$prc" ] && cmp -s plain.out sigs.out; then
		ok "signals passed on by gdb: the same output and status ($rc) as a plain run"
	else notok "signals under gdb" "status $rc vs $prc" "$(diff plain.out sigs.out | head -5)"; fi
	grep -a 'received signal' sigs.gdb >sigs.sec
	if [ ! -s sigs.sec ]; then ok "handle nostop: no stop reported"
	else notok "handle nostop" "$(cat sigs.sec)"; fi
elif have gdb-multiarch; then
	notok "stub did not start" "$(cat sigs.err)"
fi

# ---- the REPL's gdb PORT ---------------------------------------------------------
# start_repl NAME SCRIPT: mmulab script SCRIPT in the background, waiting at
# its `gdb 0`; sets $stub and $port as start does.
start_repl() {
	name=$1
	"$MMULAB" script "$2" >"$name.out" 2>"$name.err" &
	stub=$!
	port=
	for i in $(seq 200); do
		port=$(sed -n 's/^mmulab: gdb: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$name.err" 2>/dev/null)
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	return 1
}
if ! have gdb-multiarch; then
	for i in $(seq 6); do skip "gdb-multiarch not installed (Debian package gdb-multiarch)"; done
else
	cat >detach.mmu <<EOF
load $GUEST_BIN/cowlesson.elf
gdb 0
echo @@back
print \$pc
continue
expect exit == 0
EOF
	if start_repl rdet detach.mmu; then
		gdbm -ex 'break cowlesson.c:21' -ex continue -ex detach \
			"$GUEST_BIN/cowlesson.elf" >rdet.gdb 2>&1
		finish
		bp=$(sed -n 's/^Breakpoint 1 at \(0x[0-9a-f]*\): .*/\1/p' rdet.gdb)
		has rdet.gdb "REPL gdb: gdb breaks in the REPL's program" '^Breakpoint 1, main () at .*cowlesson.c:21'
		has rdet.out "REPL gdb: the REPL takes the machine back" '^gdb has gone; the REPL has the machine back'
		if [ -n "$bp" ] && grep -q "^[0-9]* ($bp)$" rdet.out; then
			ok "REPL gdb: the machine is where gdb left it (pc $bp)"
		else notok "REPL gdb: pc after detach" "breakpoint '$bp'" "$(cat rdet.out)"; fi
		if [ "$rc" = 0 ] && grep -q '^\[pid 1 exited with status 0\]$' rdet.out; then
			ok "REPL gdb: the REPL runs the program on to its end"
		else notok "REPL gdb: after detach (status $rc)" "$(tail -5 rdet.out)" "$(tail -3 rdet.err)"; fi
	else
		notok "REPL gdb did not listen" "$(cat rdet.err)"
	fi
	cat >kill.mmu <<EOF
load $GUEST_BIN/cowlesson.elf
gdb 0
expect exit == 128 + 9
EOF
	if start_repl rkill kill.mmu; then
		gdbm -ex 'break main' -ex continue -ex kill \
			"$GUEST_BIN/cowlesson.elf" >rkill.gdb 2>&1
		finish
		if [ "$rc" = 0 ] && grep -q '^\[pid 1 killed by signal 9; exit status 137\]$' rkill.out; then
			ok "REPL gdb: gdb's kill ends the program"
		else notok "REPL gdb: kill (status $rc)" "$(cat rkill.out)" "$(tail -3 rkill.err)"; fi
	else
		notok "REPL gdb did not listen" "$(cat rkill.err)"
	fi
	"$MMULAB" script /dev/stdin >rbad.out 2>rbad.err <<EOF
load $GUEST_BIN/hello.elf
gdb 70000
EOF
	if grep -q "port" rbad.err && [ "$(wc -l <rbad.err)" = 1 ]; then ok "REPL gdb: a bad port is one line"
	else notok "REPL gdb: bad port" "$(cat rbad.err)"; fi
fi

# ---- raw protocol -----------------------------------------------------------------
if ! have python3; then
	for i in $(seq 9); do skip "python3 not installed"; done
else
	mkdir root
	if start raw --root root "$GUEST_BIN/sysfuzz.elf" 100000000; then
		python3 -c 'import sys
for l in open("/proc/net/tcp").readlines()[1:]:
    f = l.split()
    a, p = f[1].split(":")
    if f[3] == "0A" and int(p, 16) == int(sys.argv[1]):
        print(a)' $port >listen.addr 2>/dev/null
		if [ -s listen.addr ]; then
			if [ "$(cat listen.addr)" = 0100007F ]; then ok "listens on 127.0.0.1 only"
			else notok "listen address" "$(cat listen.addr)"; fi
		else
			skip "cannot read the listening address (/proc/net/tcp)"
		fi
		cat >raw.py <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(20)
buf = b""
def recv_until(pred):
    global buf
    while not pred(buf):
        d = s.recv(65536)
        if not d:
            raise SystemExit("closed")
        buf += d
def packet():
    """The next $...#xx packet (acks before it dropped)."""
    global buf
    recv_until(lambda b: b"#" in b[b.find(b"$"):] and len(b) >= b.find(b"#", b.find(b"$")) + 3 and b.find(b"$") >= 0)
    i = buf.find(b"$"); j = buf.find(b"#", i)
    p, c = buf[i + 1:j], buf[j + 1:j + 3]
    buf = buf[j + 3:]
    assert int(c, 16) == sum(p) & 0xff, "bad checksum from stub"
    return p
def send(payload, csum=None):
    c = sum(payload) & 0xff if csum is None else csum
    s.sendall(b"$" + payload + b"#%02x" % c)
def say(*a):
    print(*a, flush=True)
send(b"?", csum=0)                       # wrong checksum
recv_until(lambda b: b"-" in b); say("nak", buf[:1].decode()); buf = buf[1:]
send(b"?"); say("stop", packet().decode())
for junk in [b"Z0,zz,2", b"m", b"X0,2:}", b"\x01\x02", b"qRcmd,zz", b"H"]:
    send(junk); say("junk", junk, packet().decode())
send(b"A" * 20000); say("overlong", packet().decode())
send(b"qC"); say("qC", packet().decode())
send(b"QStartNoAckMode"); say("noack", packet().decode())
buf = buf.replace(b"+", b"")
send(b"c"); time.sleep(0.3); s.sendall(b"\x03")
say("interrupt", packet().decode())
send(b"m0,4"); say("after", packet().decode())
send(b"k"); s.close()
EOF
		timeout 60 python3 raw.py $port >raw.log 2>&1
		finish
		has raw.log "a bad checksum gets '-'" '^nak -$'
		has raw.log "then a good packet is served" '^stop T05thread:1;$'
		# An error (Exx) or, for what is not a command at all, empty.
		if [ "$(grep -c '^junk .* E0[0-9a-f]$\|^junk .*\\x02. $' raw.log)" = 6 ]; then ok "six hostile packets, six error (or empty) replies"
		else notok "hostile packets" "$(grep '^junk' raw.log)"; fi
		has raw.log "an overlong packet gets E01" '^overlong E01$'
		has raw.log "the stub keeps serving" '^qC QC1$'
		has raw.log "QStartNoAckMode accepted" '^noack OK$'
		has raw.log "Ctrl-C stops the running guest (SIGINT)" '^interrupt T02thread:1;$'
		if [ "$rc" = 137 ]; then ok "k kills the guest (status 137)"
		else notok "kill" "status $rc" "$(cat raw.log raw.err | tail -5)"; fi
	else
		notok "stub did not start" "$(cat raw.err)"
	fi
fi

# Under --enable-sanitizers: no report in anything mmulab printed.
if cat ./*.err 2>/dev/null | grep -aq 'Sanitizer\|runtime error'; then
	notok "sanitizer reports" "$(cat ./*.err | grep -a -m5 'Sanitizer\|runtime error')"
else
	ok "no sanitizer report on stderr"
fi

echo "1..$n"
exit 0
