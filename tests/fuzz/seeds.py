#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets that read records
(fuzz_syscall, fuzz_procfs, fuzz_path) into tests/fuzz/corpus/.

Not run by the build: the outputs are committed.  Re-run it after changing
a record format; see each target's header comment for the format.
    python3 tests/fuzz/seeds.py [tests/fuzz/corpus]
"""
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "corpus")

# fuzz_syscall picks numbers by index into the sorted numbers the
# system-call table has rows for (kernel/kernel/syscall_table.c).
import re
_src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "src", "kernel", "kernel")
_nums = dict((m[0], int(m[1])) for m in re.findall(
    r"NR_(\w+) = (\d+)", open(os.path.join(_src, "syscalls.h")).read()))
_rows = re.findall(r"^\s*(?:ROW|NOSYS)\((\w+)|^\s*ROW_\(NR_(\w+)",
                   open(os.path.join(_src, "syscall_table.c")).read(), re.M)
_rows = set(a or b for a, b in _rows)
_sorted = sorted(_nums[r] for r in _rows)
NRS = {name: _sorted.index(_nums[name]) for name in _rows}
RAW, PTR, SMALL, PAGE, FDCWD, LEN, BIT = 0, 1, 2, 3, 4, 5, 6


def call(name, args=(), poke=b"", off=0):
    """One fuzz_syscall record; args are (kind, value) pairs."""
    args = list(args) + [(RAW, 0)] * (6 - len(args))
    rec = bytes([NRS[name]])
    for kind, v in args:
        rec += bytes([kind]) + struct.pack("<I", v & 0xffffffff)
    return rec + bytes([len(poke)]) + struct.pack("<H", off) + poke


def write(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


S = "fuzz_syscall"
write(S, "open-read-write",
      call("openat", [(FDCWD, 0), (PTR, 0), (RAW, 0o102), (RAW, 0o644)],
           b"new\0")
      + call("write", [(SMALL, 0), (PTR, 0), (LEN, 64)])
      + call("llseek", [(SMALL, 0), (RAW, 0), (RAW, 0), (PTR, 256), (RAW, 0)])
      + call("read", [(SMALL, 0), (PTR, 512), (LEN, 64)])
      + call("close", [(SMALL, 0)]))
write(S, "mmap-file",
      call("openat", [(FDCWD, 0), (PTR, 0), (RAW, 2), (RAW, 0)], b"file\0")
      + call("mmap2", [(RAW, 0), (LEN, 8192), (RAW, 3), (RAW, 1), (SMALL, 0),
                       (RAW, 0)])
      + call("msync", [(PAGE, 8), (LEN, 4096), (RAW, 4)])
      + call("munmap", [(PAGE, 8), (LEN, 4096)]))
write(S, "anon-vm",
      call("mmap2", [(RAW, 0), (LEN, 16384), (RAW, 3), (RAW, 0x22),
                     (RAW, 0xffffffff), (RAW, 0)])
      + call("mprotect", [(PAGE, 9), (LEN, 4096), (RAW, 1)])
      + call("mremap", [(PAGE, 8), (LEN, 8192), (LEN, 12288), (RAW, 1),
                        (RAW, 0)])
      + call("madvise", [(PAGE, 8), (LEN, 8192), (RAW, 4)])
      + call("mlock", [(PAGE, 8), (LEN, 4096)])
      + call("mincore", [(PAGE, 8), (LEN, 8192), (PTR, 100)])
      + call("brk", [(RAW, 0)]) + call("brk", [(RAW, 0x20000)]))
write(S, "fork-wait",
      call("clone", [(RAW, 17)])
      + call("kill", [(RAW, 2), (RAW, 9)])
      + call("waitid", [(RAW, 0), (RAW, 0), (PTR, 0), (RAW, 4), (RAW, 0)]))
write(S, "signals",
      call("rt_sigaction", [(RAW, 10), (PTR, 0), (PTR, 64), (RAW, 8)],
           struct.pack("<IIII", 0x10054, 0, 0, 0))
      + call("kill", [(RAW, 1), (RAW, 10)])
      + call("rt_sigreturn"))
write(S, "pipe",
      call("pipe2", [(PTR, 0), (RAW, 0)])
      + call("write", [(SMALL, 1), (PTR, 100), (LEN, 100)])
      + call("read", [(SMALL, 0), (PTR, 300), (LEN, 100)]))
write(S, "dirs",
      call("mkdirat", [(FDCWD, 0), (PTR, 0), (RAW, 0o755)], b"d2\0")
      + call("chdir", [(PTR, 0)])
      + call("getcwd", [(PTR, 64), (LEN, 100)])
      + call("symlinkat", [(PTR, 200), (FDCWD, 0), (PTR, 300)], b"../file\0",
             200)
      + call("renameat2", [(FDCWD, 0), (PTR, 400), (FDCWD, 0), (PTR, 500),
                           (RAW, 0)])
      + call("openat", [(FDCWD, 0), (PTR, 600), (RAW, 0o200000), (RAW, 0)],
             b"/dir\0", 600)
      + call("getdents64", [(SMALL, 0), (PTR, 1000), (LEN, 2048)]))
write(S, "misc",
      call("uname", [(PTR, 0)]) + call("sysinfo", [(PTR, 0)])
      + call("getrandom", [(PTR, 0), (LEN, 300), (RAW, 0)])
      + call("clock_gettime64", [(RAW, 1), (PTR, 0)])
      + call("prlimit64", [(RAW, 0), (RAW, 7), (PTR, 0), (PTR, 64)])
      + call("getrusage", [(RAW, 0), (PTR, 0)])
      + call("execve", [(PTR, 0), (RAW, 0), (RAW, 0)], b"/init.elf\0"))

P = "fuzz_procfs"
files_n = 38
write(P, "read-all", bytes(b for i in range(files_n) for b in (0, i)))
write(P, "sysctls",
      bytes([1, 4]) + bytes([2]) + b"64"
      + bytes([1, 17]) + bytes([2]) + b"3\n"
      + bytes([1, 18]) + bytes([5]) + b"1 2 3"
      + bytes([2, 1, ord("m")])
      + bytes([4, 8]) + bytes([0, 0]) + bytes([0, 20]))
write(P, "pagemap", bytes([5, 1]) + struct.pack("<IH", 0x40000 * 8, 64)
      + bytes([3, 7]) + b"1/smaps")

A = "fuzz_path"
WORDS = ["..", ".", "", "dir", "file", "link", "loop", "escape", "etc",
         "passwd", "host", "up", "sub", "inner", "proc", "self", "new",
         "tmp", "init.elf", "fd", "root", "outside", "canary", "/",
         "../outside", "cwd", "exe", "1", "dir/up/..", "x"]


def path(*ws, absolute=False):
    return bytes([0x80 | (0x40 if absolute else 0) | len(ws)]) + \
        bytes(WORDS.index(w) for w in ws)


def op(n, dirfd, p, flags=0, extra=b""):
    return bytes([n, dirfd]) + p + struct.pack("<H", flags) + extra


write(A, "escapes",
      op(0, 0, path("escape", "etc", "passwd"))
      + op(0, 0, path("passwd"))
      + op(0, 0, path("host", "file"))
      + op(0, 0, path("dir", "up", "..", "..", "outside", "canary"))
      + op(0, 0, path("etc"), 0x40))
write(A, "create-rename",
      op(0, 0, path("new"), 0x06)
      + op(5, 0, path("new"), 0, path("dir", "new"))
      + op(4, 0, path("..", ".."), 0, path("dir", "x"))
      + op(0, 0, path("dir", "x", "outside", "canary"), 0x02)
      + op(6, 0, path("file"), 0, path("sub")))
write(A, "dirfd",
      op(0, 0, path("dir"), 0x40)
      + op(0, 200, path("up", "escape"), 0x40)
      + op(11, 200, path("."), 0, b"\x00\x10")
      + op(1, 0, path("dir", "sub"))
      + op(0, 0, path("..", "..", "..", "file")))
write(A, "raw", op(0, 0, bytes([12]) + b"/../../etc/x", 0x07)
      + op(8, 0, path("loop"), 0x1000)
      + op(7, 0, path("escape"), 0, b"\x00\x01")
      + op(13, 0, path("init.elf", absolute=True)))


def mini_elf(entry=0x10054, flags=5, vaddr=0x10000, etype=2):
    """fuzz_mini_elf() of fuzz_common.c, with knobs."""
    size = 52 + 32 + 8
    eh = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack(
        "<HHIIIIIHHHHHH", etype, 243, 1, entry, 52, 0, 1, 52, 32, 1, 40, 0, 0)
    ph = struct.pack("<IIIIIIII", 1, 0, vaddr, vaddr, size, size, flags,
                     0x1000)
    return eh + ph + struct.pack("<II", 0x73, 0xffdff06f)


E = "fuzz_elf"
write(E, "mini", mini_elf())
write(E, "mini-pie", mini_elf(entry=0x54, vaddr=0, etype=3))
write(E, "mini-noexec", mini_elf(flags=6))

X = "fuzz_exec"
# config byte, then code.  addi a0,zero,1; ecall; lw a1,0(sp); sw a1,4(sp);
# c.addi a0,1; c.j back; lr.w/sc.w; mul; div; csrr cycle; fence.i
code = struct.pack("<IIII", 0x00100513, 0x00000073, 0x00012583, 0x00b12223)
code += struct.pack("<HH", 0x0505, 0xbff5)
write(X, "basic", bytes([0]) + code)
amo = struct.pack("<IIIIII", 0x1001262f, 0x18c1262f, 0x02b50533, 0x02b54533,
                  0xc0002573, 0x0000100f)
write(X, "amo-muldiv", bytes([0x11]) + amo + struct.pack("<I", 0x00000073))
# sw into the code page just ahead: self-modifying (config bit 4)
smc = struct.pack("<IIII", 0x00000297, 0x00a2a823, 0x00000013, 0x00000013)
write(X, "smc-sv32", bytes([0x13]) + smc + struct.pack("<I", 0x00000073))
