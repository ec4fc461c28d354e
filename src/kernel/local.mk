# src/kernel -- appended to libmmulab.a
