#include "clients/import_reader.h"

#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "storage/profile_validation.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::clients {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::socio::v1::Objective;
using ::socio::v1::Profile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// The line DESIGN.md section 3 says must import as it is.
constexpr char kDesignLine[] =
    R"({"id": "mx-0001", "chamberId": "canaco-cdmx", "name": "Salsas del Bajío S.A. de C.V.", )"
    R"("country": "MX", "city": "León", "sectors": ["10.84"], "employees": 85, )"
    R"("foundedYear": 2004, "languages": ["es", "en"], "description": "Maker of bottled salsas )"
    R"(and moles for retail and food service.", "keywords": ["salsa", "mole", "sauces"], )"
    R"("objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.3"], )"
    R"("markets": ["US"], "note": "Food distributor for Texas and California"}], )"
    R"("targetMarkets": ["US", "CA"], "visibility": "FEDERATION"})";

// Reads all of `text` and returns its records; fails the test if the reader
// ends with an error.
std::vector<ImportRecord> ReadAll(const std::string& text, ImportFormat format) {
  std::istringstream in(text);
  ProfileReader reader(&in, format);
  std::vector<ImportRecord> records;
  ImportRecord record;
  while (reader.Next(&record)) records.push_back(record);
  EXPECT_THAT(reader.status(), IsOk());
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(text.size()));
  return records;
}

// The single profile `text` holds, or the test fails.
Profile ReadOne(const std::string& text, ImportFormat format) {
  std::vector<ImportRecord> records = ReadAll(text, format);
  EXPECT_THAT(records, SizeIs(1));
  if (records.empty()) return Profile();
  EXPECT_THAT(records[0].profile, IsOk());
  return records[0].profile.value_or(Profile());
}

// The error of the single record of a CSV file.
absl::Status CsvRowError(const std::string& header, const std::string& row) {
  std::vector<ImportRecord> records = ReadAll(header + "\n" + row + "\n", ImportFormat::kCsv);
  EXPECT_THAT(records, SizeIs(1));
  if (records.empty()) return absl::OkStatus();
  return records[0].profile.status();
}

