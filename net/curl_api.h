/*
 * net/curl_api.h - libcurl, loaded when the network is first needed
 * (internal to net/).
 *
 * libcurl brings some forty shared libraries with it (TLS, Kerberos, LDAP,
 * SSH...). Linking it into tolk made every start pay for their relocation,
 * even `tolk log`, which never talks to the network. It is instead opened
 * with dlopen() by the network thread, so neither the subcommands nor the
 * first frame of the TUI wait for it.
 */
#ifndef TOLK_NET_CURL_API_H
#define TOLK_NET_CURL_API_H

#include <curl/curl.h>

struct curl_api {
	CURLcode	 (*global_init)(long);
	CURL		*(*easy_init)(void);
	CURLcode	 (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	 (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode	 (*easy_perform)(CURL *);
	void		 (*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	time_t		 (*getdate)(const char *, const time_t *);
	CURLM		*(*multi_init)(void);
	CURLMcode	 (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode	 (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode	 (*multi_perform)(CURLM *, int *);
	CURLMcode	 (*multi_poll)(CURLM *, struct curl_waitfd *,
			    unsigned int, int, int *);
	CURLMcode	 (*multi_wakeup)(CURLM *);
	CURLMcode	 (*multi_timeout)(CURLM *, long *);
	CURLMsg		*(*multi_info_read)(CURLM *, int *);
	CURLMcode	 (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		 (*slist_free_all)(struct curl_slist *);
};

/*
 * Load libcurl once (thread-safe) and call curl_global_init. Returns the
 * function table, or NULL with a message in *cause (static storage, do not
 * free) naming the library to install.
 */
const struct curl_api	*curl_api_load(const char **cause);

#endif
