/*
 * core/registry.h - the built-in tables behind config.c (internal to
 * core/; other folders use core/core.h).
 */
#ifndef TOLK_REGISTRY_H
#define TOLK_REGISTRY_H

#include "core/core.h"

struct builtin_provider {
	const char	 *name;
	enum api_kind	  api;
	const char	 *base_url;
	const char	 *base_url_env;
	const char	 *key_env;
	bool		  key_optional;
	bool		  stream_usage;
	const char	**models;
	const char	 *default_model;
};

struct builtin_price {
	const char	*provider;
	const char	*model;
	struct price	 price;
};

extern const struct builtin_provider	builtin_providers[];
extern const struct builtin_price	builtin_prices[];

#endif
