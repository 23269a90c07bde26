/*
 * lang/langid.c - which of 38 European languages a text is written in.
 *
 * The text is read once. Letters are counted per script; the dominant
 * script narrows the candidates (Greek: el; Cyrillic: bg mk ru sr uk;
 * Latin: the rest and sr). Words are lowercased and every character
 * n-gram of orders 1 to 5 of " word ", and the whole word, is hashed
 * (FNV-1a over code points; a whole word starts from U+0001) and looked
 * up in the tables of lang/tables/,
 * built by tools/langid/train.py: for each known n-gram, each language
 * that saw it has a quantised bonus log(1 + count / alpha), and every
 * language pays its own smoothing floor for each known n-gram, which is
 * naive Bayes with additive smoothing restricted to the kept n-grams.
 * Letters unique to one language or a small set add a penalty to the
 * others. Scores become confidences through a softmax whose temperature
 * grows with the square root of the evidence, so that long texts are
 * sure and two words are not; the expected language, when given, gets a
 * prior of 4:1.
 *
 * The normalisation here must match norm() and fnv() in train.py.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/core.h"
#include "lang/lang.h"
#include "lang/tables/langid_table.h"

#define ORDERS		5
#define WORD		6	/* whole words: the sixth kind of feature */
#define PRIOR		1.3862943611198906	/* log(4) */
/* A letter unique to a set of languages costs the others this much per
 * occurrence (nats), for at most UNIQUE_MAX occurrences per letter. */
#define UNIQUE_COST	2.5
#define UNIQUE_MAX	3
/* Below this many letters there is no answer. */
#define MIN_LETTERS	3

static const struct {
	const char	*code;
	const char	*name;
} names[] = {
	{ "bg", "Bulgarian" }, { "bs", "Bosnian" }, { "ca", "Catalan" },
	{ "cs", "Czech" }, { "cy", "Welsh" }, { "da", "Danish" },
	{ "de", "German" }, { "el", "Greek" }, { "en", "English" },
	{ "es", "Spanish" }, { "et", "Estonian" }, { "eu", "Basque" },
	{ "fi", "Finnish" }, { "fr", "French" }, { "ga", "Irish" },
	{ "gl", "Galician" }, { "hr", "Croatian" }, { "hu", "Hungarian" },
	{ "is", "Icelandic" }, { "it", "Italian" }, { "lt", "Lithuanian" },
	{ "lv", "Latvian" }, { "mk", "Macedonian" }, { "mt", "Maltese" },
	{ "nb", "Norwegian Bokmål" }, { "nl", "Dutch" },
	{ "nn", "Norwegian Nynorsk" }, { "pl", "Polish" },
	{ "pt", "Portuguese" }, { "ro", "Romanian" }, { "ru", "Russian" },
	{ "sk", "Slovak" }, { "sl", "Slovenian" }, { "sq", "Albanian" },
	{ "sr", "Serbian" }, { "sv", "Swedish" }, { "tr", "Turkish" },
	{ "uk", "Ukrainian" },
};

static const char *groups[] = {
	"hr/bs/sr", "nb/nn/da", "cs/sk", "gl/pt", "ca/es", "bg/mk"
};

