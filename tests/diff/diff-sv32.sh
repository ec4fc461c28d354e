#!/bin/sh
# The differential suite again with the other page-table geometry, a small
# 2-way TLB with ASIDs and a short time slice: what the guest prints must
# not depend on any of them.
case $MMULAB in
/*) ;;
*) MMULAB=$(pwd)/$MMULAB ;;
esac
[ -x "$MMULAB" ] || { echo "1..0 # SKIP mmulab not built"; exit 0; }
DIFF_RUNNER="$MMULAB run --paging sv32 --tlb 16:2 --asid --quantum 997"
export DIFF_RUNNER
exec sh "$(dirname "$0")/diff-guest.sh"
