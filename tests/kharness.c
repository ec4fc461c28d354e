/*
 * Test harness for the guest kernel core (see kharness.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kharness.h"

#define KH_MAX_RETRIES 4

const char *const kh_cache_names[KH_NR_CACHES] = {
	"mm_struct", "vm_area_struct", "anon_vma", "anon_vma_chain",
	"task_struct", "files_cache", "filp", "inode_cache",
};

static __attribute__((noreturn, format(printf, 1, 2))) void
kh_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "kharness: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static struct kh *boot(const struct kh_config *cfg)
{
	static char *const no_env[] = { NULL };
	struct kernel_config kc;
	struct kh *h = calloc(1, sizeof(*h));
	int err;

	if (!h)
		kh_die("out of host memory");
	kernel_default_config(&kc);
	kc.ram = 32ull << 20;
	kc.envp = (char **)no_env;
	if (cfg) {
		if (cfg->ram)
			kc.ram = cfg->ram;
		kc.mmu.paging = cfg->paging;
		kc.mmu.asid = cfg->asid;
		if (cfg->root)
			kc.root = cfg->root;
		if (cfg->numa_nodes)
			kc.numa_nodes = cfg->numa_nodes;
	}
	err = kernel_boot(&h->k, &kc);
	if (err)
		kh_die("kernel_boot: %s", strerror(-err));
	return h;
}

struct kh *kh_boot_bare(const struct kh_config *cfg)
{
	return boot(cfg);
}

/* A task as kernel_spawn_init makes pid 1, without a program. */
static struct task *new_task(struct kh *h)
{
	struct kernel *k = &h->k;
	struct task *t = task_alloc(k);

	if (!t)
		kh_die("task_alloc failed");
	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->rlim[i].rlim_cur = t->rlim[i].rlim_max = RLIM_INFINITY;
	t->rlim[RLIMIT_STACK].rlim_cur = 8u << 20;
	t->rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	t->rlim[RLIMIT_NOFILE].rlim_max = 4096;
	t->rlim[RLIMIT_MEMLOCK].rlim_cur = t->rlim[RLIMIT_MEMLOCK].rlim_max =
		8u << 20;
	strscpy(t->comm, "kharness", sizeof(t->comm));
	t->files = files_alloc(k);
	if (!t->files)
		kh_die("files_alloc failed");
	t->mm = mm_alloc(k);
	if (!t->mm)
		kh_die("mm_alloc failed");
	wake_up_task(k, t);
	return t;
}

struct kh *kh_boot(const struct kh_config *cfg)
{
	struct kh *h = boot(cfg);

	h->task = new_task(h);
	kh_switch_to(h, h->task);
	return h;
}

void kh_shutdown(struct kh *h)
{
	kernel_shutdown(&h->k);
	free(h);
}

struct task *kh_task_new(struct kh *h)
{
	return new_task(h);
}

void kh_switch_to(struct kh *h, struct task *t)
{
	struct kernel *k = &h->k;
	struct task *prev = k->current;

	k->current = t;
	ktrace(k)->pid = t->pid; /* as context_switch: events name it */
	if (!prev || prev->mm != t->mm)
		switch_mm(k, t->mm);
}

struct task *kh_fork(struct kh *h)
{
	long pid = sys_clone(&h->k, 17 /* SIGCHLD */, 0, 0, 0, 0);
	struct task *c;

	if (pid < 0)
		kh_die("sys_clone: %s", strerror((int)-pid));
	c = find_task(&h->k, (int)pid);
	if (!c)
		kh_die("sys_clone: child %ld not found", pid);
	return c;
}

long kh_mmap(struct kh *h, gva_t addr, uint32_t len, int prot, int flags)
{
	return sys_mmap(&h->k, addr, len, prot,
			KH_MAP_PRIVATE | KH_MAP_ANONYMOUS | flags, -1, 0);
}

gva_t kh_mmap_anon(struct kh *h, gva_t hint, uint32_t len, int prot)
{
	long r = kh_mmap(h, hint, len, prot, 0);

	if (r < 0)
		kh_die("mmap(%#x, %u): %s", hint, len, strerror((int)-r));
	return (gva_t)r;
}

int kh_open_file(struct kh *h, const char *path, int flags)
{
	struct kernel *k = &h->k;
	struct files *fs = k->current->files;
	int hfd = open(path, (flags & 3) == KH_O_RDWR ? O_RDWR : O_RDONLY);
	struct file *f;

	if (hfd < 0)
		kh_die("open %s: %s", path, strerror(errno));
	f = kmem_cache_zalloc(k->file_cachep, GFP_KERNEL);
	if (!f)
		kh_die("no memory for a struct file");
	f->refcount = 1;
	f->kind = FILE_HOST;
	f->host_fd = hfd;
	f->flags = (unsigned)flags;
	if (file_set_path(k, f, path))
		kh_die("no memory for the name %s", path);
	f->inode = inode_get_host(k, hfd, path);
	if (!f->inode)
		kh_die("inode_get_host %s failed", path);
	for (int fd = 3; fd < MAX_FDS; fd++) {
		if (!fs->fd[fd]) {
			fs->fd[fd] = f;
			return fd;
		}
	}
	kh_die("no free fd");
}

