/*
 * lang/langid.c - which of 38 European languages a text is written in.
 *
 * The text is read once. Letters are counted per script; the dominant
 * script narrows the candidates (Greek: el; Cyrillic: bg mk ru sr uk;
 * Latin: the rest and sr). Words are lowercased and every character
 * n-gram of orders 1 to 5 of " word ", and the whole word, is hashed
 * (FNV-1a over code points, an n-gram from its last code point back so
 * that one pass of five steps gives all the n-grams ending at a letter;
 * a whole word forwards from U+0001) and looked up in the tables of
 * lang/tables/,
 * built by tools/langid/train.py: for each known n-gram, each language
 * that saw it has a quantised bonus log(1 + count / alpha), and every
 * language pays a smoothing floor for each known n-gram, which is naive
 * Bayes with additive smoothing restricted to the kept n-grams. The
 * trainer scales the counts to a common size, so the floor is the same
 * for every language (train.py asserts it) and cancels out: only the
 * number of n-grams found matters, for the temperature below.
 * Letters unique to one language or a small set add a penalty to the
 * others. Scores become confidences through a softmax whose temperature
 * grows with the square root of the evidence, so that long texts are
 * sure and two words are not; the expected language, when given, gets a
 * prior of 4:1.
 *
 * The normalisation here must match norm() and key_hash() in train.py.
 */

#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/core.h"
#include "lang/lang.h"
#include "lang/tables/langid_table.h"

#define ORDERS		5
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
	for (i = 1; i < 12; i++) {	/* (ln 2)^12 / 12! < 3e-11 */
		term *= r / i;
		sum += term;
	}
	p.u = (uint64_t)(1023 - k) << 52;	/* 2^-k, k <= 57 */
	return sum * p.d;
}

static double
pos_sqrt(double x)
{
	double	g, n;
	int	i;

	if (x <= 0)
		return 0;
	/* From above, Newton's steps fall until they converge. */
	g = x > 1 ? x : 1;
	for (i = 0; i < 100; i++) {
		n = (g + x / g) / 2;
		if (n >= g)
			break;
		g = n;
	}
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
	return langid_codes[l == LANGID_L_srl ? LANGID_L_sr : l];
}

/* Do table rows a and b report the same language? */
static bool
same_model(int a, int b)
{
	if (a == LANGID_L_srl)
		a = LANGID_L_sr;
	if (b == LANGID_L_srl)
		b = LANGID_L_sr;
	return a == b;
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

#define ROW_BIT(l)	(1ull << LANGID_L_##l)
/* The table rows of the Cyrillic and Greek models; the others are Latin. */
static const uint64_t cyrillic_rows = ROW_BIT(bg) | ROW_BIT(mk) |
    ROW_BIT(ru) | ROW_BIT(sr) | ROW_BIT(uk);
static const uint64_t greek_rows = ROW_BIT(el);

/*
 * The tables: buckets of LANGID_WAYS (key, reference) slots picked by the
 * top bits of the key; a full bucket spills into the next one, and a
 * bucket's slots fill in order, so the first empty slot ends a search. A
 * reference is one (language, bonus) entry inline, a dense row (one byte
 * per language, for n-grams most languages share: added sixteen lanes at
 * a time) or a short run of sparse (language << 8 | bonus) entries.
 * Looking up is memory-bound, so n-grams are queued and looked up a
 * chunk at a time, all their buckets prefetched and then all their
 * payloads.
 */

#define QUEUE		128	/* n-grams looked up together */
#define BUCKET_MASK	((1u << LANGID_BUCKET_BITS) - 1)
#define FNV_BASIS	2166136261u
#define FNV_PRIME	16777619u
/* Code points below this (all of Latin, Greek and Cyrillic) have their
 * facts in cpinfo[] and their unigram's reference in uniref[]. */
#define FAST_CP		0x800

static uint32_t		uniref[FAST_CP];

static inline const struct langid_bucket *
home(uint32_t h)
{
	return &langid_buckets[h >> (32 - LANGID_BUCKET_BITS)];
}

static inline const void *
payload(uint32_t ref)
{
	if (ref & LANGID_DENSE)
		return langid_rows[ref & ~LANGID_DENSE];
	return langid_ents + (ref & 0xffffff);
}

/*
 * The reference of key h, whose home bucket is k; 0 when absent. Keys
 * are unique, and a bucket with an empty slot (reference 0) ends the
 * search; with SSE2 the four keys of a bucket are compared at once.
 */
#if LANGID_WAYS != 4
#error "find() compares four slots at a time"
#endif
static inline uint32_t
find(uint32_t h, const struct langid_bucket *k)
{
	uint32_t	b = h >> (32 - LANGID_BUCKET_BITS);
#ifdef __SSE2__
	__m128i		hv = _mm_set1_epi32((int)h);
	int		m;

	for (;;) {
		m = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hv,
		    _mm_load_si128((const __m128i *)k->key))));
		if (m != 0)
			return k->ref[__builtin_ctz((unsigned)m)];
		if (k->ref[LANGID_WAYS - 1] == 0)
			return 0;
		b = (b + 1) & BUCKET_MASK;
		k = &langid_buckets[b];
	}
