#include "matcher/explanation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "reference/value_chain.h"

namespace socio::matcher {
namespace {

using socio::v1::FactorScore;
using socio::v1::Objective;

struct TypeWords {
  const char* seek;   // what a SEEK looks for: "a distributor"
  const char* offer;  // what an OFFER provides: "distribution"
};

TypeWords WordsFor(int type) {
  switch (type) {
    case Objective::DISTRIBUTION:
      return {"a distributor", "distribution"};
    case Objective::AGENCY:
      return {"a sales agent", "sales agency"};
    case Objective::SUPPLY:
      return {"a supplier", "supply"};
    case Objective::MANUFACTURING:
      return {"a contract manufacturer", "contract manufacturing"};
    case Objective::OUTSOURCING:
      return {"an outsourcing partner", "outsourced services"};
    case Objective::LICENSING:
      return {"a licensing partner", "licences"};
    case Objective::JOINT_VENTURE:
      return {"a joint venture", "a joint venture"};
    case Objective::INVESTMENT:
      return {"an investor", "investment"};
    case Objective::TECHNICAL_COOPERATION:
      return {"technical cooperation", "technical cooperation"};
    case Objective::RESEARCH_COOPERATION:
      return {"research cooperation", "research cooperation"};
    default:
      return {"a partner", "partnership"};
  }
}

std::string LowerFirst(std::string text) {
  if (!text.empty()) text[0] = absl::ascii_tolower(text[0]);
  return text;
}

// How the reasons name the member: "you" when it reads them itself, its
// name when chamber staff read them about it ("Huber seeks ...").
class Voice {
 public:
  explicit Voice(absl::string_view subject) : subject_(subject) {}

  // "You" / "you", or the name.
  std::string Who(bool capital) const {
    if (!subject_.empty()) return std::string(subject_);
    return capital ? "You" : "you";
  }
  // "Your" / "your", or "Huber's" ("Siemens'").
  std::string Whose(bool capital) const {
    if (subject_.empty()) return capital ? "Your" : "your";
    return absl::StrCat(subject_, absl::EndsWith(subject_, "s") ? "'" : "'s");
  }
  // A verb as the member does it: "seek", or "seeks" after a name.
  std::string Does(absl::string_view verb) const {
    return subject_.empty() ? std::string(verb) : absl::StrCat(verb, "s");
  }
  // "are" or "is".
  const char* Is() const { return subject_.empty() ? "are" : "is"; }

 private:
  absl::string_view subject_;
};

// "a, b or c", at most `max_items` then "and others".
std::string JoinOr(const std::vector<std::string>& items, size_t max_items) {
  std::vector<std::string> shown(items.begin(), items.begin() + std::min(items.size(), max_items));
  std::string out;
  for (size_t i = 0; i < shown.size(); ++i) {
    if (i > 0) out += (i + 1 == shown.size() && shown.size() == items.size()) ? " or " : ", ";
    out += shown[i];
  }
  if (items.size() > shown.size()) out += " and others";
  return out;
}

class Explainer {
 public:
  Explainer(const ScoreContext& context, WordLookup word_of, Voice member)
      : catalog_(context.tables->reference().countries()),
        nace_(context.tables->reference().sectors()),
        word_of_(word_of),
        member_(member) {}

  const Voice& member() const { return member_; }

  std::string Country(int index) const { return CountryInSentence(catalog_, index); }

  std::string SectorName(SectorCode code) const {
    const std::string canonical = UnpackSector(code);
    const std::string title = nace_.Title(canonical);
    return title.empty() ? canonical : absl::StrCat(LowerFirst(title), " (", canonical, ")");
  }