/* Letters (lowercase) that only one language or a small set uses. */
static const struct {
	int32_t		 cp;
	const char	*langs;
} unique[] = {
	{ 0x00df, "de" },			/* ß */
	{ 0x0151, "hu" }, { 0x0171, "hu" },	/* ő ű */
	{ 0x0159, "cs" }, { 0x016f, "cs" },	/* ř ů */
	{ 0x013e, "sk" }, { 0x013a, "sk" }, { 0x0155, "sk" }, /* ľ ĺ ŕ */
	{ 0x0142, "pl" }, { 0x015b, "pl" }, { 0x017a, "pl" }, /* ł ś ź */
	{ 0x017c, "pl mt" },			/* ż */
	{ 0x0105, "pl lt" }, { 0x0119, "pl lt" },	/* ą ę */
	{ 0x021b, "ro" }, { 0x0219, "ro" },	/* ț ș */
	{ 0x0103, "ro" },			/* ă */
	{ 0x015f, "ro tr" },			/* ş */
	{ 0x0123, "lv" }, { 0x0137, "lv" }, { 0x013c, "lv" },
	{ 0x0146, "lv" },			/* ģ ķ ļ ņ */
	{ 0x0101, "lv" }, { 0x0113, "lv" },	/* ā ē */
	{ 0x012b, "lv" }, { 0x016b, "lv lt" },	/* ī ū */
	{ 0x0117, "lt" }, { 0x012f, "lt" }, { 0x0173, "lt" }, /* ė į ų */
	{ 0x0127, "mt" }, { 0x010b, "mt" }, { 0x0121, "mt" }, /* ħ ċ ġ */
	{ 0x0175, "cy" }, { 0x0177, "cy" },	/* ŵ ŷ */
	{ 0x0491, "uk" }, { 0x0454, "uk" }, { 0x0457, "uk" }, /* ґ є ї */
	{ 0x0456, "uk" },			/* і */
	{ 0x0452, "sr" }, { 0x045b, "sr" },	/* ђ ћ */
	{ 0x0453, "mk" }, { 0x0455, "mk" }, { 0x045c, "mk" }, /* ѓ ѕ ќ */
	{ 0x045f, "mk sr" }, { 0x0458, "mk sr" },	/* џ ј */
	{ 0x0459, "mk sr" }, { 0x045a, "mk sr" },	/* љ њ */
	{ 0x044b, "ru" }, { 0x044d, "ru" }, { 0x0451, "ru" }, /* ы э ё */
	{ 0x044a, "ru bg" },			/* ъ */
	{ 0x00f0, "is" }, { 0x00fe, "is" },	/* ð þ */
	{ 0x00f8, "da nb nn" },			/* ø */
	{ 0x00e6, "da nb nn is" },		/* æ */
	{ 0x00e5, "da nb nn sv" },		/* å */
	{ 0x0131, "tr" }, { 0x011f, "tr" },	/* ı ğ */
	{ 0x0111, "hr bs sr" },			/* đ */
	{ 0x00f5, "et pt" },			/* õ */
	{ 0x00f1, "es gl eu" },			/* ñ */
};

static int	code_index(const char *);

/*
 * exp() for x <= 0 and sqrt() for x >= 0, here so that lang/ needs no
 * libm (configure's check for -lm fails under -Werror; see the report).
 * exp: x = -k ln 2 + r with r in (-ln 2, 0], a Taylor series for e^r,
 * then 2^-k through the exponent bits.
 */
static double
neg_exp(double x)
{
	union { double d; uint64_t u; } p;
	double	r, term, sum;
	int	k, i;

	if (x > 0)
		x = 0;
	if (x < -40)	/* below 5e-18: nothing at the precision shown */
		return 0;
	k = (int)(-x / 0.6931471805599453);
	r = x + k * 0.6931471805599453;
	sum = term = 1;
	for (i = 1; i < 18; i++) {
		term *= r / i;
		sum += term;
	}
	p.u = (uint64_t)(1023 - k) << 52;	/* 2^-k, k <= 57 */
	return sum * p.d;
}

static double
pos_sqrt(double x)
{
	double	g;
	int	i;

	if (x <= 0)
		return 0;
	g = x > 1 ? x / 2 : 1;
	for (i = 0; i < 60; i++)
		g = (g + x / g) / 2;
	return g;
}

size_t
langid_count(void)
{
	return sizeof names / sizeof names[0];
}

const char *
langid_code_at(size_t i)
{
	if (i >= sizeof names / sizeof names[0])
		return NULL;
	return names[i].code;
}

/* The public code of a table row: "srl", Serbian in Latin script, is a
 * model of its own inside (one model for both scripts would share its
 * probability mass between them) and is reported as sr. */
static const char *
public_code(int l)
{
	if (strcmp(langid_codes[l], "srl") == 0)
		return "sr";
	return langid_codes[l];
}

static int
code_index(const char *code)
{
	size_t	i;

	if (code == NULL)
		return -1;
	for (i = 0; i < LANGID_NLANGS; i++) {
		if (strcmp(public_code((int)i), code) == 0)
			return (int)i;
	}
	return -1;
}

bool
langid_known(const char *code)
{
	return langid_name(code) != NULL;
}

const char *
langid_name(const char *code)
{
	size_t	i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i].code, code) == 0)
			return names[i].name;
	}
	return NULL;
}

/* Is the two-letter code in the space-or-slash separated list? */
static bool
in_list(const char *list, const char *code)
{
	size_t	n = strlen(code);
	const char *p = list;

	while (*p != '\0') {
		if (strncmp(p, code, n) == 0 &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '/'))
			return true;
		p = strpbrk(p, " /");
		if (p == NULL)
			break;
		p++;
	}
	return false;
}

