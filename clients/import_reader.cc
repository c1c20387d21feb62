#include "clients/import_reader.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace socio::clients {
namespace internal {

enum class ImportColumn {
  kId,
  kChamberId,
  kName,
  kCountry,
  kCity,
  kLatitude,
  kLongitude,
  kSectors,
  kEmployees,
  kFoundedYear,
  kLanguages,
  kDescription,
  kKeywords,
  kObjectives,
  kTargetMarkets,
  kActiveMarkets,
  kCertifications,
  kVisibility,
  kValidUntil,
  kAnonymous,
};

}  // namespace internal

namespace {

using ::socio::v1::Objective;
using ::socio::v1::Profile;
using Column = internal::ImportColumn;

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr size_t kInitialBufferSize = 64 * 1024;

// True if `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF).
bool IsValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    int length;
    unsigned char min_second = 0x80, max_second = 0xBF;
    if (*p >= 0xC2 && *p <= 0xDF) {
      length = 2;
    } else if (*p >= 0xE0 && *p <= 0xEF) {
      length = 3;
      if (*p == 0xE0) min_second = 0xA0;  // overlong
      if (*p == 0xED) max_second = 0x9F;  // surrogates
    } else if (*p >= 0xF0 && *p <= 0xF4) {
      length = 4;
      if (*p == 0xF0) min_second = 0x90;  // overlong
      if (*p == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (end - p < length || p[1] < min_second || p[1] > max_second) return false;
    for (int i = 2; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += length;
  }
  return true;
}

// Appends the items of a `separator`-separated list to `out`, trimmed, without
// empty items.
void AppendList(absl::string_view value, char separator,
                google::protobuf::RepeatedPtrField<std::string>* out) {
  for (absl::string_view item : absl::StrSplit(value, separator)) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out->Add(std::string(item));
  }
}

// The names of an enum's values other than the zero one: "A, B or C".
std::string EnumNames(const google::protobuf::EnumDescriptor* descriptor) {
  std::string names;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    if (value->number() == 0) continue;
    if (!names.empty()) names += (i == descriptor->value_count() - 1) ? " or " : ", ";
    names += value->name();
  }
  return names;
}

// The number of the value of `descriptor` named `name` (case-insensitive), or
// 0 if there is none; the zero value is never returned by name.
int EnumValueByName(const google::protobuf::EnumDescriptor* descriptor, absl::string_view name) {
  const google::protobuf::EnumValueDescriptor* value =
      descriptor->FindValueByName(absl::AsciiStrToUpper(name));
  return value == nullptr ? 0 : value->number();
}

absl::Status CellError(absl::string_view column, absl::string_view value,
                       absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("column ", column, ": '", value, "' ", reason));
}

absl::StatusOr<int32_t> ParseInt32(absl::string_view column, absl::string_view value) {
  int64_t n;
  if (!absl::SimpleAtoi(value, &n)) return CellError(column, value, "is not a whole number");
  if (n < std::numeric_limits<int32_t>::min() || n > std::numeric_limits<int32_t>::max()) {
    return CellError(column, value, "is out of range");
  }
  return static_cast<int32_t>(n);
}

absl::StatusOr<double> ParseDegrees(absl::string_view column, absl::string_view value) {
  double d;
  // SimpleAtod accepts "nan" and "inf", which are no place on Earth.
  if (!absl::SimpleAtod(value, &d) || !std::isfinite(d)) {
    return CellError(column, value, "is not a number");
  }
  return d;
}

// yes/no, true/false or 1/0, case-insensitive.
absl::StatusOr<bool> ParseYesNo(absl::string_view column, absl::string_view value) {
  for (absl::string_view yes : {"yes", "true", "1"}) {
    if (absl::EqualsIgnoreCase(value, yes)) return true;
  }
  for (absl::string_view no : {"no", "false", "0"}) {
    if (absl::EqualsIgnoreCase(value, no)) return false;
  }
  return CellError(column, value, "is not yes or no (also true/false, 1/0)");
}

