/*
 * Testing aids for "watching never changes behaviour" (see watch.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "views/watch.h"

int watch_run_stepped(struct kernel *k, uint64_t budget)
{
	unsigned mask = KSTOP_ON_SYSCALL | KSTOP_ON_FAULT | KSTOP_ON_ILLEGAL |
			KSTOP_ON_EXIT;
	if (getenv("MMULAB_STEP_MASK")) /* to bisect a difference */
		mask = (unsigned)strtoul(getenv("MMULAB_STEP_MASK"), NULL, 0);

	for (;;) {
		enum kstop why = kernel_step(k, budget, mask);

		if (why == KSTOP_DONE)
			break;
	}
	return k->init_status;
}
