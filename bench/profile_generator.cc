#include "bench/profile_generator.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace socio::bench {
namespace {

using socio::v1::Objective;
using socio::v1::Profile;

// ---------------------------------------------------------------------------
// Reference tables. Lists are '|'-separated and parsed once into a Catalog.

struct CountryRow {
  const char* code;
  const char* name;
  int weight;               // share of members, and of target markets
  const char* legal_forms;  // the first is the most common
  const char* languages;    // the first is always spoken, the others often
  const char* chambers;
  const char* cities;  // "name:latitude:longitude:index of its chamber"
  const char* name_roots;
  const char* strengths;  // industries more common there (Industry keys)
};

// Roughly the trade partners of European and American chambers; DE is 13 %.
constexpr CountryRow kCountries[] = {
    {"DE", "Germany", 150, "GmbH|GmbH|GmbH & Co. KG|AG", "de",
     "ihk-muenchen|ihk-stuttgart|ihk-koeln|ihk-hamburg",
     "München:48.1374:11.5755:0|Ingolstadt:48.7665:11.4258:0|Stuttgart:48.7758:9.1829:1|"
     "Köln:50.9375:6.9603:2|Leverkusen:51.0459:6.9853:2|Hamburg:53.5511:9.9937:3",
     "Bauer|Hofmann|Alpen|Rhein|Weber|Keller|Brandt|Lindner|Vogt|Isar", "machinery|auto|chemicals"},
    {"US", "the United States", 140, "Inc.|LLC|Corp.", "en|es",
     "amcham-texas|chicagoland-chamber|la-area-chamber|detroit-regional-chamber",
     "Houston:29.7604:-95.3698:0|Dallas:32.7767:-96.797:0|San Antonio:29.4241:-98.4936:0|"
     "Chicago:41.8781:-87.6298:1|Los Angeles:34.0522:-118.2437:2|Detroit:42.3314:-83.0458:3",
     "Lone Star|Summit|Great Lakes|Pioneer|Liberty|Redwood|Keystone|Harbor|Frontier",
     "software|medical|pharma"},
    {"CN", "China", 90, "Co., Ltd.", "zh", "ccpit-shanghai|ccpit-shenzhen|ccpit-beijing",
     "Shanghai:31.2304:121.4737:0|Suzhou:31.299:120.5853:0|Ningbo:29.8683:121.544:0|"
     "Shenzhen:22.5431:114.0579:1|Guangzhou:23.1291:113.2644:1|Beijing:39.9042:116.4074:2",
     "Huaxin|Jinlong|Zhongda|Hengtai|Xinyuan|Dongfang|Tianhe|Baosheng",
     "electronics|textiles|metal"},
    {"FR", "France", 70, "SAS|SARL|S.A.", "fr", "cci-paris-idf|cci-lyon|cci-marseille",
     "Paris:48.8566:2.3522:0|Versailles:48.8049:2.1204:0|Lyon:45.764:4.8357:1|"
     "Saint-Étienne:45.4397:4.3872:1|Marseille:43.2965:5.3698:2|Aix-en-Provence:43.5297:5.4474:2",
     "Dubois|Lefèvre|Garonne|Moreau|Lumière|Provence|Girard|Rocher", "food|pharma"},
    {"IT", "Italy", 60, "S.r.l.|S.p.A.", "it", "camcom-milano|camcom-torino|camcom-bologna",
     "Milano:45.4642:9.19:0|Monza:45.5845:9.2744:0|Torino:45.0703:7.6869:1|"
     "Bologna:44.4949:11.3426:2|Imola:44.3531:11.7146:2",
     "Rossi|Bianchi|Ferrari|Colombo|Adriatica|Lombarda|Esposito|Galli",
     "food|furniture|machinery|textiles"},
    {"ES", "Spain", 55, "S.L.|S.A.", "es|ca", "camara-madrid|cambra-barcelona|camara-valencia",
     "Madrid:40.4168:-3.7038:0|Alcobendas:40.5475:-3.642:0|Barcelona:41.3874:2.1686:1|"
     "L'Hospitalet de Llobregat:41.3597:2.0997:1|Valencia:39.4699:-0.3763:2",
     "Ibérica|García|Levante|Navarro|Mediterránea|Ortega|Castilla|Serrano", "food|auto"},
    {"MX", "Mexico", 50, "S.A. de C.V.|S. de R.L. de C.V.", "es",
     "canaco-cdmx|caintra-nl|canaco-guadalajara|canaco-leon",
     "Ciudad de México:19.4326:-99.1332:0|Monterrey:25.6866:-100.3161:1|"
     "Apodaca:25.7817:-100.1886:1|Guadalajara:20.6597:-103.3496:2|León:21.125:-101.686:3",
     "Bajío|Azteca|del Norte|Hernández|Sierra Madre|Anáhuac|Del Valle|Maya", "auto|food"},
    {"BR", "Brazil", 35, "Ltda.|S.A.", "pt", "acsp-sao-paulo|acminas|acrj",
     "São Paulo:-23.5505:-46.6333:0|Campinas:-22.9099:-47.0626:0|"
     "Belo Horizonte:-19.9167:-43.9345:1|Rio de Janeiro:-22.9068:-43.1729:2",
     "Paulista|Horizonte|Silva|Tropical|Cerrado|Oliveira|Atlântico", "food|auto"},
    {"NL", "the Netherlands", 40, "B.V.|N.V.", "nl", "kvk-amsterdam|kvk-rotterdam|kvk-eindhoven",
     "Amsterdam:52.3676:4.9041:0|Utrecht:52.0907:5.1214:0|Rotterdam:51.9244:4.4777:1|"
     "Eindhoven:51.4416:5.4697:2|Venlo:51.3704:6.1724:2",
     "Van Dijk|Holland|De Vries|Maas|Oranje|Bakker|Polder", "food|chemicals"},
    {"PL", "Poland", 35, "Sp. z o.o.|S.A.", "pl", "kig-warszawa|wipg-poznan|dig-wroclaw",
     "Warszawa:52.2297:21.0122:0|Łódź:51.7592:19.456:0|Poznań:52.4064:16.9252:1|"
     "Wrocław:51.1079:17.0385:2|Gdańsk:54.352:18.6466:0",
     "Nowak|Wisła|Polmet|Kowalski|Mazowsze|Bałtyk|Wielkopolska", "furniture|food|auto"},
    {"JP", "Japan", 30, "K.K.|Co., Ltd.", "ja", "jcci-tokyo|osaka-cci|nagoya-cci",
     "Tokyo:35.6762:139.6503:0|Yokohama:35.4437:139.638:0|Osaka:34.6937:135.5023:1|"
     "Kobe:34.6901:135.1955:1|Nagoya:35.1815:136.9066:2",
     "Nippon|Sakura|Yamato|Fuji|Takeda|Kansai|Tanaka", "auto|electronics|machinery"},
    {"GB", "the United Kingdom", 45, "Ltd|PLC", "en",
     "london-chamber|gm-chamber|birmingham-chamber",
     "London:51.5072:-0.1276:0|Croydon:51.3762:-0.0982:0|Manchester:53.4808:-2.2426:1|"
     "Bolton:53.5769:-2.4282:1|Birmingham:52.4862:-1.8904:2",
     "Thames|Albion|Pennine|Whitfield|Crown|Mercia|Ashford|Hartley", "pharma|software|consulting"},
    {"AT", "Austria", 30, "GmbH|AG", "de", "wko-wien|wko-oberoesterreich|wko-steiermark",
     "Wien:48.2082:16.3738:0|Linz:48.3069:14.2858:1|Wels:48.1575:14.0289:1|"
     "Steyr:48.0389:14.4192:1|Graz:47.0707:15.4395:2",
     "Donau|Gruber|Tauern|Huber|Steirer|Alpina|Wachau", "machinery|metal"},
    {"CH", "Switzerland", 30, "AG|GmbH|SA", "de|fr|it", "zhk-zuerich|cci-geneve|hkbb-basel",
     "Zürich:47.3769:8.5417:0|Winterthur:47.4988:8.7237:0|Genève:46.2044:6.1432:1|"
     "Basel:47.5596:7.5886:2",
     "Helvetia|Säntis|Brunner|Léman|Rigi|Meier|Jura", "pharma|medical|machinery"},
    {"IN", "India", 30, "Pvt. Ltd.|Ltd.", "hi|en", "ficci-delhi|bcci-mumbai|mcci-chennai",
     "Delhi:28.6139:77.209:0|Gurugram:28.4595:77.0266:0|Mumbai:19.076:72.8777:1|"
     "Pune:18.5204:73.8567:1|Chennai:13.0827:80.2707:2",
     "Bharat|Shakti|Sharma|Ganges|Patel|Deccan|Lotus|Reddy", "software|pharma|textiles"},
    {"TR", "Türkiye", 25, "A.Ş.|Ltd. Şti.", "tr", "ito-istanbul|izto-izmir|btso-bursa",
     "İstanbul:41.0082:28.9784:0|İzmir:38.4237:27.1428:1|Manisa:38.6191:27.4289:1|"
     "Bursa:40.1885:29.061:2",
     "Anadolu|Yılmaz|Marmara|Ege|Boğaziçi|Demir|Kaya", "textiles|auto"},
    {"CA", "Canada", 25, "Inc.|Ltd.", "en|fr",
     "toronto-board-of-trade|ccmm-montreal|vancouver-board-of-trade",
     "Toronto:43.6532:-79.3832:0|Mississauga:43.589:-79.6441:0|Montréal:45.5019:-73.5674:1|"
     "Laval:45.6066:-73.7124:1|Vancouver:49.2827:-123.1207:2",
     "Maple|Northern|Laurentian|Cascadia|Tremblay|Huron|Boreal", "software|food"},
    {"KR", "South Korea", 20, "Co., Ltd.", "ko", "kcci-seoul|busan-cci",
     "Seoul:37.5665:126.978:0|Incheon:37.4563:126.7052:0|Busan:35.1796:129.0756:1|"
     "Ulsan:35.5384:129.3114:1|Changwon:35.228:128.6811:1",
     "Hanil|Daesung|Samil|Hankook|Jinyang|Seohan", "electronics|auto"},
    {"BE", "Belgium", 25, "BV|NV|SRL", "nl|fr", "voka-antwerpen|beci-brussels|cci-wallonie",
     "Antwerpen:51.2194:4.4025:0|Gent:51.0543:3.7174:0|Brussel:50.8503:4.3517:1|"
     "Liège:50.6326:5.5797:2|Charleroi:50.4108:4.4446:2",
     "Schelde|Peeters|Ardennes|Janssens|Brabant|Meuse|Flandria", "chemicals|pharma"},
    {"SE", "Sweden", 20, "AB", "sv", "stockholm-chamber|west-sweden-chamber|sydsvenska-chamber",
     "Stockholm:59.3293:18.0686:0|Uppsala:59.8586:17.6389:0|Göteborg:57.7089:11.9746:1|"
     "Borås:57.721:12.9401:1|Malmö:55.605:13.0038:2",
     "Nordic|Lindqvist|Norrland|Berg|Svea|Ekström|Vänern", "machinery|software"},
    {"CZ", "Czechia", 20, "s.r.o.|a.s.", "cs", "hk-praha|rhk-brno|hk-ostrava",
     "Praha:50.0755:14.4378:0|Mladá Boleslav:50.4114:14.9032:0|Brno:49.1951:16.6068:1|"
     "Ostrava:49.8209:18.2625:2",
     "Bohemia|Novák|Morava|Vltava|Dvořák|Krkonoše", "auto|machinery"},
    {"CL", "Chile", 15, "SpA|S.A.|Ltda.", "es", "ccs-santiago|camara-valparaiso|cpcc-concepcion",
     "Santiago:-33.4489:-70.6693:0|Valparaíso:-33.0472:-71.6127:1|"
     "Viña del Mar:-33.0245:-71.5518:1|Concepción:-36.8201:-73.0444:2",
     "Andes|Pacífico|Muñoz|Austral|Maipo|Aconcagua", "food"},
    {"CO", "Colombia", 15, "S.A.S.|S.A.", "es", "ccb-bogota|camara-medellin|ccc-cali",
     "Bogotá:4.711:-74.0721:0|Medellín:6.2442:-75.5812:1|Itagüí:6.1719:-75.6114:1|"
     "Cali:3.4516:-76.532:2",
     "Andina|Cafetera|Restrepo|Magdalena|Antioquia|Caribe", "food|textiles"},
    {"AR", "Argentina", 12, "S.A.|S.R.L.", "es", "cac-buenos-aires|ccc-cordoba|bcr-rosario",
     "Buenos Aires:-34.6037:-58.3816:0|Córdoba:-31.4201:-64.1888:1|Rosario:-32.9442:-60.6505:2",
     "Pampa|Plata|Fernández|Patagonia|Cuyo|Paraná", "food"},
    {"PT", "Portugal", 15, "Lda.|S.A.", "pt", "ccip-lisboa|acp-porto",
     "Lisboa:38.7223:-9.1393:0|Porto:41.1579:-8.6291:1|Braga:41.5454:-8.4265:1|"
     "Aveiro:40.6405:-8.6538:1",
     "Lusitana|Tejo|Douro|Ferreira|Atlântica|Minho", "textiles|furniture"},
    {"DK", "Denmark", 12, "ApS|A/S", "da", "dansk-erhverv|erhverv-aarhus",
     "København:55.6761:12.5683:0|Odense:55.4038:10.4024:0|Aarhus:56.1629:10.2039:1",
     "Nordsø|Jensen|Jylland|Hansen|Øresund|Dana", "pharma|food"},
    {"HU", "Hungary", 10, "Kft.|Zrt.", "hu", "bkik-budapest|kik-gyor",
     "Budapest:47.4979:19.0402:0|Debrecen:47.5316:21.6273:0|Győr:47.6875:17.6504:1",
     "Duna|Tisza|Nagy|Pannon|Balaton|Kovács", "auto|electronics"},
    {"RO", "Romania", 10, "S.R.L.|S.A.", "ro", "ccib-bucuresti|cci-cluj|cci-timis",
     "București:44.4268:26.1025:0|Cluj-Napoca:46.7712:23.6236:1|Timișoara:45.7489:21.2087:2",
     "Carpați|Popescu|Dunărea|Transilvania|Banat", "auto|software"},
    {"PE", "Peru", 10, "S.A.C.|S.A.", "es", "ccl-lima|camara-arequipa",
     "Lima:-12.0464:-77.0428:0|Trujillo:-8.1116:-79.0288:0|Arequipa:-16.409:-71.5375:1",
     "Inca|Andino|Quispe|Pacífico|Misti", "food|textiles"},
    {"ZA", "South Africa", 8, "(Pty) Ltd", "en|af|zu",
     "jcci-johannesburg|cape-chamber|durban-chamber",
     "Johannesburg:-26.2041:28.0473:0|Pretoria:-25.7479:28.2293:0|Cape Town:-33.9249:18.4241:1|"
     "Durban:-29.8587:31.0218:2",
     "Highveld|Protea|Karoo|Van der Merwe|Cape|Zulu", "auto|chemicals"},
    {"VN", "Vietnam", 10, "Co., Ltd.|JSC", "vi", "vcci-hanoi|vcci-hcmc",
     "Hà Nội:21.0278:105.8342:0|Hải Phòng:20.8449:106.6881:0|"
     "Thành phố Hồ Chí Minh:10.8231:106.6297:1|Bình Dương:11.3254:106.477:1",
     "Saigon|Hồng Hà|Nguyễn|Mekong|Thăng Long|Phú Mỹ", "textiles|electronics|furniture"},
    {"AE", "the United Arab Emirates", 10, "LLC|FZE", "ar", "dubai-chamber|adcci|sharjah-chamber",
     "Dubai:25.2048:55.2708:0|Abu Dhabi:24.4539:54.3773:1|Sharjah:25.3463:55.4209:2",
     "Al Noor|Gulf|Emirates|Al Falah|Oasis|Al Madina", "consulting|food"},
    {"IE", "Ireland", 10, "Ltd|DAC", "en|ga", "dublin-chamber|cork-chamber",
     "Dublin:53.3498:-6.2603:0|Galway:53.2707:-9.0568:0|Cork:51.8985:-8.4756:1",
     "Shannon|Liffey|Murphy|Emerald|Kerry|O'Brien", "pharma|software|medical"},
};

struct IndustryRow {
  const char* key;
  int weight;
  const char* producer_codes;  // NACE classes or groups of what its makers do
  const char* wholesale;       // NACE group of its distributors; "" for services
  const char* inputs;          // what its makers buy
  bool startups;               // common among start-ups
  const char* term;            // in company names
  const char* products;        // "distributor of ..."
  const char* what;            // "Maker of ..."
  const char* keywords;
  const char* certifications;
};

constexpr IndustryRow kIndustries[] = {
    {"food", 16, "10.84|10.3|11.05|10.82|10.51", "46.3", "22.22|10.3|10.51", true, "Foods",
     "food and beverages",
     "sauces, preserves, confectionery, dairy products and beer for retail and food service",
     "sauces|preserves|snacks|confectionery|beer|dairy|organic|private label|gourmet",
     "IFS Food|BRCGS|ISO 22000|FSSC 22000|Organic"},
    {"machinery", 12, "28.41|28.22|28.29|28.13", "46.6", "25.62|27.11|26.51|25.11", true,
     "Machinery", "machinery and equipment",
     "machine tools, lifting gear, pumps and special-purpose machines for industry",
     "machine tools|CNC|automation|pumps|conveyors|hoists|retrofit|spare parts",
     "ISO 9001|CE|ISO 14001|ISO 45001"},
    {"auto", 9, "29.32|29.31", "45.3", "25.50|22.29|27.11|25.62", false, "Automotive",
     "automotive parts", "parts and wiring harnesses for cars and trucks",
     "automotive|OEM|tier 2|aftermarket|wiring harness|stamping|EV components",
     "IATF 16949|ISO 9001|ISO 14001|VDA 6.3"},
    {"plastics", 6, "22.29|22.21|22.22", "46.7", "20.59|28.29", false, "Plastics",
     "plastic products", "injection-moulded parts, profiles and packaging made of plastics",
     "injection moulding|extrusion|packaging|technical parts|recycled plastics|thermoforming",
     "ISO 9001|ISO 14001|ISO 15378"},
    {"chemicals", 6, "20.59|20.41|20.30", "46.7", "20.59|22.22", false, "Chemicals",
     "chemical products", "coatings, detergents and speciality chemicals",
     "coatings|paints|detergents|adhesives|speciality chemicals|REACH",
     "ISO 9001|ISO 14001|Responsible Care"},
    {"pharma", 4, "21.20|21.10", "46.4", "21.10|22.22", true, "Pharma", "pharmaceuticals",
     "generic medicines, active ingredients and food supplements",
     "generics|API|supplements|OTC|GMP|clinical trials", "GMP|ISO 9001|ISO 13485"},
    {"textiles", 6, "13.92|14.13|13.20", "46.4", "13.20|20.59", false, "Textiles",
     "textiles and clothing", "home textiles, woven fabrics and outerwear",
     "textiles|home textiles|fabrics|apparel|workwear|sustainable fashion",
     "OEKO-TEX|GOTS|ISO 9001"},
    {"furniture", 5, "31.09|31.01|31.02", "46.4", "13.92|25.11|22.21", false, "Furniture",
     "furniture", "furniture for homes, offices and kitchens",
     "furniture|office furniture|kitchens|solid wood|contract furnishing|interior design",
     "FSC|PEFC|ISO 9001"},
    {"electronics", 8, "26.51|27.11|26.30|27.12", "46.5", "22.29|25.50|26.30", true, "Electronics",
     "electronic and electrical equipment",
     "measuring instruments, electric motors, switchgear and communication devices",
     "electronics|sensors|measurement|electric motors|switchgear|IoT|embedded systems",
     "ISO 9001|CE|UL|RoHS"},
    {"metal", 8, "25.62|25.11|25.50", "46.7", "28.41|20.30", false, "Metalworks",
     "metal products and components",
     "machined, stamped and welded metal components and steel structures",
     "CNC machining|sheet metal|welding|forging|steel structures|precision parts",
     "ISO 9001|ISO 3834|EN 1090"},
    {"medical", 4, "32.50|26.60", "46.4", "22.29|26.51|25.62", true, "Medical", "medical devices",
     "medical and dental instruments, implants and diagnostic equipment",
     "medical devices|dental|implants|diagnostics|MDR", "ISO 13485|CE|FDA registered"},
    {"software", 8, "62.01|62.02", "46.5", "62.02|70.22", true, "Software", "software",
     "business software, apps and cloud platforms", "software|SaaS|ERP|cloud|apps|AI|cybersecurity",
     "ISO 27001|SOC 2"},
    {"consulting", 4, "70.22|69.20", "", "62.01", false, "Consulting", "consulting services",
     "management, tax and market-entry consulting for companies going abroad",
     "market entry|consulting|tax|compliance|interim management|export", "ISO 9001"},
    {"engineering", 4, "71.12|71.20", "", "62.01|71.20", false, "Engineering",
     "engineering services", "engineering, design and testing services for plants and products",
     "engineering|plant design|testing|certification|CAD|BIM", "ISO 9001|ISO 17025"},
};

constexpr int kNumCountries = sizeof(kCountries) / sizeof(kCountries[0]);
constexpr int kNumIndustries = sizeof(kIndustries) / sizeof(kIndustries[0]);

constexpr const char* kInvestorSectors[] = {"64.30", "64.99", "66.30"};
constexpr const char* kInvestorKeywords[] = {"private equity", "venture capital", "growth capital",
                                             "mezzanine",      "family office",   "buy-out"};
constexpr const char* kExtraLanguages[] = {"en", "de", "fr", "es", "pt", "zh", "it"};
constexpr const char* kNameWords[] = {"Group",     "International", "Industries",
                                      "Solutions", "Works",         "Systems"};
constexpr int64_t kFutureValidUntil = 1924991999;  // 2030-12-31T23:59:59Z
constexpr int64_t kPastValidUntil = 1719791999;    // 2024-06-30T23:59:59Z

// ---------------------------------------------------------------------------
// The tables, parsed.

struct City {
  std::string name;
  int64_t latitude_e4;  // ten-thousandths of a degree, so jittered points print short
  int64_t longitude_e4;
  int chamber;
};

struct Country {
  const CountryRow* row;
  std::vector<std::string> legal_forms, languages, chambers, name_roots;
  std::vector<City> cities;
  int industry_weights[kNumIndustries];
};

struct Industry {
  const IndustryRow* row;
  std::vector<std::string> producer_codes, inputs, keywords, certifications;
};

struct Catalog {
  std::vector<Country> countries;
  std::vector<Industry> industries;
  std::vector<int> country_cumulative;  // running sums of the country weights
};

std::vector<std::string> Split(const char* list) {
  if (*list == '\0') return {};
  return absl::StrSplit(list, '|');
}

Catalog BuildCatalog() {
  Catalog catalog;
  for (const IndustryRow& row : kIndustries) {
    catalog.industries.push_back({&row, Split(row.producer_codes), Split(row.inputs),
                                  Split(row.keywords), Split(row.certifications)});
  }
  int total = 0;
  for (const CountryRow& row : kCountries) {
    Country c{&row,
              Split(row.legal_forms),
              Split(row.languages),
              Split(row.chambers),
              Split(row.name_roots),
              {},
              {}};
    for (absl::string_view city : absl::StrSplit(row.cities, '|')) {
      std::vector<std::string> parts = absl::StrSplit(city, ':');
      double lat = 0, lng = 0;
      int chamber = 0;
      // The tables are ours; a typo shows up in the tests as an invalid profile.
      (void)absl::SimpleAtod(parts[1], &lat);
      (void)absl::SimpleAtod(parts[2], &lng);
      (void)absl::SimpleAtoi(parts[3], &chamber);
      c.cities.push_back({parts[0], std::llround(lat * 1e4), std::llround(lng * 1e4), chamber});
    }
    const std::vector<std::string> strengths = Split(row.strengths);
    for (int i = 0; i < kNumIndustries; ++i) {
      const bool strong =
          std::find(strengths.begin(), strengths.end(), kIndustries[i].key) != strengths.end();
      c.industry_weights[i] = kIndustries[i].weight * (strong ? 3 : 1);
    }
    catalog.countries.push_back(std::move(c));
    total += row.weight;
    catalog.country_cumulative.push_back(total);
  }
  return catalog;
}

const Catalog& GetCatalog() {
  static const Catalog* const catalog = new Catalog(BuildCatalog());
  return *catalog;
}

// ---------------------------------------------------------------------------
// Randomness that is the same on every platform: splitmix64, and our own
// uniform and weighted picks.

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t index)
      : state_(Mix(Mix(seed ^ 0x5EED5EED5EED5EEDULL) + Mix(index))) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  // Uniform in [0, n); n > 0. The bias of the multiply-shift is below 2^-32.
  int Below(int n) {
    return static_cast<int>((static_cast<unsigned __int128>(Next()) * static_cast<uint64_t>(n)) >>
                            64);
  }
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<int>(v.size()))];
  }
  // An index drawn with probability weights[i] / sum(weights).
  int Weighted(const int* weights, int n) {
    int total = 0;
    for (int i = 0; i < n; ++i) total += weights[i];
    int r = Below(total);
    for (int i = 0; i < n; ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return n - 1;
  }
  // `k` distinct indices of [0, n) in random order.
  std::vector<int> Sample(int n, int k) {
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    k = std::min(k, n);
    for (int i = 0; i < k; ++i) std::swap(all[i], all[Between(i, n - 1)]);
    all.resize(k);
    return all;
  }

 private:
  uint64_t state_;
};

