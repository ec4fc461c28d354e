# mmulab-gdb.py -- host gdb helpers for reading mmulab itself.
#
# gdb loads this file by itself when it sits next to the binary as
# "mmulab-gdb.py" (the build copies it there) and the directory is on the
# auto-load safe path:
#
#   gdb -iex "add-auto-load-safe-path $PWD" --args ./mmulab run prog.elf
#
# or load it by hand with "source mmulab-gdb.py".  It gives:
#
#   pretty-printers   pte_t (flags, COW, PFN, swap entries), struct vma,
#                     struct page, struct mm, struct task; "print/r" shows
#                     the raw value
#   mmulab-walk VA [PID]   walk the page tables of the running (or given)
#                     process for VA, level by level, reading guest RAM
#                     as the hardware walker would -- but setting no A/D
#                     bit and counting nothing
#   mmulab-tlb [i|d]  the valid entries of the modelled I and D TLBs
#
# The commands find the machine through a variable "k" (struct kernel *)
# in the selected frame or any frame above it, which every kernel
# function has; "set $mmulab_k = k" (or any expression) pins one.
#
# Everything here reads the inferior's memory only: it never changes the
# emulated machine.

import gdb

# ---- the PTE format (src/mmu/pte.h) ----------------------------------------
PTE_BITS = ["V", "R", "W", "X", "U", "G", "A", "D"]
PTE_V, PTE_R, PTE_W, PTE_X = 0x1, 0x2, 0x4, 0x8
PTE_RWX = PTE_R | PTE_W | PTE_X
PTE_SPECIAL = 0x200   # software: no struct page behind it
PTE_PROT_NONE = 0x100  # with V=0: a PROT_NONE page (bit 8 means nothing
                       # when V=1; there is no COW bit, see is_cow())
PTE_PFN_SHIFT = 10
SWP_TYPE_SHIFT, SWP_TYPE_MASK = 1, 0x1F

# page->flags: node and zone in the top bits (src/kernel/mm/mm_types.h)
PAGE_ZONES_PGSHIFT, PAGE_ZONES_MASK = 28, 0x3
PAGE_NODES_PGSHIFT, PAGE_NODES_MASK = 24, 0x7
PAGE_FLAGS_MASK = (1 << PAGE_NODES_PGSHIFT) - 1
ZONE_NAMES = ["DMA", "Normal", "HighMem", "?"]
PAGE_MAPPING_ANON = 0x1


def decode_pte(v):
    """One line for a PTE value, as the walker reads it."""
    v = int(v) & 0xFFFFFFFFFFFFFFFF
    if v == 0:
        return "none"
    if not (v & PTE_V):
        if v & PTE_PROT_NONE:
            return "PROT_NONE pfn=0x%x" % (v >> PTE_PFN_SHIFT)
        return "swap type=%d offset=%d" % (
            (v >> SWP_TYPE_SHIFT) & SWP_TYPE_MASK, v >> PTE_PFN_SHIFT)
    flags = [n for i, n in enumerate(PTE_BITS) if v & (1 << i)]
    if v & PTE_SPECIAL:
        flags.append("SPECIAL")
    kind = "leaf" if v & PTE_RWX else "table"
    return "0x%x {%s pfn=0x%x %s}" % (v, kind, v >> PTE_PFN_SHIFT,
                                      " ".join(flags))


def read_string(v, n=64):
    """A C string: a char array (up to its NUL) or a char pointer."""
    try:
        if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
            return v.string(errors="replace")
        return v.string(errors="replace", length=n).split("\0")[0]
    except gdb.error:
        return "?"


def list_entries(head, tag, member, limit=100000):
    """The structs of type `struct tag` on the list at @head (a struct
    list_head value) linked through @member, as pointers."""
    t = gdb.lookup_type("struct " + tag)
    off = None
    for f in t.fields():
        if f.name == member:
            off = f.bitpos // 8
    if off is None:
        raise gdb.GdbError("struct %s has no member %s" % (tag, member))
    ptr = t.pointer()
    start = int(head.address)
    node = head["next"]
    n = 0
    while int(node) != start and n < limit:
        yield gdb.Value(int(node) - off).cast(ptr)
        node = node["next"]
        n += 1


