/*
 * /proc for the guest: /proc/self/maps (permission column and the base
 * name of each mapping, never addresses), /proc/self/status (VmRSS is
 * present), /proc/meminfo (key names in order).
 *
 *   procself.elf maps     the maps view only (diffed with qemu, which
 *                         emulates /proc/self/maps for its guest)
 *   procself.elf all      also status and meminfo keys, which under qemu
 *                         come from the host kernel (mmulab-only test)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

static char text[65536];

static int slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	int n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = '\0';
	return n;
}

static void maps(void)
{
	char *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(anon + 4096, 4096, PROT_NONE);
	int n = slurp("/proc/self/maps");
	printf("maps readable %d\n", n > 0);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char perms[8] = "", name[4096] = "";
		unsigned long s, e;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095[^\n]", &s, &e,
			   perms, name) < 3)
			continue;
		char *base = strrchr(name, '/');
		base = base ? base + 1 : name;
		while (*base == ' ')
			base++;
		int mine = s <= (unsigned long)anon &&
			   (unsigned long)anon < e;
		int mine2 = s <= (unsigned long)anon + 4096 &&
			    (unsigned long)anon + 4096 < e;
		/* Unnamed mappings other than ours are not compared: qemu
		 * adds its own (signal trampoline, stack guard). */
		if (!*base && !mine && !mine2)
			continue;
		printf("%s %s%s\n", perms, base,
		       mine ? "<anon>" : mine2 ? "<anon+1>" : "");
	}
	munmap(anon, 3 * 4096);
}

static void status(void)
{
	int n = slurp("/proc/self/status");
	printf("status readable %d\n", n > 0);
	printf("VmRSS present %d\n", strstr(text, "\nVmRSS:") != NULL);
	printf("VmSize present %d\n", strstr(text, "\nVmSize:") != NULL);
	char *p = strstr(text, "\nVmRSS:");
	long kb = p ? strtol(p + 7, NULL, 10) : -1;
	printf("VmRSS positive %d\n", kb > 0);
}

static void meminfo(void)
{
	int n = slurp("/proc/meminfo");
	printf("meminfo readable %d\nkeys:", n > 0);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *colon = strchr(line, ':');
		if (colon)
			printf(" %.*s", (int)(colon - line), line);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	int all = argc > 1 && strcmp(argv[1], "all") == 0;

	maps();
	if (all) {
		status();
		meminfo();
	}
	return 0;
}
