/*
 * net/curl_api.c - open libcurl at run time (see curl_api.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/curl_api.h"

static pthread_once_t	 once = PTHREAD_ONCE_INIT;
static struct curl_api	 api;
static const char	*load_error;
static char		 error_text[512];

/* The names Debian and others give libcurl's shared object, newest first. */
static const char *const names[] = {
	"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4",
	"libcurl.so", NULL
};

#define SYM(field, name) do {						\
	*(void **)&api.field = dlsym(h, name);				\
	if (api.field == NULL) {					\
		snprintf(error_text, sizeof error_text,			\
		    "libcurl has no %s: install libcurl4 7.68 or later", \
		    name);						\
		load_error = error_text;				\
		return;							\
	}								\
} while (0)

static void
load(void)
{
	void		*h = NULL;
	const char	*only;
	size_t		 i;

	/* TOLK_LIBCURL names the one library to load (a libcurl outside the
	 * usual paths); the tests also use it to see tolk without libcurl. */
	only = getenv("TOLK_LIBCURL");
	if (only != NULL && *only != '\0')
		h = dlopen(only, RTLD_NOW | RTLD_LOCAL);
	for (i = 0; only == NULL && names[i] != NULL && h == NULL; i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(error_text, sizeof error_text, "cannot load libcurl "
		    "(%s): install the Debian package libcurl4", dlerror());
		load_error = error_text;
		return;
	}
	SYM(global_init, "curl_global_init");
	SYM(easy_init, "curl_easy_init");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_perform, "curl_easy_perform");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_strerror, "curl_easy_strerror");
	SYM(getdate, "curl_getdate");
	SYM(multi_init, "curl_multi_init");
	SYM(multi_add_handle, "curl_multi_add_handle");
	SYM(multi_remove_handle, "curl_multi_remove_handle");
	SYM(multi_perform, "curl_multi_perform");
	SYM(multi_poll, "curl_multi_poll");
	SYM(multi_wakeup, "curl_multi_wakeup");
	SYM(multi_timeout, "curl_multi_timeout");
	SYM(multi_info_read, "curl_multi_info_read");
	SYM(multi_cleanup, "curl_multi_cleanup");
	SYM(slist_append, "curl_slist_append");
	SYM(slist_free_all, "curl_slist_free_all");
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		load_error = "libcurl failed to start";
		return;
	}
}

const struct curl_api *
curl_api_load(const char **cause)
{
	pthread_once(&once, load);
	if (load_error != NULL) {
		*cause = load_error;
		return NULL;
	}
	return &api;
}