// ---------------------------------------------------------------------------
// Profile parts.

enum class Role { kProducer, kDistributor, kBuyer, kService, kInvestor, kStartup, kCooperation };

constexpr int kRoleWeights[] = {36, 26, 10, 9, 4, 8, 7};

bool Contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void AddUnique(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) *list->Add() = value;
}

// Appends `lo` to `hi` distinct entries of `from` (fewer if it is shorter).
template <typename List>
void AddSome(Rng& rng, const List& from, int lo, int hi,
             google::protobuf::RepeatedPtrField<std::string>* to) {
  const int k = rng.Between(lo, hi);
  for (int i : rng.Sample(static_cast<int>(std::size(from)), k)) *to->Add() = from[i];
}

// A country index, weighted like the members.
int PickCountry(Rng& rng) {
  const std::vector<int>& cumulative = GetCatalog().country_cumulative;
  const int r = rng.Below(cumulative.back());
  return static_cast<int>(std::upper_bound(cumulative.begin(), cumulative.end(), r) -
                          cumulative.begin());
}

// Up to `count` distinct countries weighted like the members, none of them in
// `taken`; fewer only if `taken` holds nearly all the weight.
std::vector<int> PickCountries(Rng& rng, int count, std::vector<int> taken) {
  std::vector<int> picked;
  for (int attempt = 0; static_cast<int>(picked.size()) < count && attempt < 64; ++attempt) {
    const int c = PickCountry(rng);
    if (Contains(taken, c)) continue;
    taken.push_back(c);
    picked.push_back(c);
  }
  return picked;
}

