#!/bin/sh
# The layering rule of docs/architecture.md, checked by `make lint`:
#   cpu -> mmu <- kernel <- front ends, and src/trace/event.h is a leaf.
# - nothing in src/cpu or src/mmu includes a kernel or front-end header;
# - nothing in src/kernel includes a front-end header (views, repl, gdb,
#   the trace sinks); the kernel may include the leaf trace/event.h only;
# - src/trace/event.h includes nothing but types.h.
top=${1:-.}
cd "$top" || exit 2
bad=0
report() { echo "check-layers: $1"; bad=1; }

for f in $(find src/cpu src/mmu -name '*.[ch]'); do
	grep -nE '#include "(kernel|views|repl|gdb|loader)/' "$f" |
		while IFS= read -r l; do echo "check-layers: $f:$l"; done
	grep -qE '#include "(kernel|views|repl|gdb|loader)/' "$f" && bad=1
done
for f in $(find src/kernel -name '*.[ch]'); do
	if grep -nE '#include "(views|repl|gdb|options)|#include "trace/[^e]|#include "main' "$f"; then
		report "$f includes a front-end header"
	fi
done
if grep -n '#include "' src/trace/event.h | grep -v '"types.h"'; then
	report "src/trace/event.h must include only types.h"
fi
[ $bad -eq 0 ] && echo "check-layers: ok"
exit $bad
