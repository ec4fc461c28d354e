/*
 * Swap devices: swap files on the host in Linux's own format, slot
 * allocation, the per-slot reference counts (swap_map), I/O, swapon and
 * swapoff, /proc/swaps.
 *
 * A swap file is what mkswap writes: page 0 is the header (boot bits,
 * then at byte 1024 version 1, last_page, nr_badpages, uuid, label, and
 * the magic "SWAPSPACE2" in the last 10 bytes of the page); slot N lives
 * at byte N * 4096.  Files made by util-linux's mkswap are accepted as
 * they are, and files mmulab creates are recognised by file(1), swaplabel
 * and swapon(8).
 *
 *   page 0                                 slot 1     slot 2
 *   +-------+----------------------+-----+----------+----------+--
 *   | boot  | ver last_page bad... | ... |SWAPSPACE2|  4096 B  |  ...
 *   +-------+----------------------+-----+----------+----------+--
 *   0      1024                         4086      4096       8192
 *
 * Slot allocation keeps a cursor (cluster_next) and hands out the next
 * free slot after it, so pages reclaimed together sit next to each other
 * on the device and swap readahead brings neighbours back in one go, as
 * Linux's per-cluster allocator does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/fs/fs.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/bug.h"
#include "kernel/lib/seq.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"

#define SWAP_MAGIC "SWAPSPACE2"
#define SWAP_MAGIC_LEN 10
#define SWAP_HDR_OFF 1024	/* the version-1 info follows the boot bits */
#define SWAP_MIN_PAGES 10	/* mkswap's minimum: header + 9 slots */
#define SWAP_MAX_BADPAGES 637	/* what fits in the header page */

/* Linux's union swap_header, the info part (little endian on disk). */
struct swap_header_v1 {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	unsigned char sws_uuid[16];
	char sws_volume[16];
	uint32_t padding[117];
	uint32_t badpages[1];
};

struct swap_info_struct *swap_info_get(struct kernel *k, pte_t entry)
{
	unsigned type = swp_type(entry);
	struct swap_info_struct *si;

	if (type >= MAX_SWAPFILES || !(si = k->swap_info[type]) ||
	    swp_offset(entry) == 0 || swp_offset(entry) >= si->max)
		kernel_bug(k, "bad swap entry %#llx",
			   (unsigned long long)entry);
	return si;
}

static void update_totals(struct kernel *k)
{
	unsigned long total = 0, used = 0;

	for (int i = 0; i < k->nr_swapfiles; i++) {
		struct swap_info_struct *si = k->swap_info[i];
		if (si && si->writeok) {
			total += si->pages;
			used += si->inuse_pages;
		}
	}
	k->mem.swap_total_pages = total;
	k->mem.swap_free_pages = total - used;
}

unsigned long nr_free_swap_pages(struct kernel *k)
{
	return k->mem.swap_free_pages;
}

bool vm_swap_full(struct kernel *k)
{
	return k->mem.swap_free_pages * 2 < k->mem.swap_total_pages;
}

/* ---- slots ------------------------------------------------------------------ */

/* The next free slot of @si after its cursor, or 0 (Linux's
 * scan_swap_map_slots, one slot at a time). */
static unsigned long scan_swap_map(struct swap_info_struct *si)
{
	unsigned long off = si->cluster_next;

	if (si->inuse_pages >= si->pages)
		return 0;
	for (unsigned long n = 1; n < si->max; n++, off++) {
		if (off >= si->max)
			off = 1;
		if (!si->swap_map[off]) {
			si->cluster_next = off + 1;
			return off;
		}
	}
	return 0;
}

pte_t get_swap_page(struct kernel *k)
{
	struct swap_info_struct *best = NULL;

	for (int i = 0; i < k->nr_swapfiles; i++) {
		struct swap_info_struct *si = k->swap_info[i];
		if (si && si->writeok && si->inuse_pages < si->pages &&
		    (!best || si->prio > best->prio))
			best = si;
	}
	if (!best)
		return 0;
	unsigned long off = scan_swap_map(best);
	if (!off)
		return 0;
	best->swap_map[off] = SWAP_HAS_CACHE;
	best->inuse_pages++;
	update_totals(k);
	return swp_entry_pte((unsigned)best->type, off);
}