#else
	int		j;

	for (;;) {
		for (j = 0; j < LANGID_WAYS; j++) {
			if (k->key[j] == h)
				return k->ref[j];	/* 0 for h == 0, empty */
			if (k->ref[j] == 0)
				return 0;
		}
		b = (b + 1) & BUCKET_MASK;
		k = &langid_buckets[b];
	}
#endif
}

struct scan {
	int32_t		 score[LANGID_ROW];	/* bonus, in 1/QSCALE nats */
	unsigned	 hits;		/* n-grams and words found */
	uint32_t	 wordh;		/* FNV-1a of U+0001 and the word */
	size_t		 letters;
	size_t		 per_script[SCRIPT_COUNT];
	unsigned	 uniq[sizeof unique / sizeof unique[0]];
	uint8_t		 present[sizeof unique / sizeof unique[0]];
	int		 npresent;	/* unique letters seen, in present */
	/* Dense rows add up in 16-bit lanes; 256 rows of at most 255
	 * fit, so they are folded into score before more. */
	uint16_t	 lanes[LANGID_ROW] __attribute__((aligned(16)));
	unsigned	 nrows;
	int		 nq;		/* n-grams waiting in qh */
	int32_t		 ring[ORDERS];	/* " word " so far, newest first */
	int		 fill;		/* how many are valid */
	bool		 inword;
	/*
	 * Letters below FAST_CP are counted rather than looked up one by
	 * one: a text has a few dozen distinct letters, each of whose
	 * unigram is added once, times its count, at the end. seen marks
	 * the letters in ulist; ucount is valid for those only.
	 */
	uint64_t	 seen[FAST_CP / 64];
	int		 nu;
	/* Not cleared for a text (memset stops at qh): */
	uint32_t	 qh[QUEUE];	/* n-grams waiting to be looked up */
	uint32_t	 ucount[FAST_CP];
	uint16_t	 ulist[FAST_CP];
};

static void
fold_lanes(struct scan *sc)
{
	int	j;

	for (j = 0; j < LANGID_ROW; j++) {
		sc->score[j] += sc->lanes[j];
		sc->lanes[j] = 0;
	}
	sc->nrows = 0;
}

#if LANGID_ROW != 48
#error "add_rows() adds rows of 48 bytes"
#endif
/*
 * Add c times each of n dense rows (c * n <= 256) into the lanes: with
 * SSE2, sixteen bytes widened to two sets of eight 16-bit lanes at a
 * time, the sums kept in registers meanwhile.
 */
static inline void
add_rows(struct scan *sc, const uint8_t **rows, int n, unsigned c)
{
#ifdef __SSE2__
	__m128i		*l = (__m128i *)sc->lanes;
	__m128i		 a0 = l[0], a1 = l[1], a2 = l[2], a3 = l[3];
	__m128i		 a4 = l[4], a5 = l[5];
	__m128i		 z = _mm_setzero_si128(), m, v;
	const __m128i	*p;
	int		 i;

#define ADD(lo, hi, k, f) (v = _mm_loadu_si128(p + (k)), \
	lo = _mm_add_epi16(lo, f(_mm_unpacklo_epi8(v, z))), \
	hi = _mm_add_epi16(hi, f(_mm_unpackhi_epi8(v, z))))