TEST(FormatFromPathTest, KnowsExtensions) {
  EXPECT_EQ(FormatFromPath("profiles.jsonl").value(), ImportFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("dir/profiles.NDJSON").value(), ImportFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("/tmp/x.json").value(), ImportFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("members 2025.CSV").value(), ImportFormat::kCsv);
  EXPECT_THAT(FormatFromPath("profiles.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'profiles.txt'")));
  EXPECT_THAT(FormatFromPath("exports.csv/profiles"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FormatFromPath("csv"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(JsonlTest, DesignExampleParsesWithEveryField) {
  Profile p = ReadOne(kDesignLine, ImportFormat::kJsonl);
  EXPECT_EQ(p.id(), "mx-0001");
  EXPECT_EQ(p.chamber_id(), "canaco-cdmx");
  EXPECT_EQ(p.name(), "Salsas del Bajío S.A. de C.V.");
  EXPECT_EQ(p.country(), "MX");
  EXPECT_EQ(p.city(), "León");
  EXPECT_THAT(p.sectors(), ElementsAre("10.84"));
  EXPECT_EQ(p.employees(), 85);
  EXPECT_EQ(p.founded_year(), 2004);
  EXPECT_THAT(p.languages(), ElementsAre("es", "en"));
  EXPECT_EQ(p.description(), "Maker of bottled salsas and moles for retail and food service.");
  EXPECT_THAT(p.keywords(), ElementsAre("salsa", "mole", "sauces"));
  ASSERT_THAT(p.objectives(), SizeIs(1));
  const Objective& o = p.objectives(0);
  EXPECT_EQ(o.type(), Objective::DISTRIBUTION);
  EXPECT_EQ(o.direction(), Objective::SEEK);
  EXPECT_THAT(o.sectors(), ElementsAre("46.3"));
  EXPECT_THAT(o.markets(), ElementsAre("US"));
  EXPECT_EQ(o.note(), "Food distributor for Texas and California");
  EXPECT_THAT(p.target_markets(), ElementsAre("US", "CA"));
  EXPECT_EQ(p.visibility(), Profile::FEDERATION);
  EXPECT_FALSE(p.has_location());
  EXPECT_FALSE(p.has_valid_until());
  // And the store would take it as it is.
  EXPECT_THAT(socio::storage::ProfileValidator(socio::testing::TestReference()).Normalize(&p),
              IsOk());
}

TEST(JsonlTest, SkipsBlankLinesReportsBadLinesAndGoesOn) {
  const std::string text = absl::StrCat(                     //
      R"({"id": "a-1", "name": "First"})", "\n",             // line 1
      "\n",                                                  // line 2
      R"({"id": "a-2", "employeeCount": 3})", "\n",          // line 3: unknown field
      "   \t\n",                                             // line 4
      R"({"id": "a-3", "name": x})", "\n",                   // line 5: not JSON
      R"({"id": "a-4", "visibility": "EVERYONE"})", "\r\n",  // line 6: bad enum, CRLF
      R"({"id": "a-5", "employees": 12})");                  // line 7: no final newline
  std::vector<ImportRecord> records = ReadAll(text, ImportFormat::kJsonl);
  ASSERT_THAT(records, SizeIs(5));
  EXPECT_EQ(records[0].line, 1);
  ASSERT_THAT(records[0].profile, IsOk());
  EXPECT_EQ(records[0].profile->name(), "First");

  EXPECT_EQ(records[1].line, 3);
  EXPECT_THAT(records[1].profile,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("invalid JSON: "), HasSubstr("employeeCount"))));
  EXPECT_EQ(records[2].line, 5);
  // Said on one line, with the spot the parser stopped at.
  EXPECT_THAT(records[2].profile, StatusIs(absl::StatusCode::kInvalidArgument,
                                           "invalid JSON: Unexpected token at 'x}'"));
  EXPECT_EQ(records[3].line, 6);
  EXPECT_THAT(records[3].profile,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("invalid JSON: "), HasSubstr("EVERYONE"))));
  EXPECT_THAT(records[3].profile.status().message(), Not(HasSubstr("line")));

  EXPECT_EQ(records[4].line, 7);
  ASSERT_THAT(records[4].profile, IsOk());
  EXPECT_EQ(records[4].profile->employees(), 12);
}

TEST(JsonlTest, PrettyPrintedJsonGetsAHint) {
  std::vector<ImportRecord> records =
      ReadAll("[{\"id\": \"p-1\"}]\n{\n  \"id\": \"p-2\"\n}\n", ImportFormat::kJsonl);
  ASSERT_THAT(records, SizeIs(4));
  for (const ImportRecord& record : records) {
    EXPECT_THAT(
        record.profile,
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr("invalid JSON: "),
                       HasSubstr("(each line must hold one whole profile as a JSON object)"),
                       Not(HasSubstr("\n")))))
        << "line " << record.line;
  }
}

TEST(CsvTest, QuotedCellsHoldCommasSemicolonsQuotesAndNewlines) {
  const std::string text =
      "id,name,description,keywords\n"                                       // line 1
      "c-1,\"Smith, Jones & Co\",\"Says \"\"hola\"\"; twice\",\"a; b,c\"\n"  // line 2
      "c-2,Two,\"first line\n"                                               // line 3
      "\n"                                                                   // line 4
      "third line, with comma\",k\n"                                         // line 5
      "\n"                                                                   // line 6
      "c-3,Three,plain,\n";                                                  // line 7
  std::vector<ImportRecord> records = ReadAll(text, ImportFormat::kCsv);
  ASSERT_THAT(records, SizeIs(3));

  EXPECT_EQ(records[0].line, 2);
  ASSERT_THAT(records[0].profile, IsOk());
  EXPECT_EQ(records[0].profile->name(), "Smith, Jones & Co");
  EXPECT_EQ(records[0].profile->description(), "Says \"hola\"; twice");
  EXPECT_THAT(records[0].profile->keywords(), ElementsAre("a", "b,c"));

  EXPECT_EQ(records[1].line, 3);
  ASSERT_THAT(records[1].profile, IsOk());
  // The blank line inside the quotes is part of the cell, not a skipped line.
  EXPECT_EQ(records[1].profile->description(), "first line\n\nthird line, with comma");

  EXPECT_EQ(records[2].line, 7);
  ASSERT_THAT(records[2].profile, IsOk());
  EXPECT_EQ(records[2].profile->id(), "c-3");
  EXPECT_THAT(records[2].profile->keywords(), SizeIs(0));
}

