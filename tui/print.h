/*
 * tui/print.h - print mode: tolk -p PROMPT streams one answer to stdout,
 * or several (--compare, --samples), each under a header or as JSON.
 */
#ifndef TOLK_PRINT_H
#define TOLK_PRINT_H

#include "core/core.h"
#include "history/history.h"
#include "tui/session.h"

struct print_options {
	const char		*prompt;	/* with stdin and files */
	const char		*model;		/* provider:model */
	/* --compare or --samples: the models (2 to 4; repeated for
	 * samples); nmodels 0: model alone. */
	const char *const	*models;
	size_t			 nmodels;
	bool			 json;		/* one object per answer */
	struct send_options	 send;
	bool			 no_log;
	bool			 continue_latest;
	int64_t			 conversation;	/* > 0: continue it */
	int64_t			 branch_from;	/* > 0: a sibling of this
						   stored prompt */
	bool			 stats;
	bool			 reasoning;
	bool			 debug;
	bool			 over_budget;	/* send past a spent budget */
	/* --expect: a language code (lower case), "off", or NULL to keep
	 * the conversation's (or let the first prompt set it). */
	const char		*expect;
};

/* Runs the request and returns the exit status (tui/commands.h). store
 * may be NULL. */
int	print_run(const struct config *, struct store *,
	    const struct print_options *);

#endif
