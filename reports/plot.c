/*
 * plot.c - running an external program (gnuplot for the charts, pandoc
 * for report.docx): started with an argv vector (never a shell), in the
 * directory it writes into, so that the scripts and data kept there can
 * be run again by hand.  Its messages go to a log there; its exit status
 * is checked, and death by a signal is reported as 128 + the signal.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/reports.h"

/* The command line as the messages show it: argv joined by spaces. */
static void
command_line(struct hl_buf *b, char *const argv[])
{
	size_t i;

	for (i = 0; argv[i]; i++)
		hl_buf_printf(b, "%s%s", i ? " " : "", argv[i]);
}

/* ": LAST LINE" of dir/log, when it has one. */
static void
log_tail(struct hl_buf *err, const char *dir, const char *log)
{
	struct hl_buf p = HL_BUF_INIT;
	char line[512], last[512] = "";
	FILE *f;

	hl_buf_printf(&p, "%s/%s", dir, log);
	if ((f = fopen(p.data, "r")) != NULL) {
		while (fgets(line, sizeof(line), f))
			if (line[strspn(line, " \t\r\n")] != '\0')
				memcpy(last, line, sizeof(last));
		fclose(f);
	}
	last[strcspn(last, "\r\n")] = '\0';
	if (last[0])
		hl_buf_printf(err, ": %s", last);
	hl_buf_release(&p);
}

int
hl_run_program(char *const argv[], const char *dir, const char *log,
	       int *missing, struct hl_buf *err)
{
	struct hl_buf cmd = HL_BUF_INIT;
	int fds[2], status, child_errno = 0;
	ssize_t n;
	pid_t pid;

	*missing = 0;
	/* The child reports a failed exec through a close-on-exec pipe. */
	if (pipe(fds) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
		hl_buf_printf(err, "cannot run '%s': %s", argv[0],
			      strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		hl_buf_printf(err, "cannot run '%s': %s", argv[0],
			      strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int logfd, null;

		close(fds[0]);
		if (chdir(dir) != 0)
			goto fail;
		logfd =
		    open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0644);
		null = open("/dev/null", O_RDWR);
		if (logfd < 0 || null < 0 || dup2(null, 0) < 0 ||
		    dup2(null, 1) < 0 || dup2(logfd, 2) < 0)
			goto fail;
		execvp(argv[0], argv);
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
			hl_buf_printf(err, "cannot wait for '%s': %s", argv[0],
				      strerror(errno));
			return -1;
		}
	if (n == (ssize_t)sizeof(child_errno)) {
		*missing = child_errno == ENOENT;
		hl_buf_printf(err, "cannot run '%s': %s", argv[0],
			      strerror(child_errno));
		return -1;
	}
	if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		command_line(&cmd, argv);
		if (WIFSIGNALED(status))
			hl_buf_printf(err,
				      "'%s' was killed by signal %d (status "
				      "%d)",
				      cmd.data, WTERMSIG(status),
				      128 + WTERMSIG(status));
		else
			hl_buf_printf(err, "'%s' exited %d", cmd.data,
				      WEXITSTATUS(status));
		/* The log may go with a report that failed: its last
		 * line comes with the message. */
		log_tail(err, dir, log);
		hl_buf_release(&cmd);
		return -1;
	}
	return 0;
}

int
hl_plot_run(const char *gnuplot, const char *dir, const char *script,
	    int *missing, struct hl_buf *err)
{
	char *const argv[] = {(char *)gnuplot, (char *)script, NULL};

	return hl_run_program(argv, dir, "gnuplot.log", missing, err);
}