TEST(CsvTest, ObjectivesBecomeObjectiveMessages) {
  Profile p = ReadOne(
      "id,objectives\n"
      "o-1,\"SEEK:DISTRIBUTION:46.3:US, CA:Food distributor for Texas: retail; "
      ":joint_venture ; offer:Supply:10.8,10.84;\"\n",
      ImportFormat::kCsv);
  ASSERT_THAT(p.objectives(), SizeIs(3));
  EXPECT_EQ(p.objectives(0).direction(), Objective::SEEK);
  EXPECT_EQ(p.objectives(0).type(), Objective::DISTRIBUTION);
  EXPECT_THAT(p.objectives(0).sectors(), ElementsAre("46.3"));
  EXPECT_THAT(p.objectives(0).markets(), ElementsAre("US", "CA"));
  EXPECT_EQ(p.objectives(0).note(), "Food distributor for Texas: retail");

  EXPECT_EQ(p.objectives(1).direction(), Objective::DIRECTION_UNSPECIFIED);
  EXPECT_EQ(p.objectives(1).type(), Objective::JOINT_VENTURE);
  EXPECT_THAT(p.objectives(1).sectors(), SizeIs(0));
  EXPECT_EQ(p.objectives(1).note(), "");

  EXPECT_EQ(p.objectives(2).direction(), Objective::OFFER);
  EXPECT_EQ(p.objectives(2).type(), Objective::SUPPLY);
  EXPECT_THAT(p.objectives(2).sectors(), ElementsAre("10.8", "10.84"));
  EXPECT_THAT(p.objectives(2).markets(), SizeIs(0));
}

TEST(CsvTest, BadObjectivesNameTheColumnAndTheItem) {
  EXPECT_THAT(CsvRowError("id,objectives", "o-1,SEEK:DISTRO"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("column objectives: 'SEEK:DISTRO'"),
                             HasSubstr("type 'DISTRO'"), HasSubstr("DISTRIBUTION, AGENCY"))));
  EXPECT_THAT(CsvRowError("id,objectives", "o-1,DISTRIBUTION:SEEK"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("direction 'DISTRIBUTION'"), HasSubstr("OFFER or SEEK"))));
  EXPECT_THAT(CsvRowError("id,objectives", "o-1,JOINT_VENTURE"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'JOINT_VENTURE' is not an objective DIRECTION:TYPE")));
  EXPECT_THAT(CsvRowError("id,objectives", "o-1,SEEK:TYPE_UNSPECIFIED"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("type 'TYPE_UNSPECIFIED'")));
}

TEST(CsvTest, UnknownHeaderColumnFailsTheFile) {
  std::istringstream in("id,name,employee_count\nx-1,X,3\n");
  ProfileReader reader(&in, ImportFormat::kCsv);
  ImportRecord record;
  EXPECT_FALSE(reader.Next(&record));
  EXPECT_THAT(reader.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                        AllOf(HasSubstr("unknown column 'employee_count'"),
                                              HasSubstr("founded_year"))));
  EXPECT_FALSE(reader.Next(&record));
}

TEST(CsvTest, BadHeadersFailTheFile) {
  for (const char* header : {"id,name,ID", "id,,name", "id,latitude", "id,longitude"}) {
    std::istringstream in(absl::StrCat(header, "\n"));
    ProfileReader reader(&in, ImportFormat::kCsv);
    ImportRecord record;
    EXPECT_FALSE(reader.Next(&record)) << header;
    EXPECT_THAT(reader.status(), StatusIs(absl::StatusCode::kInvalidArgument)) << header;
  }
}

