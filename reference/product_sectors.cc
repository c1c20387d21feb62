#include "reference/product_sectors.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reference/stemmer.h"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

struct ProductPhrase {
  const char* code;
  // Folded phrases, space-separated words, in the six languages.
  std::vector<const char*> phrases;
};

// Products members name most, in English, Spanish, Portuguese, German,
// French and Italian, with the NACE code of their makers. Words that are
// everyday words in another of the languages are left out (French "thé"
// folds to "the", Spanish and Italian "té"/"tè" to "te").
const std::vector<ProductPhrase>& HandList() {
  static const auto* const list = new std::vector<ProductPhrase>{
      {"10.41",
       {"olive oil", "aceite de oliva", "aceite oliva", "azeite", "azeite de oliva", "olivenol",
        "huile d olive", "huile olive", "olio d oliva", "olio di oliva", "olio extravergine"}},
      {"11.02",
       {"wine", "wines", "vino", "vinos", "vini", "vinho", "vinhos", "wein", "weine", "vin",
        "vins"}},
      {"10.83", {"tea", "teas", "tee", "cha", "coffee", "cafe", "kaffee", "caffe"}},
      {"10.51",
       {"cheese", "cheeses", "queso", "quesos", "queijo", "queijos", "kase", "fromage", "fromages",
        "formaggio", "formaggi", "dairy", "lacteos", "laticinios", "molkereiprodukte",
        "produits laitiers", "latticini"}},
      {"31.0",
       {"furniture", "mueble", "muebles", "moveis", "mobel", "meuble", "meubles", "mobili",
        "arredamento"}},
      {"28",
       {"machinery", "maquinaria", "maquinas", "maschinen", "maschinenbau", "macchine",
        "macchinari"}},
      {"62.01", {"software", "logiciel", "logiciels"}},
      {"15.20",
       {"footwear", "shoes", "zapatos", "calzado", "sapatos", "calcados", "schuhe", "chaussures",
        "scarpe", "calzature"}},
      {"14.1",
       {"clothing", "apparel", "garments", "ropa", "roupas", "vestuario", "bekleidung", "kleidung",
        "vetements", "abbigliamento"}},
      {"20.42", {"cosmetics", "cosmeticos", "kosmetik", "cosmetiques", "cosmetici"}},
      {"11.05",
       {"beer", "beers", "cerveza", "cervezas", "cerveja", "cervejas", "bier", "biere", "birra",
        "birre"}},
      {"10.82",
       {"chocolate", "chocolates", "schokolade", "chocolat", "chocolats", "cioccolato",
        "cioccolata"}},
      {"10.73", {"pasta", "nudeln", "pates alimentaires", "massas"}},
      {"29.32",
       {"auto parts", "car parts", "automotive parts", "autopartes", "autopecas", "autoteile",
        "kfz teile", "pieces automobiles", "pieces auto", "ricambi auto"}},
      {"10.20",
       {"fish", "seafood", "pescado", "mariscos", "peixe", "peixes", "fisch", "meeresfruchte",
        "poisson", "poissons", "fruits de mer", "pesce", "frutti di mare"}},
      {"32.40",
       {"toys", "juguetes", "brinquedos", "spielzeug", "spielwaren", "jouets", "giocattoli"}},
      {"32.50",
       {"medical devices", "dispositivos medicos", "medizintechnik", "medizinprodukte",
        "dispositifs medicaux", "dispositivi medici"}},
      {"21.20",
       {"medicines", "pharmaceuticals", "medicamentos", "arzneimittel", "medicaments", "farmaci"}},
      {"13",
       {"textiles", "textile", "tejidos", "textil", "texteis", "textilien", "tessuti", "tessili"}},
  };
  return *list;
}

