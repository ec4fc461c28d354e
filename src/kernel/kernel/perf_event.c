/*
 * perf_event_open: per-task counters (perf_event.h).
 *
 * An event's value is computed from counters the kernel keeps anyway --
 * the task's rusage fields and its struct task_acct, charged at every
 * context switch (task_charge()) -- so counting costs nothing while the
 * guest runs.  An event stores its count so far and, while enabled, the
 * raw counter at the moment it was last brought up to date:
 *
 *	value = count + (enabled ? raw(now) - base : 0)
 *
 * Times are the task's own virtual nanoseconds (its task-clock), as
 * Linux's task context time advances only while the task runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/fs.h"
#include "kernel/kernel/perf_event.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/vmstat.h"

/* include/uapi/linux/perf_event.h */
enum { PERF_TYPE_HARDWARE, PERF_TYPE_SOFTWARE, PERF_TYPE_TRACEPOINT,
       PERF_TYPE_HW_CACHE, PERF_TYPE_RAW, PERF_TYPE_BREAKPOINT };
enum { PERF_COUNT_HW_CPU_CYCLES, PERF_COUNT_HW_INSTRUCTIONS,
       PERF_COUNT_HW_MAX = 10 };
enum { PERF_COUNT_SW_CPU_CLOCK, PERF_COUNT_SW_TASK_CLOCK,
       PERF_COUNT_SW_PAGE_FAULTS, PERF_COUNT_SW_CONTEXT_SWITCHES,
       PERF_COUNT_SW_CPU_MIGRATIONS, PERF_COUNT_SW_PAGE_FAULTS_MIN,
       PERF_COUNT_SW_PAGE_FAULTS_MAJ, PERF_COUNT_SW_ALIGNMENT_FAULTS,
       PERF_COUNT_SW_EMULATION_FAULTS, PERF_COUNT_SW_DUMMY,
       PERF_COUNT_SW_MAX = 12 };
enum { PERF_COUNT_HW_CACHE_DTLB = 3, PERF_COUNT_HW_CACHE_ITLB = 4,
       PERF_COUNT_HW_CACHE_MAX = 7 };
enum { PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_OP_MAX = 3 };
enum { PERF_COUNT_HW_CACHE_RESULT_ACCESS, PERF_COUNT_HW_CACHE_RESULT_MISS,
       PERF_COUNT_HW_CACHE_RESULT_MAX };

#define PERF_FORMAT_TOTAL_TIME_ENABLED 1u
#define PERF_FORMAT_TOTAL_TIME_RUNNING 2u
#define PERF_FORMAT_ID 4u
#define PERF_FORMAT_GROUP 8u
#define PERF_FORMAT_LOST 16u
#define PERF_FORMAT_MAX 32u

#define PERF_FLAG_FD_NO_GROUP 1u
#define PERF_FLAG_FD_OUTPUT 2u
#define PERF_FLAG_PID_CGROUP 4u
#define PERF_FLAG_FD_CLOEXEC 8u

/* attr bit fields (the u64 at offset 40) */
#define ATTR_DISABLED (1ull << 0)
#define ATTR_INHERIT (1ull << 1)
#define ATTR_ENABLE_ON_EXEC (1ull << 12)

#define PERF_ATTR_SIZE_VER0 64u
#define PERF_ATTR_SIZE_KNOWN 136u	/* PERF_ATTR_SIZE_VER8 */

/* riscv32's asm-generic ioctl numbers ('$'): _IO, and _IOR of a u64 *
 * (a 4-byte pointer) for ID. */
#define PERF_EVENT_IOC_ENABLE 0x2400u
#define PERF_EVENT_IOC_DISABLE 0x2401u
#define PERF_EVENT_IOC_REFRESH 0x2402u
#define PERF_EVENT_IOC_RESET 0x2403u
#define PERF_EVENT_IOC_PERIOD 0x40082404u
#define PERF_EVENT_IOC_SET_OUTPUT 0x2405u
#define PERF_EVENT_IOC_ID 0x80042407u
#define PERF_IOC_FLAG_GROUP 1u