def find_kernel():
    """The struct kernel * to look at: $mmulab_k, else a variable k in
    the selected frame or one of its callers."""
    pinned = gdb.convenience_variable("mmulab_k")
    if pinned is not None and int(pinned) != 0:
        return pinned
    try:
        frame = gdb.selected_frame()
    except gdb.error:
        frame = None
    while frame is not None:
        try:
            k = frame.read_var("k")
            t = k.type.strip_typedefs()
            if t.code == gdb.TYPE_CODE_PTR and \
                    t.target().strip_typedefs().tag == "kernel":
                return k
        except (ValueError, gdb.error):
            pass
        frame = frame.older()
    return None


def need_kernel():
    k = find_kernel()
    if k is None:
        raise gdb.GdbError("no 'struct kernel *k' in this frame or its "
                           "callers; select one or set $mmulab_k")
    return k


# ---- pretty-printers --------------------------------------------------------
class PtePrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        return decode_pte(self.val)


class VmaPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        v = self.val
        fl = int(v["vm_flags"])
        mode = ("r" if fl & 1 else "-") + ("w" if fl & 2 else "-") + \
            ("x" if fl & 4 else "-") + ("s" if fl & 8 else "p")
        what = "anon"
        if int(v["vm_file"]):
            inode = v["vm_file"].dereference()
            names = [f.name for f in inode.type.strip_typedefs().fields()]
            # The inode's name field: "path", "i_name" in newer trees.
            for field in ("path", "i_name"):
                if field in names:
                    what = read_string(inode[field])
                    break
        return "vma [0x%08x-0x%08x) %s pgoff=0x%x %s anon_vma=0x%x" % (
            int(v["vm_start"]), int(v["vm_end"]), mode, int(v["vm_pgoff"]),
            what, int(v["anon_vma"]))


def page_flag_names(flags):
    try:
        enum = gdb.lookup_type("enum pageflags")
        names = [(f.enumval, f.name) for f in enum.fields()
                 if f.name != "__NR_PAGEFLAGS"]
    except gdb.error:
        names = []
    return [n[3:] if n.startswith("PG_") else n
            for b, n in names if flags & (1 << b)]


class PagePrinter:
    def __init__(self, val):
        self.val = val

    def pfn(self):
        k = find_kernel()
        if k is None:
            return None
        try:
            base = int(k["mem"]["mem_map"])
            size = self.val.type.strip_typedefs().sizeof
            addr = int(self.val.address)
            if addr >= base and (addr - base) % size == 0:
                return (addr - base) // size
        except gdb.error:
            pass
        return None

    def to_string(self):
        v = self.val
        flags = int(v["flags"])
        zone = ZONE_NAMES[(flags >> PAGE_ZONES_PGSHIFT) & PAGE_ZONES_MASK]
        node = (flags >> PAGE_NODES_PGSHIFT) & PAGE_NODES_MASK
        names = page_flag_names(flags & PAGE_FLAGS_MASK)
        mapping = int(v["mapping"])
        if "slab" in names:
            owner = "slab"
        elif mapping & PAGE_MAPPING_ANON:
            owner = "anon_vma=0x%x" % (mapping & ~PAGE_MAPPING_ANON)
        elif mapping:
            owner = "file=0x%x" % mapping
        else:
            owner = "no mapping"
        pfn = self.pfn()
        return "page%s node %d %s [%s] refcount=%d mapcount=%d %s " \
            "index=0x%x private=0x%x" % (
                " pfn 0x%x" % pfn if pfn is not None else "", node, zone,
                " ".join(names), int(v["_refcount"]),
                int(v["_mapcount"]) + 1, owner, int(v["index"]),
                int(v["private"]))


class MmPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        v = self.val
        rss = v["rss"]
        return "mm pgd=0x%x vmas=%d users=%d asid=%d rss file=%d anon=%d " \
            "swap=%d total_vm=%d brk=[0x%x-0x%x) stack=0x%x" % (
                int(v["pgd"]), int(v["map_count"]), int(v["users"]),
                int(v["asid"]), int(rss[0]), int(rss[1]), int(rss[2]),
                int(v["total_vm"]), int(v["start_brk"]), int(v["brk"]),
                int(v["start_stack"]))

    def children(self):
        for i, vma in enumerate(list_entries(self.val["vmas"], "vma",
                                             "list", 4096)):
            yield "[%d]" % i, vma.dereference()

    def display_hint(self):
        return "array"


TASK_STATES = {0: "R", 1: "S (wait child)", 2: "S", 3: "D (vfork)",
               4: "Z"}


class TaskPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        v = self.val
        parent = int(v["parent"])
        ppid = int(v["parent"]["pid"]) if parent else 0
        return "task %d (%s) %s pc=0x%08x ppid=%d mm=0x%x minflt=%d " \
            "majflt=%d" % (int(v["pid"]), read_string(v["comm"], 16),
                           TASK_STATES.get(int(v["state"]), "?"),
                           int(v["pc"]), ppid, int(v["mm"]),
                           int(v["min_flt"]), int(v["maj_flt"]))


STRUCT_PRINTERS = {
    "vma": VmaPrinter,
    "page": PagePrinter,
    "mm": MmPrinter,
    "task": TaskPrinter,
}


def mmulab_lookup(val):
    t = val.type
    # pte_t is a typedef of uint64_t: match the name, not the base type.
    while t.code == gdb.TYPE_CODE_TYPEDEF:
        if t.name == "pte_t":
            return PtePrinter(val)
        t = t.target()
    t = t.unqualified()
    if t.code == gdb.TYPE_CODE_STRUCT and t.tag in STRUCT_PRINTERS:
        return STRUCT_PRINTERS[t.tag](val)
    return None


# ---- commands -----------------------------------------------------------------
def read_u(addr, size):
    mem = gdb.selected_inferior().read_memory(addr, size)
    return int.from_bytes(bytes(mem), "little")


def task_by_pid(k, pid):
    for t in list_entries(k["tasks"], "task", "tasks"):
        if int(t["pid"]) == pid:
            return t
    return None


def find_vma(mm, va):
    for vma in list_entries(mm["vmas"], "vma", "list", 65536):
        if int(vma["vm_start"]) <= va < int(vma["vm_end"]):
            return vma
    return None


def is_cow(vma, pte):
    """Copy-on-write as do_wp_page decides it: a write-protected entry
    in a private writable vma (VM_WRITE set, VM_SHARED clear)."""
    return vma is not None and not (pte & PTE_W) and \
        (int(vma["vm_flags"]) & 0xA) == 0x2


