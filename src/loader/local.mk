# src/loader -- appended to libmmulab.a
