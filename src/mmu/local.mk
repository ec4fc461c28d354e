# src/mmu -- appended to libmmulab.a
