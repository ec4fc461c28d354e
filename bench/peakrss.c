/*
 * peakrss -- run a command and report its wall time and peak RSS.
 *
 *   peakrss [-o FILE] [-i FILE] CMD [ARGS...]
 *
 * Writes "SECONDS MAXRSS_KIB" (wall-clock seconds with microseconds, the
 * child's ru_maxrss from wait4) on one line to FILE (default stderr); -i
 * redirects the command's stdin from FILE.  Exits with the command's
 * status (128 + signal when killed).  GNU time is not always installed;
 * this is all the benchmark runner needs of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *in = NULL;
	struct rusage ru;
	double t0, t1;
	int opt, status;
	pid_t pid;
	FILE *f;

	while ((opt = getopt(argc, argv, "+o:i:")) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		default:
			fprintf(stderr, "usage: peakrss [-o FILE] [-i FILE] CMD [ARGS...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: peakrss [-o FILE] [-i FILE] CMD [ARGS...]\n");
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("peakrss: fork");
		return 125;
	}
	if (pid == 0) {
		if (in) {
			int fd = open(in, O_RDONLY);

			if (fd < 0 || dup2(fd, 0) < 0) {
				perror(in);
				_exit(126);
			}
			close(fd);
		}
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "peakrss: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("peakrss: wait4");
			return 125;
		}
	}
	t1 = now();
	f = out ? fopen(out, "w") : stderr;
	if (!f) {
		perror(out);
		return 125;
	}
	fprintf(f, "%.6f %ld\n", t1 - t0, ru.ru_maxrss);
	if (out)
		fclose(f);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