// English words of titles and notes that name no product: function words,
// the words every title uses, and the words of deals ("distribution" is in
// the titles of electricity and gas).
constexpr absl::string_view kStopWords[] = {
    "and",         "the",          "for",         "with",         "from",          "into",
    "other",       "activities",   "activity",    "manufacture",  "manufacturing", "production",
    "processing",  "wholesale",    "retail",      "sale",         "sales",         "trade",
    "product",     "service",      "equipment",   "related",      "similar",       "except",
    "specialised", "specialized",  "store",       "good",         "their",         "part",
    "accessorie",  "accessory",    "material",    "supplie",      "supply",        "support",
    "general",     "own",          "rented",      "leased",       "basis",         "contract",
    "agent",       "distribution", "distributor", "installation", "repair",        "maintenance",
    "management",  "business",     "operation",   "research",     "development",   "engineering",
    "technical",   "market",       "company",     "companie",     "project",       "joint",
    "partner",     "client",       "import",      "importer",     "export",        "exporter",
    "small",       "large",        "serie",       "capacity",     "design",        "also",
    "publicly",    "funded",       "jointly",     "owned",        "process",       "introduce",
    "based",       "founded",      "employee",    "maker",        "provide",       "we",
    "our",         "seek",         "seeking",     "offer",        "looking",       "new",
};

bool IsStopWord(absl::string_view word) {
  return std::find(std::begin(kStopWords), std::end(kStopWords), word) != std::end(kStopWords);
}

// The English stems of the stop words ("distribut" for "distributor" and
// "distribution").
const absl::flat_hash_set<std::string>& StopStems() {
  static const auto* const stems = [] {
    auto* set = new absl::flat_hash_set<std::string>();
    for (absl::string_view word : kStopWords) set->insert(Stem(kEnglish, word));
    return set;
  }();
  return *stems;
}

// A crude English singular, the same for titles and notes: "oils" -> "oil",
// "batteries" -> "battery", "glass" stays.
std::string Singular(absl::string_view word) {
  if (word.size() > 4 && absl::EndsWith(word, "ies")) {
    return absl::StrCat(word.substr(0, word.size() - 3), "y");
  }
  if (word.size() > 3 && absl::EndsWith(word, "s") && !absl::EndsWith(word, "ss")) {
    return std::string(word.substr(0, word.size() - 1));
  }
  return std::string(word);
}

// Titles of at most this many classes make a word name a product.
constexpr size_t kMaxClassesPerWord = 6;
constexpr size_t kShortestWord = 4;

// Makers first: manufacturing, agriculture, mining, then the rest.
int MakerRank(absl::string_view code) {
  const int division = (code[0] - '0') * 10 + (code[1] - '0');
  if (division >= 10 && division <= 33) return 0;
  if (division <= 3) return 1;
  if (division <= 9) return 2;
  return 3;
}

// The longest common prefix of `codes` that is a group or division, or "".
std::string CommonAncestor(const std::vector<std::string>& codes) {
  for (const size_t length : {4, 2}) {
    const std::string prefix = codes.front().substr(0, length);
    if (std::all_of(codes.begin(), codes.end(),
                    [&](const std::string& c) { return absl::StartsWith(c, prefix); })) {
      return prefix;
    }
  }
  return "";
}

}  // namespace

ProductSectors::ProductSectors(const NaceCatalog& nace) {
  for (const ProductPhrase& product : HandList()) {
    if (nace.Find(product.code) == nullptr) continue;
    for (const char* phrase : product.phrases) {
      phrases_.emplace(phrase, product.code);
      longest_phrase_ = std::max(longest_phrase_, static_cast<int>(FoldedWords(phrase).size()));
    }
  }
  for (const Sector* sector : nace.List("", /*all_levels=*/true)) {
    if (sector->level != 4) continue;
    // What a title excludes is not what it names: "(except rice)" is
    // dropped, and so is all after ", except".
    std::string title = FoldLatin(sector->title);
    if (const size_t open = title.find("(except"); open != std::string::npos) {
      const size_t close = title.find(')', open);
      title.erase(open, close == std::string::npos ? std::string::npos : close + 1 - open);
    }
    if (const size_t except = title.find("except"); except != std::string::npos) {
      title.resize(except);
    }
    absl::flat_hash_set<std::string> seen;
    absl::flat_hash_set<std::string> seen_stems;
    for (const std::string& word : FoldedWords(title)) {
      const std::string singular = Singular(word);
      if (singular.size() < kShortestWord || IsStopWord(singular) ||
          !seen.insert(singular).second) {
        continue;
      }
      title_words_[singular].push_back(sector->code);
      const std::string stem = Stem(kEnglish, word);
      if (!StopStems().contains(stem) && seen_stems.insert(stem).second) {
        title_stems_[stem].push_back(sector->code);
      }
    }
  }
  for (auto* index : {&title_words_, &title_stems_}) {
    for (auto it = index->begin(); it != index->end();) {
      if (it->second.size() > kMaxClassesPerWord) {
        index->erase(it++);
      } else {
        ++it;
      }
    }
  }
}