#define ONCE(x)		(x)
#define TIMES(x)	_mm_mullo_epi16((x), m)
	if (c == 1) {
		for (i = 0; i < n; i++) {
			p = (const __m128i *)rows[i];
			ADD(a0, a1, 0, ONCE);
			ADD(a2, a3, 1, ONCE);
			ADD(a4, a5, 2, ONCE);
		}
	} else {
		m = _mm_set1_epi16((short)c);
		for (i = 0; i < n; i++) {
			p = (const __m128i *)rows[i];
			ADD(a0, a1, 0, TIMES);
			ADD(a2, a3, 1, TIMES);
			ADD(a4, a5, 2, TIMES);
		}
	}
#undef ADD
#undef ONCE
#undef TIMES
	l[0] = a0;
	l[1] = a1;
	l[2] = a2;
	l[3] = a3;
	l[4] = a4;
	l[5] = a5;
#else
	int	i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < LANGID_ROW; j++)
			sc->lanes[j] += (uint16_t)(rows[i][j] * c);
	}
#endif
	sc->nrows += (unsigned)n * c;
}

/*
 * Look up the queued n-grams: all their buckets prefetched, then each
 * found (an inline entry added at once, the other payloads prefetched
 * and listed), then the dense rows added and the sparse runs.
 */
static void
flush(struct scan *sc)
{
	const struct langid_bucket	*bk[QUEUE];
	const uint8_t			*rows[QUEUE];
	const uint16_t			*runs[QUEUE];
	uint32_t			 nrun[QUEUE], r;
	int				 i, j, nq = sc->nq, nd = 0, ns = 0;

	for (i = 0; i < nq; i++) {
		bk[i] = home(sc->qh[i]);
		__builtin_prefetch(bk[i]);
	}
	for (i = 0; i < nq; i++) {
		r = find(sc->qh[i], bk[i]);
		if (r == 0)
			continue;
		sc->hits++;
		if (r & LANGID_INLINE)
			sc->score[(r >> 8) & 0x3f] += r & 0xff;
		else if (r & LANGID_DENSE) {
			rows[nd] = payload(r);
			__builtin_prefetch(rows[nd]);
			__builtin_prefetch(rows[nd] + LANGID_ROW - 1);
			nd++;
		} else {
			runs[ns] = payload(r);
			nrun[ns] = r >> 24;
			__builtin_prefetch(runs[ns]);
			ns++;
		}
	}
	if (sc->nrows + (unsigned)nd > 256)
		fold_lanes(sc);
	add_rows(sc, rows, nd, 1);
	for (i = 0; i < ns; i++) {
		/* A run has two entries at least (one would be inline). */
		sc->score[runs[i][0] >> 8] += runs[i][0] & 0xff;
		sc->score[runs[i][1] >> 8] += runs[i][1] & 0xff;
		for (j = 2; j < (int)nrun[i]; j++)
			sc->score[runs[i][j] >> 8] += runs[i][j] & 0xff;
	}
	sc->nq = 0;
}

/*
 * The n-grams of " word " that end with cp, from order minorder up. Keys
 * hash an n-gram from its last code point back (see key_hash() in
 * train.py), so one pass gives every order.
 */
static inline void
push(struct scan *sc, int32_t cp, int minorder)
{
	int		 fill;
	uint32_t	 h;
	uint32_t	*q;

	sc->ring[4] = sc->ring[3];
	sc->ring[3] = sc->ring[2];
	sc->ring[2] = sc->ring[1];
	sc->ring[1] = sc->ring[0];
	sc->ring[0] = cp;
	fill = sc->fill < ORDERS ? ++sc->fill : ORDERS;
	if (sc->nq + ORDERS > QUEUE)
		flush(sc);
	h = (FNV_BASIS ^ (uint32_t)cp) * FNV_PRIME;
	if (minorder == 1 && (uint32_t)cp < FAST_CP) {
		if (!(sc->seen[cp >> 6] & 1ull << (cp & 63))) {
			sc->seen[cp >> 6] |= 1ull << (cp & 63);
			sc->ucount[cp] = 0;
			sc->ulist[sc->nu++] = (uint16_t)cp;
		}
		sc->ucount[cp]++;
	} else if (minorder == 1)
		sc->qh[sc->nq++] = h;
	/*
	 * Orders 2 to 5, all computed (past fill they hash what is left
	 * of an earlier word, and are not counted): no branch per order.
	 */
	q = sc->qh + sc->nq;
	h = (h ^ (uint32_t)sc->ring[1]) * FNV_PRIME;
	q[0] = h;
	h = (h ^ (uint32_t)sc->ring[2]) * FNV_PRIME;
	q[1] = h;
	h = (h ^ (uint32_t)sc->ring[3]) * FNV_PRIME;
	q[2] = h;
	h = (h ^ (uint32_t)sc->ring[4]) * FNV_PRIME;
	q[3] = h;
	sc->nq += fill - 1;
}