TEST(CsvTest, WrongCellCountIsThatRowsError) {
  std::vector<ImportRecord> records = ReadAll(
      "id,name,country\n"
      "a-1,A,MX\n"
      "a-2,\"B, Inc\",MX,extra\n"
      "a-3,C\n"
      "a-4,D,US\n",
      ImportFormat::kCsv);
  ASSERT_THAT(records, SizeIs(4));
  EXPECT_THAT(records[0].profile, IsOk());
  EXPECT_EQ(records[1].line, 3);
  EXPECT_THAT(records[1].profile,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the row has 4 cells, the header has 3 columns")));
  EXPECT_EQ(records[2].line, 4);
  EXPECT_THAT(records[2].profile,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the row has 2 cells")));
  ASSERT_THAT(records[3].profile, IsOk());
  EXPECT_EQ(records[3].profile->country(), "US");
}

TEST(CsvTest, CamelCaseAndSnakeCaseHeadersMeanTheSame) {
  const std::string row = "x-1,cc-1,10,1999,US;CA,DE,2026-01-31T00:00:00Z\n";
  Profile snake = ReadOne(
      "id,chamber_id,employees,founded_year,target_markets,active_markets,valid_until\n" + row,
      ImportFormat::kCsv);
  Profile camel =
      ReadOne("id,chamberId,employees,foundedYear,targetMarkets,activeMarkets,validUntil\n" + row,
              ImportFormat::kCsv);
  EXPECT_EQ(snake.chamber_id(), "cc-1");
  EXPECT_EQ(snake.founded_year(), 1999);
  EXPECT_THAT(snake.target_markets(), ElementsAre("US", "CA"));
  EXPECT_THAT(snake.active_markets(), ElementsAre("DE"));
  EXPECT_TRUE(MessageDifferencer::Equals(snake, camel))
      << snake.DebugString() << " vs " << camel.DebugString();
}

TEST(CsvTest, ByteOrderMarkAndCrlf) {
  std::vector<ImportRecord> records = ReadAll(
      "\xEF\xBB\xBFid,name,description\r\n"
      "b-1,B\xC3\xA9la,\"two\r\nlines\"\r\n"
      "\r\n"
      "b-2,Zwei,x\r\n",
      ImportFormat::kCsv);
  ASSERT_THAT(records, SizeIs(2));
  ASSERT_THAT(records[0].profile, IsOk());
  EXPECT_EQ(records[0].profile->id(), "b-1");  // the header's first column is "id", not BOM+"id"
  EXPECT_EQ(records[0].profile->name(), "B\xC3\xA9la");
  EXPECT_EQ(records[0].profile->description(), "two\nlines");
  EXPECT_EQ(records[1].line, 5);
  ASSERT_THAT(records[1].profile, IsOk());
  EXPECT_EQ(records[1].profile->description(), "x");
}

TEST(CsvTest, ValidUntilTakesATimeOrADate) {
  Profile date = ReadOne("id,valid_until\nv-1,2026-12-31\n", ImportFormat::kCsv);
  EXPECT_EQ(TimeUtil::ToString(date.valid_until()), "2026-12-31T23:59:59Z");
  Profile time = ReadOne("id,valid_until\nv-1,2026-06-30T12:00:00+02:00\n", ImportFormat::kCsv);
  EXPECT_EQ(TimeUtil::ToString(time.valid_until()), "2026-06-30T10:00:00Z");
  EXPECT_THAT(CsvRowError("id,valid_until", "v-1,31/12/2026"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("column valid_until: '31/12/2026' is not an RFC 3339 time")));
  EXPECT_THAT(CsvRowError("id,valid_until", "v-1,2026-13-01"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'2026-13-01'")));
}

TEST(CsvTest, AnonymousTakesYesNoTrueFalseOrOneZero) {
  std::vector<ImportRecord> records = ReadAll(
      "id,anonymous\n"
      "a-1,yes\n"
      "a-2,No\n"
      "a-3,TRUE\n"
      "a-4,false\n"
      "a-5,1\n"
      "a-6,0\n"
      "a-7,\n"
      "a-8,maybe\n",
      ImportFormat::kCsv);
  ASSERT_THAT(records, SizeIs(8));
  std::vector<bool> anonymous;
  for (int i = 0; i < 7; ++i) {
    ASSERT_THAT(records[i].profile, IsOk()) << i;
    anonymous.push_back(records[i].profile->anonymous());
  }
  EXPECT_THAT(anonymous, ElementsAre(true, false, true, false, true, false, false));
  // The bad row is reported at its own line, naming the column and the value.
  EXPECT_EQ(records[7].line, 9);
  EXPECT_THAT(records[7].profile,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "column anonymous: 'maybe' is not yes or no (also true/false, 1/0)"));
  // The JSON name is the same; the header is case-insensitive.
  EXPECT_TRUE(ReadOne("id,Anonymous\na-1,Yes\n", ImportFormat::kCsv).anonymous());
}

TEST(CsvTest, CellErrorsNameTheColumnAndTheValue) {
  EXPECT_THAT(CsvRowError("id,employees", "e-1,many"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "column employees: 'many' is not a whole number"));
  EXPECT_THAT(CsvRowError("id,foundedYear", "e-1,1999.5"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "column foundedYear: '1999.5' is not a whole number"));
  EXPECT_THAT(CsvRowError("id,employees", "e-1,99999999999"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("out of range")));
  EXPECT_THAT(CsvRowError("id,visibility", "e-1,public"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "column visibility: 'public' is not PRIVATE, CHAMBER or FEDERATION"));
  EXPECT_THAT(CsvRowError("id,latitude,longitude", "e-1,19.4,"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("column latitude: set without a longitude")));
  EXPECT_THAT(
      CsvRowError("id,latitude,longitude", "e-1,north,-99.1"),
      StatusIs(absl::StatusCode::kInvalidArgument, "column latitude: 'north' is not a number"));
  EXPECT_THAT(CsvRowError("id,name", "e-1,\"Le\xF3n\""),  // Latin-1, as old spreadsheets save it
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("column name"), HasSubstr("UTF-8"))));
  EXPECT_THAT(CsvRowError("id,name", "e-1,\"Acme\" Inc"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("column name: unexpected text after the closing quote")));
}

TEST(CsvTest, UnclosedQuoteEndsWithThatRowsError) {
  std::vector<ImportRecord> records = ReadAll(
      "id,name\n"
      "u-1,One\n"
      "u-2,\"Two\n"
      "u-3,Three\n",
      ImportFormat::kCsv);
  ASSERT_THAT(records, SizeIs(2));
  EXPECT_THAT(records[0].profile, IsOk());
  EXPECT_EQ(records[1].line, 3);
  EXPECT_THAT(records[1].profile,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("column name: the quoted cell opened on line 3 is not closed")));
}