enum perf_counter {
	PC_CYCLES, PC_INSTRUCTIONS, PC_TASK_CLOCK, PC_PAGE_FAULTS,
	PC_CONTEXT_SWITCHES, PC_ZERO, PC_MINFLT, PC_MAJFLT, PC_ITLB_ACCESS,
	PC_ITLB_MISS, PC_DTLB_ACCESS, PC_DTLB_MISS,
};

struct perf_event {
	struct list_head task_link;	/* on task->perf_events */
	struct task *task;		/* NULL once it exited */
	enum perf_counter counter;
	uint64_t read_format;
	uint64_t id;
	bool enabled;
	bool enable_on_exec;
	uint64_t count, base;		/* see the top of the file */
	uint64_t time, time_base;	/* enabled (= running) time */
	struct perf_event *leader;	/* itself when alone */
	struct list_head siblings;	/* leader: its members, in order */
	struct list_head sibling_link;
	int nr_siblings;
};

static uint64_t raw(struct kernel *k, struct task *t, enum perf_counter c)
{
	const struct task_acct *a = &t->acct;
	uint64_t faults = 0;

	switch (c) {
	case PC_CYCLES:
	case PC_TASK_CLOCK:
		return a->cycles;
	case PC_INSTRUCTIONS:
		return t->utime;
	case PC_PAGE_FAULTS:
		for (int i = 0; i < NR_FAULT_RESULTS; i++)
			faults += a->faults[i];
		return faults;
	case PC_CONTEXT_SWITCHES:
		return t->nvcsw + t->nivcsw;
	case PC_MINFLT:
		return t->min_flt;
	case PC_MAJFLT:
		return t->maj_flt;
	case PC_ITLB_ACCESS:
		return a->itlb_accesses;
	case PC_ITLB_MISS:
		return a->itlb_misses;
	case PC_DTLB_ACCESS:
		return a->dtlb_accesses;
	case PC_DTLB_MISS:
		return a->dtlb_misses;
	case PC_ZERO:
		break;
	}
	(void)k;
	return 0;
}

/* Bring @e's count and time up to now (it goes on counting if enabled). */
static void update(struct kernel *k, struct perf_event *e)
{
	struct task *t = e->task;

	if (!t || !e->enabled)
		return;
	if (t == k->current && t->state != TASK_ZOMBIE)
		task_charge(k, t);
	uint64_t v = raw(k, t, e->counter), tc = t->acct.cycles;
	e->count += v - e->base;
	e->base = v;
	e->time += tc - e->time_base;
	e->time_base = tc;
}

static void set_enabled(struct kernel *k, struct perf_event *e, bool on)
{
	update(k, e);
	if (on && !e->enabled && e->task) {
		if (e->task == k->current)
			task_charge(k, e->task);
		e->base = raw(k, e->task, e->counter);
		e->time_base = e->task->acct.cycles;
	}
	e->enabled = on;
}

static void reset(struct kernel *k, struct perf_event *e)
{
	update(k, e);
	e->count = 0;
}

