# src/views -- pictures (DOT, SVG) and the HTML run report.
libmmulab_a_SOURCES += src/views/pictures.h src/views/pictures.c
libmmulab_a_SOURCES += src/views/report.c
libmmulab_a_SOURCES += src/views/meter.h src/views/meter.c
libmmulab_a_SOURCES += src/views/replay.h src/views/replay.c
libmmulab_a_SOURCES += src/views/refrec.h src/views/refrec.c

TESTS += tests/pictures.sh
EXTRA_DIST += tests/pictures.sh examples/plot-rss.gp examples/plot-faults.gp \
	examples/plot-tlb.gp