TEST(CsvTest, EmptyCellsLeaveFieldsUnsetAndListsAreTrimmed) {
  Profile p = ReadOne(
      "id,name,city,latitude,longitude,employees,languages,certifications,visibility,valid_until\n"
      "t-1,  Trimmed  ,,,,, es ;; en ; ,ISO 9001;IFS Food,chamber,\n",
      ImportFormat::kCsv);
  EXPECT_EQ(p.name(), "Trimmed");
  EXPECT_EQ(p.city(), "");
  EXPECT_FALSE(p.has_location());
  EXPECT_EQ(p.employees(), 0);
  EXPECT_THAT(p.languages(), ElementsAre("es", "en"));
  EXPECT_THAT(p.certifications(), ElementsAre("ISO 9001", "IFS Food"));
  EXPECT_EQ(p.visibility(), Profile::CHAMBER);
  EXPECT_FALSE(p.has_valid_until());
}

TEST(CsvTest, RowEqualsTheSameProfileInJsonl) {
  Profile from_csv = ReadOne(
      "id,chamberId,name,country,city,latitude,longitude,sectors,employees,foundedYear,"
      "languages,description,keywords,objectives,targetMarkets,activeMarkets,certifications,"
      "visibility,validUntil,anonymous\n"
      "mx-0001,canaco-cdmx,Salsas del Bajío S.A. de C.V.,MX,León,21.12,-101.68,10.84,85,2004,"
      "es;en,Maker of bottled salsas and moles for retail and food service.,salsa;mole;sauces,"
      "SEEK:DISTRIBUTION:46.3:US:Food distributor for Texas and California;"
      ":TECHNICAL_COOPERATION,US;CA,GT,ISO 22000,FEDERATION,2027-03-31,yes\n",
      ImportFormat::kCsv);
  Profile from_jsonl = ReadOne(
      R"({"id": "mx-0001", "chamberId": "canaco-cdmx", "name": "Salsas del Bajío S.A. de C.V.", )"
      R"("country": "MX", "city": "León", "location": {"latitude": 21.12, "longitude": -101.68}, )"
      R"("sectors": ["10.84"], "employees": 85, "foundedYear": 2004, "languages": ["es", "en"], )"
      R"("description": "Maker of bottled salsas and moles for retail and food service.", )"
      R"("keywords": ["salsa", "mole", "sauces"], "objectives": [{"type": "DISTRIBUTION", )"
      R"("direction": "SEEK", "sectors": ["46.3"], "markets": ["US"], "note": "Food )"
      R"(distributor for Texas and California"}, {"type": "TECHNICAL_COOPERATION"}], )"
      R"("targetMarkets": ["US", "CA"], "activeMarkets": ["GT"], "certifications": )"
      R"(["ISO 22000"], "visibility": "FEDERATION", "validUntil": "2027-03-31T23:59:59Z", )"
      R"("anonymous": true})",
      ImportFormat::kJsonl);
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(from_csv, from_jsonl)) << differences;
  EXPECT_THAT(
      socio::storage::ProfileValidator(socio::testing::TestReference()).Normalize(&from_csv),
      IsOk());
}

