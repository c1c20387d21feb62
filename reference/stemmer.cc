#include "reference/stemmer.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "libstemmer.h"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

constexpr std::array<absl::string_view, kTextLanguageCount> kCodes = {"en", "es", "pt",
                                                                      "de", "fr", "it"};
// Snowball's names of the algorithms; English is not Snowball's.
constexpr std::array<const char*, kTextLanguageCount> kSnowball = {
    nullptr, "spanish", "portuguese", "german", "french", "italian"};

// Stop words as folded (accents dropped), lower case, three bytes or more
// (shorter words are dropped before anyway).
constexpr absl::string_view kEnglishStop[] = {
    "about", "across",  "after", "all",   "also",    "and",     "any",   "are",   "based",
    "been",  "both",    "but",   "can",   "company", "for",     "from",  "has",   "have",
    "her",   "his",     "its",   "into",  "more",    "most",    "new",   "not",   "now",
    "off",   "one",     "only",  "other", "our",     "out",     "over",  "own",   "per",
    "seek",  "seeking", "such",  "than",  "that",    "the",     "their", "them",  "then",
    "there", "these",   "they",  "this",  "those",   "through", "under", "using", "very",
    "was",   "were",    "what",  "which", "while",   "who",     "will",  "with"};
constexpr absl::string_view kSpanishStop[] = {
    "las",       "los",   "del",     "con",      "una",      "uno",      "unos",   "unas",
    "por",       "para",  "que",     "como",     "mas",      "pero",     "sus",    "este",
    "esta",      "estos", "estas",   "ese",      "esa",      "entre",    "cuando", "muy",
    "sin",       "sobre", "tambien", "hasta",    "hay",      "donde",    "desde",  "todo",
    "todos",     "nos",   "nuestra", "nuestro",  "nuestras", "nuestros", "somos",  "son",
    "ser",       "estar", "tiene",   "tienen",   "hemos",    "han",      "otro",   "otros",
    "otra",      "otras", "empresa", "empresas", "buscamos", "busca",    "buscar", "buscando",
    "ofrecemos", "cual",  "mucho",   "muchos",   "les",      "ante",     "contra"};
constexpr absl::string_view kPortugueseStop[] = {
    "das",    "dos",     "nas",      "nos",        "com",     "uma",      "umas",     "uns",
    "por",    "para",    "que",      "como",       "mais",    "mas",      "seu",      "sua",
    "seus",   "suas",    "este",     "esta",       "estes",   "estas",    "esse",     "essa",
    "entre",  "quando",  "muito",    "sem",        "sobre",   "tambem",   "ate",      "onde",
    "desde",  "todo",    "todos",    "nossa",      "nosso",   "nossas",   "nossos",   "somos",
    "sao",    "ser",     "estar",    "tem",        "temos",   "outro",    "outros",   "outra",
    "outras", "empresa", "empresas", "procuramos", "procura", "procurar", "buscamos", "oferecemos",
    "pela",   "pelo",    "pelas",    "pelos",      "num",     "numa"};
constexpr absl::string_view kGermanStop[] = {
    "der",   "die",    "das",   "den",    "dem",   "des",    "ein",     "eine",
    "einen", "einem",  "einer", "eines",  "und",   "oder",   "aber",    "mit",
    "fur",   "von",    "vom",   "zum",    "zur",   "bei",    "auf",     "aus",
    "nach",  "uber",   "unter", "durch",  "gegen", "ohne",   "sich",    "sie",
    "wir",   "ihr",    "ihre",  "ihren",  "unser", "unsere", "unseren", "unserer",
    "ist",   "sind",   "sein",  "hat",    "haben", "wird",   "werden",  "auch",
    "als",   "wie",    "nicht", "noch",   "nur",   "sehr",   "dass",    "dies",
    "diese", "dieser", "alle",  "suchen", "sucht", "bieten", "firma",   "unternehmen"};
constexpr absl::string_view kFrenchStop[] = {
    "les",         "des",     "une",       "dans",        "par",     "pour",      "sur",
    "avec",        "sans",    "sous",      "entre",       "que",     "qui",       "quoi",
    "dont",        "est",     "sont",      "etre",        "avoir",   "ont",       "avons",
    "nous",        "vous",    "ils",       "elles",       "notre",   "nos",       "votre",
    "vos",         "leur",    "leurs",     "son",         "ses",     "aux",       "mais",
    "plus",        "tres",    "aussi",     "tout",        "tous",    "toute",     "toutes",
    "cette",       "ces",     "cet",       "comme",       "depuis",  "chez",      "entreprise",
    "entreprises", "societe", "cherchons", "recherchons", "cherche", "recherche", "proposons",
    "offrons",     "pas"};
constexpr absl::string_view kItalianStop[] = {
    "gli",       "dei",    "degli",   "delle",    "della", "dello",   "del",     "nel",
    "nella",     "nei",    "nelle",   "alla",     "alle",  "allo",    "agli",    "dal",
    "dalla",     "dai",    "dalle",   "con",      "per",   "tra",     "fra",     "una",
    "uno",       "che",    "chi",     "come",     "piu",   "molto",   "anche",   "sono",
    "siamo",     "essere", "avere",   "abbiamo",  "hanno", "nostro",  "nostra",  "nostri",
    "nostre",    "suo",    "sua",     "suoi",     "sue",   "questo",  "questa",  "questi",
    "queste",    "tutto",  "tutti",   "senza",    "sopra", "azienda", "aziende", "societa",
    "cerchiamo", "cerca",  "cercare", "offriamo", "non",   "sul",     "sulla"};