  // Why `mine` and `theirs`, linked in the value chain, fit: "They trade
  // what you make (46.47 wholesale of furniture for your 31.01)."
  std::string ValueChainReason(SectorCode mine, SectorCode theirs) const {
    bool i_make = false;
    const reference::ValueChainLink* link = ValueChainLinkOf(mine, theirs, &i_make);
    if (link == nullptr) return "";
    const bool service = link->role == reference::ChainRole::kService;
    const std::string their_code = UnpackSector(theirs);
    if (i_make) {
      return absl::StrCat(service ? "They service" : "They trade", " what ", member_.Who(false),
                          " ", member_.Does("make"), " (", their_code, " ", link->partner_words,
                          " for ", member_.Whose(false), " ", UnpackSector(mine), ").");
    }
    const std::string title = nace_.Title(their_code);
    return absl::StrCat("They make what ", member_.Who(false), " ",
                        member_.Does(service ? "service" : "trade"), " (", their_code,
                        title.empty() ? "" : absl::StrCat(" ", LowerFirst(title)), " for ",
                        member_.Whose(false), " ", UnpackSector(mine), ").");
  }

  // " (read from the note)" where text, not the objective's fields, gave it.
  static absl::string_view SourceWords(Source source) {
    switch (source) {
      case Source::kNote:
        return " (read from the note)";
      case Source::kDescription:
        return " (read from the description)";
      case Source::kGiven:
        break;
    }
    return "";
  }

  std::string SectorsPhrase(const ObjectiveView& o) const {
    if (o.sectors.empty()) return "";
    std::vector<std::string> names;
    for (uint32_t s : o.sectors) names.push_back(SectorName(s));
    return absl::StrCat(" for ", JoinOr(names, 2), SourceWords(o.sectors_from));
  }

  std::string MarketsPhrase(const ObjectiveView& o) const {
    if (o.markets.empty()) return "";
    std::vector<std::string> names;
    for (uint32_t m : o.markets) names.push_back(Country(static_cast<int>(m)));
    return absl::StrCat(" in ", JoinOr(names, 3), SourceWords(o.markets_from));
  }

  // What one side's objective asks or gives: "seek a distributor for ... in
  // X", "offer distribution ...", "want technical cooperation ..."; with the
  // verb as `who` does it (Voice::Does).
  std::string Side(const ObjectiveView& o, const Voice& who) const {
    const TypeWords words = WordsFor(o.type);
    if (IsSymmetricType(o.type)) {
      return absl::StrCat(who.Does("want"), " ", words.seek, SectorsPhrase(o), MarketsPhrase(o));
    }
    if (o.direction == Objective::SEEK) {
      return absl::StrCat(who.Does("seek"), " ", words.seek, SectorsPhrase(o), MarketsPhrase(o));
    }
    return absl::StrCat(who.Does("offer"), " ", words.offer, SectorsPhrase(o), MarketsPhrase(o));
  }

  // "You seek a distributor ... in X; they offer distribution in Y." (the
  // member's objective x first when `member_first`, else the partner's:
  // "They seek ...; you offer ..."). A near pair says so: "You seek a
  // distributor ...; they offer supply ..., a close fit (counted at 70 %)."
  std::string ObjectivePair(const ObjectiveView& x, const ObjectiveView& y, bool member_first,
                            const ObjectiveMatch& fit) const {
    const Voice they("");  // "they" takes the verb as "you" does
    const std::string me = member_first ? member_.Who(true) : "They";
    const std::string them = member_first ? "they" : member_.Who(false);
    std::string out;
    if (IsSymmetricType(x.type) && x.type == y.type) {
      out = absl::StrCat(me, " and ", them, " both want ", WordsFor(x.type).seek, SectorsPhrase(x),
                         MarketsPhrase(x));
    } else {
      out = absl::StrCat(me, " ", Side(x, member_first ? member_ : they), "; ", them, " ",
                         Side(y, member_first ? they : member_));
    }
    if (fit.discount < 1) {
      absl::StrAppend(&out, ", a close fit (counted at ", std::lround(fit.discount * 100), " %)");
    }
    if (fit.sector_fit < 1 && fit.market_fit < 1) {
      absl::StrAppend(&out, " (only near the sectors and markets named)");
    } else if (fit.sector_fit < 1) {
      absl::StrAppend(&out, " (in a neighbouring sector)");
    } else if (fit.market_fit < 1) {
      absl::StrAppend(&out, " (in a neighbouring market)");
    }
    return out + ".";
  }

