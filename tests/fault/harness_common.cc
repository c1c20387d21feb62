#include "tests/fault/harness_common.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace socio::fault {
namespace {

constexpr Write::Kind kKinds[] = {Write::kCreate, Write::kUpdate, Write::kDelete, Write::kImport};

}  // namespace

WorkDir::~WorkDir() {
  if (path_.empty() || keep_) return;
  std::error_code ignored;  // a leftover temporary directory is not worth an error
  std::filesystem::remove_all(path_, ignored);
}

bool WorkDir::Make(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return false;
  path_ = std::move(pattern);
  return true;
}

absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> LoadSociodReference() {
  reference::ReferenceOptions options;
  options.dictionary_dir = reference::kDebianDictionaryDir;
  return reference::ReferenceData::Load(options);
}

std::shared_ptr<grpc::Channel> NewHarnessChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

std::string Tail(const std::string& text, size_t n) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

void RemoveOutput(const std::string& prefix) {
  std::error_code ignored;
  for (const char* suffix : {".out", ".err"}) {
    std::filesystem::remove(absl::StrCat(prefix, suffix), ignored);
  }
}

int DrawKillMs(std::mt19937_64& rng, int min_ms, int max_ms) {
  return min_ms + static_cast<int>(rng() % static_cast<uint64_t>(max_ms - min_ms + 1));
}

uint64_t WriterSeed(uint64_t seed, int cycle, size_t w) {
  return seed * 1000003 + static_cast<uint64_t>(cycle) * 1009 + w;
}

bool ReadsFullLog(int cycle, int cycles, int full_log_every) {
  return cycle == 0 || cycle == cycles || (full_log_every > 0 && cycle % full_log_every == 0);
}

void RecordViolation(int cycle, const std::string& message, std::vector<std::string>* violations) {
  std::string line = absl::StrCat("cycle ", cycle, ": ", message);
  std::fprintf(stderr, "VIOLATION %s\n", line.c_str());
  violations->push_back(std::move(line));
}

std::string CycleWrites(const WriterCounts& a, const LedgerCheck& ledger) {
  return absl::StrFormat(
      "%d writes acknowledged (%d creates, %d updates, %d deletes, %d imports of %d items), %d "
      "in flight (%d of %d items landed)",
      a.writes(), a.creates, a.updates, a.deletes, a.imports, a.import_items,
      ledger.in_flight_writes, ledger.landed_items, ledger.in_flight_items);
}

std::string AcknowledgedText(const WriterCounts& a) {
  return absl::StrFormat(
      "  acknowledged writes: %d (%d creates, %d updates of which %d with expected_version, %d "
      "deletes of which %d with expected_version, %d imports of %d items); %d changes\n",
      a.writes(), a.creates, a.updates, a.checked_updates, a.deletes, a.checked_deletes, a.imports,
      a.import_items, a.changes());
}

std::string AcknowledgedJson(const WriterCounts& a) {
  return absl::StrFormat(
      "\"writes_acknowledged\": %d, \"acknowledged\": {\"creates\": %d, \"updates\": %d, "
      "\"updates_with_expected_version\": %d, \"deletes\": %d, "
      "\"deletes_with_expected_version\": %d, \"imports\": %d, \"import_items\": %d}, "
      "\"changes_acknowledged\": %d, ",
      a.writes(), a.creates, a.updates, a.checked_updates, a.deletes, a.checked_deletes, a.imports,
      a.import_items, a.changes());
}

std::string InFlightByKindText(const LedgerFigures& figures) {
  std::vector<std::string> by_kind;
  for (Write::Kind kind : kKinds) {
    by_kind.push_back(absl::StrFormat("%d %ss (%d landed)", figures.in_flight_by_kind[kind],
                                      KindName(kind), figures.landed_by_kind[kind]));
  }
  return absl::StrJoin(by_kind, ", ");
}

std::string InFlightByKindJson(const LedgerFigures& figures) {
  std::vector<std::string> by_kind;
  for (Write::Kind kind : kKinds) {
    by_kind.push_back(absl::StrFormat("\"%s\": {\"in_flight\": %d, \"landed\": %d}", KindName(kind),
                                      figures.in_flight_by_kind[kind],
                                      figures.landed_by_kind[kind]));
  }
  return absl::StrJoin(by_kind, ", ");
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string JsonStrings(const std::vector<std::string>& texts) {
  std::vector<std::string> quoted;
  for (const std::string& text : texts) quoted.push_back(JsonString(text));
  return absl::StrJoin(quoted, ", ");
}

}  // namespace socio::fault