std::vector<std::string> ProductSectors::SectorsIn(absl::Span<const std::string> words,
                                                   absl::Span<const std::string> common) const {
  std::vector<std::string> codes = SectorsIn(words);
  if (!codes.empty()) return codes;
  std::vector<std::string> keys;
  for (const std::string& stem : common) {
    if (stem.size() >= kShortestWord - 1 && !StopStems().contains(stem)) keys.push_back(stem);
  }
  return FromTitles(keys, title_stems_);
}

std::vector<std::string> ProductSectors::SectorsIn(absl::Span<const std::string> words) const {
  std::vector<std::string> codes;
  const auto add = [&](const std::string& code) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end() &&
        static_cast<int>(codes.size()) < kMaxCodes) {
      codes.push_back(code);
    }
  };
  // 1. The hand-written list, longest phrase first.
  for (size_t start = 0; start < words.size();) {
    size_t taken = 0;
    for (size_t n = std::min<size_t>(longest_phrase_, words.size() - start); n >= 1; --n) {
      std::string phrase = words[start];
      for (size_t k = 1; k < n; ++k) absl::StrAppend(&phrase, " ", words[start + k]);
      if (auto it = phrases_.find(phrase); it != phrases_.end()) {
        add(it->second);
        taken = n;
        break;
      }
    }
    start += taken > 0 ? taken : 1;
  }
  if (!codes.empty()) return codes;

  // 2. The class titles.
  std::vector<std::string> keys;
  for (const std::string& word : words) {
    const std::string singular = Singular(word);
    if (singular.size() >= kShortestWord && !IsStopWord(singular)) keys.push_back(singular);
  }
  return FromTitles(keys, title_words_);
}

std::vector<std::string> ProductSectors::FromTitles(
    absl::Span<const std::string> keys,
    const absl::flat_hash_map<std::string, std::vector<std::string>>& index) const {
  std::vector<std::string> codes;
  const auto add = [&](const std::string& code) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end() &&
        static_cast<int>(codes.size()) < kMaxCodes) {
      codes.push_back(code);
    }
  };
  // Count the distinct keys each class shares.
  absl::flat_hash_map<std::string, int> shared;
  std::vector<std::string> order;  // classes in order of first mention
  absl::flat_hash_set<std::string> seen;
  for (const std::string& key : keys) {
    if (!seen.insert(key).second) continue;
    auto it = index.find(key);
    if (it == index.end()) continue;
    for (const std::string& code : it->second) {
      if (shared[code]++ == 0) order.push_back(code);
    }
  }
  if (order.empty()) return codes;
  int most = 0;
  int best_rank = 3;
  for (const auto& [code, count] : shared) most = std::max(most, count);
  for (const std::string& code : order) {
    if (shared[code] == most) best_rank = std::min(best_rank, MakerRank(code));
  }
  std::vector<std::string> best;
  for (const std::string& code : order) {
    if (shared[code] == most && MakerRank(code) == best_rank) best.push_back(code);
  }
  if (static_cast<int>(best.size()) <= kMaxCodes) {
    for (const std::string& code : best) add(code);
  } else if (std::string ancestor = CommonAncestor(best); !ancestor.empty()) {
    add(ancestor);
  }
  return codes;
}

}  // namespace socio::reference