/* Decode attr.type and attr.config: 0 or -EINVAL / -ENOENT. */
static int decode(uint32_t type, uint64_t config, enum perf_counter *c)
{
	switch (type) {
	case PERF_TYPE_HARDWARE:
		if (config >= PERF_COUNT_HW_MAX)
			return -EINVAL;
		if (config == PERF_COUNT_HW_CPU_CYCLES)
			*c = PC_CYCLES;
		else if (config == PERF_COUNT_HW_INSTRUCTIONS)
			*c = PC_INSTRUCTIONS;
		else
			return -ENOENT;
		return 0;
	case PERF_TYPE_SOFTWARE:
		switch (config) {
		case PERF_COUNT_SW_CPU_CLOCK:
		case PERF_COUNT_SW_TASK_CLOCK:
			*c = PC_TASK_CLOCK;
			return 0;
		case PERF_COUNT_SW_PAGE_FAULTS:
			*c = PC_PAGE_FAULTS;
			return 0;
		case PERF_COUNT_SW_CONTEXT_SWITCHES:
			*c = PC_CONTEXT_SWITCHES;
			return 0;
		case PERF_COUNT_SW_PAGE_FAULTS_MIN:
			*c = PC_MINFLT;
			return 0;
		case PERF_COUNT_SW_PAGE_FAULTS_MAJ:
			*c = PC_MAJFLT;
			return 0;
		case PERF_COUNT_SW_CPU_MIGRATIONS:	/* one hart */
		case PERF_COUNT_SW_ALIGNMENT_FAULTS:	/* not counted */
		case PERF_COUNT_SW_EMULATION_FAULTS:
		case PERF_COUNT_SW_DUMMY:
			*c = PC_ZERO;
			return 0;
		}
		return -ENOENT;
	case PERF_TYPE_HW_CACHE: {
		uint64_t id = config & 0xff, op = (config >> 8) & 0xff;
		uint64_t res = (config >> 16) & 0xff;

		if (id >= PERF_COUNT_HW_CACHE_MAX ||
		    op >= PERF_COUNT_HW_CACHE_OP_MAX ||
		    res >= PERF_COUNT_HW_CACHE_RESULT_MAX || (config >> 24))
			return -EINVAL;
		if (op != PERF_COUNT_HW_CACHE_OP_READ)
			return -ENOENT;
		if (id == PERF_COUNT_HW_CACHE_DTLB)
			*c = res ? PC_DTLB_MISS : PC_DTLB_ACCESS;
		else if (id == PERF_COUNT_HW_CACHE_ITLB)
			*c = res ? PC_ITLB_MISS : PC_ITLB_ACCESS;
		else
			return -ENOENT;
		return 0;
	}
	}
	/* No PMU of that type: Linux's perf_init_event says ENOENT. */
	return -ENOENT;
}

static struct perf_event *perf_of(struct file *f)
{
	return f && f->kind == FILE_PERF ? f->perf : NULL;
}