// Whether a company of `role` may be in the industry of `row`.
bool Fits(Role role, const IndustryRow& row) {
  const bool goods = row.wholesale[0] != '\0';
  switch (role) {
    case Role::kProducer:
    case Role::kDistributor:
    case Role::kBuyer:
      return goods;
    case Role::kService:
      return !goods || absl::string_view(row.key) == "software";
    case Role::kStartup:
      return row.startups;
    default:
      return true;
  }
}

int PickIndustry(Rng& rng, const Country& country, Role role) {
  int weights[kNumIndustries];
  for (int i = 0; i < kNumIndustries; ++i) {
    weights[i] = Fits(role, kIndustries[i]) ? country.industry_weights[i] : 0;
  }
  return rng.Weighted(weights, kNumIndustries);
}

// Mostly small and medium-sized companies, a few large ones.
int PickEmployees(Rng& rng, Role role) {
  static constexpr int kWeights[] = {120, 400, 340, 95, 35, 10};
  static constexpr int kRanges[][2] = {{2, 9},     {10, 49},     {50, 249},
                                       {250, 999}, {1000, 4999}, {5000, 60000}};
  if (role == Role::kStartup) return rng.Between(2, 40);
  if (role == Role::kInvestor) return rng.Between(3, 80);
  const int bucket = rng.Weighted(kWeights, 6);
  return rng.Between(kRanges[bucket][0], kRanges[bucket][1]);
}

