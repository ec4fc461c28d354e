#!/bin/sh
# The REPL on a real terminal: tmux types into `mmulab repl` on a pty and
# reads the screen back with capture-pane.  Load a program, break at main,
# run into a page fault and see it handled, translate the address level by
# level, read the TLB and the counters, use the history (Up arrow) and tab
# completion, stop a running guest with Ctrl-C, quit; the history file
# lands in $HOME.  TAP; SKIP without tmux.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/hello.elf" ] || { echo "1..0 # SKIP guest programs not built"; exit 0; }
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux not installed"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tmux-repl.XXXXXX") || exit 99
sock="$tmp/tmux.sock"
T() { tmux -S "$sock" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
# -J joins the lines the terminal wrapped (a checkout at a long path).
screen() { T capture-pane -p -J -S -200 -t repl | sed 's/ *$//'; }
# wait_for PATTERN [SECONDS]: until the screen shows PATTERN (grep -E)
wait_for() {
	i=0
	lim=$(( ${2:-10} * 10 ))
	while [ $i -lt $lim ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
type_line() { T send-keys -t repl -l -- "$1"; T send-keys -t repl Enter; }
step() { # step NAME PATTERN [SECONDS]
	if wait_for "$2" "${3:-10}"; then ok "$1"; else
		notok "$1: no /$2/ on the screen" "$(screen | tail -15)"; fi
}

H=$GUEST_BIN/hello.elf
T new-session -d -s repl -x 160 -y 60 \
	"env HOME='$tmp' TERM=xterm INPUTRC=/dev/null '$MMULAB' repl; echo REPL-EXIT=\$?; sleep 30"
step "the REPL starts with a prompt" '^\(mmulab\)'
type_line "load $H"
step "load" "loaded .*hello.elf: pid 1"
type_line "break main"
step "break main" "^Breakpoint 1 at 0x[0-9a-f]+ <main>"
type_line "run"
step "run stops at main with its source line" "^hello.c:7"
type_line "catch fault"
type_line "continue"
step "a page fault is caught before the kernel handles it" "^Catchpoint 2 \(fault\): .* page fault at va 0x[0-9a-f]+"
va=$(screen | sed -n 's/^Catchpoint 2 (fault): .* page fault at va \(0x[0-9a-f]*\),.*/\1/p' | tail -1)
type_line "stepi"
step "stepi shows the kernel handling it and the TLB filling" "page fault handled: [0-9]+ minor, [0-9]+ major"
step "the walk that fills the TLB" "tlb:fill"
type_line "translate $va"
step "translate walks level by level to a physical address" "^  pa = 0x[0-9a-f]+"
if screen | grep -q "^  pte table pa 0x[0-9a-f]* index"; then ok "translate shows the pte level"; else notok "translate shows the pte level" "$(screen | tail -8)"; fi
type_line "tlb i"
step "tlb i shows sets, ways and statistics" "^itlb: 64 entries, 16 sets x 4 ways"
type_line "stats"
step "stats shows faults and the EAT" "^EAT .*ma = 100 ns"

# history: Up twice recalls `tlb i`
T send-keys -t repl C-l
sleep 0.3
T send-keys -t repl Up Up
step "Up arrow recalls the history" '^\(mmulab\) tlb i$' 5
T send-keys -t repl Enter
sleep 0.5
# tab completion: a command, then a symbol
T send-keys -t repl C-l
sleep 0.3
T send-keys -t repl -l "trans"
T send-keys -t repl Tab
step "Tab completes a command name" '^\(mmulab\) translate$' 5
T send-keys -t repl C-u
T send-keys -t repl -l "list mai"
T send-keys -t repl Tab
step "Tab completes a symbol" '^\(mmulab\) list main$' 5
T send-keys -t repl Enter
step "list main shows the source" "int main\(int argc, char \*\*argv\)"
T send-keys -t repl C-l
sleep 0.3
T send-keys -t repl -l "cat /proc/1/sm"
T send-keys -t repl Tab
step "Tab completes /proc paths" '^\(mmulab\) cat /proc/1/smaps$' 5
T send-keys -t repl Enter
step "cat /proc/1/smaps" "^Rss: "
type_line "frobnicate"
step "a typo gets one helpful line" "unknown command 'frobnicate'"

# Ctrl-C stops a running guest: single-stepping under a watchpoint over
# a long loop, built here when the cross compiler is at hand.
spin=
if [ -n "$GUEST_CC" ] && [ -n "$GUEST_RT_OBJS" ]; then
	cat >spin.c <<'EOF'
int main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}
EOF
	# shellcheck disable=SC2086
	$GUEST_CC $GUEST_CFLAGS -o spin.elf $GUEST_RT_OBJS spin.c $GUEST_LIBS 2>spin.err && spin=$tmp/spin.elf
fi
if [ -n "$spin" ]; then
	type_line "delete"
	type_line "load $spin"
	step "load a program that never ends" "loaded .*spin.elf"
	type_line "continue"
	sleep 1
	T send-keys -t repl C-c
	step "Ctrl-C stops the guest and the prompt comes back" "^Interrupted\.$"
	type_line "print instructions > 0"
	step "the machine is still there after Ctrl-C" "^1 \(0x1\)$"
else
	echo "ok $((n + 1)) # SKIP no guest compiler to build a program that never ends"
	n=$((n + 1))
fi

type_line "quit"
step "quit leaves with status 0" "REPL-EXIT=0"
if grep -q '^translate ' "$tmp/.mmulab_history" 2>/dev/null; then
	ok "history saved in \$HOME/.mmulab_history"
else
	notok "history saved in \$HOME/.mmulab_history" "$(cat "$tmp/.mmulab_history" 2>&1 | head -3)"
fi
if screen | grep -q 'Sanitizer\|runtime error'; then notok "no sanitizer report"; else ok "no sanitizer report"; fi
echo "1..$n"
exit $fail