template <size_t N>
absl::flat_hash_set<absl::string_view>* SetOf(const absl::string_view (&words)[N]) {
  return new absl::flat_hash_set<absl::string_view>(std::begin(words), std::end(words));
}

const std::array<const absl::flat_hash_set<absl::string_view>*, kTextLanguageCount>& StopSets() {
  static const auto* const sets =
      new std::array<const absl::flat_hash_set<absl::string_view>*, kTextLanguageCount>{
          SetOf(kEnglishStop), SetOf(kSpanishStop), SetOf(kPortugueseStop),
          SetOf(kGermanStop),  SetOf(kFrenchStop),  SetOf(kItalianStop)};
  return *sets;
}

// Agent endings (folded) a stem may still carry after Snowball, longest
// first; cutting one leaves the verb's stem.
constexpr std::array<std::array<absl::string_view, 4>, kTextLanguageCount> kAgentEndings = {{
    {},
    {"ador", "edor", "idor", "dor"},
    {"ador", "edor", "idor", "dor"},
    {"eur", "ant", "er", ""},
    {"isseur", "ateur", "iteur", "eur"},
    {"atore", "itore", "ator", "itor"},
}};

// Each thread's Snowball stemmers, by language.
class ThreadStemmers {
 public:
  ~ThreadStemmers() {
    for (sb_stemmer* s : stemmers_) {
      if (s != nullptr) sb_stemmer_delete(s);
    }
  }
  sb_stemmer* Get(TextLanguage language) {
    sb_stemmer*& s = stemmers_[language];
    if (s == nullptr && kSnowball[language] != nullptr) {
      s = sb_stemmer_new(kSnowball[language], "UTF_8");  // nullptr only when out of memory
    }
    return s;
  }

 private:
  std::array<sb_stemmer*, kTextLanguageCount> stemmers_{};
};

// Socio's English stemmer on the folded word w[0..n): cuts one ending so the
// forms of a word meet: "distributors", "distributes", "distribution" ->
// "distribut"; "supplies", "suppliers" -> "supply"; "service", "services" ->
// "servic". Keeps at least four bytes.
void EnglishStem(std::string* w) {
  static constexpr std::array<absl::string_view, 13> kEndings = {
      "ations", "ation", "ings", "ing", "ions", "ion", "ers", "ors", "er", "or", "es", "ed", "s"};
  size_t n = w->size();
  if (n > 4 && absl::EndsWith(*w, "ies")) {
    (*w)[n - 3] = 'y';
    w->resize(n - 2);
    return;
  }
  const absl::string_view word(*w);
  for (absl::string_view ending : kEndings) {
    if (ending == "s" && (absl::EndsWith(word, "ss") || absl::EndsWith(word, "us"))) break;
    if (n >= ending.size() + 4 && absl::EndsWith(word, ending)) {
      n -= ending.size();
      break;
    }
  }
  if (n > 4 && (*w)[n - 1] == 'i') (*w)[n - 1] = 'y';  // "suppli" -> "supply"
  if (n > 4 && (*w)[n - 1] == 'e') --n;                // "service" -> "servic"
  w->resize(n);
}

}  // namespace

int TextLanguageOf(absl::string_view iso639_1) {
  for (int i = 0; i < kTextLanguageCount; ++i) {
    if (kCodes[i] == iso639_1) return i;
  }
  return -1;
}

absl::string_view TextLanguageCode(TextLanguage language) { return kCodes[language]; }

std::string LowerWord(absl::string_view word) {
  std::string out(word);
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    if (c == 0xC3 && i + 1 < out.size()) {
      const unsigned char next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    } else {
      out[i] = absl::ascii_tolower(c);
    }
  }
  return out;
}

bool IsStopWord(TextLanguage language, absl::string_view word) {
  return StopSets()[language]->contains(word);
}

std::string Stem(TextLanguage language, absl::string_view word) {
  if (language == kEnglish) {
    std::string folded = FoldLatin(word);
    EnglishStem(&folded);
    return folded;
  }
  thread_local ThreadStemmers stemmers;
  sb_stemmer* stemmer = stemmers.Get(language);
  if (stemmer == nullptr) return FoldLatin(word);
  const sb_symbol* stem = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                          static_cast<int>(word.size()));
  if (stem == nullptr) return FoldLatin(word);
  return FoldLatin(absl::string_view(reinterpret_cast<const char*>(stem),
                                     static_cast<size_t>(sb_stemmer_length(stemmer))));
}

std::vector<std::string> StemCandidates(TextLanguage language, absl::string_view word) {
  std::vector<std::string> out = {Stem(language, word)};
  const std::string stem = out.front();
  for (absl::string_view ending : kAgentEndings[language]) {
    if (ending.empty() || !absl::EndsWith(stem, ending) || stem.size() < ending.size() + 4) {
      continue;
    }
    std::string cut = stem.substr(0, stem.size() - ending.size());
    if (std::find(out.begin(), out.end(), cut) == out.end()) out.push_back(std::move(cut));
  }
  return out;
}

}  // namespace socio::reference
