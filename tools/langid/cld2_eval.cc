// tools/langid/cld2_eval.cc - run Debian's libcld2 over a TSV file (lang
// TAB text per line), for tools/langid/eval.py and the benchmark; the
// same interface as tools/langid/langid_eval.c.
//
//   cld2_eval [--bench ROUNDS] < FILE.tsv
//
// Prints "gold TAB predicted TAB reliable TAB -" per line, with CLD2's
// codes mapped to ISO 639-1 the way tolk reports them (no -> nb,
// sr-ME -> sr); with --bench, only "texts N bytes B seconds S".
// Build: g++ -O2 cld2_eval.cc -lcld2
#include <cstdio>	// before cld2, whose header uses FILE
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <cld2/public/compact_lang_det.h>

namespace CLD2 {
const char *LanguageCode(Language lang);
}

static std::string
code_of(CLD2::Language l)
{
	std::string c = CLD2::LanguageCode(l);

	if (c == "no")
		return "nb";
	if (c.compare(0, 2, "sr") == 0)
		return "sr";
	if (c == "un")
		return "und";
	return c;
}

int
main(int argc, char **argv)
{
	std::vector<std::string> gold, text;
	char *line = NULL;
	size_t cap = 0, bytes = 0;
	ssize_t n;
	long rounds = 0;
	bool reliable;

	if (argc == 3 && strcmp(argv[1], "--bench") == 0)
		rounds = strtol(argv[2], NULL, 10);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		char *t = strchr(line, '\t');
		if (t == NULL)
			continue;
		gold.push_back(std::string(line, t - line));
		text.push_back(std::string(t + 1));
	}
	free(line);
	if (rounds > 0) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long k = 0; k < rounds; k++) {
			for (size_t i = 0; i < text.size(); i++) {
				CLD2::DetectLanguage(text[i].data(),
				    (int)text[i].size(), true, &reliable);
				bytes += text[i].size();
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("texts %zu bytes %zu seconds %.6f\n",
		    text.size() * (size_t)rounds, bytes,
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		return 0;
	}
	for (size_t i = 0; i < text.size(); i++) {
		CLD2::Language l = CLD2::DetectLanguage(text[i].data(),
		    (int)text[i].size(), true, &reliable);
		printf("%s\t%s\t%d\t-\n", gold[i].c_str(), code_of(l).c_str(),
		    reliable ? 1 : 0);
	}
	return 0;
}
