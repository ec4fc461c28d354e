#!/bin/sh
# The disassembler speaks objdump: every instruction of every guest
# program's .text, and random instruction words, disassemble as
# `riscv64-unknown-elf-objdump -d -M no-aliases` prints them (operands
# compared with blanks squeezed, "0x" prefixes dropped and objdump's
# "<symbol>" and "# comment" suffixes removed).  Where objdump knows an
# encoding that RV32IMAC lacks (F/D, RV64C, .4byte), mmulab must say
# "illegal", and the reverse must never happen.  Two differences are
# allowed: FENCE/FENCE.I words with their reserved fields set (which the
# ISA says to ignore, as the hart does) and CSRs of other privilege levels
# (shown as numbers here).  TAP.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
case $GUEST_BIN in
/*|'') ;;
*) GUEST_BIN=$(pwd)/$GUEST_BIN ;;
esac
RAW=${DISASM_RAW:-$(dirname "$MMULAB")/tests/disasm_raw}
OBJDUMP=${OBJDUMP:-riscv64-unknown-elf-objdump}
OBJCOPY=${OBJCOPY:-riscv64-unknown-elf-objcopy}
[ -x "$RAW" ] || { echo "1..0 # SKIP tests/disasm_raw not built"; exit 0; }
command -v "$OBJDUMP" >/dev/null 2>&1 && command -v "$OBJCOPY" >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP $OBJDUMP not installed (binutils-riscv64-unknown-elf)"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/disasm.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# objdump's lines "  addr:\thex\tmnemonic\toperands[ <sym>][ # comment]"
# -> "addr: mnemonic operands"
norm_objdump() {
	sed -n 's/^ *\([0-9a-f][0-9a-f]*\):\t[0-9a-f ]*\t\(.*\)$/\1: \2/p' |
		sed '/out of bounds/d; s/ *#.*$//; s/ <[^>]*>//g; s/\t/ /g; s/  */ /g; s/0x//g; s/ *$//'
}
norm_ours() {
	sed 's/0x//g; s/  */ /g; s/ *$//'
}
# POSIX sh has no process substitution: do it with files
compare_files() {
	sed 's/: /|/' "$1" | sort -t '|' -k1,1 >a.sorted
	sed 's/: /|/' "$2" | sort -t '|' -k1,1 >b.sorted
	join -t '|' a.sorted b.sorted >joined
	total=$(wc -l <joined)
	# mmulab lacks F/D and RV64C: objdump's names for those, and what it
	# cannot decode, must be "illegal" here -- and only those
	awk -F'|' '
	{
		ours = $2; theirs = $3
		split(theirs, w, " "); m = w[1]
		# data the assembler placed in .text (.word 0x100f for
		# fence.i without Zifencei, .word 0 for unimp): not compared
		if (m == ".word" || m == ".half" || m == ".short") next
		# shift amounts of 32 and more are RV64 encodings
		shamt = (m ~ /^(c\.)?s(ll|rl|ra)i$/) ? w[2] : ""
		sub(/^.*,/, "", shamt)
		foreign = (m ~ /^\.[0-9]*byte$/ || m ~ /^c\.f/ || m ~ /^f[a-z]/ &&
			   m !~ /^fence/ || m == "c.ld" || m == "c.sd" ||
			   m == "c.ldsp" || m == "c.sdsp" || m == "c.addiw" ||
			   m == "c.subw" || m == "c.addw" || m ~ /^unknown/ ||
			   theirs ~ /unknown/ ||
			   (shamt != "" && length(shamt) == 2 && shamt >= "20"))
		split(ours, o, " ")
		# FENCE and FENCE.I ignore their reserved fields (the ISA
		# manual says so); objdump shows such words as .4byte
		if (o[1] ~ /^fence/ && m == ".4byte") { next }
		# a CSR objdump names (machine, supervisor) that a user-mode
		# hart has no name for: shown as its number
		if (o[1] ~ /^csrr/ && o[1] == m) {
			split(o[2], oa, ","); split(w[2], ta, ",")
			if (oa[2] ~ /^[0-9a-f]+$/ && ta[2] !~ /^[0-9a-f]+$/) {
				sub(oa[2], ta[2], ours)
			}
		}
		if (ours ~ /^illegal/) {
			if (!foreign) { print "illegal here, objdump: " $1 ": " theirs; bad++ }
		} else if (ours != theirs) {
			print $1 ": ours \"" ours "\" objdump \"" theirs "\""; bad++
		}
	}
	END { exit bad > 0 }' joined >diffs
}

total_all=0
progs=$(cd "$GUEST_BIN" 2>/dev/null && ls *.elf 2>/dev/null)
[ -n "$progs" ] || { echo "1..0 # SKIP guest programs not built"; exit 0; }
for p in $progs; do
	elf=$GUEST_BIN/$p
	addr=$("$OBJDUMP" -h "$elf" | awk '$2 == ".text" { print "0x" $4 }')
	"$OBJCOPY" -O binary --only-section=.text "$elf" text.bin
	"$RAW" text.bin "$addr" | norm_ours >ours
	"$OBJDUMP" -d -M no-aliases -j .text "$elf" | norm_objdump >theirs
	if compare_files ours theirs && [ "$total" -gt 100 ]; then
		ok "$p: $total instructions as objdump prints them"
	else
		notok "$p: $(wc -l <diffs) of $total differ" "$(head -5 diffs)"
	fi
	total_all=$((total_all + total))
done

# random words: half 32-bit, half pairs of 16-bit parcels, seeded
i=0
while [ $i -lt 4 ]; do
	awk -v seed=$((i + 1)) 'BEGIN {
		srand(seed)
		for (k = 0; k < 20000; k++) {
			lo = int(rand() * 65536); hi = int(rand() * 65536)
			if (k % 2) lo = lo - lo % 4 + 3  # a 32-bit instruction
			else if (lo % 4 == 3) lo -= 1    # a compressed parcel
			if (k % 2 == 0 && hi % 4 == 3) hi -= 1
			printf "%c%c%c%c", lo % 256, int(lo / 256), hi % 256, int(hi / 256)
		}
	}' >rand.bin 2>/dev/null
	if [ "$(wc -c <rand.bin)" != 80000 ]; then
		# awk printf of bytes >= 0x80 is locale dependent: use od instead
		LC_ALL=C awk -v seed=$((i + 1)) 'BEGIN { srand(seed); for (k = 0; k < 20000; k++) {
			lo = int(rand() * 65536); hi = int(rand() * 65536)
			if (k % 2) lo = lo - lo % 4 + 3
			else if (lo % 4 == 3) lo -= 1
			if (k % 2 == 0 && hi % 4 == 3) hi -= 1
			printf "%c%c%c%c", lo % 256, int(lo / 256), hi % 256, int(hi / 256) } }' >rand.bin
	fi
	"$RAW" rand.bin 0 | norm_ours >ours
	"$OBJDUMP" -D -b binary -m riscv:rv32 -M no-aliases rand.bin | norm_objdump >theirs
	if compare_files ours theirs && [ "$total" -gt 20000 ]; then
		ok "random words (seed $((i + 1))): $total instructions agree with objdump"
	else
		notok "random words (seed $((i + 1))): $(wc -l <diffs) of $total differ" "$(head -8 diffs)"
	fi
	i=$((i + 1))
done
echo "# $total_all guest instructions compared"
echo "1..$n"
exit $fail