/* Release the slot when neither a PTE nor the cache refers to it. */
void swapcache_slot_release(struct kernel *k, struct swap_info_struct *si,
				 unsigned long off)
{
	if (si->swap_map[off])
		return;
	workingset_forget(k, workingset_anon_key(
				     swp_entry_pte((unsigned)si->type, off)));
	si->inuse_pages--;
	if (off < si->cluster_next && si->inuse_pages == 0)
		si->cluster_next = 1;
	update_totals(k);
}

void swap_free_entry(struct kernel *k, pte_t entry)
{
	struct swap_info_struct *si = swap_info_get(k, entry);
	unsigned long off = swp_offset(entry);
	uint16_t *map = &si->swap_map[off];

	if (!(*map & SWAP_MAP_MAX))
		kernel_bug(k, "swap_free: unused entry %#llx",
			   (unsigned long long)entry);
	(*map)--;
	if (*map == SWAP_HAS_CACHE) {
		/* No PTE refers to the slot: an unmapped cache page is now
		 * garbage (Linux's free_swap_and_cache). */
		struct page *page = si->cache[off];
		if (page && !page_mapped(page) && page_count(page) == 1) {
			delete_from_swap_cache(k, page);
			return;
		}
	}
	swapcache_slot_release(k, si, off);
}

int swap_duplicate(struct kernel *k, pte_t entry)
{
	struct swap_info_struct *si = swap_info_get(k, entry);
	uint16_t *map = &si->swap_map[swp_offset(entry)];

	if ((*map & SWAP_MAP_MAX) >= SWAP_MAP_MAX - 1)
		return -ENOMEM;
	(*map)++;
	return 0;
}

unsigned swap_count(struct kernel *k, pte_t entry)
{
	struct swap_info_struct *si = swap_info_get(k, entry);

	return si->swap_map[swp_offset(entry)] & SWAP_MAP_MAX;
}

/* swap:swapin / swap:swapout: the page, its slot, and the result. */
static void __cold swap_event(struct kernel *k, unsigned type,
			      struct page *page, pte_t entry, int err)
{
	trace_emit(ktrace(k), &(struct trace_event){
		.type = (uint16_t)type, .flags = TEV_PHYS,
		.addr = page_to_phys(&k->mem, page),
		.arg = { page_to_pfn(&k->mem, page), swp_type(entry),
			 swp_offset(entry), (uint64_t)(int64_t)err } });
}

/* ---- I/O -------------------------------------------------------------------- */

/*
 * The debug knob MMULAB_SWAP_FAIL_NTH=[r|w]N: the Nth swap I/O (read,
 * write, or either) fails with EIO, to test the error paths.
 */
static bool swap_io_should_fail(struct kernel *k, bool write)
{
	if (k->swap_fail_kind && k->swap_fail_kind != (write ? 'w' : 'r'))
		return false;
	return k->swap_fail_nth && --k->swap_fail_nth == 0;
}

int swap_readpage(struct kernel *k, struct page *page, pte_t entry)
{
	struct swap_info_struct *si = swap_info_get(k, entry);
	off_t pos = (off_t)swp_offset(entry) * PAGE_SIZE;

	int err = 0;

	/* A short read (a truncated file) is an error too. */
	if (swap_io_should_fail(k, false) ||
	    pread(si->fd, page_address(&k->mem, page), PAGE_SIZE, pos) !=
		    PAGE_SIZE)
		err = -EIO;
	if (trace_on(ktrace(k), EV_SWAP_IN))
		swap_event(k, EV_SWAP_IN, page, entry, err);
	if (err)
		return err;
	count_vm_event(&k->mem, PSWPIN);
	count_vm_events(&k->mem, PGPGIN, PAGE_SIZE / 1024);
	if (k->cfg.cost.on)
		k->cpu.cycle += k->cfg.cost.swap_io;
	return 0;
}

