/*
 * plot.c - running gnuplot: an external program, started with an argv
 * vector (never a shell), in the chart's directory so that the script
 * and data files kept there can be run again by hand.  Its messages go to
 * gnuplot.log beside them; its exit status is checked, and death by a
 * signal is reported as 128 + the signal.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/reports.h"

int
hl_plot_run(const char *gnuplot, const char *dir, const char *script,
	    int *missing, struct hl_buf *err)
{
	char *const argv[] = {(char *)gnuplot, (char *)script, NULL};
	int fds[2], status, child_errno = 0;
	ssize_t n;
	pid_t pid;

	*missing = 0;
	/* The child reports a failed exec through a close-on-exec pipe. */
	if (pipe(fds) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
		hl_buf_printf(err, "cannot run '%s': %s", gnuplot,
			      strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		hl_buf_printf(err, "cannot run '%s': %s", gnuplot,
			      strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int log, null;

		close(fds[0]);
		if (chdir(dir) != 0)
			goto fail;
		log = open("gnuplot.log",
			   O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0644);
		null = open("/dev/null", O_RDWR);
		if (log < 0 || null < 0 || dup2(null, 0) < 0 ||
		    dup2(null, 1) < 0 || dup2(log, 2) < 0)
			goto fail;
		execvp(gnuplot, argv);
	fail:
		child_errno = errno;
		n = write(fds[1], &child_errno, sizeof(child_errno));
		(void)n;
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], &child_errno, sizeof(child_errno));
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			hl_buf_printf(err, "cannot wait for '%s': %s", gnuplot,
				      strerror(errno));
			return -1;
		}
	if (n == (ssize_t)sizeof(child_errno)) {
		*missing = child_errno == ENOENT;
		hl_buf_printf(err, "cannot run '%s': %s", gnuplot,
			      strerror(child_errno));
		return -1;
	}
	if (WIFSIGNALED(status)) {
		hl_buf_printf(err,
			      "'%s %s' was killed by signal %d (status %d); "
			      "see %s/gnuplot.log",
			      gnuplot, script, WTERMSIG(status),
			      128 + WTERMSIG(status), dir);
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		hl_buf_printf(err, "'%s %s' exited %d; see %s/gnuplot.log",
			      gnuplot, script, WEXITSTATUS(status), dir);
		return -1;
	}
	return 0;
}