// `value` is either an RFC 3339 time or a date YYYY-MM-DD, read as the last
// second of that day in UTC.
absl::StatusOr<google::protobuf::Timestamp> ParseValidUntil(absl::string_view column,
                                                            absl::string_view value) {
  std::string time(value);
  if (value.size() == 10 && value[4] == '-' && value[7] == '-') time += "T23:59:59Z";
  google::protobuf::Timestamp timestamp;
  if (!google::protobuf::util::TimeUtil::FromString(time, &timestamp)) {
    return CellError(column, value,
                     "is not an RFC 3339 time (2026-12-31T18:00:00Z) or a date (2026-12-31)");
  }
  return timestamp;
}

// Parses DIRECTION:TYPE[:SECTORS[:MARKETS[:NOTE]]].
absl::StatusOr<Objective> ParseObjective(absl::string_view column, absl::string_view item) {
  std::vector<absl::string_view> parts = absl::StrSplit(item, absl::MaxSplits(':', 4));
  if (parts.size() < 2) {
    return CellError(column, item,
                     "is not an objective DIRECTION:TYPE[:SECTORS[:MARKETS[:NOTE]]], "
                     "e.g. SEEK:DISTRIBUTION:46.3:US,CA:Food distributor");
  }
  Objective objective;
  absl::string_view direction = absl::StripAsciiWhitespace(parts[0]);
  if (!direction.empty()) {
    int number = EnumValueByName(Objective::Direction_descriptor(), direction);
    if (number == 0) {
      return CellError(column, item,
                       absl::StrCat("has direction '", direction, "', not ",
                                    EnumNames(Objective::Direction_descriptor()),
                                    " (or empty for a symmetric type)"));
    }
    objective.set_direction(static_cast<Objective::Direction>(number));
  }
  absl::string_view type = absl::StripAsciiWhitespace(parts[1]);
  int number = EnumValueByName(Objective::Type_descriptor(), type);
  if (number == 0) {
    return CellError(
        column, item,
        absl::StrCat("has type '", type, "', not ", EnumNames(Objective::Type_descriptor())));
  }
  objective.set_type(static_cast<Objective::Type>(number));
  if (parts.size() > 2) AppendList(parts[2], ',', objective.mutable_sectors());
  if (parts.size() > 3) AppendList(parts[3], ',', objective.mutable_markets());
  if (parts.size() > 4) objective.set_note(std::string(absl::StripAsciiWhitespace(parts[4])));
  return objective;
}

// Rewrites the JSON parser's message on one line. Syntax errors come as
// "<reason>\n<text around the spot>\n<caret under the spot>"; they become
// "<reason> at '<text from the spot on>'". A hint is added for the usual way
// to get JSONL wrong: a pretty-printed JSON file or an array of profiles.
absl::Status JsonError(absl::string_view line, absl::string_view message) {
  std::vector<absl::string_view> parts = absl::StrSplit(message, '\n');
  std::string readable(absl::StripPrefix(parts[0], ": "));
  if (parts.size() == 3) {
    size_t caret = parts[2].find('^');
    if (caret < parts[1].size()) {
      absl::string_view at = parts[1].substr(caret, 24);
      // Cut at a character boundary.
      while (at.size() < parts[1].size() - caret && !at.empty() &&
             (static_cast<unsigned char>(parts[1][caret + at.size()]) & 0xC0) == 0x80) {
        at.remove_suffix(1);
      }
      if (!at.empty() && IsValidUtf8(at)) {
        if (absl::EndsWith(readable, ".")) readable.pop_back();
        absl::StrAppend(&readable, " at '", at, at.size() < parts[1].size() - caret ? "...'" : "'");
      }
    }
  }
  absl::StrReplaceAll({{"type.googleapis.com/", ""}}, &readable);
  bool one_object = absl::StartsWith(line, "{") && absl::EndsWith(line, "}");
  return absl::InvalidArgumentError(
      absl::StrCat("invalid JSON: ", readable,
                   one_object ? "" : " (each line must hold one whole profile as a JSON object)"));
}

struct ColumnName {
  Column column;
  absl::string_view snake;  // proto field name
  absl::string_view camel;  // JSON name
};