const char *
langid_group(const char *code)
{
	size_t	i;

	if (code == NULL || *code == '\0')
		return NULL;
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (in_list(groups[i], code))
			return groups[i];
	}
	return NULL;
}

bool
langid_same_group(const char *a, const char *b)
{
	const char	*g;

	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return false;
	if (strcmp(a, b) == 0)
		return true;
	g = langid_group(a);
	return g != NULL && in_list(g, b);
}

static bool
is_cyrillic_lang(const char *c)
{
	return strcmp(c, "bg") == 0 || strcmp(c, "mk") == 0 ||
	    strcmp(c, "ru") == 0 || strcmp(c, "sr") == 0 ||
	    strcmp(c, "uk") == 0;
}

/*
 * The tables: an open-addressing hash table of (n-gram hash, reference)
 * slots with linear probing; a reference is either a dense row (one byte
 * per language, for n-grams most languages share: added four lanes at a
 * time) or a short run of sparse (language << 8 | bonus) entries.
 * Looking up is memory-bound, so n-grams are queued and looked up a
 * chunk at a time with the slots and then the rows prefetched ahead.
 */
typedef uint16_t	v8u __attribute__((vector_size(16)));
typedef uint8_t		v8b __attribute__((vector_size(8)));

#define QUEUE		128	/* n-grams looked up together */
#define AHEAD		8	/* slots prefetched ahead */

static inline const struct langid_slot *
slot_at(uint32_t i)
{
	return &langid_sparts[i >> 16][i & 0xffff];
}

static inline const void *
payload(uint32_t ref)
{
	uint32_t	n, off;

	if (ref & LANGID_DENSE) {
		n = ref & ~LANGID_DENSE;
		return langid_rparts[n / LANGID_ROW_PART][n % LANGID_ROW_PART];
	}
	off = ref & 0xffffff;
	return langid_parts[off >> LANGID_PART_SHIFT] +
	    (off & ((1u << LANGID_PART_SHIFT) - 1));
}

static uint32_t
find(uint32_t h)
{
	uint32_t			 i = h & LANGID_SLOT_MASK;
	const struct langid_slot	*s;

	for (;;) {
		s = slot_at(i);
		if (s->ref == 0)
			return 0;
		if (s->key == h)
			return s->ref;
		i = (i + 1) & LANGID_SLOT_MASK;
	}
}

/* Sparse entries go straight into the scores; see flush() for rows. */
static void
add_sparse(uint32_t ref, int32_t *score)
{
	const uint16_t	*ent = payload(ref);
	uint32_t	 i, n = ref >> 24;

	for (i = 0; i < n; i++)
		score[ent[i] >> 8] += ent[i] & 0xff;
}

struct scan {
	int32_t		 score[LANGID_ROW];	/* bonus, in 1/QSCALE nats */
	unsigned	 hits[WORD];
	uint32_t	 wordh;		/* FNV-1a of U+0001 and the word */
	size_t		 letters;
	size_t		 per_script[SCRIPT_COUNT];
	unsigned	 uniq[sizeof unique / sizeof unique[0]];
	/* Dense rows add up eight 16-bit lanes at a time; at most
	 * 255 * 257 fits, so they are folded into score every 256 rows. */
	v8u		 lanes[LANGID_ROW / 8];
	unsigned	 nrows;
	uint32_t	 qh[QUEUE];	/* n-grams waiting to be looked up */
	uint8_t		 qo[QUEUE];	/* and their orders */
	int		 nq;
	int32_t		 ring[ORDERS];	/* the last code points of " word " */
	int		 fill;		/* how many are valid */
	bool		 inword;
};

static void
fold_lanes(struct scan *sc)
{
	int	j, k;

	for (j = 0; j < LANGID_ROW / 8; j++) {
		for (k = 0; k < 8; k++)
			sc->score[8 * j + k] += sc->lanes[j][k];
		sc->lanes[j] = (v8u){ 0 };
	}
	sc->nrows = 0;
}

