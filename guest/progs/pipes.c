/*
 * Pipes between processes: a large transfer that must block the writer,
 * EOF after the last writer closes, SIGPIPE and EPIPE, dup2 of a pipe onto
 * stdout, O_NONBLOCK giving EAGAIN, and writes of at most PIPE_BUF bytes
 * arriving whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

#define BIG (200 * 1024)

static unsigned checksum(const unsigned char *p, size_t n, unsigned s)
{
	for (size_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

int main(void)
{
	int to_child[2], to_parent[2], status;
	static unsigned char buf[BIG];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 9));
	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		return 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		unsigned char in[3000];
		size_t total = 0;
		unsigned sum = 0;
		ssize_t n;
		while ((n = read(to_child[0], in, sizeof(in))) > 0) {
			sum = checksum(in, (size_t)n, sum);
			total += (size_t)n;
		}
		char msg[64];
		int len = snprintf(msg, sizeof(msg), "%zu %u", total, sum);
		write(to_parent[1], msg, (size_t)len);
		_exit(n == 0 ? 0 : 1);
	}
	close(to_child[0]);
	close(to_parent[1]);
	ssize_t w = write(to_child[1], buf, sizeof(buf));
	printf("wrote %zd of %zu in one call\n", w, sizeof(buf));
	close(to_child[1]);
	char reply[64] = {0};
	ssize_t r = read(to_parent[0], reply, sizeof(reply) - 1);
	printf("child read %s (expected %zu %u), reply %zd bytes\n", reply,
	       sizeof(buf), checksum(buf, sizeof(buf), 0), r);
	printf("after EOF: read %zd\n", read(to_parent[0], reply, 10));
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WEXITSTATUS(status));

	/* SIGPIPE kills by default. */
	int p[2];
	pipe(p);
	close(p[0]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("writer to a closed pipe: signaled %d sig %d\n",
	       WIFSIGNALED(status), WTERMSIG(status));
	/* With SIGPIPE ignored the write fails with EPIPE. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	errno = 0;
	ssize_t e = write(p[1], "x", 1);
	printf("ignored SIGPIPE: write %zd linux errno %d\n", e,
	       mmulab_linux_errno);
	close(p[1]);

	/* A child's stdout redirected into a pipe. */
	pipe(p);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		printf("hello through the pipe\n");
		fflush(stdout);
		_exit(0);
	}
	close(p[1]);
	char line[64] = {0};
	size_t got = 0;
	while ((r = read(p[0], line + got, sizeof(line) - 1 - got)) > 0)
		got += (size_t)r;
	close(p[0]);
	waitpid(pid, &status, 0);
	printf("captured: %s", line);

	/* O_NONBLOCK: an empty pipe says EAGAIN. */
	pipe2(p, O_NONBLOCK);
	e = read(p[0], line, 1);
	printf("nonblocking empty read: %zd linux errno %d\n", e,
	       mmulab_linux_errno);
	int fl = fcntl(p[1], F_GETFL);
	printf("write end nonblocking: %d\n", (fl & O_NONBLOCK) != 0);
	size_t filled = 0;
	while (write(p[1], buf, 4096) == 4096)
		filled += 4096;
	printf("filled %zu bytes, then linux errno %d\n", filled,
	       mmulab_linux_errno);
	close(p[0]);
	close(p[1]);
	return 0;
}
