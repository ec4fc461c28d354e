/*
 * Writeback of dirty page-cache pages (Linux's mm/page-writeback.c and
 * fs/fs-writeback.c, reduced): sync(2) writes every file back, and a
 * flusher wakes every dirty_writeback_centisecs of virtual time to write
 * back the files whose first dirty page is older than
 * dirty_expire_centisecs (an inode's dirtied_when, as wb_writeback's
 * older_than_this).  fsync/fdatasync/msync write one file; reclaim writes
 * a dirty page before dropping it; shutdown writes everything.
 */
#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"

static void writeback_inode(struct kernel *k, struct inode *inode)
{
	if (inode->host_fd < 0)
		return; /* unused and clean */
	filemap_write_and_wait(k, inode);
	inode->dirtied_when = 0;
	if (!inode->refcount && inode->idle_fd) {
		/* Clean now: its descriptor can go. */
		inode->idle_fd = false;
		k->nr_idle_fds--;
		inode_idle(k, inode);
	}
}

void filemap_sync_all(struct kernel *k)
{
	struct inode *inode;

	list_for_each_entry(inode, &k->inodes, list)
		if (inode->kind == INODE_HOST)
			writeback_inode(k, inode);
}

void wb_periodic(struct kernel *k)
{
	struct memory *mem = &k->mem;
	uint64_t now = kernel_ns(k);
	struct inode *inode;

	if (mem->dirty_writeback_centisecs <= 0 || now < k->wb_next)
		return;
	uint64_t period = (uint64_t)mem->dirty_writeback_centisecs * 10000000;
	uint64_t expire = (uint64_t)mem->dirty_expire_centisecs * 10000000;
	if (k->wb_next) {
		list_for_each_entry(inode, &k->inodes, list)
			if (inode->kind == INODE_HOST && inode->dirtied_when &&
			    inode->dirtied_when + expire <= now)
				writeback_inode(k, inode);
	}
	k->wb_next = now + period;
}
