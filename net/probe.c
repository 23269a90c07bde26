/*
 * net/probe.c - is anybody there? A quick GET used to find a local Ollama
 * before falling back to the demo server.
 */
#include "config.h"

#include <curl/curl.h>

#include "net/net.h"

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

bool
net_probe(const char *url, long timeout_ms)
{
	CURL	*e;
	long	 status = 0;
	CURLcode rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((e = curl_easy_init()) == NULL)
		return false;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(e);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(e);
	return rc == CURLE_OK && status >= 200 && status < 500;
}
