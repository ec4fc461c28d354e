/*
 * execve: failures and their errno (ENOENT, EACCES on a directory and on a
 * file without x permission, ENOEXEC on an executable text file, EFAULT),
 * then -- when given the path of a guest program as argv[1] -- a fork+exec
 * and a vfork+exec of it, the parent printing how the child ended.
 *
 *   execve.elf                 the error cases
 *   execve.elf PROG [ARGS...]  exec PROG with ARGS in two children
 *
 * The exec'ed program writes to the same stdout; the parent flushes before
 * each fork and waits, so the order is fixed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define TEXT_FILE "execve-text.sh"
#define NOX_FILE "execve-nox"

static char *const empty_env[] = {"EXECVE_TEST=1", NULL};

static void try_exec(const char *what, const char *path)
{
	char *const argv[] = {(char *)path, NULL};
	int r = execve(path, argv, empty_env);

	printf("%-28s %d errno %d\n", what, r, mmulab_linux_errno);
}

static void make_file(const char *name, int mode, const char *text)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

static void show_status(const char *what, int status)
{
	if (WIFSIGNALED(status))
		printf("%s: killed by %d\n", what, WTERMSIG(status));
	else
		printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

/* vfork through raw clone(CLONE_VM | CLONE_VFORK | SIGCHLD). */
static long raw_vfork(void)
{
	return mmulab_syscall(SYS_clone, 0x4000 | 0x100 | 17, 0, 0, 0, 0, 0);
}

static void failures(void)
{
	make_file(TEXT_FILE, 0755, "echo this is not an ELF\n");
	make_file(NOX_FILE, 0644, "\177ELF not executable\n");
	try_exec("missing file", "execve-missing");
	try_exec("missing dir component", "no-such-dir/prog");
	try_exec("directory", ".");
	try_exec("no x permission", NOX_FILE);
	try_exec("text file", TEXT_FILE);
	try_exec("empty path", "");
	long r = mmulab_syscall(SYS_execve, 0x10, 0, 0, 0, 0, 0);
	printf("%-28s %ld\n", "bad path pointer", r);
	char *const bad_argv[] = {(char *)0x10, NULL};
	r = mmulab_syscall(SYS_execve, (long)TEXT_FILE, (long)bad_argv, 0, 0,
			   0, 0);
	printf("%-28s %ld\n", "bad argv string", r);
	unlink(TEXT_FILE);
	unlink(NOX_FILE);
}

int main(int argc, char **argv)
{
	/* The failures need scratch files in the current directory, which
	 * is the program directory when PROG is given: skip them then. */
	if (argc < 2) {
		failures();
		return 0;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execve(argv[1], argv + 1, empty_env);
		_exit(100 + mmulab_linux_errno);
	}
	int status;
	waitpid(pid, &status, 0);
	show_status("fork+exec", status);

	static volatile int touched;
	fflush(stdout);
	pid = (pid_t)raw_vfork();
	if (pid == 0) {
		/* The child borrows the parent's memory until it execs. */
		touched = 1;
		execve(argv[1], argv + 1, empty_env);
		_exit(100 + mmulab_linux_errno);
	}
	waitpid(pid, &status, 0);
	show_status("vfork+exec", status);
	printf("vfork child's store seen by parent %d\n", touched);
	return 0;
}
