# src/trace -- the event layer (a leaf: depends on types.h only)
libmmulab_a_SOURCES += src/trace/event.h src/trace/event.c