static void
flush(struct scan *sc)
{
	uint32_t	ref[QUEUE];
	int		i;

	for (i = 0; i < sc->nq && i < AHEAD; i++)
		__builtin_prefetch(slot_at(sc->qh[i] & LANGID_SLOT_MASK));
	for (i = 0; i < sc->nq; i++) {
		if (i + AHEAD < sc->nq)
			__builtin_prefetch(slot_at(sc->qh[i + AHEAD] &
			    LANGID_SLOT_MASK));
		ref[i] = find(sc->qh[i]);
		if (ref[i] != 0)
			__builtin_prefetch(payload(ref[i]));
	}
	for (i = 0; i < sc->nq; i++) {
		if (ref[i] == 0)
			continue;
		sc->hits[sc->qo[i] - 1]++;
		if (ref[i] & LANGID_DENSE) {
			const uint8_t	*row = payload(ref[i]);
			v8b		 bytes;
			int		 j;

			for (j = 0; j < LANGID_ROW / 8; j++) {
				memcpy(&bytes, row + 8 * j, sizeof bytes);
				sc->lanes[j] += __builtin_convertvector(bytes,
				    v8u);
			}
			if (++sc->nrows == 256)
				fold_lanes(sc);
		} else
			add_sparse(ref[i], sc->score);
	}
	sc->nq = 0;
}

/* The n-grams of " word " that end with cp. */
static void
push(struct scan *sc, int32_t cp, int minorder)
{
	int		 n, i;
	uint32_t	 h;

	if (sc->fill == ORDERS)
		memmove(sc->ring, sc->ring + 1, (ORDERS - 1) * sizeof *sc->ring);
	else
		sc->fill++;
	sc->ring[sc->fill - 1] = cp;
	for (n = minorder; n <= sc->fill; n++) {
		h = 2166136261u;
		for (i = sc->fill - n; i < sc->fill; i++)
			h = (h ^ (uint32_t)sc->ring[i]) * 16777619u;
		if (sc->nq == QUEUE)
			flush(sc);
		sc->qh[sc->nq] = h;
		sc->qo[sc->nq] = (uint8_t)n;
		sc->nq++;
	}
}

static void
end_word(struct scan *sc)
{
	if (!sc->inword)
		return;
	push(sc, ' ', 2);
	if (sc->nq == QUEUE)
		flush(sc);
	sc->qh[sc->nq] = sc->wordh;
	sc->qo[sc->nq] = WORD;
	sc->nq++;
	sc->inword = false;
}

static void
letter(struct scan *sc, int32_t cp)
{
	size_t	i;

	if (!sc->inword) {
		sc->fill = 0;
		push(sc, ' ', 2);	/* no n-gram is only a space */
		sc->inword = true;
		sc->wordh = (2166136261u ^ 1u) * 16777619u;
	}
	push(sc, cp, 1);
	sc->wordh = (sc->wordh ^ (uint32_t)cp) * 16777619u;
	if (cp >= 0xdf && cp < 0x460) {
		for (i = 0; i < sizeof unique / sizeof unique[0]; i++) {
			if (unique[i].cp == cp) {
				sc->uniq[i]++;
				break;
			}
		}
	}
}

static bool
is_letter_or_mark(int32_t cp)
{
	utf8proc_category_t	cat = utf8proc_category(cp);

	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

static void
scan_text(struct scan *sc, const uint8_t *s, size_t len)
{
	utf8proc_ssize_t	n;
	int32_t			cp;
	size_t			i = 0;
	enum lang_script	scr;

	while (i < len) {
		n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			cp = 0xfffd;
			n = 1;
		}
		i += (size_t)n;
		if (is_letter_or_mark(cp)) {
			scr = script_of(cp);
			if (scr != SCRIPT_INHERITED) {
				sc->per_script[scr]++;
				sc->letters++;
			}
			letter(sc, utf8proc_tolower(cp));
		} else if (sc->inword && (cp == '\'' || cp == 0x2019)) {
			letter(sc, '\'');
		} else if (sc->inword && (cp == '-' || cp == 0xb7)) {
			letter(sc, cp);
		} else
			end_word(sc);
	}
	end_word(sc);
	flush(sc);
	fold_lanes(sc);
}

/* Does the text hold a combining mark that NFC could compose? */
static bool
maybe_decomposed(const uint8_t *s, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i++) {
		/* U+0300..U+036F encode as CC 80..CD AF */
		if (s[i] == 0xcc || (s[i] == 0xcd && s[i + 1] <= 0xaf))
			return true;
	}
	return false;
}

struct ranked {
	int	lang;
	double	logit;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->logit > y->logit)
		return -1;
	if (x->logit < y->logit)
		return 1;
	return x->lang - y->lang;
}

static void
copy_code(char dst[4], const char *src)
{
	memset(dst, 0, 4);
	memcpy(dst, src, strnlen(src, 3));
}