void kh_make_file(char *path, const void *data, size_t len)
{
	int fd;

	snprintf(path, 64, "/tmp/kharness-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		kh_die("mkstemp: %s", strerror(errno));
	if (write(fd, data, len) != (ssize_t)len)
		kh_die("write %s: %s", path, strerror(errno));
	close(fd);
}

/*
 * The trap handler's half of an access: what kernel.c's handle_page_fault
 * does with the MMU's fault report.  Returns true when the access may be
 * retried.
 */
static bool fault_in(struct kh *h, bool write)
{
	struct kernel *k = &h->k;
	unsigned flags = FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0);
	bool accerr = false;
	unsigned r;

	h->last.nr_faults++;
	h->last.fault_va = k->mmu.fault.va;
	r = handle_mm_fault(k, k->current->mm, k->mmu.fault.va, flags,
			    &accerr);
	if (r & VM_FAULT_ERROR) {
		h->last.vm_fault = r;
		h->last.accerr = accerr;
		return false;
	}
	return true;
}

int kh_load32(struct kh *h, gva_t va, uint32_t *out)
{
	memset(&h->last, 0, sizeof(h->last));
	for (int i = 0; i <= KH_MAX_RETRIES; i++) {
		if (mmu_load32(&h->k.mmu, va, out) == 0)
			return 0;
		if (!fault_in(h, false))
			return -EFAULT;
	}
	kh_die("load %#x: still faulting after %d faults", va,
	       h->last.nr_faults);
}

int kh_store32(struct kh *h, gva_t va, uint32_t v)
{
	memset(&h->last, 0, sizeof(h->last));
	for (int i = 0; i <= KH_MAX_RETRIES; i++) {
		if (mmu_store32(&h->k.mmu, va, v) == 0)
			return 0;
		if (!fault_in(h, true))
			return -EFAULT;
	}
	kh_die("store %#x: still faulting after %d faults", va,
	       h->last.nr_faults);
}

pte_t kh_pte(struct kh *h, struct mm *mm, gva_t va)
{
	pte_slot_t slot = pte_offset(&h->k, mm, va, false);

	return slot ? ptep_get(&h->k, slot) : 0;
}

struct page *kh_page(struct kh *h, struct mm *mm, gva_t va)
{
	pte_t pte = kh_pte(h, mm, va);

	if (!pte_present(pte))
		kh_die("no present pte at %#x", va);
	return pfn_to_page(&h->k.mem, pte_pfn(pte));
}

int kh_count_vmas(struct mm *mm)
{
	struct vma *v;
	int n = 0;

	list_for_each_entry(v, &mm->vmas, list)
		n++;
	return n;
}

void kh_snapshot(struct kh *h, struct kh_snapshot *s)
{
	struct memory *mem = &h->k.mem;

	kmem_cache_shrink_all(mem);
	s->free_pages = nr_free_pages(mem);
	for (int i = 0; i < KH_NR_CACHES; i++) {
		struct kmem_cache *c = kmem_cache_find(mem, kh_cache_names[i]);

		if (!c)
			kh_die("no cache %s", kh_cache_names[i]);
		s->inuse[i] = c->nr_inuse;
	}
}

bool kh_guest_path(const char *name, char *buf, size_t len)
{
	const char *dir = getenv("GUEST_BIN");

	if (!dir || !*dir)
		return false;
	snprintf(buf, len, "%s/%s", dir, name);
	return access(buf, R_OK) == 0;
}

static char *slurp(int fd)
{
	struct stat st;
	char *buf;

	if (fstat(fd, &st) < 0)
		kh_die("fstat: %s", strerror(errno));
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		kh_die("out of host memory");
	if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size)
		kh_die("pread: %s", strerror(errno));
	buf[st.st_size] = '\0';
	return buf;
}

static int run_to_end(struct kernel *k, void *arg)
{
	(void)arg;
	return kernel_run(k);
}

int kh_run_elf(struct kh *h, const char *path, char *const argv[],
	       char **out)
{
	return kh_run_elf_with(h, path, argv, out, run_to_end, NULL);
}

int kh_run_elf_with(struct kh *h, const char *path, char *const argv[],
		    char **out, int (*run)(struct kernel *k, void *arg),
		    void *arg)
{
	char err[256], tmpl[] = "/tmp/kharness-out-XXXXXX";
	int tmp, saved, status;

	/* The guest's fd 1 is the host's fd 1 (files_init_stdio): point that
	 * at a temporary file for the length of the run. */
	fflush(stdout);
	tmp = mkstemp(tmpl);
	if (tmp < 0)
		kh_die("mkstemp: %s", strerror(errno));
	unlink(tmpl);
	saved = dup(1);
	if (saved < 0 || dup2(tmp, 1) < 0)
		kh_die("dup2: %s", strerror(errno));
	/* And stdin at /dev/null, so that a program reading it sees EOF. */
	int null = open("/dev/null", O_RDONLY), saved_in = dup(0);
	if (null < 0 || saved_in < 0 || dup2(null, 0) < 0)
		kh_die("dup2 stdin: %s", strerror(errno));
	close(null);

	if (kernel_spawn_init(&h->k, path, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "kharness: %s: %s\n", path, err);
		status = -1;
	} else {
		status = run(&h->k, arg);
	}

	fflush(stdout);
	if (dup2(saved, 1) < 0 || dup2(saved_in, 0) < 0)
		kh_die("dup2: %s", strerror(errno));
	close(saved);
	close(saved_in);
	if (out)
		*out = slurp(tmp);
	close(tmp);
	return status;
}