static void
end_word(struct scan *sc)
{
	if (!sc->inword)
		return;
	push(sc, ' ', 2);
	if (sc->nq == QUEUE)
		flush(sc);
	sc->qh[sc->nq++] = sc->wordh;
	sc->inword = false;
}

/* cp, lowercase; u is 1 + its index in unique[], or 0. */
static inline void
letter(struct scan *sc, int32_t cp, unsigned u)
{
	if (!sc->inword) {
		sc->ring[0] = ' ';	/* no n-gram is only a space */
		sc->fill = 1;
		sc->inword = true;
		sc->wordh = (FNV_BASIS ^ 1u) * FNV_PRIME;
	}
	push(sc, cp, 1);
	sc->wordh = (sc->wordh ^ (uint32_t)cp) * FNV_PRIME;
	if (u != 0 && sc->uniq[u - 1]++ == 0)
		sc->present[sc->npresent++] = (uint8_t)(u - 1);
}

static unsigned
unique_index(int32_t lower)
{
	size_t	i;

	if (lower < 0xdf || lower >= 0x460)
		return 0;
	for (i = 0; i < sizeof unique / sizeof unique[0]; i++) {
		if (unique[i].cp == lower)
			return (unsigned)i + 1;
	}
	return 0;
}

/* The unigrams of the letters counted in sc->ucount, each added once. */
static void
add_unigrams(struct scan *sc)
{
	const uint8_t	*row;
	const uint16_t	*ent;
	uint32_t	 r, c, m, n;
	int		 i, j;

	for (i = 0; i < sc->nu; i++) {
		r = uniref[sc->ulist[i]];
		c = sc->ucount[sc->ulist[i]];
		if (r == 0)
			continue;
		sc->hits += c;
		if (r & LANGID_DENSE) {
			row = payload(r);
			/* As c rows, in the lanes, at most 256 at a time. */
			for (; c > 0; c -= m) {
				m = c < 256 ? c : 256;
				if (sc->nrows + m > 256)
					fold_lanes(sc);
				add_rows(sc, &row, 1, m);
			}
		} else if (r & LANGID_INLINE)
			sc->score[(r >> 8) & 0x3f] += (int32_t)((r & 0xff) * c);
		else {
			ent = payload(r);
			n = r >> 24;
			for (j = 0; j < (int)n; j++)
				sc->score[ent[j] >> 8] += (int32_t)((ent[j] &
				    0xff) * c);
		}
	}
}

enum cp_kind { CP_OTHER, CP_LETTER, CP_APOS, CP_JOIN };

/*
 * What the scan needs of a code point: letter (or mark), apostrophe,
 * hyphen or middle dot, or other; its script and lowercase; and which
 * unique letter, if any, its lowercase is. Kept for the code points
 * below FAST_CP, filled once from utf8proc; the others ask utf8proc each
 * time.
 */
struct cpinfo {
	int32_t		lower;
	uint8_t		kind;
	uint8_t		script;
	uint8_t		uniq;
};
static struct cpinfo	cpinfo[FAST_CP];
/* Per unique letter, the table rows of the languages that use it. */
static uint64_t		unique_mask[sizeof unique / sizeof unique[0]];
/* Per table row, its close group (an index in groups[]), or -1. */
static int8_t		row_group[LANGID_NLANGS];
static pthread_once_t	init_once = PTHREAD_ONCE_INIT;

static void
cp_info(int32_t cp, struct cpinfo *ci)
{
	utf8proc_category_t	cat = utf8proc_category(cp);

	memset(ci, 0, sizeof *ci);
	if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) {
		ci->kind = CP_LETTER;
		ci->script = (uint8_t)script_of(cp);
		ci->lower = utf8proc_tolower(cp);
		ci->uniq = (uint8_t)unique_index(ci->lower);
	} else if (cp == '\'' || cp == 0x2019) {
		ci->kind = CP_APOS;
		ci->lower = '\'';
	} else if (cp == '-' || cp == 0xb7) {
		ci->kind = CP_JOIN;
		ci->lower = cp;
	}
}