constexpr ColumnName kColumnNames[] = {
    {Column::kId, "id", "id"},
    {Column::kChamberId, "chamber_id", "chamberId"},
    {Column::kName, "name", "name"},
    {Column::kCountry, "country", "country"},
    {Column::kCity, "city", "city"},
    {Column::kLatitude, "latitude", "latitude"},
    {Column::kLongitude, "longitude", "longitude"},
    {Column::kSectors, "sectors", "sectors"},
    {Column::kEmployees, "employees", "employees"},
    {Column::kFoundedYear, "founded_year", "foundedYear"},
    {Column::kLanguages, "languages", "languages"},
    {Column::kDescription, "description", "description"},
    {Column::kKeywords, "keywords", "keywords"},
    {Column::kObjectives, "objectives", "objectives"},
    {Column::kTargetMarkets, "target_markets", "targetMarkets"},
    {Column::kActiveMarkets, "active_markets", "activeMarkets"},
    {Column::kCertifications, "certifications", "certifications"},
    {Column::kVisibility, "visibility", "visibility"},
    {Column::kValidUntil, "valid_until", "validUntil"},
    {Column::kAnonymous, "anonymous", "anonymous"},
};

// The column a header cell names, by proto or JSON name, case-insensitive.
const ColumnName* FindColumn(absl::string_view name) {
  for (const ColumnName& known : kColumnNames) {
    if (absl::EqualsIgnoreCase(name, known.snake) || absl::EqualsIgnoreCase(name, known.camel)) {
      return &known;
    }
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<ImportFormat> FormatFromPath(absl::string_view path) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.rfind('.');
  if (dot != absl::string_view::npos && (slash == absl::string_view::npos || dot > slash)) {
    std::string extension = absl::AsciiStrToLower(path.substr(dot + 1));
    if (extension == "jsonl" || extension == "ndjson" || extension == "json") {
      return ImportFormat::kJsonl;
    }
    if (extension == "csv") return ImportFormat::kCsv;
  }
  return absl::InvalidArgumentError(absl::StrCat("cannot tell the format of '", path,
                                                 "' from its name: expected a name ending in "
                                                 ".jsonl, .ndjson, .json or .csv"));
}

ProfileReader::ProfileReader(std::istream* in, ImportFormat format)
    : in_(in), format_(format), buffer_(kInitialBufferSize, '\0') {}

bool ProfileReader::Next(ImportRecord* record) {
  if (!status_.ok()) return false;
  return format_ == ImportFormat::kJsonl ? NextJsonl(record) : NextCsv(record);
}

bool ProfileReader::NextLine(absl::string_view* line) {
  size_t scanned = begin_;  // no '\n' in [begin_, scanned)
  while (true) {
    const char* newline =
        static_cast<const char*>(std::memchr(buffer_.data() + scanned, '\n', end_ - scanned));
    size_t length;
    size_t consumed;
    if (newline != nullptr) {
      length = newline - (buffer_.data() + begin_);
      consumed = length + 1;
    } else if (at_eof_) {
      if (begin_ == end_) return false;
      length = end_ - begin_;  // the last line has no line ending
      consumed = length;
    } else {
      // Keep the partial line, make room behind it and read more.
      scanned = end_;
      if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        scanned -= begin_;
        end_ -= begin_;
        begin_ = 0;
      }
      if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
      in_->read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
      end_ += static_cast<size_t>(in_->gcount());
      if (in_->bad()) {
        status_ = absl::DataLossError(
            absl::StrCat("read error after ", bytes_consumed_ + (end_ - begin_), " bytes"));
        return false;
      }
      if (in_->eof()) at_eof_ = true;
      continue;
    }
    *line = absl::string_view(buffer_.data() + begin_, length);
    if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
    if (line_number_ == 0 && absl::StartsWith(*line, kUtf8Bom)) {
      line->remove_prefix(kUtf8Bom.size());
    }
    begin_ += consumed;
    bytes_consumed_ += static_cast<int64_t>(consumed);
    ++line_number_;
    return true;
  }
}

bool ProfileReader::NextJsonl(ImportRecord* record) {
  absl::string_view line;
  do {
    if (!NextLine(&line)) return false;
    line = absl::StripAsciiWhitespace(line);
  } while (line.empty());
  record->line = line_number_;
  Profile profile;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &profile, options);
  if (parsed.ok()) {
    record->profile = std::move(profile);
  } else {
    absl::string_view message(parsed.message().data(), parsed.message().size());
    record->profile = JsonError(line, message);
  }
  return true;
}

