/*
 * core/json.c - writing the values tolk's JSON output shares: a count or
 * a string that may be unknown, written as null (unknown is never 0).
 */
#include "config.h"

#include <cJSON.h>

#include "core/core.h"

void
json_add_count(struct cJSON *o, const char *key, int64_t n)
{
	if (n < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)n);
}

void
json_add_string_or_null(struct cJSON *o, const char *key, const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, s);
}