static void
init_tables(void)
{
	uint32_t h;
	int32_t	cp;
	size_t	i;
	int	l;

	for (cp = 0; cp < FAST_CP; cp++) {
		cp_info(cp, &cpinfo[cp]);
		h = (FNV_BASIS ^ (uint32_t)cp) * FNV_PRIME;
		uniref[cp] = find(h, home(h));
	}
	for (i = 0; i < sizeof unique / sizeof unique[0]; i++) {
		for (l = 0; l < LANGID_NLANGS; l++) {
			if (in_list(unique[i].langs, public_code(l)))
				unique_mask[i] |= 1ull << l;
		}
	}
	for (l = 0; l < LANGID_NLANGS; l++) {
		row_group[l] = -1;
		for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
			if (in_list(groups[i], public_code(l)))
				row_group[l] = (int8_t)i;
		}
	}
}

static void
scan_text(struct scan *sc, const uint8_t *s, size_t len)
{
	utf8proc_ssize_t	n;
	int32_t			cp;
	size_t			i = 0;
	struct cpinfo		slow;
	const struct cpinfo	*ci;

	while (i < len) {
		if (s[i] < 0x80) {
			cp = s[i];
			n = 1;
		} else if (s[i] >= 0xc2 && s[i] < 0xe0 && i + 1 < len &&
		    (s[i + 1] & 0xc0) == 0x80) {
			cp = (s[i] & 0x1f) << 6 | (s[i + 1] & 0x3f);
			n = 2;
		} else {
			n = utf8proc_iterate(s + i,
			    (utf8proc_ssize_t)(len - i), &cp);
			if (n <= 0) {
				cp = 0xfffd;
				n = 1;
			}
		}
		i += (size_t)n;
		if (cp < FAST_CP)
			ci = &cpinfo[cp];
		else {
			cp_info(cp, &slow);
			ci = &slow;
		}
		switch (ci->kind) {
		case CP_LETTER:
			sc->per_script[ci->script]++;
			letter(sc, ci->lower, ci->uniq);
			break;
		case CP_APOS:
		case CP_JOIN:
			if (sc->inword) {
				letter(sc, ci->lower, 0);
				break;
			}
			/* FALLTHROUGH */
		default:
			end_word(sc);
		}
	}
	end_word(sc);
	flush(sc);
	add_unigrams(sc);
	fold_lanes(sc);
	/* Marks (SCRIPT_INHERITED) are no letters of their own. */
	for (n = 0; n < SCRIPT_COUNT; n++) {
		if (n != SCRIPT_INHERITED)
			sc->letters += sc->per_script[n];
	}
}

