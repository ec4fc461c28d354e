/*
 * The host's stdin, stdout and stderr as the guest's fds 0-2 (FILE_TTY
 * files, and any other host file written through write(2)): what a write
 * to them means beyond the bytes.
 */
#include <errno.h>

#include "kernel/fs/fs.h"
#include "kernel/kernel.h"
#include "kernel/kernel/signal.h"

/*
 * After write(2) of @buf to @f's host fd returned @r (bytes or -errno):
 *  - a host reader that went away (`mmulab run prog | head -1`) is a
 *    broken pipe for the guest, as on Linux: SIGPIPE to the writer (its
 *    default action kills it, status 141) and EPIPE if it survives;
 *  - bytes on the console (host fds 1 and 2) are noted in the kernel log,
 *    which shares the console, so that a front end's own output starts
 *    on a fresh line (klog_console_midline()).
 * Returns @r.
 */
long host_write_done(struct kernel *k, struct file *f, const void *buf,
		     long r)
{
	if (r > 0 && f->kind == FILE_TTY)
		klog_console_wrote(k->log, f->host_fd, buf, (size_t)r);
	if (r == -EPIPE && k->current)
		send_signal(k, k->current, LX_SIGPIPE);
	return r;
}