long sys_perf_event_open(struct kernel *k, gva_t uattr, int pid, int cpu,
			 int group_fd, uint32_t flags)
{
	uint8_t a[PERF_ATTR_SIZE_KNOWN];
	uint32_t type, size;
	uint64_t config, read_format, bits;
	enum perf_counter counter;
	struct perf_event *e, *leader = NULL;
	struct file *gf = NULL, *f;
	struct task *t;
	int fd, r;

	if (flags & ~(PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT |
		      PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC))
		return -EINVAL;
	/* perf_copy_attr */
	memset(a, 0, sizeof(a));
	if (copy_from_user(k, &size, uattr + 4, 4) < 0)
		return -EFAULT;
	if (!size)
		size = PERF_ATTR_SIZE_VER0;
	if (size < PERF_ATTR_SIZE_VER0 || size > PAGE_SIZE) {
		uint32_t known = PERF_ATTR_SIZE_KNOWN;

		if (copy_to_user(k, uattr + 4, &known, 4) < 0)
			return -EFAULT;
		return -E2BIG;
	}
	if (copy_from_user(k, a, uattr,
			   size < sizeof(a) ? size : (uint32_t)sizeof(a)) < 0)
		return -EFAULT;
	for (uint32_t off = sizeof(a); off < size; off++) {
		uint8_t b;

		if (copy_from_user(k, &b, uattr + off, 1) < 0)
			return -EFAULT;
		if (b) {
			uint32_t known = PERF_ATTR_SIZE_KNOWN;

			if (copy_to_user(k, uattr + 4, &known, 4) < 0)
				return -EFAULT;
			return -E2BIG;
		}
	}
	memcpy(&type, a, 4);
	memcpy(&config, a + 8, 8);
	memcpy(&read_format, a + 32, 8);
	memcpy(&bits, a + 40, 8);
	if (read_format & ~(uint64_t)(PERF_FORMAT_MAX - 1))
		return -EINVAL;
	/* one hart: cpu -1 (any) or 0 */
	if (cpu < -1 || cpu > 0)
		return -EINVAL;
	if (pid < -1 || (flags & PERF_FLAG_PID_CGROUP))
		return -EINVAL;
	if (pid == -1) {
		/* A CPU-wide event: what perf_event_paranoid > 0 refuses
		 * an unprivileged user; mmulab counts per task only. */
		return cpu == -1 ? -EINVAL : -EACCES;
	}
	r = decode(type, config, &counter);
	if (r < 0)
		return r;
	t = pid ? find_task(k, pid) : k->current;
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (group_fd != -1) {
		gf = fget(k, group_fd);
		if (!gf)
			return -EBADF;
		leader = perf_of(gf);
		if (!leader) {
			fput(k, gf);
			return -EINVAL;
		}
		/* a group lives on one task; a member is no leader */
		if (leader->leader != leader || leader->task != t) {
			fput(k, gf);
			return -EINVAL;
		}
		if (flags & PERF_FLAG_FD_OUTPUT) {
			fput(k, gf);
			return -EINVAL;
		}
	}
	fd = get_unused_fd(k);
	if (fd < 0) {
		if (gf)
			fput(k, gf);
		return fd;
	}
	e = calloc(1, sizeof(*e));
	f = e ? file_alloc(k, FILE_PERF) : NULL;
	if (!f) {
		free(e);
		if (gf)
			fput(k, gf);
		return -ENOMEM;
	}
	f->flags = 2; /* O_RDWR */
	f->perf = e;
	e->task = t;
	e->counter = counter;
	e->read_format = read_format;
	e->id = ++k->nr_perf_events;
	e->enable_on_exec = bits & ATTR_ENABLE_ON_EXEC;
	INIT_LIST_HEAD(&e->siblings);
	INIT_LIST_HEAD(&e->sibling_link);
	list_add_tail(&e->task_link, &t->perf_events);
	e->leader = leader ? leader : e;
	if (leader) {
		list_add_tail(&e->sibling_link, &leader->siblings);
		leader->nr_siblings++;
		fput(k, gf);
	}
	/* attr.inherit is accepted; children's counts are not added
	 * (docs/perf.md). */
	if (!(bits & ATTR_DISABLED))
		set_enabled(k, e, true);
	return fd_install(k, f, fd, flags & PERF_FLAG_FD_CLOEXEC);
}

static size_t read_size(const struct perf_event *e)
{
	uint64_t rf = e->read_format;
	size_t per = 8 + (rf & PERF_FORMAT_ID ? 8 : 0) +
		     (rf & PERF_FORMAT_LOST ? 8 : 0);
	size_t head = (rf & PERF_FORMAT_TOTAL_TIME_ENABLED ? 8 : 0) +
		      (rf & PERF_FORMAT_TOTAL_TIME_RUNNING ? 8 : 0);

	if (rf & PERF_FORMAT_GROUP)
		return 8 + head + per * (size_t)(1 + e->leader->nr_siblings);
	return per + head;
}

/* One value with its id and lost fields, as read_format says. */
static size_t put_value(const struct perf_event *e, uint64_t rf,
			uint64_t *out)
{
	size_t n = 0;

	out[n++] = e->count;
	if (rf & PERF_FORMAT_ID)
		out[n++] = e->id;
	if (rf & PERF_FORMAT_LOST)
		out[n++] = 0;
	return n;
}

