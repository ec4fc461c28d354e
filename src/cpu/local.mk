# src/cpu -- appended to libmmulab.a