std::string MarketNames(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::vector<std::string> names;
  for (const std::string& code : codes) {
    for (const CountryRow& row : kCountries) {
      if (code == row.code) names.push_back(row.name);
    }
  }
  return absl::StrJoin(names, ", ");
}

Objective* AddObjective(Profile* p, Objective::Type type, Objective::Direction direction) {
  Objective* o = p->add_objectives();
  o->set_type(type);
  o->set_direction(direction);
  return o;
}

// The first 1..max of the profile's target markets, most important first.
void AddLeadMarkets(Rng& rng, const Profile& p, int max, Objective* o) {
  const int n = std::min(max, p.target_markets_size());
  if (n == 0) return;
  for (int i = 0, k = rng.Between(1, n); i < k; ++i) o->add_markets(p.target_markets(i));
}

void AddSymmetric(Rng& rng, Profile* p) {
  static constexpr Objective::Type kTypes[] = {
      Objective::JOINT_VENTURE, Objective::TECHNICAL_COOPERATION, Objective::RESEARCH_COOPERATION};
  static constexpr const char* kNotes[] = {"A jointly owned company for a new market",
                                           "Joint engineering of products and processes",
                                           "Joint research projects, also publicly funded"};
  const int t = rng.Below(3);
  Objective* o = AddObjective(p, kTypes[t], Objective::DIRECTION_UNSPECIFIED);
  if (rng.Percent(70)) *o->mutable_sectors() = p->sectors();
  if (rng.Percent(60)) AddLeadMarkets(rng, *p, 2, o);
  o->set_note(kNotes[t]);
}