TEST(ReaderTest, LongLinesGrowTheBuffer) {
  const std::string description(300'000, 'x');
  Profile csv = ReadOne("id,description\nl-1," + description + "\n", ImportFormat::kCsv);
  EXPECT_EQ(csv.description(), description);
  Profile jsonl =
      ReadOne(R"({"id": "l-1", "description": ")" + description + "\"}\n", ImportFormat::kJsonl);
  EXPECT_EQ(jsonl.description(), description);
}

TEST(ReaderTest, BytesReadFollowsTheRecords) {
  const std::string first = R"({"id": "a"})"
                            "\n";
  std::istringstream in(first + "\n" + R"({"id": "b"})");
  ProfileReader reader(&in, ImportFormat::kJsonl);
  EXPECT_EQ(reader.bytes_read(), 0);
  ImportRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(first.size()));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(in.str().size()));
  EXPECT_FALSE(reader.Next(&record));
  EXPECT_THAT(reader.status(), IsOk());
}

TEST(ReaderTest, EmptyInputHasNoRecords) {
  EXPECT_THAT(ReadAll("", ImportFormat::kCsv), SizeIs(0));
  EXPECT_THAT(ReadAll("id,name\n", ImportFormat::kCsv), SizeIs(0));
  EXPECT_THAT(ReadAll("\n\n", ImportFormat::kJsonl), SizeIs(0));
}

// Serves `data`, then fails the way a disk does: badbit on the stream.
class FailingStreambuf : public std::streambuf {
 public:
  explicit FailingStreambuf(std::string data) : data_(std::move(data)) {
    setg(data_.data(), data_.data(), data_.data() + data_.size());
  }
  void set_stream(std::istream* stream) { stream_ = stream; }

 protected:
  int_type underflow() override {
    stream_->setstate(std::ios::badbit);
    return traits_type::eof();
  }

 private:
  std::string data_;
  std::istream* stream_ = nullptr;
};

TEST(ReaderTest, ReadErrorIsFatal) {
  FailingStreambuf buffer(R"({"id": "a"})"
                          "\n"
                          R"({"id": )");
  std::istream in(&buffer);
  buffer.set_stream(&in);
  ProfileReader reader(&in, ImportFormat::kJsonl);
  ImportRecord record;
  EXPECT_FALSE(reader.Next(&record));
  EXPECT_THAT(reader.status(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("read error")));
}

}  // namespace
}  // namespace socio::clients
