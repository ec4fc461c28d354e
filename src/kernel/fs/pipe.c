/*
 * Pipes: a 64 KiB ring buffer (16 frames from the buddy allocator, like
 * Linux's default pipe capacity) shared by a read end and a write end.
 *
 * A reader finding the pipe empty while writers exist sleeps (its read is
 * re-issued when woken); EOF once every writer has closed.  A writer to a
 * pipe with no readers gets SIGPIPE and EPIPE.  A write larger than the
 * free space fills what it can and sleeps; the bytes already written are
 * remembered in the task (t->io_progress), so the re-issued call resumes
 * after them and returns the full count, as a blocking pipe write does.
 * Every change of a pipe's state wakes the tasks sleeping on it.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/kernel/signal.h"

#define PIPE_ORDER 4
#define PIPE_SIZE (PAGE_SIZE << PIPE_ORDER)
#define PIPE_BUF 4096 /* writes up to this size are atomic */

#define LX_O_NONBLOCK 04000
#define LX_O_CLOEXEC 02000000
#define LX_O_DIRECT 040000

struct pipe {
	struct page *pages;	/* 2^PIPE_ORDER contiguous frames */
	uint8_t *buf;		/* their host address */
	uint32_t head, len;	/* ring: first byte, bytes held */
	int readers, writers;
};

static void pipe_wake(struct kernel *k, struct pipe *p)
{
	struct task *t;

	list_for_each_entry(t, &k->tasks, tasks)
		if (t->state == TASK_BLOCKED && t->wait_on == p)
			wake_up_task(k, t);
}

static long pipe_sleep(struct kernel *k, struct pipe *p)
{
	struct task *t = k->current;

	t->state = TASK_BLOCKED;
	t->wait_on = p;
	list_del_init(&t->run_list);
	return -ERESTARTSYS;
}

long pipe_read(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len)
{
	struct pipe *p = f->pipe;
	uint32_t done = 0;

	if (!len)
		return 0;
	if (!p->len) {
		if (!p->writers)
			return 0;
		if (f->flags & LX_O_NONBLOCK)
			return -EAGAIN;
		return pipe_sleep(k, p);
	}
	while (done < len && p->len) {
		uint32_t n = PIPE_SIZE - p->head;
		if (n > p->len)
			n = p->len;
		if (n > len - done)
			n = len - done;
		if (copy_to_user(k, ubuf + done, p->buf + p->head, n) < 0)
			return done ? (long)done : -EFAULT;
		p->head = (p->head + n) % PIPE_SIZE;
		p->len -= n;
		done += n;
	}
	pipe_wake(k, p);
	return done;
}

long pipe_write(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len)
{
	struct pipe *p = f->pipe;
	struct task *t = k->current;
	uint32_t done = t->io_progress;

	if (!p->readers) {
		send_signal(k, t, LX_SIGPIPE);
		return done ? (long)done : -EPIPE;
	}
	/* Writes of at most PIPE_BUF bytes go in whole or not at all. */
	if (len <= PIPE_BUF && PIPE_SIZE - p->len < len) {
		if (f->flags & LX_O_NONBLOCK)
			return -EAGAIN;
		return pipe_sleep(k, p);
	}
	while (done < len) {
		uint32_t space = PIPE_SIZE - p->len;
		if (!space) {
			pipe_wake(k, p);
			if (f->flags & LX_O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			t->io_progress = done;
			return pipe_sleep(k, p);
		}
		uint32_t tail = (p->head + p->len) % PIPE_SIZE;
		uint32_t n = PIPE_SIZE - tail;
		if (n > space)
			n = space;
		if (n > len - done)
			n = len - done;
		if (copy_from_user(k, p->buf + tail, ubuf + done, n) < 0) {
			t->io_progress = 0;
			return done ? (long)done : -EFAULT;
		}
		p->len += n;
		done += n;
	}
	t->io_progress = 0;
	pipe_wake(k, p);
	return done;
}

void pipe_release(struct kernel *k, struct file *f)
{
	struct pipe *p = f->pipe;

	if (!p)
		return; /* pipe2 failed before attaching it */
	if ((f->flags & 3) == 0)
		p->readers--;
	else
		p->writers--;
	pipe_wake(k, p);
	if (p->readers || p->writers)
		return;
	__free_pages(&k->mem, p->pages, PIPE_ORDER);
	kfree(&k->mem, p);
}

long sys_pipe2(struct kernel *k, gva_t ufds, int flags)
{
	struct pipe *p;
	struct file *rf, *wf;
	int fds[2];

	if (flags & ~(LX_O_NONBLOCK | LX_O_CLOEXEC | LX_O_DIRECT))
		return -EINVAL;
	p = kzalloc(&k->mem, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENFILE;
	p->pages = alloc_pages(&k->mem, GFP_KERNEL, PIPE_ORDER);
	if (!p->pages) {
		kfree(&k->mem, p);
		return -ENFILE;
	}
	p->buf = page_address(&k->mem, p->pages);
	rf = file_alloc(k, FILE_PIPE);
	wf = file_alloc(k, FILE_PIPE);
	if (!rf || !wf) {
		if (rf)
			fput(k, rf);
		if (wf)
			fput(k, wf);
		__free_pages(&k->mem, p->pages, PIPE_ORDER);
		kfree(&k->mem, p);
		return -ENFILE;
	}
	rf->pipe = wf->pipe = p;
	rf->flags = 0 | (flags & LX_O_NONBLOCK);
	wf->flags = 1 | (flags & LX_O_NONBLOCK);
	p->readers = p->writers = 1;
	fds[0] = fd_install(k, rf, 0, flags & LX_O_CLOEXEC);
	if (fds[0] < 0) {
		fput(k, rf);
		fput(k, wf);
		return -EMFILE;
	}
	fds[1] = fd_install(k, wf, 0, flags & LX_O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(k, ufds, fds, sizeof(fds)) < 0) {
		long err = fds[1] < 0 ? -EMFILE : -EFAULT;
		fd_uninstall(k, fds[0]);
		if (fds[1] >= 0)
			fd_uninstall(k, fds[1]);
		else
			fput(k, wf);
		return err;
	}
	return 0;
}
