/*
 * Copies between the kernel and user memory.
 *
 * Every pointer a system call receives is checked here through the MMU,
 * page by page: a missing page is faulted in exactly as a user access
 * would fault it (handle_mm_fault, stack growth included), and an address
 * no vma allows gives -EFAULT.  Nothing ever reaches host memory outside
 * guest RAM.  The walks do not go through the modelled TLB (the kernel's
 * own accesses are not the learner's TLB traffic) but set A/D bits as the
 * hardware would.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/uaccess.h"

/* Host pointer to @va for @acc, faulting the page in; NULL -> -EFAULT. */
static uint8_t *user_ptr(struct kernel *k, gva_t va, enum mmu_access acc)
{
	gpa_t pa;

	for (int tries = 0; tries < 3; tries++) {
		if (mmu_translate_nocache(&k->mmu, va, acc, &pa) == 0)
			return phys_host(&k->phys, pa, 1);
		if (!k->current || va >= TASK_SIZE)
			return NULL;
		bool accerr;
		unsigned flags = 0;
		if (acc == ACC_WRITE)
			flags |= FAULT_FLAG_WRITE;
		unsigned r = handle_mm_fault(k, k->current->mm, va, flags,
					     &accerr);
		if (r & VM_FAULT_ERROR)
			return NULL;
	}
	return NULL;
}

static int user_copy(struct kernel *k, gva_t va, void *buf, uint32_t len,
		     bool to_user)
{
	uint8_t *b = buf;

	if ((uint64_t)va + len > 0x100000000ull)
		return -EFAULT;
	while (len) {
		uint32_t in = va & (PAGE_SIZE - 1);
		uint32_t n = PAGE_SIZE - in < len ? PAGE_SIZE - in : len;
		uint8_t *p = user_ptr(k, va, to_user ? ACC_WRITE : ACC_READ);

		if (!p)
			return -EFAULT;
		if (to_user)
			memcpy(p, b, n);
		else
			memcpy(b, p, n);
		va += n;
		b += n;
		len -= n;
	}
	return 0;
}

int copy_from_user(struct kernel *k, void *dst, gva_t src, uint32_t len)
{
	return user_copy(k, src, dst, len, false);
}

int copy_to_user(struct kernel *k, gva_t dst, const void *src, uint32_t len)
{
	return user_copy(k, dst, (void *)src, len, true);
}

long strncpy_from_user(struct kernel *k, char *dst, gva_t src, uint32_t max)
{
	uint32_t i = 0;

	while (i < max) {
		uint32_t in = (src + i) & (PAGE_SIZE - 1);
		uint32_t n = PAGE_SIZE - in;
		if (n > max - i)
			n = max - i;
		if ((uint64_t)src + i >= 0x100000000ull)
			return -EFAULT;
		uint8_t *p = user_ptr(k, src + i, ACC_READ);
		if (!p)
			return -EFAULT;
		uint8_t *z = memchr(p, 0, n);
		if (z) {
			memcpy(dst + i, p, (size_t)(z - p) + 1);
			return i + (z - p);
		}
		memcpy(dst + i, p, n);
		i += n;
	}
	return -ENAMETOOLONG;
}