void AddObjectives(Rng& rng, Role role, const Country& country, const Industry& industry,
                   Profile* p) {
  const IndustryRow& row = *industry.row;
  switch (role) {
    case Role::kProducer: {
      const bool agency = rng.Percent(25);
      Objective* o =
          AddObjective(p, agency ? Objective::AGENCY : Objective::DISTRIBUTION, Objective::SEEK);
      o->add_sectors(row.wholesale);
      AddLeadMarkets(rng, *p, 3, o);
      o->set_note(absl::StrCat(agency ? "Sales agents for our " : "Distributors for our ",
                               row.products, " in ", MarketNames(o->markets())));
      if (rng.Percent(30)) {
        static constexpr Objective::Type kTypes[] = {Objective::SUPPLY, Objective::MANUFACTURING,
                                                     Objective::LICENSING};
        static constexpr const char* kNotes[] = {"We supply small and large series",
                                                 "Contract manufacturing with free capacity",
                                                 "Licences for our designs and know-how"};
        const int t = rng.Below(3);
        Objective* offer = AddObjective(p, kTypes[t], Objective::OFFER);
        *offer->mutable_sectors() = p->sectors();
        offer->set_note(kNotes[t]);
      }
      if (rng.Percent(20)) {
        Objective* seek = AddObjective(p, Objective::SUPPLY, Objective::SEEK);
        AddSome(rng, industry.inputs, 1, 2, seek->mutable_sectors());
        seek->set_note("Suppliers of parts and materials");
      }
      if (rng.Percent(10)) AddSymmetric(rng, p);
      break;
    }
    case Role::kDistributor: {
      // Agents represent foreign makers; some distributors do both. Broad-line
      // wholesalers carry every industry of their wholesale group.
      const int kind = rng.Below(100);
      const bool broad_line = rng.Percent(35);
      for (Objective::Type type : {Objective::DISTRIBUTION, Objective::AGENCY}) {
        if ((type == Objective::DISTRIBUTION && kind >= 85) ||
            (type == Objective::AGENCY && kind < 70)) {
          continue;
        }
        Objective* o = AddObjective(p, type, Objective::OFFER);
        for (const Industry& other : GetCatalog().industries) {
          if (&other != &industry &&
              (!broad_line || absl::string_view(other.row->wholesale) != row.wholesale)) {
            continue;
          }
          for (const std::string& code : other.producer_codes) o->add_sectors(code);
        }
        o->add_markets(country.row->code);
        o->set_note(absl::StrCat(type == Objective::DISTRIBUTION ? "We import and distribute "
                                                                 : "We represent makers of ",
                                 row.products, " in ", country.row->name));
      }
      break;
    }
    case Role::kBuyer: {
      Objective* o = AddObjective(p, Objective::SUPPLY, Objective::SEEK);
      AddSome(rng, industry.inputs, 1, 3, o->mutable_sectors());
      AddLeadMarkets(rng, *p, 3, o);
      o->set_note(absl::StrCat("Suppliers in ", MarketNames(o->markets())));
      break;
    }
    case Role::kService: {
      Objective* o = AddObjective(p, Objective::OUTSOURCING, Objective::OFFER);
      *o->mutable_sectors() = p->sectors();
      AddLeadMarkets(rng, *p, 3, o);
      o->set_note(
          absl::StrCat("Our ", row.products, " for clients in ", MarketNames(o->markets())));
      if (rng.Percent(40)) {
        Objective* agent = AddObjective(p, Objective::AGENCY, Objective::SEEK);
        AddLeadMarkets(rng, *p, 2, agent);
        agent->set_note("Partners who introduce us to clients");
      }
      if (rng.Percent(20)) AddSymmetric(rng, p);
      break;
    }
    case Role::kInvestor: {
      Objective* o = AddObjective(p, Objective::INVESTMENT, Objective::OFFER);
      for (int i : rng.Sample(kNumIndustries, rng.Between(1, 3))) {
        // Investors name divisions ("62") as often as classes.
        const std::string& code = GetCatalog().industries[i].producer_codes[0];
        o->add_sectors(rng.Percent(50) ? code.substr(0, 2) : code);
      }
      for (int c : PickCountries(rng, rng.Below(3), {})) o->add_markets(kCountries[c].code);
      const int min_million = rng.Between(1, 3);  // draws in a fixed order
      const int max_million = rng.Between(5, 20);
      o->set_note(absl::StrFormat("Stakes of EUR %d to %d million", min_million, max_million));
      break;
    }
    case Role::kStartup: {
      Objective* o = AddObjective(p, Objective::INVESTMENT, Objective::SEEK);
      o->add_markets(country.row->code);
      if (rng.Percent(50)) AddLeadMarkets(rng, *p, 2, o);
      o->set_note(rng.Percent(50) ? "Seed round" : "Series A round");
      if (rng.Percent(40)) AddSymmetric(rng, p);
      break;
    }
    case Role::kCooperation:
      AddSymmetric(rng, p);
      if (rng.Percent(30)) AddSymmetric(rng, p);
      break;
  }
}