bool ProfileReader::ReadCsvHeader() {
  header_read_ = true;
  absl::Status error;
  if (!ReadCsvRecord(&error)) return false;  // an empty file: no records
  auto fail = [this](std::string message) {
    status_ = absl::InvalidArgumentError(absl::StrCat("CSV header: ", message));
    return false;
  };
  if (!error.ok()) return fail(std::string(error.message()));

  bool has_latitude = false, has_longitude = false;
  for (size_t i = 0; i < cell_count_; ++i) {
    absl::string_view name = absl::StripAsciiWhitespace(cells_[i]);
    if (name.empty()) return fail(absl::StrCat("column ", i + 1, " has no name"));
    const ColumnName* match = FindColumn(name);
    if (match == nullptr) {
      std::vector<absl::string_view> known;
      for (const ColumnName& c : kColumnNames) known.push_back(c.snake);
      return fail(absl::StrCat("unknown column '", name, "'; the columns are ",
                               absl::StrJoin(known, ", ")));
    }
    for (Column c : columns_) {
      if (c == match->column) {
        return fail(absl::StrCat("column '", match->snake, "' appears twice"));
      }
    }
    columns_.push_back(match->column);
    column_names_.emplace_back(name);
    has_latitude |= match->column == Column::kLatitude;
    has_longitude |= match->column == Column::kLongitude;
  }
  if (has_latitude != has_longitude) {
    return fail(has_latitude ? "a latitude column needs a longitude column"
                             : "a longitude column needs a latitude column");
  }
  return true;
}

