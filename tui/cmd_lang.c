/*
 * tui/cmd_lang.c - "tolk lang": the language of a text and its hygiene
 * report.
 *
 * Reads FILE (or standard input) and prints the best three languages with
 * their confidence, the script, the close group when the evidence cannot
 * separate its members, and what hides in the text (mixed-script words,
 * look-alike letters, invisible characters, bidi controls, spans not in
 * NFC) with byte offsets. --paragraphs adds one line per paragraph,
 * --json prints one JSON object, --expect CODE applies the prior of the
 * expected language and reports a mismatch. A mismatch is a finding, not a
 * failure: the exit status stays 0 and the output says "mismatch" (a
 * "mismatch": true field in JSON), so scripts can check the field.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "core/core.h"
#include "lang/lang.h"
#include "tui/commands.h"
#include "tui/langcheck.h"

int	cmd_lang(int, char **);

#define LANG_MAX_INPUT	(64u << 20)
/* Items listed in the text output; JSON lists them all. */
#define LANG_SHOW_ITEMS	50

static void
usage(void)
{
	fprintf(stderr, "usage: tolk lang [FILE|-] [--paragraphs] [--json] "
	    "[--expect CODE]\n");
}

static void
print_result(const struct lang_result *r, const char *expect)
{
	int	i;

	if (r->code[0] == '\0') {
		printf("language: unknown (%s, %zu letters)\n",
		    r->script == SCRIPT_NONE ? "no letters" :
		    script_name(r->script), r->letters);
		return;
	}
	for (i = 0; i < r->ncand; i++) {
		printf("%s  %-18s %.2f\n", r->cand[i].code,
		    langid_name(r->cand[i].code), r->cand[i].confidence);
	}
	printf("language: %s", r->code);
	if (strcmp(r->code, r->cand[0].code) != 0)
		printf(" (expected member of its group)");
	if (r->group != NULL)
		printf(", group %s", r->group);
	if (r->uncertain)
		printf(", uncertain");
	printf("\nscript: %s, %zu letters\n", script_name(r->script),
	    r->letters);
	if (expect != NULL) {
		printf("expected: %s, %s\n", expect, r->mismatch ? "mismatch" :
		    (strcmp(expect, r->code) == 0 ? "match" :
		    "not separable (close group or uncertain)"));
	}
}

static void
print_hygiene(const char *s, const struct hygiene_report *h)
{
	struct buf	 b;
	size_t		 i;
	char		*text;

	printf("hygiene: nfc %s, mixed-script %zu, confusable %zu, "
	    "invisible %zu, bidi %zu, not-nfc spans %zu\n",
	    h->nfc ? "yes" : "no", h->count[HYGIENE_MIXED_SCRIPT],
	    h->count[HYGIENE_CONFUSABLE], h->count[HYGIENE_INVISIBLE],
	    h->count[HYGIENE_BIDI], h->count[HYGIENE_NOT_NFC]);
	for (i = 0; i < h->nitems && i < LANG_SHOW_ITEMS; i++) {
		const struct hygiene_item *it = &h->items[i];

		buf_init(&b, 4096);
		lang_quote_span(s, it->start, it->end, &b);
		if (it->kind == HYGIENE_MIXED_SCRIPT) {
			buf_addstr(&b, " (");
			lang_scripts_text(it->scripts, &b);
			buf_addstr(&b, ")");
		} else if (it->cp >= 0)
			buf_addf(&b, " (U+%04X)", (unsigned)it->cp);
		text = buf_take(&b, NULL);
		printf("  %zu-%zu %s %s\n", it->start, it->end,
		    hygiene_kind_name(it->kind), text);
		free(text);
	}
	if (h->nitems > LANG_SHOW_ITEMS)
		printf("  ... %zu more (see --json)\n",
		    h->nitems - LANG_SHOW_ITEMS);
}

static cJSON *
json_result(cJSON *o, const struct lang_result *r)
{
	cJSON	*c, *a;
	int	 i;

	if (r->code[0] != '\0')
		cJSON_AddStringToObject(o, "lang", r->code);
	else
		cJSON_AddNullToObject(o, "lang");
	cJSON_AddNumberToObject(o, "confidence",
	    (double)(long)(r->confidence * 10000 + 0.5) / 10000);
	cJSON_AddBoolToObject(o, "uncertain", r->uncertain);
	if (r->group != NULL)
		cJSON_AddStringToObject(o, "group", r->group);
	else
		cJSON_AddNullToObject(o, "group");
	a = cJSON_AddArrayToObject(o, "candidates");
	for (i = 0; i < r->ncand; i++) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "lang", r->cand[i].code);
		cJSON_AddNumberToObject(c, "confidence",
		    (double)(long)(r->cand[i].confidence * 10000 + 0.5) /
		    10000);
		cJSON_AddItemToArray(a, c);
	}
	cJSON_AddStringToObject(o, "script", script_name(r->script));
	cJSON_AddNumberToObject(o, "letters", (double)r->letters);
	return o;
}