long perf_read(struct kernel *k, struct file *f, gva_t ubuf, uint32_t len)
{
	struct perf_event *e = perf_of(f), *s;
	uint64_t rf, *buf;
	size_t n = 0, need;
	long r;

	if (!e)
		return -EINVAL;
	rf = e->read_format;
	need = read_size(e);
	if (len < need)
		return -ENOSPC;
	buf = malloc(need);
	if (!buf)
		return -ENOMEM;
	if (rf & PERF_FORMAT_GROUP) {
		struct perf_event *l = e->leader;

		update(k, l);
		buf[n++] = 1 + (uint64_t)l->nr_siblings;
		if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED)
			buf[n++] = l->time;
		if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING)
			buf[n++] = l->time;
		n += put_value(l, rf, buf + n);
		list_for_each_entry(s, &l->siblings, sibling_link) {
			update(k, s);
			n += put_value(s, rf, buf + n);
		}
	} else {
		update(k, e);
		buf[n++] = e->count;
		if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED)
			buf[n++] = e->time;
		if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING)
			buf[n++] = e->time;
		if (rf & PERF_FORMAT_ID)
			buf[n++] = e->id;
		if (rf & PERF_FORMAT_LOST)
			buf[n++] = 0;
	}
	r = copy_to_user(k, ubuf, buf, (uint32_t)(n * 8)) < 0 ? -EFAULT
							    : (long)(n * 8);
	free(buf);
	return r;
}

long perf_ioctl(struct kernel *k, struct file *f, uint32_t cmd, gva_t arg)
{
	struct perf_event *e = perf_of(f), *s;
	void (*op)(struct kernel *, struct perf_event *);

	if (!e)
		return -ENOTTY;
	switch (cmd) {
	case PERF_EVENT_IOC_ID:
		if (copy_to_user(k, arg, &e->id, 8) < 0)
			return -EFAULT;
		return 0;
	case PERF_EVENT_IOC_ENABLE:
	case PERF_EVENT_IOC_DISABLE:
	case PERF_EVENT_IOC_RESET:
		break;
	case PERF_EVENT_IOC_REFRESH:	/* sampling events only */
	case PERF_EVENT_IOC_PERIOD:
	case PERF_EVENT_IOC_SET_OUTPUT:
		return -EINVAL;
	default:
		return -ENOTTY;
	}
	if (arg & ~(gva_t)PERF_IOC_FLAG_GROUP)
		return -EINVAL;
	op = cmd == PERF_EVENT_IOC_RESET ? reset : NULL;
	if (arg & PERF_IOC_FLAG_GROUP) {
		struct perf_event *l = e->leader;

		if (op)
			op(k, l);
		else
			set_enabled(k, l, cmd == PERF_EVENT_IOC_ENABLE);
		list_for_each_entry(s, &l->siblings, sibling_link) {
			if (op)
				op(k, s);
			else
				set_enabled(k, s, cmd == PERF_EVENT_IOC_ENABLE);
		}
	} else if (op) {
		op(k, e);
	} else {
		set_enabled(k, e, cmd == PERF_EVENT_IOC_ENABLE);
	}
	return 0;
}

void perf_release(struct kernel *k, struct file *f)
{
	struct perf_event *e = f->perf, *s, *tmp;

	(void)k;
	if (!e)
		return;
	/* A leader's members go on alone, as Linux's perf_group_detach. */
	list_for_each_entry_safe(s, tmp, &e->siblings, sibling_link) {
		list_del_init(&s->sibling_link);
		s->leader = s;
	}
	if (e->leader != e) {
		list_del(&e->sibling_link);
		e->leader->nr_siblings--;
	}
	if (e->task)
		list_del(&e->task_link);
	free(e);
	f->perf = NULL;
}

void perf_event_exec(struct kernel *k, struct task *t)
{
	struct perf_event *e;

	list_for_each_entry(e, &t->perf_events, task_link) {
		if (e->enable_on_exec && !e->enabled) {
			e->enable_on_exec = false;
			set_enabled(k, e, true);
		}
	}
}

void perf_event_exit_task(struct kernel *k, struct task *t)
{
	struct perf_event *e, *tmp;

	list_for_each_entry_safe(e, tmp, &t->perf_events, task_link) {
		update(k, e);
		e->enabled = false;
		e->task = NULL;
		list_del_init(&e->task_link);
	}
}
