/*
 * NUMA memory policies as a program sees them: set_mempolicy,
 * get_mempolicy (MPOL_F_NODE, MPOL_F_ADDR, MPOL_F_MEMS_ALLOWED), mbind
 * (MPOL_MF_STRICT, MPOL_MF_MOVE), the errors Linux gives, the policy a
 * forked child inherits and the /proc/self/numa_maps line of a mapping.
 *
 *   numapol          run under --numa 2 (the output names nodes 0 and 1)
 *
 * mmulab-only: under qemu-riscv32 the calls reach the host kernel, whose
 * node count is the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

#define NR_mbind 235
#define NR_get_mempolicy 236
#define NR_set_mempolicy 237

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MPOL_MF_STRICT 1
#define MPOL_MF_MOVE 2

#define PAGE 4096

static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	return mmulab_syscall(nr, a, b, c, d, e, f);
}

static const char *err(long r)
{
	static char buf[32];

	if (r >= 0) {
		snprintf(buf, sizeof(buf), "%ld", r);
		return buf;
	}
	switch (-r) {
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	default:
		snprintf(buf, sizeof(buf), "errno %ld", -r);
		return buf;
	}
}

static void show_policy(const char *who)
{
	int mode = -1;
	unsigned long mask[2] = { 0, 0 };
	long r = sc(NR_get_mempolicy, (long)&mode, (long)mask, 65, 0, 0, 0);

	printf("%s: get_mempolicy %s mode %d nodes %#lx\n", who, err(r), mode,
	       mask[0]);
}

static void numa_maps_line(void *addr)
{
	static char text[16384];
	char key[16];
	int fd = open("/proc/self/numa_maps", O_RDONLY), n = 0, r;
	char *line;

	if (fd < 0) {
		printf("numa_maps: cannot open\n");
		return;
	}
	while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = '\0';
	snprintf(key, sizeof(key), "%08lx ", (unsigned long)addr);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, strlen(key)))
			printf("numa_maps: %s\n", line + strlen(key));
}

static void page_nodes(const char *what, char *p, int pages)
{
	printf("%s:", what);
	for (int i = 0; i < pages; i++) {
		int node = -1;
		long r = sc(NR_get_mempolicy, (long)&node, 0, 0,
			    (long)(p + i * PAGE), MPOL_F_NODE | MPOL_F_ADDR, 0);

		printf(" %s", r ? err(r) : (node ? "1" : "0"));
	}
	printf("\n");
}

int main(void)
{
	/* Masks of 64 bits (maxnode 65): get_mempolicy writes 8 bytes. */
	unsigned long both[2] = { 3, 0 }, one[2] = { 2, 0 },
		      none[2] = { 0, 0 }, big[2] = { 1ul << 20, 0 };
	int mode, node;
	long r;

	show_policy("start");
	r = sc(NR_get_mempolicy, (long)&mode, (long)none, 65, 0,
	       MPOL_F_MEMS_ALLOWED, 0);
	printf("mems_allowed: %s nodes %#lx\n", err(r), none[0]);
	none[0] = 0;

	/* Errors, as Linux gives them. */
	printf("bad mode: %s\n", err(sc(NR_set_mempolicy, 99, 0, 0, 0, 0, 0)));
	printf("bind, empty mask: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_BIND, (long)none, 65, 0, 0, 0)));
	printf("bind, no mask: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_BIND, 0, 0, 0, 0, 0)));
	printf("default with nodes: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_DEFAULT, (long)both, 65, 0, 0,
		      0)));
	printf("local with nodes: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_LOCAL, (long)both, 65, 0, 0, 0)));
	printf("bind, node 20: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_BIND, (long)big, 65, 0, 0, 0)));
	printf("bind, bad pointer: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_BIND, 16, 65, 0, 0, 0)));
	printf("static|relative: %s\n",
	       err(sc(NR_set_mempolicy, MPOL_BIND | 0xc000, (long)both, 65, 0,
		      0, 0)));
	printf("get, bad flags: %s\n",
	       err(sc(NR_get_mempolicy, (long)&mode, 0, 0, 0, 8, 0)));
	printf("get, addr without MPOL_F_ADDR: %s\n",
	       err(sc(NR_get_mempolicy, (long)&mode, 0, 0, 0x10000, 0, 0)));
	printf("get, MPOL_F_ADDR unmapped: %s\n",
	       err(sc(NR_get_mempolicy, (long)&mode, 0, 0, 0x1000,
		      MPOL_F_ADDR, 0)));
	printf("get, MPOL_F_NODE of the default: %s\n",
	       err(sc(NR_get_mempolicy, (long)&node, 0, 0, 0, MPOL_F_NODE, 0)));
	printf("get, maxnode 1 < nodes: %s\n",
	       err(sc(NR_get_mempolicy, (long)&mode, (long)none, 1, 0, 0, 0)));
	printf("get, bad policy pointer: %s\n",
	       err(sc(NR_get_mempolicy, 16, 0, 0, 0, 0, 0)));

	/* Task policies. */
	r = sc(NR_set_mempolicy, MPOL_PREFERRED, (long)one, 65, 0, 0, 0);
	printf("preferred:1 %s\n", err(r));
	show_policy("preferred");
	r = sc(NR_set_mempolicy, MPOL_PREFERRED, 0, 0, 0, 0, 0);
	printf("preferred, no nodes (local) %s\n", err(r));
	show_policy("local");
	r = sc(NR_set_mempolicy, MPOL_INTERLEAVE, (long)both, 3, 0, 0, 0);
	printf("interleave:0-1 %s\n", err(r));
	show_policy("interleave");
	r = sc(NR_get_mempolicy, (long)&node, 0, 0, 0, MPOL_F_NODE, 0);
	printf("next interleave node: %s %d\n", err(r), node);

	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 8; i++)
		p[i * PAGE] = 1;
	page_nodes("task interleave, 8 pages", p, 8);
	numa_maps_line(p);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show_policy("child");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);

	r = sc(NR_set_mempolicy, MPOL_DEFAULT, 0, 0, 0, 0, 0);
	printf("default %s\n", err(r));
	show_policy("default");

	/* VMA policies. */
	char *q = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = sc(NR_mbind, (long)(q + 4 * PAGE), 4 * PAGE, MPOL_INTERLEAVE,
	       (long)both, 3, 0);
	printf("mbind interleave upper half: %s\n", err(r));
	r = sc(NR_get_mempolicy, (long)&mode, (long)none, 65,
	       (long)(q + 5 * PAGE), MPOL_F_ADDR, 0);
	printf("policy at q+5: %s mode %d nodes %#lx\n", err(r), mode, none[0]);
	none[0] = 0;
	r = sc(NR_get_mempolicy, (long)&mode, 0, 0, (long)q, MPOL_F_ADDR, 0);
	printf("policy at q: %s mode %d\n", err(r), mode);
	for (int i = 0; i < 8; i++)
		q[i * PAGE] = 1;
	page_nodes("vma interleave upper half", q, 8);
	numa_maps_line(q);
	numa_maps_line(q + 4 * PAGE);
	printf("mbind unaligned: %s\n",
	       err(sc(NR_mbind, (long)(q + 1), PAGE, MPOL_BIND, (long)one, 3,
		      0)));
	printf("mbind bad flags: %s\n",
	       err(sc(NR_mbind, (long)q, PAGE, MPOL_BIND, (long)one, 3, 64)));
	char *h = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(h + PAGE, PAGE);
	printf("mbind over a hole: %s\n",
	       err(sc(NR_mbind, (long)h, 3 * PAGE, MPOL_BIND, (long)one, 3,
		      0)));
	printf("mbind default over a hole: %s\n",
	       err(sc(NR_mbind, (long)h, 3 * PAGE, MPOL_DEFAULT, 0, 0, 0)));
	printf("mbind all hole: %s\n",
	       err(sc(NR_mbind, (long)(h + PAGE), PAGE, MPOL_DEFAULT, 0, 0,
		      0)));
	printf("mbind len 0: %s\n",
	       err(sc(NR_mbind, (long)q, 0, MPOL_BIND, (long)one, 3, 0)));
	printf("mbind bind:1 strict on node-0 pages: %s\n",
	       err(sc(NR_mbind, (long)q, 4 * PAGE, MPOL_BIND, (long)one, 3,
		      MPOL_MF_STRICT)));
	page_nodes("after strict", q, 4);
	printf("mbind bind:1 strict|move: %s\n",
	       err(sc(NR_mbind, (long)q, 4 * PAGE, MPOL_BIND, (long)one, 3,
		      MPOL_MF_STRICT | MPOL_MF_MOVE)));
	page_nodes("after move", q, 4);
	printf("contents kept: %s\n", q[0] == 1 && q[3 * PAGE] == 1 ? "yes"
									: "no");
	numa_maps_line(q);
	r = sc(NR_mbind, (long)q, 8 * PAGE, MPOL_DEFAULT, 0, 0, 0);
	printf("mbind default over all: %s\n", err(r));
	/* Merged with the default page of h below it, as Linux merges. */
	numa_maps_line(h + 2 * PAGE);
	return 0;
}