int
langid_detect(const char *text, size_t len, const char *expect,
    struct lang_result *r)
{
	struct scan	*sc;
	uint8_t		*nfc = NULL;
	const uint8_t	*s = (const uint8_t *)text;
	struct ranked	 rk[LANGID_NLANGS];
	size_t		 nrk = 0, i, hits = 0, nuniq = 0;
	size_t		 present[sizeof unique / sizeof unique[0]];
	bool		 allow[SCRIPT_COUNT] = { false };
	utf8proc_ssize_t nlen;
	int		 l, n, best_script, want = -1, ret = 0;
	double		 tau, sum, maxl, gconf;
	enum lang_script scr;
	const char	*g;

	memset(r, 0, sizeof *r);
	if (expect != NULL) {
		want = code_index(expect);
		if (want < 0)
			ret = -1;
	}
	if (text == NULL)
		len = 0;
	if (len > LANGID_MAX_BYTES)
		len = LANGID_MAX_BYTES;
	if (len > 0 && maybe_decomposed(s, len)) {
		nlen = utf8proc_map(s, (utf8proc_ssize_t)len, &nfc,
		    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (nlen >= 0) {
			s = nfc;
			len = (size_t)nlen;	/* NULs inside stay inside */
		} else
			nfc = NULL;	/* invalid UTF-8: read as it is */
	}
	sc = xcalloc(1, sizeof *sc);
	scan_text(sc, s, len);
	free(nfc);

	r->letters = sc->letters;
	best_script = SCRIPT_NONE;
	for (i = SCRIPT_LATIN; i < SCRIPT_COUNT; i++) {
		if (sc->per_script[i] > sc->per_script[best_script])
			best_script = (int)i;
	}
	scr = (enum lang_script)best_script;
	r->script = scr;
	r->uncertain = true;
	/*
	 * Every European script with at least a quarter of the letters
	 * brings its languages, so that "BibTeX Кроме" or "за GNOME" is
	 * judged by its Cyrillic words too, not by the Latin name alone.
	 */
	for (i = SCRIPT_LATIN; i <= SCRIPT_CYRILLIC; i++)
		allow[i] = sc->letters > 0 &&
		    sc->per_script[i] * 4 >= sc->letters;
	if (sc->letters < MIN_LETTERS || !(allow[SCRIPT_LATIN] ||
	    allow[SCRIPT_GREEK] || allow[SCRIPT_CYRILLIC]))
		goto out;

	for (n = 0; n < WORD; n++)
		hits += sc->hits[n];
	for (i = 0; i < sizeof unique / sizeof unique[0]; i++) {
		if (sc->uniq[i] != 0)
			present[nuniq++] = i;
	}
	for (l = 0; l < LANGID_NLANGS; l++) {
		const char	*c = public_code(l);
		double		 v;

		if (strcmp(c, "el") == 0) {
			if (!allow[SCRIPT_GREEK])
				continue;
		} else if (is_cyrillic_lang(langid_codes[l])) {
			if (!allow[SCRIPT_CYRILLIC])
				continue;
		} else if (!allow[SCRIPT_LATIN])
			continue;
		v = sc->score[l];
		for (n = 0; n < WORD; n++)
			v += (double)sc->hits[n] * langid_floor[l][n];
		v /= LANGID_QSCALE;
		for (i = 0; i < nuniq; i++) {
			if (!in_list(unique[present[i]].langs, c))
				v -= UNIQUE_COST * (sc->uniq[present[i]] <
				    UNIQUE_MAX ? sc->uniq[present[i]] :
				    UNIQUE_MAX);
		}
		rk[nrk].lang = l;
		rk[nrk].logit = v;
		nrk++;
	}
	if (nrk == 0)
		goto out;
	/*
	 * Naive Bayes treats overlapping n-grams as independent, so its
	 * margins grow far faster than the evidence: temper them by the
	 * square root of the number of n-grams seen.
	 */
	tau = 0.5 * pos_sqrt((double)(hits > 4 ? hits : 4));
	maxl = -1e300;
	for (i = 0; i < nrk; i++) {
		rk[i].logit /= tau;
		if (want >= 0 && strcmp(public_code(rk[i].lang),
		    public_code(want)) == 0)
			rk[i].logit += PRIOR;
		if (rk[i].logit > maxl)
			maxl = rk[i].logit;
	}
	sum = 0;
	for (i = 0; i < nrk; i++)
		sum += neg_exp(rk[i].logit - maxl);
	for (i = 0; i < nrk; i++)
		rk[i].logit = neg_exp(rk[i].logit - maxl) / sum;
	/*
	 * Serbian in both scripts is one candidate: a text in both gets
	 * the two models' probabilities added. (Adding their scores would
	 * let Serbian collect evidence from both scripts where every other
	 * language has one, and win every mixed-script text.)
	 * NEEDSWORK: so a text half in Latin and half in Cyrillic Serbian
	 * can lose to Russian, whose model saw some Latin words; the Latin
	 * and Cyrillic Serbian models would need to be one model, trained
	 * on both scripts with their own share of the mass.
	 */
	for (i = 0; i < nrk; i++) {
		size_t	j;

		if (strcmp(langid_codes[rk[i].lang], "srl") != 0)
			continue;
		for (j = 0; j < nrk; j++) {
			if (strcmp(langid_codes[rk[j].lang], "sr") == 0) {
				rk[j].logit += rk[i].logit;
				rk[i] = rk[--nrk];
				break;
			}
		}
		break;
	}
	/* At most 38: an insertion sort beats qsort's calls. */
	for (i = 1; i < nrk; i++) {
		struct ranked	t = rk[i];
		size_t		j = i;

		while (j > 0 && cmp_ranked(&t, &rk[j - 1]) < 0) {
			rk[j] = rk[j - 1];
			j--;
		}
		rk[j] = t;
	}

	r->ncand = nrk < LANGID_NCAND ? (int)nrk : LANGID_NCAND;
	for (l = 0; l < r->ncand; l++) {
		copy_code(r->cand[l].code, public_code(rk[l].lang));
		r->cand[l].confidence = rk[l].logit;
	}
	copy_code(r->code, r->cand[0].code);
	r->confidence = r->cand[0].confidence;

	/* A close group whose members the evidence does not separate. */
	g = langid_group(r->code);
	gconf = r->confidence;
	if (g != NULL && r->confidence < 0.9) {
		for (i = 1; i < nrk; i++) {
			if (in_list(g, public_code(rk[i].lang)))
				gconf += rk[i].logit;
		}
		if (gconf - r->confidence >= 0.1) {
			r->group = g;
			/* The expected member wins a tie it is part of. */
			if (want >= 0 && in_list(g, public_code(want)) &&
			    strcmp(r->code, public_code(want)) != 0) {
				for (i = 1; i < nrk; i++) {
					if (strcmp(public_code(rk[i].lang),
					    public_code(want)) == 0)
						break;
				}
				if (i < nrk) {
					copy_code(r->code, public_code(want));
					r->confidence = rk[i].logit;
				}
			}
		} else
			gconf = r->confidence;
	}
	r->uncertain = gconf < 0.5;
out:
	if (want >= 0 && !r->uncertain && r->code[0] != '\0' &&
	    strcmp(r->code, public_code(want)) != 0 &&
	    !(r->group != NULL && in_list(r->group, public_code(want))))
		r->mismatch = true;
	free(sc);
	return ret;
}

/* The end of the line that starts at i (just past its '\n'). */
static size_t
line_end(const char *s, size_t len, size_t i)
{
	const char	*nl = memchr(s + i, '\n', len - i);

	return nl == NULL ? len : (size_t)(nl - s) + 1;
}

static bool
blank_line(const char *s, size_t start, size_t end)
{
	size_t	i;

	for (i = start; i < end; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return false;
	}
	return true;
}

int
langid_paragraphs(const char *s, size_t len, const char *expect,
    struct lang_paragraph **out, size_t *n)
{
	struct lang_paragraph	*p = NULL;
	size_t			 np = 0, cap = 0, i = 0, e, start;
	int			 ret = 0;

	if (expect != NULL && !langid_known(expect))
		ret = -1;
	while (i < len) {
		while (i < len && blank_line(s, i, line_end(s, len, i)))
			i = line_end(s, len, i);
		if (i >= len)
			break;
		start = i;
		while (i < len && !blank_line(s, i, (e = line_end(s, len, i))))
			i = e;
		e = i;
		while (e > start && (s[e - 1] == '\n' || s[e - 1] == '\r'))
			e--;
		if (np == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			p = xrealloc(p, cap * sizeof *p);
		}
		p[np].start = start;
		p[np].end = e;
		langid_detect(s + start, e - start,
		    ret == 0 ? expect : NULL, &p[np].result);
		if (p[np].result.letters > 0)
			np++;
	}
	*out = p;
	*n = np;
	return ret;
}
