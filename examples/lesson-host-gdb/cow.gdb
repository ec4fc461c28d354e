# Watch one copy-on-write from inside mmulab (see README.md).
#
#   gdb -q -x examples/lesson-host-gdb/cow.gdb \
#       -iex "add-auto-load-safe-path $PWD" \
#       --args ./mmulab run guest/bin/cowlesson.elf
#
# mmulab-gdb.py (next to ./mmulab) gives the pretty-printers and the
# mmulab-walk command used below.
set pagination off
set print pretty off
set breakpoint pending on

# The child's store to the page at 0x40000000 (cowlesson.c): stop only
# for that address, not for the stack pages fork also write-protected.
break do_wp_page if vmf->address == 0x40000000
run

echo \n=== 1. Who faulted, where, on which entry\n
print *k->current
print *vmf->vma
print vmf->orig_pte

echo \n=== 2. The page tables before the copy: read-only, shared by two\n
mmulab-walk 0x40000000

echo \n=== 3. The parent's tables map the same frame\n
mmulab-walk 0x40000000 1

echo \n=== 4. After do_wp_page: a new frame, writable and dirty\n
finish
mmulab-walk 0x40000000

echo \n=== 5. The parent kept the old frame, now mapped once\n
mmulab-walk 0x40000000 1

echo \n=== 6. The TLB entries the child has so far\n
mmulab-tlb d

continue