int swap_writepage(struct kernel *k, struct page *page)
{
	pte_t entry = page->private;
	struct swap_info_struct *si = swap_info_get(k, entry);
	off_t pos = (off_t)swp_offset(entry) * PAGE_SIZE;

	int err = 0;

	if (swap_io_should_fail(k, true) ||
	    pwrite(si->fd, page_address(&k->mem, page), PAGE_SIZE, pos) !=
		    PAGE_SIZE)
		err = -EIO;
	if (trace_on(ktrace(k), EV_SWAP_OUT))
		swap_event(k, EV_SWAP_OUT, page, entry, err);
	if (err)
		return err;
	count_vm_event(&k->mem, PSWPOUT);
	count_vm_events(&k->mem, PGPGOUT, PAGE_SIZE / 1024);
	if (k->cfg.cost.on)
		k->cpu.cycle += k->cfg.cost.swap_io;
	return 0;
}

/* ---- setting a device up ---------------------------------------------------- */

/* Write a version-1 header for @pages slots, as mkswap does. */
static int write_header(int fd, const char *path, uint64_t pages)
{
	uint8_t hdr[PAGE_SIZE];
	struct swap_header_v1 *h = (void *)(hdr + SWAP_HDR_OFF);
	uint64_t hash = 1469598103934665603ull;

	memset(hdr, 0, sizeof(hdr));
	h->version = 1;
	h->last_page = (uint32_t)(pages - 1);
	/* A stable UUID (version 4 layout) from the path and the size:
	 * the same command makes the same file. */
	for (const char *p = path; *p; p++)
		hash = (hash ^ (uint8_t)*p) * 1099511628211ull;
	for (int i = 0; i < 16; i++) {
		hash = (hash ^ pages ^ (uint64_t)i) * 1099511628211ull;
		h->sws_uuid[i] = (unsigned char)(hash >> 32);
	}
	h->sws_uuid[6] = (h->sws_uuid[6] & 0x0f) | 0x40;
	h->sws_uuid[8] = (h->sws_uuid[8] & 0x3f) | 0x80;
	memcpy(hdr + PAGE_SIZE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN);
	if (ftruncate(fd, (off_t)(pages * PAGE_SIZE)) < 0 ||
	    pwrite(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return -errno ? -errno : -EIO;
	return 0;
}

/*
 * Check the header of the open swap file @fd and build the device.
 * Returns it, or NULL with the reason in @err.
 */
static struct swap_info_struct *read_header(int fd, char *err, size_t errlen)
{
	uint8_t hdr[PAGE_SIZE];
	const struct swap_header_v1 *h = (const void *)(hdr + SWAP_HDR_OFF);
	struct stat st;
	struct swap_info_struct *si;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return NULL;
	}
	if (st.st_size < (off_t)PAGE_SIZE * SWAP_MIN_PAGES) {
		snprintf(err, errlen, "too small (%lld bytes; at least %u KiB)",
			 (long long)st.st_size, SWAP_MIN_PAGES * 4);
		return NULL;
	}
	if (pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
	    memcmp(hdr + PAGE_SIZE - SWAP_MAGIC_LEN, SWAP_MAGIC,
		   SWAP_MAGIC_LEN)) {
		snprintf(err, errlen, "no swap signature (run mkswap, or give "
				      "a size to create it)");
		return NULL;
	}
	if (h->version != 1) {
		snprintf(err, errlen, "unsupported swap header version %u",
			 h->version);
		return NULL;
	}
	uint64_t max = (uint64_t)h->last_page + 1;
	if (h->last_page < SWAP_MIN_PAGES - 1 ||
	    h->nr_badpages > SWAP_MAX_BADPAGES) {
		snprintf(err, errlen, "bad swap header (last_page %u, "
				      "nr_badpages %u)",
			 h->last_page, h->nr_badpages);
		return NULL;
	}
	if ((uint64_t)st.st_size < max * PAGE_SIZE) {
		snprintf(err, errlen, "truncated: the header says %llu pages, "
				      "the file holds %llu",
			 (unsigned long long)max,
			 (unsigned long long)st.st_size / PAGE_SIZE);
		return NULL;
	}
	if (max > (1ull << 24)) /* 64 GiB: more than the PTE offset holds */
		max = 1ull << 24;
	si = calloc(1, sizeof(*si));
	if (si) {
		si->swap_map = calloc(max, sizeof(*si->swap_map));
		si->cache = calloc(max, sizeof(*si->cache));
	}
	if (!si || !si->swap_map || !si->cache) {
		if (si) {
			free(si->swap_map);
			free(si->cache);
		}
		free(si);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	si->max = max;
	si->pages = max - 1;
	for (uint32_t i = 0; i < h->nr_badpages; i++) {
		uint32_t b = h->badpages[i];
		if (b > 0 && b < max && !si->swap_map[b]) {
			si->swap_map[b] = SWAP_MAP_BAD;
			si->pages--;
		}
	}
	si->cluster_next = 1;
	si->fd = fd;
	return si;
}

/* Link @si in as the next type and enable it. */
static int enable_swap_info(struct kernel *k, struct swap_info_struct *si,
			    int prio, const char *path)
{
	int type;

	for (type = 0; type < MAX_SWAPFILES; type++)
		if (!k->swap_info[type])
			break;
	if (type == MAX_SWAPFILES)
		return -EPERM;
	/* Without a priority, each device gets one below the lowest so
	 * far, as Linux's least_priority: -2, -3, ... */
	int least = -1;
	for (int i = 0; i < k->nr_swapfiles; i++)
		if (k->swap_info[i] && k->swap_info[i]->prio < least)
			least = k->swap_info[i]->prio;
	si->type = type;
	si->prio = prio >= 0 ? prio : least - 1;
	si->writeok = true;
	strscpy(si->path, path, sizeof(si->path));
	k->swap_info[type] = si;
	if (type >= k->nr_swapfiles)
		k->nr_swapfiles = type + 1;
	update_totals(k);
	printk(k->log, "Adding %luk swap on %s.  Priority:%d extents:1 "
		       "across:%luk FS\n",
	       si->pages * 4, si->path, si->prio, si->pages * 4);
	return 0;
}

static void free_swap_info(struct swap_info_struct *si)
{
	close(si->fd);
	free(si->swap_map);
	free(si->cache);
	free(si);
}

int swap_setup(struct kernel *k, const char *spec, char *err, size_t errlen)
{
	char path[256];
	uint64_t size = 0;
	int prio = -1, fd;
	char *colon;
	struct swap_info_struct *si;
	const char *fail = getenv("MMULAB_SWAP_FAIL_NTH");

	if (fail && *fail) {
		if (*fail == 'r' || *fail == 'w')
			k->swap_fail_kind = *fail++;
		k->swap_fail_nth = strtoul(fail, NULL, 10);
	}
	if (strlen(spec) >= sizeof(path)) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	strscpy(path, spec, sizeof(path));
	/* Options come from the right: ":prio=N", then ":SIZE". */
	while ((colon = strrchr(path, ':'))) {
		if (!strncmp(colon + 1, "prio=", 5)) {
			char *end;
			long v = strtol(colon + 6, &end, 10);
			if (colon[6] == '\0' || *end || v < 0 || v > 32767) {
				snprintf(err, errlen, "bad priority '%s' "
						      "(0..32767)", colon + 6);
				return -1;
			}
			prio = (int)v;
		} else if (parse_size(colon + 1, &size) == 0) {
			if (size < (uint64_t)PAGE_SIZE * SWAP_MIN_PAGES) {
				snprintf(err, errlen, "size '%s' too small "
						      "(at least %u KiB)",
					 colon + 1, SWAP_MIN_PAGES * 4);
				return -1;
			}
		} else {
			break;
		}
		*colon = '\0';
	}
	if (!path[0]) {
		snprintf(err, errlen, "no file name");
		return -1;
	}
	fd = open(path, O_RDWR | O_CLOEXEC | (size ? O_CREAT : 0), 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (size) {
		/* Never clobber a file that is not already a swap file. */
		struct stat st;
		uint8_t magic[SWAP_MAGIC_LEN];
		if (fstat(fd, &st) == 0 && st.st_size > 0 &&
		    (pread(fd, magic, sizeof(magic),
			   PAGE_SIZE - SWAP_MAGIC_LEN) != SWAP_MAGIC_LEN ||
		     memcmp(magic, SWAP_MAGIC, SWAP_MAGIC_LEN))) {
			snprintf(err, errlen, "%s: exists and is not a swap "
					      "file (refusing to overwrite)",
				 path);
			close(fd);
			return -1;
		}
		int e = write_header(fd, path, size / PAGE_SIZE);
		if (e < 0) {
			snprintf(err, errlen, "%s: cannot create: %s", path,
				 strerror(-e));
			close(fd);
			return -1;
		}
	}
	char why[160];
	si = read_header(fd, why, sizeof(why));
	if (!si) {
		snprintf(err, errlen, "%s: %s", path, why);
		close(fd);
		return -1;
	}
	char *abs = realpath(path, NULL);
	int e = enable_swap_info(k, si, prio, abs ? abs : path);
	free(abs);
	if (e < 0) {
		snprintf(err, errlen, "%s: more than %d swap files", path,
			 MAX_SWAPFILES);
		free_swap_info(si);
		return -1;
	}
	return 0;
}

void swap_shutdown(struct kernel *k)
{
	for (int i = 0; i < k->nr_swapfiles; i++) {
		struct swap_info_struct *si = k->swap_info[i];
		if (!si)
			continue;
		for (unsigned long off = 1; off < si->max; off++)
			if (si->cache[off])
				delete_from_swap_cache(k, si->cache[off]);
		k->swap_info[i] = NULL;
		free_swap_info(si);
	}
	k->nr_swapfiles = 0;
	update_totals(k);
	workingset_shutdown(k); /* reclaim's host-side state goes too */
}

/* ---- swapoff: bring every page back ----------------------------------------- */

struct unuse_arg {
	int type;
	int err;
	struct vma *vma;
};

/* Replace one swap entry of the dying device by its page (try_to_unuse's
 * unuse_pte), read through the swap cache so a slot shared by several
 * PTEs comes back as one page. */
static void unuse_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
		      pte_t pte, void *arg)
{
	struct unuse_arg *ua = arg;
	struct vma *vma = ua->vma;
	struct page *page;

	if (ua->err || !pte_is_swap(pte) || (int)swp_type(pte) != ua->type)
		return;
	page = lookup_swap_cache(k, pte);
	if (!page) {
		int err = 0;
		page = swapin_readahead(k, pte, &err, ua->vma, addr);
		if (!page) {
			ua->err = err;
			return;
		}
	}
	if (!vma->anon_vma && anon_vma_prepare(k, vma) < 0) {
		ua->err = -ENOMEM;
		return;
	}
	get_page(page);
	if (!PageAnon(page)) {
		/* The root anon_vma reaches every vma of the fork tree. */
		struct anon_vma *root = vma->anon_vma->root;
		page_add_new_anon_rmap(k, page, vma, addr);
		page->mapping = (void *)((uintptr_t)root | PAGE_MAPPING_ANON);
		root->refcount++;
		vma->anon_vma->refcount--;
		ClearPageAnonExclusive(page);
	} else {
		page_add_anon_rmap(k, page);
	}
	mm_add_rss(vma->vm_mm, MM_SWAPENTS, -1);
	mm_add_rss(vma->vm_mm, MM_ANONPAGES, 1);
	uint32_t prot = (vma->vm_flags & VM_ACCESS_FLAGS)
				? mk_pte_prot(vma->vm_flags, false)
				: PTE_PROT_NONE;
	set_pte(k, slot, pfn_pte(page_to_pfn(&k->mem, page), prot));
	swap_free_entry(k, pte);
}

/* Bring back every page of device @type.  0 or -errno (then some pages
 * may be back, the rest still on the device). */
static int try_to_unuse(struct kernel *k, int type)
{
	struct unuse_arg ua = {.type = type};
	struct task *t;
	struct vma *vma;
	struct swap_info_struct *si = k->swap_info[type];

	list_for_each_entry(t, &k->tasks, tasks) {
		if (!t->mm)
			continue;
		list_for_each_entry(vma, &t->mm->vmas, list) {
			ua.vma = vma;
			for_each_pte(k, t->mm, vma->vm_start, vma->vm_end,
				     unuse_pte, &ua);
			if (ua.err)
				return ua.err;
		}
	}
	/* What is left in the cache has no PTE: drop it. */
	for (unsigned long off = 1; off < si->max; off++) {
		struct page *page = si->cache[off];
		if (page && !try_to_free_swap(k, page, true))
			return -EBUSY;
	}
	return si->inuse_pages ? -EBUSY : 0;
}

/* Open the sandbox file @upath read-write: host fd or -errno. */
static int open_guest_swapfile(struct kernel *k, gva_t upath, char *shown,
			       size_t shownlen)
{
	char path[256], proc[64];
	long n = strncpy_from_user(k, path, upath, sizeof(path));

	if (n < 0)
		return (int)n;
	int ro = hostfs_open_exec(k, path, shown, shownlen);
	if (ro < 0)
		return ro;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", ro);
	int fd = open(proc, O_RDWR | O_CLOEXEC);
	int e = errno;
	close(ro);
	return fd < 0 ? -e : fd;
}

long sys_swapon(struct kernel *k, gva_t upath, int flags)
{
	char shown[256], why[160];
	struct swap_info_struct *si;

	if (!capable(k, CAP_SYS_ADMIN))
		return -EPERM;
	int fd = open_guest_swapfile(k, upath, shown, sizeof(shown));
	if (fd < 0)
		return fd;
	struct stat st, st2;
	fstat(fd, &st);
	for (int i = 0; i < k->nr_swapfiles; i++) {
		si = k->swap_info[i];
		if (si && fstat(si->fd, &st2) == 0 && st.st_dev == st2.st_dev &&
		    st.st_ino == st2.st_ino) {
			close(fd);
			return -EBUSY;
		}
	}
	si = read_header(fd, why, sizeof(why));
	if (!si) {
		close(fd);
		return -EINVAL;
	}
	int prio = (flags & SWAP_FLAG_PREFER) ? flags & SWAP_FLAG_PRIO_MASK
					      : -1;
	if (enable_swap_info(k, si, prio, shown) < 0) {
		free_swap_info(si);
		return -EPERM;
	}
	return 0;
}

long sys_swapoff(struct kernel *k, gva_t upath)
{
	char shown[256];
	struct stat st, st2;
	struct swap_info_struct *si = NULL;
	int type;

	if (!capable(k, CAP_SYS_ADMIN))
		return -EPERM;
	int fd = open_guest_swapfile(k, upath, shown, sizeof(shown));
	if (fd < 0)
		return fd;
	fstat(fd, &st);
	close(fd);
	for (type = 0; type < k->nr_swapfiles; type++) {
		si = k->swap_info[type];
		if (si && fstat(si->fd, &st2) == 0 && st.st_dev == st2.st_dev &&
		    st.st_ino == st2.st_ino)
			break;
	}
	if (type == k->nr_swapfiles)
		return -EINVAL;
	si->writeok = false;
	update_totals(k);
	int err = try_to_unuse(k, type);
	if (err) {
		si->writeok = true;
		update_totals(k);
		return err;
	}
	printk(k->log, "Removing swap on %s\n", si->path);
	k->swap_info[type] = NULL;
	free_swap_info(si);
	update_totals(k);
	return 0;
}

void show_swaps(struct kernel *k, struct seq *s)
{
	seq_puts(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (int i = 0; i < k->nr_swapfiles; i++) {
		struct swap_info_struct *si = k->swap_info[i];
		if (!si || !si->writeok)
			continue;
		unsigned long size = si->pages * 4, used = si->inuse_pages * 4;
		int len = (int)strlen(si->path);
		seq_printf(s, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", si->path,
			   len < 40 ? 40 - len : 1, " ", "file\t", size,
			   size < 10000000 ? "\t" : "", used,
			   used < 10000000 ? "\t" : "", si->prio);
	}
}
