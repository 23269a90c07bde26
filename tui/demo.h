/*
 * tui/demo.h - the bundled demo server: the test fake API server with
 * sample answers in several European languages, on loopback, so that tolk
 * can be tried with no key and no local model.
 */
#ifndef TOLK_DEMO_H
#define TOLK_DEMO_H

#include "core/core.h"

struct demo;

/* Whether nothing can answer: no model named, no key set, and no Ollama
 * answering at its base URL (within 300 ms). Then tolk offers the demo. */
bool		 demo_needed(const struct config *);

/* Start the server (python3) and make a temporary folder for its history.
 * NULL and *cause when it cannot start. */
struct demo	*demo_start(char **cause);
/* A config whose only model is the demo's. Caller frees. */
struct config	*demo_config(const struct demo *, char **cause);
/* The temporary folder; it is removed by demo_stop(). */
const char	*demo_dir(const struct demo *);
void		 demo_stop(struct demo *);

#endif
