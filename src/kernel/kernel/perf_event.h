/*
 * perf_event_open(2): counting events of a task, read through a file
 * descriptor, as Linux's kernel/events/core.c for the events a lab needs
 * (docs/perf.md).  No sampling, no ring buffer, no PMU multiplexing: an
 * enabled event always runs, so time_running == time_enabled.
 */
#ifndef MMULAB_KERNEL_PERF_EVENT_H
#define MMULAB_KERNEL_PERF_EVENT_H

#include "kernel/kernel.h"

struct file;

/* perf_event_open (riscv32 241) */
long sys_perf_event_open(struct kernel *k, gva_t uattr, int pid, int cpu,
			 int group_fd, uint32_t flags);
/* read(2), ioctl(2) and the last close of a perf event's file. */
long perf_read(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len);
long perf_ioctl(struct kernel *k, struct file *f, uint32_t cmd, gva_t arg);
void perf_release(struct kernel *k, struct file *f);
/* @t execs: its events with attr.enable_on_exec start counting. */
void perf_event_exec(struct kernel *k, struct task *t);
/* @t exits: its events keep their counts and stop counting. */
void perf_event_exit_task(struct kernel *k, struct task *t);

#endif
