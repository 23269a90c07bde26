/*
 * net/probe.c - is anybody there? A quick GET used to find a local Ollama
 * before falling back to the demo server.
 */
#include "config.h"

#include "net/curl_api.h"
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
	const struct curl_api	*cu;
	const char		*why;
	CURL			*e;
	long			 status = 0;
	CURLcode		 rc;

	if ((cu = curl_api_load(&why)) == NULL)
		return false;
	if ((e = cu->easy_init()) == NULL)
		return false;
	cu->easy_setopt(e, CURLOPT_URL, url);
	cu->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	cu->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	cu->easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	cu->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = cu->easy_perform(e);
	if (rc == CURLE_OK)
		cu->easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	cu->easy_cleanup(e);
	return rc == CURLE_OK && status >= 200 && status < 500;
}
