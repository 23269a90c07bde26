/*
 * tui/sigpipe.c - signals as bytes on a pipe (see sigpipe.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "tui/sigpipe.h"

#define MAX_SIGNALS 16

static int	fds[2] = { -1, -1 };
static int	caught[MAX_SIGNALS];
static size_t	ncaught;

static void
on_signal(int sig)
{
	int		saved = errno;
	unsigned char	c = (unsigned char)sig;

	(void)write(fds[1], &c, 1);
	errno = saved;
}

int
sigpipe_open(const int *signals, size_t n, char **cause)
{
	struct sigaction	sa;
	size_t			i;

	if (n > MAX_SIGNALS || pipe(fds) != 0) {
		*cause = xasprintf("cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < n; i++) {
		sigaction(signals[i], &sa, NULL);
		caught[i] = signals[i];
	}
	ncaught = n;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return fds[0];
}

void
sigpipe_rearm(int sig)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

int
sigpipe_fd(void)
{
	return fds[0];
}

int
sigpipe_next(void)
{
	unsigned char	c;

	if (fds[0] >= 0 && read(fds[0], &c, 1) == 1)
		return c;
	return 0;
}

void
sigpipe_close(void)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ncaught; i++)
		sigaction(caught[i], &sa, NULL);
	ncaught = 0;
	if (fds[0] >= 0) {
		close(fds[0]);
		close(fds[1]);
	}
	fds[0] = fds[1] = -1;
}
