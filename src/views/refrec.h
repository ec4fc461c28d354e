/*
 * --record-refs FILE: every process's page-reference string, as
 * `mmulab replay` reads it (docs/replay.md).
 */
#ifndef MMULAB_VIEWS_REFREC_H
#define MMULAB_VIEWS_REFREC_H

#include <stddef.h>

struct kernel;
struct refrec;

/*
 * Create @path and start recording: every instruction fetch, load and
 * store of the guest (the MMU's fast mirrors go off, which changes no
 * counter; see mmu_set_fast()).  Returns the recorder, or NULL with the
 * reason in @err.
 */
struct refrec *refrec_attach(struct kernel *k, const char *path, char *err,
			     size_t errlen);

/* Stop recording, flush and close the file: 0, or -1 with @err set. */
int refrec_detach(struct kernel *k, struct refrec *rr, char *err,
		  size_t errlen);

#endif