static cJSON *
json_hygiene(const char *s, const struct hygiene_report *h)
{
	cJSON		*o = cJSON_CreateObject(), *a, *it;
	struct buf	 b;
	size_t		 i;
	int		 k;
	char		*text, name[32];

	cJSON_AddBoolToObject(o, "nfc", h->nfc);
	for (k = 0; k < HYGIENE_NKINDS; k++) {
		snprintf(name, sizeof name, "%s",
		    hygiene_kind_name((enum hygiene_kind)k));
		for (i = 0; name[i] != '\0'; i++) {
			if (name[i] == '-')
				name[i] = '_';
		}
		cJSON_AddNumberToObject(o, name, (double)h->count[k]);
	}
	cJSON_AddBoolToObject(o, "truncated", h->truncated);
	a = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < h->nitems; i++) {
		const struct hygiene_item *hi = &h->items[i];

		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "kind", hygiene_kind_name(hi->kind));
		cJSON_AddNumberToObject(it, "start", (double)hi->start);
		cJSON_AddNumberToObject(it, "end", (double)hi->end);
		buf_init(&b, 4096);
		lang_quote_span(s, hi->start, hi->end, &b);
		text = buf_take(&b, NULL);
		cJSON_AddStringToObject(it, "text", text);
		free(text);
		if (hi->cp >= 0) {
			snprintf(name, sizeof name, "U+%04X", (unsigned)hi->cp);
			cJSON_AddStringToObject(it, "char", name);
			if (hygiene_char_name(hi->cp) != NULL)
				cJSON_AddStringToObject(it, "name",
				    hygiene_char_name(hi->cp));
		}
		if (hi->kind == HYGIENE_MIXED_SCRIPT) {
			buf_init(&b, 256);
			lang_scripts_text(hi->scripts, &b);
			text = buf_take(&b, NULL);
			cJSON_AddStringToObject(it, "scripts", text);
			free(text);
		}
		cJSON_AddItemToArray(a, it);
	}
	return o;
}

int
cmd_lang(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "paragraphs", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "expect", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf		 in;
	struct lang_result	 r;
	struct hygiene_report	 h;
	struct lang_paragraph	*paras = NULL;
	size_t			 npara = 0, i, len;
	const char		*path = NULL, *expect = NULL;
	char			*text = NULL, *js;
	bool			 json = false, per_para = false;
	FILE			*fp;
	cJSON			*o, *a;
	int			 c, ret = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "pje:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			per_para = true;
			break;
		case 'j':
			json = true;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'h':
			usage();
			return EXIT_OK;
		default:
			usage();
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage();
		return EXIT_USAGE;
	}
	if (expect != NULL && !langid_known(expect)) {
		fprintf(stderr, "tolk: unknown language '%s' (one of:", expect);
		for (i = 0; i < langid_count(); i++)
			fprintf(stderr, " %s", langid_code_at(i));
		fprintf(stderr, ")\n");
		return EXIT_USAGE;
	}
	if (optind < argc)
		path = argv[optind];
	if (path == NULL || strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "tolk: cannot open '%s': %s\n", path,
		    strerror(errno));
		return EXIT_USAGE;
	}
	buf_init(&in, LANG_MAX_INPUT);
	if (buf_add_stream(&in, fp) != 0) {
		if (errno == EFBIG)
			fprintf(stderr, "tolk: cannot read '%s': input is "
			    "larger than %u bytes\n", path == NULL ? "-" : path,
			    LANG_MAX_INPUT);
		else
			fprintf(stderr, "tolk: cannot read '%s': %s\n",
			    path == NULL ? "-" : path, strerror(errno));
		if (fp != stdin)
			fclose(fp);
		buf_release(&in);
		return EXIT_USAGE;
	}
	if (fp != stdin)
		fclose(fp);
	text = buf_take(&in, &len);

	langid_detect(text, len, expect, &r);
	hygiene_check(text, len, &h);
	langid_paragraphs(text, len, expect, &paras, &npara);

	if (json) {
		o = json_result(cJSON_CreateObject(), &r);
		if (expect != NULL) {
			cJSON_AddStringToObject(o, "expect", expect);
			cJSON_AddBoolToObject(o, "mismatch", r.mismatch);
		}
		cJSON_AddItemToObject(o, "hygiene", json_hygiene(text, &h));
		a = cJSON_AddArrayToObject(o, "paragraphs");
		for (i = 0; i < npara; i++) {
			cJSON	*p = cJSON_CreateObject();

			cJSON_AddNumberToObject(p, "start",
			    (double)paras[i].start);
			cJSON_AddNumberToObject(p, "end", (double)paras[i].end);
			json_result(p, &paras[i].result);
			if (expect != NULL)
				cJSON_AddBoolToObject(p, "mismatch",
				    paras[i].result.mismatch);
			cJSON_AddItemToArray(a, p);
		}
		js = cJSON_PrintUnformatted(o);
		printf("%s\n", js);
		free(js);
		cJSON_Delete(o);
	} else {
		print_result(&r, expect);
		if (per_para) {
			for (i = 0; i < npara; i++) {
				const struct lang_result *pr = &paras[i].result;
				int k;

				printf("paragraph %zu (bytes %zu-%zu): %s",
				    i + 1, paras[i].start, paras[i].end,
				    pr->code[0] != '\0' ? pr->code : "?");
				printf(" %.2f", pr->confidence);
				for (k = 1; k < pr->ncand; k++)
					printf(", %s %.2f", pr->cand[k].code,
					    pr->cand[k].confidence);
				if (pr->group != NULL)
					printf(" [group %s]", pr->group);
				if (pr->uncertain)
					printf(" [uncertain]");
				if (pr->mismatch)
					printf(" [mismatch]");
				printf("\n");
			}
		}
		print_hygiene(text, &h);
	}
	hygiene_release(&h);
	free(paras);
	free(text);
	return ret;
}