class WalkCommand(gdb.Command):
    """Walk the guest page tables for a virtual address.

mmulab-walk VA [PID]

Reads each level's entry from guest RAM (the running process's tables, or
PID's) and prints it decoded, then the physical address and the struct
page of the frame.  Read-only: no A/D bit is set, no walk counted."""

    def __init__(self):
        super().__init__("mmulab-walk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv or len(argv) > 2:
            raise gdb.GdbError("usage: mmulab-walk VA [PID]")
        va = int(gdb.parse_and_eval(argv[0])) & 0xFFFFFFFF
        k = need_kernel()
        if len(argv) == 2:
            task = task_by_pid(k, int(gdb.parse_and_eval(argv[1])))
            if task is None:
                raise gdb.GdbError("no process %s" % argv[1])
        else:
            task = k["current"]
            if int(task) == 0:
                raise gdb.GdbError("no process is running")
        mm = task["mm"]
        if int(mm) == 0:
            raise gdb.GdbError("process %d has no address space" %
                               int(task["pid"]))
        geo = k["mmu"]["geo"]
        ram = int(k["phys"]["ram"])
        ram_size = int(k["phys"]["size"])
        esize = int(geo["entry_size"])
        levels = int(geo["nr_levels"])
        table = int(mm["pgd"])
        print("walk of 0x%08x in pid %d (%s), %s paging, pgd at 0x%x" % (
            va, int(task["pid"]), read_string(task["comm"], 16),
            read_string(geo["name"]), table))
        for lvl in range(levels):
            L = geo["level"][lvl]
            shift, bits = int(L["shift"]), int(L["bits"])
            idx = (va >> shift) & ((1 << bits) - 1)
            pa = table + idx * esize
            if pa + esize > ram_size:
                raise gdb.GdbError("table entry at 0x%x is outside RAM" % pa)
            e = read_u(ram + pa, esize)
            print("  %-3s[%3d] @pa 0x%09x = %s" % (
                read_string(L["name"], 8), idx, pa, decode_pte(e)))
            if not (e & PTE_V):
                print("  -> not present: the access would fault")
                return
            pfn = e >> PTE_PFN_SHIFT
            if e & PTE_RWX:
                off = va & ((1 << shift) - 1)
                phys = (pfn << 12) + off
                print("  -> pa 0x%09x (%s page)" % (
                    phys, "4 KiB" if shift == 12 else
                    "%d MiB huge" % ((1 << shift) >> 20)))
                vma = find_vma(mm, va)
                if vma is not None:
                    print("  in " + str(vma.dereference()))
                if is_cow(vma, e):
                    print("  copy-on-write: read-only entry in a writable "
                          "private vma; a write copies (do_wp_page)")
                frame = phys >> 12
                mem_map = k["mem"]["mem_map"]
                if frame < int(k["mem"]["nr_frames"]):
                    print("  " + str((mem_map + frame).dereference()))
                return
            if lvl + 1 == levels:
                print("  -> malformed: a table pointer at the last level")
                return
            table = pfn << 12


class TlbCommand(gdb.Command):
    """Show the modelled TLBs.

mmulab-tlb [i|d]

The valid entries of the I-TLB and the D-TLB (or only one): set, way,
virtual page, frame, ASID, permission bits and leaf level, then the
counters."""

    def __init__(self):
        super().__init__("mmulab-tlb", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        if arg not in ("", "i", "d"):
            raise gdb.GdbError("usage: mmulab-tlb [i|d]")
        k = need_kernel()
        which = [("itlb", k["mmu"]["itlb"]), ("dtlb", k["mmu"]["dtlb"])]
        for name, t in which:
            if arg and name[0] != arg:
                continue
            n, ways = int(t["nr_entries"]), int(t["ways"])
            st = t["st"]
            print("%s: %d entries, %d-way; %d lookups, %d misses, %d "
                  "evictions" % (name, n, ways, int(st["accesses"]),
                                 int(st["misses"]), int(st["evictions"])))
            valid = 0
            for i in range(n):
                e = t["e"][i]
                if not int(e["valid"]):
                    continue
                valid += 1
                perm = int(e["perm"])
                flags = "".join(c if perm & (1 << b) else "-"
                                for b, c in enumerate("vrwxugad"))
                print("  set %3d way %d  va 0x%08x -> pfn 0x%06x  asid %d"
                      "  %s  level %d" % (
                          i // ways, i % ways, int(e["vpn"]) << 12,
                          int(e["pfn"]), int(e["asid"]), flags,
                          int(e["level"])))
            print("  %d valid" % valid)


def register(objfile):
    if objfile is not None:
        objfile.pretty_printers.append(mmulab_lookup)
    else:
        gdb.pretty_printers.append(mmulab_lookup)


register(gdb.current_objfile())
WalkCommand()
TlbCommand()
