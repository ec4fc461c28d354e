/*
 * Lesson: the OOM killer (examples/lesson-oom.mmu).
 *
 * Two children share a machine without swap: a small one (1 MiB) and a
 * hog that keeps touching fresh memory, 1 MiB at a time.  When no page can
 * be reclaimed any more, the kernel's OOM killer picks the task with the
 * highest badness -- its resident memory, page tables and swap as a
 * fraction of RAM, plus oom_score_adj -- and kills it with SIGKILL.  The
 * kernel log (dmesg) shows the report: the task list and the victim.
 *
 * /proc/PID/oom_score shows each task's badness (0..2000); writing
 * /proc/PID/oom_score_adj (-1000..1000) shifts it: the small child raises
 * its own by 300 and is still not chosen.  The parent reads both scores
 * when the hog has 8 MiB.  The parent sees the hog end by
 * signal 9 (WTERMSIG 9; a shell would report exit status 128 + 9 = 137).
 *
 * Usage: lesson_oom [MiB]   (the most the hog asks for; default 32)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024 * 1024)

/* For the REPL script (it stops at lesson_done). */
int hog_signal = -1;		/* WTERMSIG of the hog, 0 if it exited */
int small_status = -1;		/* the small child's exit status */
int score_small, score_hog;	/* oom_score of each, hog at half size */

void __attribute__((noinline)) lesson_done(void) { __asm__ volatile(""); }

static int read_proc_int(pid_t pid, const char *name)
{
	char path[64], buf[32] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

static void wait_byte(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(3);
}

static int small_child(int go)
{
	char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	size_t bad = 0;

	if (p == MAP_FAILED)
		return 2;
	if (fd >= 0) {
		write(fd, "300", 3);
		close(fd);
	}
	memset(p, 0x5a, MIB);
	wait_byte(go);		/* until the hog is gone */
	for (size_t i = 0; i < MIB; i++)
		bad += p[i] != 0x5a;
	return bad ? 1 : 0;
}

static int hog_child(int mib, int report, int half, int go)
{
	for (int i = 0; i < mib; i++) {
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		for (size_t o = 0; o < MIB; o += 4096)
			p[o] = 1;
		if (i + 1 == report) {
			write(half, "h", 1);	/* look at me now */
			wait_byte(go);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int mib = argc > 1 ? atoi(argv[1]) : 32;
	int report = mib / 2 < 8 ? mib / 2 : 8;	/* MiB: show the scores */
	int half[2], go_hog[2], go_small[2], status;
	pid_t small, hog;
	char c;

	if (mib < 2 || mib > 4096) {
		fprintf(stderr, "lesson_oom: bad size '%s' (MiB, 2..4096)\n",
			argv[1]);
		return 2;
	}
	if (pipe(half) || pipe(go_hog) || pipe(go_small)) {
		perror("pipe");
		return 1;
	}
	/* Each process keeps only the pipe ends it uses, so that a read
	 * sees end-of-file when the writer is gone (killed). */
	small = fork();
	if (small == 0) {
		close(half[0]), close(half[1]), close(go_hog[0]);
		close(go_hog[1]), close(go_small[1]);
		_exit(small_child(go_small[0]));
	}
	hog = fork();
	if (hog == 0) {
		close(half[0]), close(go_hog[1]), close(go_small[0]);
		close(go_small[1]);
		_exit(hog_child(mib, report, half[1], go_hog[0]));
	}
	if (small < 0 || hog < 0) {
		perror("fork");
		return 1;
	}
	close(half[1]), close(go_hog[0]), close(go_small[0]);
	if (read(half[0], &c, 1) == 1) {
		score_small = read_proc_int(small, "oom_score");
		score_hog = read_proc_int(hog, "oom_score");
		printf("the hog has %d MiB: oom_score small %d (oom_score_adj "
		       "%d), hog %d (oom_score_adj %d)\n", report, score_small,
		       read_proc_int(small, "oom_score_adj"), score_hog,
		       read_proc_int(hog, "oom_score_adj"));
		fflush(stdout);
	}
	write(go_hog[1], "g", 1);
	waitpid(hog, &status, 0);
	if (WIFSIGNALED(status)) {
		hog_signal = WTERMSIG(status);
		printf("hog: killed by signal %d (%s); a shell would say "
		       "exit status %d\n", hog_signal,
		       hog_signal == SIGKILL ? "SIGKILL" : "?", 128 + hog_signal);
	} else {
		hog_signal = 0;
		printf("hog: exited with %d after asking for %d MiB: it was "
		       "never short of memory\n", WEXITSTATUS(status), mib);
	}
	write(go_small[1], "g", 1);
	waitpid(small, &status, 0);
	small_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
							       WTERMSIG(status);
	printf("small: exited with %d (its memory intact: %s)\n", small_status,
	       small_status == 0 ? "yes" : "no");
	lesson_done();
	return 0;
}