std::string CompanyName(Rng& rng, const Country& country, absl::string_view term) {
  const std::string& root = rng.Pick(country.name_roots);
  const std::string& form =
      rng.Percent(60) ? country.legal_forms[0] : rng.Pick(country.legal_forms);
  switch (rng.Below(3)) {
    case 0:
      return absl::StrCat(root, " ", term, " ", form);
    case 1: {
      const std::string& other = rng.Pick(country.name_roots);
      if (other != root) return absl::StrCat(root, " & ", other, " ", form);
      return absl::StrCat(root, " ", form);
    }
    default:
      return absl::StrCat(root, " ", kNameWords[rng.Below(6)], " ", form);
  }
}

std::string Description(Role role, const Country& country, const IndustryRow& row,
                        const Profile& p) {
  std::string what;
  switch (role) {
    case Role::kProducer:
    case Role::kCooperation:
      what = absl::StrCat(row.wholesale[0] == '\0' ? "We provide " : "Maker of ", row.what, ".");
      break;
    case Role::kDistributor:
      what = absl::StrCat(p.objectives(0).type() == Objective::DISTRIBUTION
                              ? "Importer and distributor of "
                              : "Sales agency for foreign makers of ",
                          row.products, " in ", country.row->name, ".");
      break;
    case Role::kBuyer:
      what = absl::StrCat("Maker of ", row.what, ", sourcing parts and materials abroad.");
      break;
    case Role::kService:
      what = absl::StrCat("We provide ", row.what, ".");
      break;
    case Role::kInvestor:
      what = "Investment company backing growing industrial and technology companies.";
      break;
    case Role::kStartup:
      what = absl::StrCat("Start-up developing new ", row.products, ".");
      break;
  }
  return absl::StrCat(what, " Founded in ", p.founded_year(), ", based in ", p.city(), ", ",
                      p.employees(), " employees.");
}

}  // namespace

