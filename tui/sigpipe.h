/*
 * tui/sigpipe.h - signals as bytes on a pipe (DESIGN.md section 2: the
 * handlers only write to a self-pipe; the poll loop does the work). Used
 * by print mode and the TUI; one per process.
 */
#ifndef TOLK_SIGPIPE_H
#define TOLK_SIGPIPE_H

#include <stddef.h>

/*
 * Catch each of the n signals: its number is written as one byte to a
 * pipe whose read end is returned (non-blocking, close-on-exec). SIGPIPE
 * is ignored. -1 and *cause on failure.
 */
int	sigpipe_open(const int *signals, size_t n, char **cause);
/* Catch sig again (after it was set to its default to stop the process,
 * as C-z does). */
void	sigpipe_rearm(int sig);
/* The read end of the pipe (-1 when closed), for poll(). */
int	sigpipe_fd(void);
/* The next caught signal, or 0 when none is waiting. */
int	sigpipe_next(void);
/* Give the signals their default actions back and close the pipe (also
 * right after fork, in a child that is about to exec). */
void	sigpipe_close(void);

#endif
