#include "services/consistency.h"

#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace socio::services {

absl::Status ConsistencyGate::Admit(const grpc::ServerContext& context) const {
  int64_t wanted = 0;
  const auto range = context.client_metadata().equal_range(kConsistencyTokenKey);
  for (auto it = range.first; it != range.second; ++it) {
    const absl::string_view text(it->second.data(), it->second.size());
    int64_t revision = 0;
    if (!absl::SimpleAtoi(text, &revision) || revision <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata ", kConsistencyTokenKey, ": \"", text.substr(0, 40),
                       "\" is not a token a Socio node sends; send back the ", kConsistencyTokenKey,
                       " trailing metadata of an earlier answer, or none"));
    }
    wanted = std::max(wanted, revision);
  }
  if (wanted == 0 || options_.applied() >= wanted) return absl::OkStatus();

  const absl::Time now = absl::Now();
  const absl::Time call_deadline = absl::FromChrono(context.deadline());
  const bool call_first = call_deadline < now + options_.max_wait;
  const absl::Duration wait =
      std::max(absl::ZeroDuration(), (call_first ? call_deadline : now + options_.max_wait) - now);
  if (options_.await(wanted, wait).ok()) return absl::OkStatus();
  const std::string where = absl::StrCat("this node has applied revision ", options_.applied(),
                                         " of the cluster's records; the call's ",
                                         kConsistencyTokenKey, " asks for ", wanted);
  if (call_first) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline passed waiting for this node to catch up: ", where));
  }
  return absl::UnavailableError(absl::StrCat(where, ", and it has not caught up within ",
                                             absl::FormatDuration(options_.max_wait),
                                             "; try again, or another node"));
}

void ConsistencyGate::Stamp(grpc::ServerContext* context) const {
  context->AddTrailingMetadata(kConsistencyTokenKey, absl::StrCat(options_.applied()));
}

}  // namespace socio::services
