#!/bin/sh
# Determinism across builds: the same guest programs, options and seed
# give byte-identical stdout, stderr, exit status and statistics JSON
# whatever the compiler did to mmulab (-O2, -O0, ASan+UBSan).  TAP.
#
#   MMULAB=./mmulab MMULAB_O0=... MMULAB_SAN=... GUEST_BIN=guest/bin \
#       sh tests/builds.sh
#
# MMULAB_O0 and MMULAB_SAN name the other builds' mmulab binaries; when
# neither is set and BUILDS_TOP names a build tree (make check sets it),
# the test makes them there with `make check-builds-bins`.  Cases:
# tests/diff/cases.txt, each run with --stats-file, plus a few option
# sets.
here=$(cd "$(dirname "$0")" && pwd)
cases=${BUILDS_CASES:-$here/diff/cases.txt}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}
abspath() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$(pwd)/$1" ;;
	esac
}

# Without MMULAB_O0 / MMULAB_SAN, make them in the build tree (make check
# sets BUILDS_TOP); they are rebuilt only when ./mmulab changed.
if [ -z "$MMULAB_O0$MMULAB_SAN" ] && [ -n "$BUILDS_TOP" ]; then
	blog=$BUILDS_TOP/check-builds.log
	if ! (cd "$BUILDS_TOP" &&
	      env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		      ${MAKE:-make} -j2 check-builds-bins) >"$blog" 2>&1; then
		echo "Bail out! cannot make the -O0 and sanitized builds" \
		     "(see $blog)"
		exit 1
	fi
	MMULAB_O0=$BUILDS_TOP/check-builds/O0/mmulab
	MMULAB_SAN=$BUILDS_TOP/check-builds/san/mmulab
fi
[ -n "$MMULAB_O0$MMULAB_SAN" ] ||
	skip_all "MMULAB_O0 and MMULAB_SAN not set and no build tree to make them in"
[ -n "$MMULAB" ] || skip_all "MMULAB not set"
[ -n "$GUEST_BIN" ] || skip_all "GUEST_BIN not set"
MMULAB=$(abspath "$MMULAB")
GUEST_BIN=$(abspath "$GUEST_BIN")
[ -x "$MMULAB" ] || skip_all "mmulab not built ($MMULAB)"
[ -f "$GUEST_BIN/hello.elf" ] || skip_all "no guest programs in $GUEST_BIN"
others=
for v in MMULAB_O0 MMULAB_SAN; do
	eval "b=\$$v"
	[ -n "$b" ] || continue
	b=$(abspath "$b")
	[ -x "$b" ] || { echo "Bail out! $v=$b is not executable"; exit 1; }
	others="$others $v=$b"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/builds.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
cd "$tmp" || exit 99

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 300"

# The case list: "OPTIONS | NAME ARGS [< STDIN]" lines.
grep -v '^[[:space:]]*\(#.*\)\{0,1\}$' "$cases" | sed 's/^/| /' >cases.list
cat >>cases.list <<'END'
--paging sv32 --asid | cowfaults
--tlb 16:2 --tlb-policy plru | vmtree
--numa 2 --ram 64M | forktree
--ram 64M | forkbomb
--ram 64M | forkbomb -1 512
| segvstorm 20
--dump-proc self/smaps --on-exit ps,pmap | vmtree
--quantum 1000 --seed 9 | sleeps
--sysctl vm.overcommit_memory=2 | brk
END

# runone BINARY DIR OPTIONS NAME ARGS INPUT: run in a fresh sandbox DIR.
runone() {
	_bin=$1 _dir=$2 _opts=$3 _args=$4 _in=$5
	rm -rf "$_dir" && mkdir "$_dir" || exit 99
	(
		cd "$_dir" || exit 99
		eval "set -- $_args"
		_prog=$1
		shift
		# shellcheck disable=SC2086
		$tmo "$_bin" run --root . --stats-file stats.json $_opts \
			"$GUEST_BIN/$_prog.elf" "$@" >out 2>err <"$_in"
		echo $? >rc
	)
}

i=0
status=0
nlines=$(wc -l <cases.list)
nothers=$(echo $others | wc -w)
echo "1..$((nlines * nothers))"
while IFS= read -r line; do
	opts=${line%%|*}
	rest=${line#*|}
	input=/dev/null
	case $rest in
	*'<'*)
		input=${rest##*<}
		rest=${rest%<*}
		input=$(echo $input)
		eval "input=\"$input\""
		case $input in
		/*) ;;
		*) input=$here/diff/$input ;;
		esac
		;;
	esac
	runone "$MMULAB" ref "$opts" "$rest" "$input"
	for o in $others; do
		name=${o%%=*}
		bin=${o#*=}
		i=$((i + 1))
		runone "$bin" alt "$opts" "$rest" "$input"
		what=
		for f in rc out err stats.json; do
			cmp -s "ref/$f" "alt/$f" || what="$what $f"
		done
		# Files the program left in its sandbox are compared too.
		(cd ref && find . -type f ! -name err | sort) >ref.files
		(cd alt && find . -type f ! -name err | sort) >alt.files
		cmp -s ref.files alt.files || what="$what files"
		if [ -z "$what" ]; then
			echo "ok $i - $name:$opts|$rest (status $(cat ref/rc))"
		else
			status=1
			echo "not ok $i - $name:$opts|$rest differs in$what"
			for f in $what; do
				[ -f "ref/$f" ] &&
					diff "ref/$f" "alt/$f" 2>&1 | head -4 | sed 's/^/# /'
			done
		fi
	done
done <cases.list
exit $status