  static ObjectiveView ObjectiveAt(const FeatureView& view, int index) {
    ObjectiveView found{};
    int i = 0;
    view.ForEachObjective([&](const ObjectiveView& o) {
      if (i++ == index) found = o;
    });
    return found;
  }

  std::string MarketReason(double score, int country, bool forward) const {
    const reference::Country& c = catalog_.countries()[country];
    const std::string where = Country(country);
    const std::string whose = forward ? member_.Whose(false) : "their";
    const std::string who =
        forward ? "They are" : absl::StrCat(member_.Who(true), " ", member_.Is());
    if (score == 1) return absl::StrCat(who, " in ", where, ", one of ", whose, " target markets.");
    if (score == 0.6) {
      return absl::StrCat(who, " in ", where, ", in ", c.subregion, " like ", whose,
                          " target markets there.");
    }
    if (score == 0.3) {
      return absl::StrCat(who, " in ", where, ", in ", c.region, " like some of ", whose,
                          " target markets.");
    }
    return "";
  }

  std::string Words(const std::vector<uint32_t>& hashes) const {
    std::vector<std::string> words;
    for (uint32_t h : hashes) {
      std::string word = word_of_(h);
      if (!word.empty()) words.push_back(std::move(word));
    }
    return absl::StrJoin(words, ", ");
  }

  const reference::CountryCatalog& catalog_;
  const reference::NaceCatalog& nace_;
  WordLookup word_of_;
  Voice member_;
};

}  // namespace

std::string CountryInSentence(const reference::CountryCatalog& catalog, int country) {
  const std::string& name = catalog.countries()[country].name;
  static constexpr std::array<absl::string_view, 10> kWithThe = {
      "Bahamas",         "Comoros",      "Gambia",
      "Maldives",        "Netherlands",  "Philippines",
      "Seychelles",      "Vatican City", "Congo - Brazzaville",
      "Congo - Kinshasa"};
  const bool with_the = absl::StartsWith(name, "United ") || absl::EndsWith(name, "Islands") ||
                        absl::EndsWith(name, "Republic") ||
                        std::find(kWithThe.begin(), kWithThe.end(), name) != kWithThe.end();
  return with_the ? absl::StrCat("the ", name) : name;
}

std::string ShortCompanyName(absl::string_view name) {
  // Legal forms as their words read without case, dots and commas; the
  // longer of two that end alike first.
  static const std::vector<std::vector<std::string>>& kForms =
      *new std::vector<std::vector<std::string>>{{"s", "de", "rl", "de", "cv"},
                                                 {"sa", "de", "cv"},
                                                 {"sapi", "de", "cv"},
                                                 {"gmbh", "&", "co", "kg"},
                                                 {"ag", "&", "co", "kg"},
                                                 {"sa"},
                                                 {"sl"},
                                                 {"srl"},
                                                 {"spa"},
                                                 {"sas"},
                                                 {"sarl"},
                                                 {"sac"},
                                                 {"ltda"},
                                                 {"ltd"},
                                                 {"limited"},
                                                 {"llc"},
                                                 {"inc"},
                                                 {"corp"},
                                                 {"co"},
                                                 {"plc"},
                                                 {"gmbh"},
                                                 {"ag"},
                                                 {"kg"},
                                                 {"ug"},
                                                 {"ek"},
                                                 {"se"},
                                                 {"bv"},
                                                 {"nv"},
                                                 {"ab"},
                                                 {"oy"},
                                                 {"as"},
                                                 {"a/s"},
                                                 {"aps"},
                                                 {"kk"},
                                                 {"pte"},
                                                 {"pty"},
                                                 {"eirl"},
                                                 {"cv"}};
  std::vector<absl::string_view> words = absl::StrSplit(name, ' ', absl::SkipWhitespace());
  std::vector<std::string> folded;
  for (absl::string_view word : words) {
    std::string f;
    for (char c : word) {
      if (c != '.' && c != ',') f += absl::ascii_tolower(c);
    }
    folded.push_back(std::move(f));
  }
  size_t kept = words.size();
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const std::vector<std::string>& form : kForms) {
      if (form.size() >= kept) continue;  // keep at least one word
      if (std::equal(form.begin(), form.end(), folded.begin() + (kept - form.size()))) {
        kept -= form.size();
        stripped = true;
        break;
      }
    }
  }
  if (kept == 0) return std::string(name);
  words.resize(kept);
  std::string out = absl::StrJoin(words, " ");
  while (!out.empty() && (out.back() == ',' || out.back() == '&')) out.pop_back();
  return std::string(absl::StripTrailingAsciiWhitespace(out));
}