/* Does the text hold a combining mark that NFC could compose? */
static bool
maybe_decomposed(const uint8_t *s, size_t len)
{
	const uint8_t	*p;

	/* U+0300..U+036F encode as CC 80..CD AF */
	if (len > 1 && memchr(s, 0xcc, len - 1) != NULL)
		return true;
	for (p = s; len > 1 && (p = memchr(p, 0xcd, len - 1 -
	    (size_t)(p - s))) != NULL; p++) {
		if (p[1] <= 0xaf)
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
	struct scan	 scan, *sc = &scan;
	uint8_t		*nfc = NULL;
	const uint8_t	*s = (const uint8_t *)text;
	struct ranked	 rk[LANGID_NLANGS];
	size_t		 nrk = 0, i, j, top[LANGID_NCAND], ntop = 0;
	uint64_t	 users[sizeof unique / sizeof unique[0]];
	double		 penalty[sizeof unique / sizeof unique[0]];
	bool		 allow[SCRIPT_COUNT] = { false };
	uint64_t	 rows = 0, bit;
	utf8proc_ssize_t nlen;
	int		 l, n, gi, best_script, want = -1, ret = 0;
	int		 isr = -1, isrl = -1;
	double		 tau, sum, maxl, gconf;
	enum lang_script scr;
	const char	*g;

	pthread_once(&init_once, init_tables);
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
	memset(sc, 0, offsetof(struct scan, qh));
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

	for (n = 0; n < sc->npresent; n++) {
		users[n] = unique_mask[sc->present[n]];
		penalty[n] = UNIQUE_COST * (sc->uniq[sc->present[n]] <
		    UNIQUE_MAX ? sc->uniq[sc->present[n]] : UNIQUE_MAX);
	}
	if (allow[SCRIPT_LATIN])
		rows |= ~(cyrillic_rows | greek_rows);
	if (allow[SCRIPT_GREEK])
		rows |= greek_rows;
	if (allow[SCRIPT_CYRILLIC])
		rows |= cyrillic_rows;
	/*
	 * Naive Bayes treats overlapping n-grams as independent, so its
	 * margins grow far faster than the evidence: temper them by the
	 * square root of the number of n-grams seen.
	 */
	tau = 0.5 * pos_sqrt((double)(sc->hits > 4 ? sc->hits : 4));
	maxl = -1e300;
	for (l = 0; l < LANGID_NLANGS; l++) {
		double		 v;

		bit = 1ull << l;
		if (!(rows & bit))
			continue;
		v = (double)sc->score[l] / LANGID_QSCALE;
		for (n = 0; n < sc->npresent; n++) {
			if (!(users[n] & bit))
				v -= penalty[n];
		}
		v /= tau;
		if (want >= 0 && same_model(l, want))
			v += PRIOR;
		if (v > maxl)
			maxl = v;
		if (l == LANGID_L_sr)
			isr = (int)nrk;
		else if (l == LANGID_L_srl)
			isrl = (int)nrk;
		rk[nrk].lang = l;
		rk[nrk].logit = v;
		nrk++;
	}
	if (nrk == 0)
		goto out;
	sum = 0;
	for (i = 0; i < nrk; i++) {
		rk[i].logit = neg_exp(rk[i].logit - maxl);
		sum += rk[i].logit;
	}
	for (i = 0; i < nrk; i++)
		rk[i].logit /= sum;
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
	if (isr >= 0 && isrl >= 0) {
		rk[isr].logit += rk[isrl].logit;
		rk[isrl] = rk[--nrk];
	}
	/*
	 * Only the first LANGID_NCAND need to be in order (the group sums
	 * below take the others in any order): one pass keeps the best
	 * three, which then move to the front.
	 */
	for (i = 0; i < nrk; i++) {
		for (j = ntop; j > 0 && cmp_ranked(&rk[i],
		    &rk[top[j - 1]]) < 0; j--) {
			if (j < LANGID_NCAND)
				top[j] = top[j - 1];
		}
		if (j < LANGID_NCAND) {
			top[j] = i;
			if (ntop < LANGID_NCAND)
				ntop++;
		}
	}
	for (j = 0; j < ntop; j++) {
		struct ranked	t = rk[j];

		/* top[] after j may name slot j, which moves to top[j]. */
		rk[j] = rk[top[j]];
		rk[top[j]] = t;
		for (i = j + 1; i < ntop; i++) {
			if (top[i] == j)
				top[i] = top[j];
		}
	}

	r->ncand = nrk < LANGID_NCAND ? (int)nrk : LANGID_NCAND;
	for (l = 0; l < r->ncand; l++) {
		copy_code(r->cand[l].code, public_code(rk[l].lang));
		r->cand[l].confidence = rk[l].logit;
	}
	copy_code(r->code, r->cand[0].code);
	r->confidence = r->cand[0].confidence;

	/* A close group whose members the evidence does not separate. */
	gi = row_group[rk[0].lang];
	g = gi >= 0 ? groups[gi] : NULL;
	gconf = r->confidence;
	if (g != NULL && r->confidence < 0.9) {
		for (i = 1; i < nrk; i++) {
			if (row_group[rk[i].lang] == gi)
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

/* Whether the line at [start, end) starts a markdown list item: "- ",
 * "* ", "+ " or a number with "." or ")" and a space, after any indent. */
static bool
list_item_line(const char *s, size_t start, size_t end)
{
	size_t	i = start, d;

	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 < end && (s[i] == '-' || s[i] == '*' || s[i] == '+'))
		return s[i + 1] == ' ' || s[i + 1] == '\t';
	for (d = i; d < end && d - i < 9 && s[d] >= '0' && s[d] <= '9'; d++)
		;
	return d > i && d + 1 < end && (s[d] == '.' || s[d] == ')') &&
	    (s[d + 1] == ' ' || s[d + 1] == '\t');
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
		while (i < len && !blank_line(s, i, (e = line_end(s, len, i))) &&
		    (i == start || !list_item_line(s, i, e)))
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
