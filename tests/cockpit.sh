#!/bin/sh
# Measuring a run (issue 10): the --stats summary and --stats=all, the
# per-process counters of --stats --json, the --cost model, --sample N
# --csv FILE (and that sampling never changes a run), perf_event_open
# from inside the guest against --stats --json, and the progress line on
# a terminal (tmux).  TAP; JSON checks need python3, the terminal tmux.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
examples=$(cd "${top_srcdir:-.}/examples" 2>/dev/null && pwd)
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
[ -f "$GUEST_BIN/perfphase.elf" ] || { echo "1..0 # SKIP guest programs not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cockpit.XXXXXX") || exit 99
sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check() { # DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@" >check.out 2>&1; then ok "$d"; else notok "$d" "$(head -5 check.out)"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }
# py DESCRIPTION SCRIPT: python3 asserts on the JSON in s.json
py() {
	if have python3; then
		check "$1" python3 -c "import json; d = json.load(open('s.json'))
$2"
	else
		skip "python3 missing: $1"
	fi
}

# ---- --stats: the short summary, --stats=all every counter ------------------
"$MMULAB" run --stats "$GUEST_BIN/forktree.elf" >out 2>err
for l in 'Performance counter stats for' ' instructions$' ' cycles ' \
	' page-faults .*minor, .*major' ' zero-page faults' ' COW copies' \
	' iTLB-loads .*% misses' ' dTLB-loads .*% misses' ' page walks ' \
	' kB +peak RSS' ' swap in ' ' seconds virtual time'; do
	check "--stats summary has '$l'" grep -Eq -- "$l" err
done
check "--stats summary is short (under 25 lines)" [ "$(wc -l <err)" -lt 25 ]
check "--stats summary has no vmstat dump" sh -c '! grep -q "^nr_free_pages " err'
"$MMULAB" run --stats=all "$GUEST_BIN/forktree.elf" >out 2>all.err
check "--stats=all prints every counter" sh -c \
	'grep -q "^instructions [0-9]" all.err && grep -q "^page_walks " all.err &&
	 grep -q "^pgfault " all.err && grep -q "^MemTotal:" all.err'
"$MMULAB" run --stats=some "$GUEST_BIN/hello.elf" >out 2>err
rc=$?
check "--stats=some: status 2 and one line naming --stats" sh -c \
	"[ $rc = 2 ] && [ \$(wc -l <err) = 1 ] && grep -q -- '--stats' err"

# ---- --stats --json: schema 1.1, the processes -------------------------------
"$MMULAB" run --stats --json "$GUEST_BIN/forktree.elf" >out 2>err
grep '^{"schema_version"' err | tail -1 >s.json
py "JSON schema 1.1 with processes" '
assert d["schema_version"] == 1 and d["schema_minor"] == 2
assert d["cost"] is None and d["cycles"] == d["instructions"] + d["idle_ns"]
ps = d["processes"]
assert len(ps) > 10, len(ps)
assert [p["pid"] for p in ps] == sorted(p["pid"] for p in ps)
assert ps[0]["pid"] == 1 and ps[0]["ppid"] == 0 and ps[0]["comm"] == "forktree.elf"
assert all(p["exited"] and p["exit_signal"] == 0 for p in ps)'
py "every instruction belongs to one process" '
assert sum(p["instructions"] for p in d["processes"]) == d["instructions"]'
py "per-process TLB figures add up to the machine's" '
for t in ("itlb", "dtlb"):
    g = d["tlb"][t]
    a = sum(p["tlb"][t]["accesses"] for p in d["processes"])
    m = sum(p["tlb"][t]["misses"] for p in d["processes"])
    assert 0.95 * g["accesses"] <= a <= g["accesses"], (t, a, g)
    assert 0.9 * g["misses"] <= m <= g["misses"], (t, m, g)
    for p in d["processes"]:
        q = p["tlb"][t]
        assert q["hits"] + q["misses"] == q["accesses"]
w = sum(p["page_walks"] for p in d["processes"])
assert 0.9 * d["page_walks"] <= w <= d["page_walks"]'
py "per-process faults by kind add up to the machine's" '
for k, v in d["faults_by_kind"].items():
    assert sum(p["faults_by_kind"][k] for p in d["processes"]) == v, k
assert sum(p["cow_copies"] for p in d["processes"]) == d["faults_by_kind"]["cow-copy"]
mm = sum(p["minor_faults"] + p["major_faults"] for p in d["processes"])
assert mm <= d["pgfault"], (mm, d["pgfault"])
assert max(p["peak_rss_kb"] for p in d["processes"]) == d["peak_rss_kb"] > 0'
"$MMULAB" run --stats --json "$GUEST_BIN/cowfaults.elf" >out 2>err
grep '^{"schema_version"' err | tail -1 >s.json
py "a process killed by a signal says which" '
ps = [p for p in d["processes"] if p["exit_signal"]]
assert ps and all(p["exit_status"] is None for p in ps)
assert 11 in [p["exit_signal"] for p in ps]'

# ---- --cost ---------------------------------------------------------------
"$MMULAB" run --cost default --stats --json "$GUEST_BIN/forktree.elf" >cost.out 2>err
grep '^{"schema_version"' err | tail -1 >s.json
py "--cost: cycles = instructions + idle + the events times their costs" '
c = d["cost"]
assert c == {"tlb_miss": 20, "walk_access": 100, "minor_fault": 1000, "major_fault": 100000, "swap_io": 80000}, c
fk = d["faults_by_kind"]
ok = sum(v for k, v in fk.items() if k not in ("sigsegv", "sigbus", "oom"))
mis = d["tlb"]["itlb"]["misses"] + d["tlb"]["dtlb"]["misses"]
want = (d["instructions"] + d["idle_ns"] + mis * c["tlb_miss"] + d["walk_reads"] * c["walk_access"]
        + d["pgmajfault"] * c["major_fault"] + (ok - d["pgmajfault"]) * c["minor_fault"]
        + (d["pswpin"] + d["pswpout"]) * c["swap_io"])
assert d["cycles"] == want, (d["cycles"], want)
assert sum(p["cycles"] for p in d["processes"]) <= d["cycles"] - d["idle_ns"]'
"$MMULAB" run "$GUEST_BIN/forktree.elf" >plain.out 2>/dev/null
check "--cost changes no output of a program that does not read the clock" cmp plain.out cost.out
"$MMULAB" run --cost tlb_miss=0,walk_access=0,minor_fault=0,major_fault=0,swap_io=0 \
	--stats --json "$GUEST_BIN/forktree.elf" >/dev/null 2>err
grep '^{"schema_version"' err | tail -1 >s.json
py "--cost of zeros: cycles = instructions" 'assert d["cycles"] == d["instructions"] + d["idle_ns"]'
for bad in 'tlb_miss' 'tlb_miss=x' 'bogus=1' 'tlb_miss=1,,' ''; do
	"$MMULAB" run --cost "$bad" "$GUEST_BIN/hello.elf" >out 2>err
	rc=$?
	check "--cost '$bad': status 2, one line naming --cost" sh -c \
		"[ $rc = 2 ] && [ \$(wc -l <err) = 1 ] && grep -q -- '--cost' err"
done
if [ -n "$examples" ]; then
	(cd "$GUEST_BIN/../.." && "$MMULAB" script --cost default "$examples/cost.mmu") >ex.out 2>&1
	rc=$?
	check "examples/cost.mmu: the EAT formula agrees with the measured cost" \
		sh -c "[ $rc = 0 ] && grep -q 'measured with --cost' ex.out"
else
	skip "examples/ not found"
fi

# ---- --sample N --csv FILE ------------------------------------------------
"$MMULAB" run --sample 50000 --csv run.csv --stats --json "$GUEST_BIN/forktree.elf" \
	>sampled.out 2>sampled.err
"$MMULAB" run --stats --json "$GUEST_BIN/forktree.elf" >plain.out 2>plain.err
check "CSV header names the columns" sh -c \
	'head -1 run.csv | grep -q "^insns,pid,rss_kb,minflt,majflt,dtlb_miss,itlb_miss,time_ns,cycles,pgfault,"'
check "CSV rows have as many fields as the header" awk -F, \
	'NR == 1 { nf = NF } NF != nf { exit 1 } END { exit NR < 3 }' run.csv
check "CSV time never goes back, rows at multiples of N and one at the end" awk -F, \
	'NR > 1 { if ($1 < last || $8 < lt) exit 1; last = $1; lt = $8; if ($1 % 50000) odd++ }
	 END { exit odd != 1 }' run.csv
check "CSV: counters are cumulative (pgfault never drops)" awk -F, \
	'NR > 1 { if ($10 < p) exit 1; p = $10 }' run.csv
"$MMULAB" run --sample 50000 --csv run2.csv "$GUEST_BIN/forktree.elf" >/dev/null 2>&1
check "CSV is deterministic (two runs, the same file)" cmp run.csv run2.csv
strip() { grep '^{"schema_version"' "$1" | tail -1 | sed 's/"options":\[[^]]*\]//'; }
strip plain.err >plain.json
strip sampled.err >sampled.json
check "sampling changes neither the output nor the counters" sh -c \
	'cmp -s plain.out sampled.out && [ -s plain.json ] && cmp plain.json sampled.json'
for p in perfphase cowfaults filemap sleeps; do
	"$MMULAB" run --stats=all --json "$GUEST_BIN/$p.elf" >a.out 2>a.err
	ra=$?
	"$MMULAB" run --stats=all --json --sample 997 --csv p.csv "$GUEST_BIN/$p.elf" >b.out 2>b.err
	rb=$?
	if [ $ra = $rb ] && cmp -s a.out b.out && [ "$(strip a.err)" = "$(strip b.err)" ]; then
		ok "$p: sampled every 997 instructions = plain"
	else
		notok "$p: sampled differs from plain (status $ra/$rb)" "$(diff a.out b.out | head -3)"
	fi
done
if have gnuplot; then
	for g in rss faults tlb; do
		gnuplot -e "csv='run.csv'; out='$g.png'" "$examples/plot-$g.gp" >gp.out 2>&1
		check "examples/plot-$g.gp draws a real --csv series" sh -c \
			"[ -s $g.png ] && ! grep -qi 'warning\|error' gp.out"
	done
else
	skip "gnuplot not installed"
fi
for args in '--sample 0 --csv x.csv' '--sample 10' '--csv x.csv' \
	'--sample 10 --csv /nonexistent/x.csv'; do
	"$MMULAB" run $args "$GUEST_BIN/hello.elf" >out 2>err
	rc=$?
	check "'$args': status 2, one line" sh -c \
		"[ $rc = 2 ] && [ \$(wc -l <err) = 1 ] && grep -q -- '--' err"
done

# ---- perf_event_open from the guest against --stats --json -------------------
"$MMULAB" run --stats --json "$GUEST_BIN/perfphase.elf" >pp.out 2>err
rc=$?
grep '^{"schema_version"' err | tail -1 >s.json
check "perfphase runs (status 0)" [ $rc = 0 ]
v() { sed -n "s/^$1: $2  *\([0-9]*\)\$/\1/p" pp.out; }
check "the random phase takes page faults, the tight loop none" sh -c \
	"[ '$(v random page-faults)' -gt 1000 ] && [ '$(v tight page-faults)' = 0 ]"
check "dTLB misses: many in the random phase, ~0 in the tight loop" sh -c \
	"[ '$(v random dTLB-load-misses)' -gt 10000 ] && [ '$(v tight dTLB-load-misses)' -lt 10 ]"
check "minor + major = page-faults in a phase" sh -c \
	"[ \$(( $(v random minor-faults) + $(v random major-faults) )) = '$(v random page-faults)' ]"
check "without --cost, cycles = task-clock = instructions of a phase" sh -c \
	"[ '$(v tight cycles)' = '$(v tight instructions)' ] && [ '$(v tight task-clock)' = '$(v tight cycles)' ]"
check "the group reads enabled == running, ids match, dup/disable behave" sh -c \
	'! grep -q "bad id\|: no$" pp.out && [ "$(grep -c "enabled == running: yes" pp.out)" = 2 ]'
if have python3; then
	check "a phase's counts are within the process's (--stats --json)" python3 -c "
import json, re
d = json.load(open('s.json'))
p = [q for q in d['processes'] if q['pid'] == 1][0]
v = {}
for l in open('pp.out'):
    m = re.match(r'(tight|random): (\S+) +(\d+)$', l)
    if m: v[(m.group(1), m.group(2))] = int(m.group(3))
for ph in ('tight', 'random'):
    assert v[(ph, 'page-faults')] <= p['minor_faults'] + p['major_faults'] + p['faults_by_kind']['sigsegv']
    assert v[(ph, 'instructions')] < p['instructions']
    assert v[(ph, 'dTLB-load-misses')] <= p['tlb']['dtlb']['misses']
    assert v[(ph, 'dTLB-loads')] <= p['tlb']['dtlb']['accesses']
assert v[('random', 'page-faults')] + v[('tight', 'page-faults')] <= p['minor_faults'] + p['major_faults']
"
else
	skip "python3 missing"
fi
for e in 'bad hardware config: EINVAL' 'branch-misses (not counted here): ENOENT' \
	'a size below PERF_ATTR_SIZE_VER0: E2BIG' 'no such pid: ESRCH' \
	'group_fd not an event: EINVAL' 'attr at a bad address: EFAULT' \
	'read into 4 bytes of a group of 10: ENOSPC' 'write to an event: EINVAL' \
	'an unknown ioctl: ENOTTY'; do
	check "perf_event_open error: $e" grep -qF "error: $e" pp.out
done
"$MMULAB" run --cost default "$GUEST_BIN/perfphase.elf" >ppc.out 2>/dev/null
check "with --cost, perf's cycles are the modelled cycles (> instructions)" sh -c \
	"[ \$(sed -n 's/^random: cycles  *//p' ppc.out) -gt \$(sed -n 's/^random: instructions  *//p' ppc.out) ]"

# ---- the progress line (tmux: stderr on a terminal) -------------------------
"$MMULAB" run "$GUEST_BIN/perfphase.elf" 60 >/dev/null 2>notty.err
check "no progress line when stderr is not a terminal" sh -c '! grep -q "insns/s" notty.err'
if have tmux; then
	T() { tmux -S "$sock" "$@"; }
	screen() { T capture-pane -p -J -t prog 2>/dev/null | sed 's/ *$//'; }
	# a session that outlives the others keeps the server up
	T new-session -d -s keep -x 80 -y 5 "sleep 600"
	T new-session -d -s prog -x 150 -y 20 "sh -c '\"$MMULAB\" run \"$GUEST_BIN/perfphase.elf\" 400 >/dev/null; echo EXIT=\$?; sleep 30'"
	seen=no
	i=0
	while [ $i -lt 600 ]; do
		s=$(screen)
		case $s in *insns/s*) seen=yes; echo "$s" | grep 'insns/s' >line.txt ;; esac
		case $s in *EXIT=*) break ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	check "a long run on a terminal shows the progress line" [ $seen = yes ]
	check "the progress line names instructions, faults and RSS" grep -Eq \
		'^mmulab: [0-9.]+M insns, [0-9]+ faults \([0-9]+ major\), RSS [0-9]+ kB, [0-9.]+M insns/s' line.txt
	screen >final.txt
	check "the run ends and the line is erased" sh -c \
		'grep -q "^EXIT=0" final.txt && ! grep -q "insns/s" final.txt'
	T kill-session -t prog 2>/dev/null
	T new-session -d -s prog -x 150 -y 20 "sh -c '\"$MMULAB\" run --no-progress \"$GUEST_BIN/perfphase.elf\" 400 >/dev/null; echo EXIT=\$?; sleep 30'"
	seen=no
	i=0
	while [ $i -lt 600 ]; do
		s=$(screen)
		case $s in *insns/s*) seen=yes ;; esac
		case $s in *EXIT=*) break ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	screen >final2.txt
	check "--no-progress: never a progress line (the run ended)" sh -c \
		"[ $seen = no ] && grep -q '^EXIT=0' final2.txt"
	T kill-session -t prog 2>/dev/null
else
	skip "tmux not installed"
	skip "tmux not installed"
	skip "tmux not installed"
	skip "tmux not installed"
fi

echo "1..$n"
exit $fail