bool ProfileReader::ReadCsvRecord(absl::Status* error) {
  absl::string_view line;
  do {
    if (!NextLine(&line)) return false;
  } while (line.empty());

  record_line_ = line_number_;
  cell_count_ = 0;
  auto next_cell = [this]() {
    if (cell_count_ == cells_.size()) cells_.emplace_back();
    std::string* cell = &cells_[cell_count_++];
    cell->clear();
    return cell;
  };
  auto set_error = [&](std::string message) {
    if (!error->ok()) return;
    absl::string_view column = cell_count_ <= column_names_.size()
                                   ? absl::string_view(column_names_[cell_count_ - 1])
                                   : absl::string_view();
    *error = absl::InvalidArgumentError(column.empty()
                                            ? absl::StrCat("cell ", cell_count_, ": ", message)
                                            : absl::StrCat("column ", column, ": ", message));
  };

  size_t i = 0;
  std::string* cell = next_cell();
  while (true) {
    size_t start = i;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    if (start < line.size() && line[start] == '"') {
      const int64_t quote_line = line_number_;
      i = start + 1;
      while (true) {
        size_t quote = line.find('"', i);
        if (quote == absl::string_view::npos) {
          cell->append(line.data() + i, line.size() - i);
          if (!NextLine(&line)) {
            set_error(absl::StrCat("the quoted cell opened on line ", quote_line,
                                   " is not closed by the end of the file"));
            return true;
          }
          cell->push_back('\n');
          i = 0;
          continue;
        }
        cell->append(line.data() + i, quote - i);
        if (quote + 1 < line.size() && line[quote + 1] == '"') {
          cell->push_back('"');
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i == line.size()) return true;
      if (line[i] != ',') {
        set_error(absl::StrCat("unexpected text after the closing quote: '",
                               line.substr(i, line.find(',', i) - i),
                               "' (write \"\" for a quote inside a quoted cell)"));
        i = line.find(',', i);
        if (i == absl::string_view::npos) return true;
      }
      ++i;
      cell = next_cell();
    } else {
      size_t comma = line.find(',', i);
      if (comma == absl::string_view::npos) {
        cell->assign(line.data() + i, line.size() - i);
        return true;
      }
      cell->assign(line.data() + i, comma - i);
      i = comma + 1;
      cell = next_cell();
    }
  }
}

bool ProfileReader::NextCsv(ImportRecord* record) {
  if (!header_read_ && !ReadCsvHeader()) return false;
  absl::Status error;
  if (!ReadCsvRecord(&error)) return false;
  record->line = record_line_;
  if (!error.ok()) {
    record->profile = std::move(error);
  } else if (cell_count_ != columns_.size()) {
    record->profile = absl::InvalidArgumentError(absl::StrCat(
        "the row has ", cell_count_, cell_count_ == 1 ? " cell" : " cells", ", the header has ",
        columns_.size(), columns_.size() == 1 ? " column" : " columns"));
  } else {
    record->profile = ProfileFromCells();
  }
  return true;
}

absl::StatusOr<Profile> ProfileReader::ProfileFromCells() const {
  Profile profile;
  absl::string_view latitude, longitude;
  absl::string_view latitude_name, longitude_name;
  for (size_t i = 0; i < cell_count_; ++i) {
    absl::string_view value = absl::StripAsciiWhitespace(cells_[i]);
    if (value.empty()) continue;
    absl::string_view column = column_names_[i];
    if (!IsValidUtf8(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("column ", column, ": the text is not UTF-8; save the file as UTF-8"));
    }
    switch (columns_[i]) {
      case Column::kId:
        profile.set_id(std::string(value));
        break;
      case Column::kChamberId:
        profile.set_chamber_id(std::string(value));
        break;
      case Column::kName:
        profile.set_name(std::string(value));
        break;
      case Column::kCountry:
        profile.set_country(std::string(value));
        break;
      case Column::kCity:
        profile.set_city(std::string(value));
        break;
      case Column::kDescription:
        profile.set_description(std::string(value));
        break;
      case Column::kLatitude:
        latitude = value;
        latitude_name = column;
        break;
      case Column::kLongitude:
        longitude = value;
        longitude_name = column;
        break;
      case Column::kSectors:
        AppendList(value, ';', profile.mutable_sectors());
        break;
      case Column::kLanguages:
        AppendList(value, ';', profile.mutable_languages());
        break;
      case Column::kKeywords:
        AppendList(value, ';', profile.mutable_keywords());
        break;
      case Column::kTargetMarkets:
        AppendList(value, ';', profile.mutable_target_markets());
        break;
      case Column::kActiveMarkets:
        AppendList(value, ';', profile.mutable_active_markets());
        break;
      case Column::kCertifications:
        AppendList(value, ';', profile.mutable_certifications());
        break;
      case Column::kEmployees: {
        absl::StatusOr<int32_t> n = ParseInt32(column, value);
        if (!n.ok()) return n.status();
        profile.set_employees(*n);
        break;
      }
      case Column::kFoundedYear: {
        absl::StatusOr<int32_t> n = ParseInt32(column, value);
        if (!n.ok()) return n.status();
        profile.set_founded_year(*n);
        break;
      }
      case Column::kObjectives:
        for (absl::string_view item : absl::StrSplit(value, ';')) {
          item = absl::StripAsciiWhitespace(item);
          if (item.empty()) continue;
          absl::StatusOr<Objective> objective = ParseObjective(column, item);
          if (!objective.ok()) return objective.status();
          *profile.add_objectives() = *std::move(objective);
        }
        break;
      case Column::kVisibility: {
        int number = EnumValueByName(Profile::Visibility_descriptor(), value);
        if (number == 0) {
          return CellError(column, value,
                           absl::StrCat("is not ", EnumNames(Profile::Visibility_descriptor())));
        }
        profile.set_visibility(static_cast<Profile::Visibility>(number));
        break;
      }
      case Column::kValidUntil: {
        absl::StatusOr<google::protobuf::Timestamp> t = ParseValidUntil(column, value);
        if (!t.ok()) return t.status();
        *profile.mutable_valid_until() = *t;
        break;
      }
      case Column::kAnonymous: {
        absl::StatusOr<bool> anonymous = ParseYesNo(column, value);
        if (!anonymous.ok()) return anonymous.status();
        profile.set_anonymous(*anonymous);
        break;
      }
    }
  }
  if (latitude.empty() != longitude.empty()) {
    return absl::InvalidArgumentError(
        latitude.empty() ? absl::StrCat("column ", longitude_name,
                                        ": set without a latitude; give both or neither")
                         : absl::StrCat("column ", latitude_name,
                                        ": set without a longitude; give both or neither"));
  }
  if (!latitude.empty()) {
    absl::StatusOr<double> lat = ParseDegrees(latitude_name, latitude);
    if (!lat.ok()) return lat.status();
    absl::StatusOr<double> lng = ParseDegrees(longitude_name, longitude);
    if (!lng.ok()) return lng.status();
    profile.mutable_location()->set_latitude(*lat);
    profile.mutable_location()->set_longitude(*lng);
  }
  return profile;
}

}  // namespace socio::clients
