/*
 * vm sysctls (/proc/sys/vm, --sysctl) and the SysRq trigger.
 */
#ifndef MMULAB_KERNEL_SYSCTL_H
#define MMULAB_KERNEL_SYSCTL_H

#include "kernel/kernel.h"
#include "kernel/lib/seq.h"

bool vm_sysctl_exists(const char *name);
/* Append "VALUE\n" of vm.@name; -ENOENT, or -EACCES for drop_caches. */
int vm_sysctl_show(struct kernel *k, const char *name, struct seq *s);
/* Parse @text (a decimal number, trailing newline allowed) into vm.@name
 * and apply its side effects; 0, -ENOENT or -EINVAL (out of range). */
int vm_sysctl_set(struct kernel *k, const char *name, const char *text);
/* The names, space separated (for --help and errors). */
void vm_sysctl_list(struct seq *s);

/* Handle a write to /proc/sysrq-trigger: 'm' shows memory (SysRq-m). */
void sysrq_write(struct kernel *k, const char *buf, size_t len);

#endif