ProfileGenerator::ProfileGenerator(const GeneratorOptions& options) : seed_(options.seed) {}

Profile ProfileGenerator::Next() { return Generate(next_index_++); }

Profile ProfileGenerator::Generate(uint64_t index) const {
  const Catalog& catalog = GetCatalog();
  Rng rng(seed_, index);
  const int country_index = PickCountry(rng);
  const Country& country = catalog.countries[country_index];
  const Role role = static_cast<Role>(rng.Weighted(kRoleWeights, 7));
  const Industry& industry = catalog.industries[PickIndustry(rng, country, role)];
  const IndustryRow& row = *industry.row;

  Profile p;
  p.set_id(absl::StrFormat("%c%c-%07d", country.row->code[0] + ('a' - 'A'),
                           country.row->code[1] + ('a' - 'A'), index));
  const City& city = rng.Pick(country.cities);
  // Most members belong to their city's chamber; the rest to another one of
  // the country (a bi-national chamber, a neighbouring region).
  p.set_chamber_id(rng.Percent(85) ? country.chambers[city.chamber] : rng.Pick(country.chambers));
  p.set_country(country.row->code);
  p.set_city(city.name);
  if (rng.Percent(95)) {
    p.mutable_location()->set_latitude(
        static_cast<double>(city.latitude_e4 + rng.Between(-300, 300)) / 1e4);
    p.mutable_location()->set_longitude(
        static_cast<double>(city.longitude_e4 + rng.Between(-300, 300)) / 1e4);
  }

  absl::string_view term = row.term;
  switch (role) {
    case Role::kDistributor:
      p.add_sectors(row.wholesale);
      term = rng.Percent(50) ? "Trading" : "Distribution";
      break;
    case Role::kInvestor:
      AddSome(rng, kInvestorSectors, 1, 2, p.mutable_sectors());
      term = rng.Percent(50) ? "Capital" : "Ventures";
      break;
    default:
      AddSome(rng, industry.producer_codes, 1, 2, p.mutable_sectors());
  }
  p.set_name(CompanyName(rng, country, term));
  p.set_employees(PickEmployees(rng, role));
  if (role == Role::kStartup) {
    p.set_founded_year(rng.Between(2015, 2024));
  } else {
    // Ages skewed towards young companies; a few founded around 1900.
    const int a = rng.Below(125);  // draws in a fixed order, not in one expression
    const int b = rng.Below(125);
    p.set_founded_year(2024 - a * (b + 1) / 125);
  }

  for (const std::string& language : country.languages) {
    if (language == country.languages[0] || rng.Percent(50)) p.add_languages(language);
  }
  if (rng.Percent(75)) AddUnique(p.mutable_languages(), "en");
  if (rng.Percent(8)) AddUnique(p.mutable_languages(), kExtraLanguages[rng.Below(7)]);

  static constexpr int kTargetCountWeights[] = {0, 25, 25, 20, 15, 15};  // 1 to 5
  std::vector<int> taken =
      PickCountries(rng, rng.Weighted(kTargetCountWeights, 6), {country_index});
  for (int c : taken) p.add_target_markets(kCountries[c].code);
  taken.push_back(country_index);  // active markets are neither home nor targets
  for (int c : PickCountries(rng, rng.Below(5), taken)) p.add_active_markets(kCountries[c].code);

  AddObjectives(rng, role, country, industry, &p);
  p.set_description(Description(role, country, row, p));
  if (role == Role::kInvestor) {
    AddSome(rng, kInvestorKeywords, 2, 4, p.mutable_keywords());
  } else {
    AddSome(rng, industry.keywords, 2, 5, p.mutable_keywords());
    if (role == Role::kDistributor) AddUnique(p.mutable_keywords(), "distribution");
  }
  if (role != Role::kInvestor && role != Role::kDistributor && rng.Percent(40)) {
    AddSome(rng, industry.certifications, 1, 2, p.mutable_certifications());
  }

  const int visibility = rng.Below(100);
  p.set_visibility(visibility < 80   ? Profile::FEDERATION
                   : visibility < 95 ? Profile::CHAMBER
                                     : Profile::PRIVATE);
  const int validity = rng.Below(100);
  if (validity >= 85) {
    p.mutable_valid_until()->set_seconds(validity < 97 ? kFutureValidUntil : kPastValidUntil);
  }
  return p;
}

}  // namespace socio::bench