socio::v1::Match DescribeMatch(const ScoreContext& context, const FeatureView& a,
                               const FeatureView& b, const PartnerInfo& partner, WordLookup word_of,
                               absl::string_view subject, MatchDetail detail) {
  const ScoringTables& tables = *context.tables;
  const PairScore s = ScorePair(context, a, b);
  socio::v1::Match match;
  match.set_partner_id(std::string(partner.id));
  match.set_partner_name(std::string(partner.name));
  match.set_partner_chamber_id(std::string(partner.chamber_id));
  match.set_partner_country(tables.reference().countries().countries()[b.country()].alpha2);
  for (uint32_t sector : b.sectors()) match.add_partner_sectors(UnpackSector(sector));
  match.set_score(s.score);
  match.set_forward_score(s.forward_score);
  match.set_backward_score(s.backward_score);
  const double total = s.forward_score + s.backward_score;
  if (detail == MatchDetail::kFull) {
    for (int f = 0; f < kFactorCount; ++f) {
      FactorScore* factor = match.add_factors();
      factor->set_factor(static_cast<FactorScore::Factor>(f + 1));
      factor->set_weight(context.weights.w[f]);
      factor->set_forward(s.forward[f]);
      factor->set_backward(s.backward[f]);
      factor->set_forward_contribution(context.weights.w[f] * s.forward[f]);
      factor->set_backward_contribution(context.weights.w[f] * s.backward[f]);
      factor->set_contribution(total > 0 ? (s.backward_score * factor->forward_contribution() +
                                            s.forward_score * factor->backward_contribution()) /
                                               total
                                         : 0);
    }
  }

  // Reasons with the contribution that makes them, strongest first. Each
  // one's text is written only when it is shown: all of them for kFull, the
  // strongest that has words for kBasic. A text may come out empty (nothing
  // to say): it is left out.
  Explainer explainer(context, word_of, Voice(subject));
  const Voice& member = explainer.member();
  struct Reason {
    double strength;
    std::function<std::string()> text;
  };
  std::vector<Reason> reasons;
  auto add = [&](double strength, std::function<std::string()> text) {
    reasons.push_back({strength, std::move(text)});
  };
  const std::array<double, kFactorCount>& w = context.weights.w;

  ObjectiveMatch forward_pair, backward_pair;
  ObjectiveScore(tables, a, b, &forward_pair);
  ObjectiveScore(tables, b, a, &backward_pair);
  if (forward_pair.mine >= 0) {
    add(w[kObjective] * s.forward[kObjective], [&] {
      return explainer.ObjectivePair(Explainer::ObjectiveAt(a, forward_pair.mine),
                                     Explainer::ObjectiveAt(b, forward_pair.theirs),
                                     /*member_first=*/true, forward_pair);
    });
    if (backward_pair.mine != forward_pair.theirs || backward_pair.theirs != forward_pair.mine) {
      add(w[kObjective] * s.backward[kObjective] * 0.9, [&] {
        return explainer.ObjectivePair(Explainer::ObjectiveAt(b, backward_pair.mine),
                                       Explainer::ObjectiveAt(a, backward_pair.theirs),
                                       /*member_first=*/false, backward_pair);
      });
    }
  } else {
    add(0, [] { return std::string("Neither side offers what the other seeks."); });
  }

  add(w[kMarket] * s.forward[kMarket],
      [&] { return explainer.MarketReason(s.forward[kMarket], b.country(), /*forward=*/true); });
  add(w[kMarket] * s.backward[kMarket] * 0.9,
      [&] { return explainer.MarketReason(s.backward[kMarket], a.country(), /*forward=*/false); });

  SectorCode mine = 0, theirs = 0;
  if (SectorScore(a, b, &mine, &theirs) >= 0.5 && mine != 0) {
    add(w[kSector] * s.forward[kSector], [&] {
      return s.forward[kSector] == kValueChainSimilarity ? explainer.ValueChainReason(mine, theirs)
             : mine == theirs
                 ? absl::StrCat("Their sector is the one ", member.Who(false), " ",
                                member.Does("look"), " for: ", explainer.SectorName(theirs), ".")
                 : absl::StrCat("Their sector ", explainer.SectorName(theirs),
                                s.forward[kSector] == 1 ? " is within " : " is close to ",
                                explainer.SectorName(mine), ".");
    });
  }

  uint32_t language = 0;
  CultureScore(tables, a, b, &language);
  if (language != 0) {
    add(w[kCulture] * s.forward[kCulture], [&] {
      const std::string code = {static_cast<char>(language >> 8),
                                static_cast<char>(language & 0xff)};
      std::string name = tables.reference().countries().LanguageName(code);
      return absl::StrCat(member.Who(true),
                          " and they share a business language: ", name.empty() ? code : name, ".");
    });
  }
  if (a.country() != b.country()) {
    const float hours = tables.pairs().WorkingHourOverlap(a.country(), b.country());
    // "Your working days", or "Their working days and Huber's".
    auto days = [&] {
      return subject.empty() ? std::string("Your working days")
                             : absl::StrCat("Their working days and ", member.Whose(false));
    };
    if (hours >= 4) {
      add(w[kCulture] * s.forward[kCulture] * 0.5, [&, days, hours] {
        return absl::StrCat(days(), " overlap by ", std::lround(hours), " hours.");
      });
    } else if (hours < 1.5) {
      add(0, [&, days, hours] {
        return absl::StrCat(days(), " barely overlap (", absl::StrFormat("%.1f", hours),
                            " hours): plan calls early or late.");
      });
    }
  }

  add(w[kText] * s.forward[kText], [&] {
    std::vector<uint32_t> matched;
    TextScore(a, b, &matched);
    std::string words = explainer.Words(matched);
    if (words.empty()) return words;
    return absl::StrCat("Their profile mentions what ", member.Whose(false),
                        " objectives ask for: ", words, ".");
  });
  add(w[kText] * s.backward[kText] * 0.9, [&] {
    std::vector<uint32_t> matched;
    TextScore(b, a, &matched);
    std::string words = explainer.Words(matched);
    if (words.empty()) return words;
    return absl::StrCat(member.Whose(true), " profile mentions what theirs ask for: ", words, ".");
  });

  if (s.forward[kSize] >= 0.8 && a.header().employees > 0 && b.header().employees > 0) {
    add(w[kSize] * s.forward[kSize], [&] {
      return absl::StrCat("Similar size: ", b.header().employees, " employees, ", member.Who(false),
                          " ", a.header().employees, ".");
    });
  }
  if (b.header().update_day != kUnknownDay && context.today - b.header().update_day > 730) {
    add(0, [&] {
      return absl::StrCat("Their profile was last updated ",
                          (context.today - b.header().update_day) / 365,
                          " years ago: check it is still current.");
    });
  }

  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const Reason& x, const Reason& y) { return x.strength > y.strength; });
  for (const Reason& reason : reasons) {
    std::string text = reason.text();
    if (text.empty()) continue;
    match.add_reasons(std::move(text));
    if (detail == MatchDetail::kBasic) break;
  }
  return match;
}

}  // namespace socio::matcher
