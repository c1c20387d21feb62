#include "tests/fault/chamber_ledger.h"

#include <chrono>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "socio/v1/chamber_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"

namespace socio::fault {
namespace {

// Proposals per Run at most, and the pause between two.
constexpr int kMaxProposals = 300;
constexpr absl::Duration kPause = absl::Milliseconds(5);
// How long a node may take to list its links or stream its notifications.
constexpr auto kReadDeadline = std::chrono::seconds(10);
// How long a node's notifications are read past as many as it has links.
constexpr absl::Duration kExtraRead = absl::Milliseconds(200);

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + kReadDeadline;
}

// One node's view: the proposers it holds links from, and its notifications
// to the asked chamber's staff (sequence -> "id proposer").
struct NodeHolding {
  std::set<std::string> links;
  std::map<uint64_t, std::string> notifications;
  std::string error;  // why it could not be read
};

NodeHolding Read(const std::shared_ptr<grpc::Channel>& channel) {
  NodeHolding holding;
  auto chambers = socio::v1::ChamberService::NewStub(channel);
  socio::v1::ListPartnerChambersRequest list;
  list.set_chamber_id(kAskedChamber);
  list.set_page_size(500);
  do {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    socio::v1::ListPartnerChambersResponse page;
    grpc::Status status = chambers->ListPartnerChambers(&context, list, &page);
    if (!status.ok()) {
      holding.error = absl::StrCat("listing its partner links: ", status.error_message());
      return holding;
    }
    for (const socio::v1::ChamberPartner& link : page.partners()) {
      holding.links.insert(link.partner_chamber_id());
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());

  // The stream stays open for what comes next: read until there are as many
  // notifications as links, then a moment longer for any beyond them (the
  // node holds them already), then end it.
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  socio::v1::WatchNotificationsRequest watch;
  watch.set_recipient(absl::StrCat("staff:", kAskedChamber));
  auto reader =
      socio::v1::NotificationService::NewStub(channel)->WatchNotifications(&context, watch);
  std::thread ender;
  const auto end_when_all_came = [&] {
    if (ender.joinable() || holding.notifications.size() < holding.links.size()) return;
    ender = std::thread([&context] {
      absl::SleepFor(kExtraRead);
      context.TryCancel();
    });
  };
  end_when_all_came();
  socio::v1::Notification n;
  while (reader->Read(&n)) {
    holding.notifications[n.sequence()] =
        absl::StrCat(n.id(), " ", n.chamber_partner().partner_chamber_id());
    end_when_all_came();
  }
  if (ender.joinable()) ender.join();
  reader->Finish().IgnoreError();
  return holding;
}

}  // namespace

void ChamberWriter::Run(const std::vector<std::shared_ptr<grpc::Channel>>& channels, int cycle,
                        const std::atomic<bool>& stop) {
  for (int i = 0; i < kMaxProposals && !stop; ++i) {
    const std::string proposer = absl::StrCat("harness-c", cycle, "-", i);
    auto stub = socio::v1::ChamberService::NewStub(channels[i % channels.size()]);
    socio::v1::ProposePartnerChamberRequest request;
    request.set_chamber_id(proposer);
    request.set_partner_chamber_id(kAskedChamber);
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    socio::v1::ChamberPartner link;
    {
      absl::MutexLock lock(&mu_);
      in_flight_.insert(proposer);
    }
    const grpc::Status status = stub->ProposePartnerChamber(&context, request, &link);
    if (status.ok()) {
      absl::MutexLock lock(&mu_);
      in_flight_.erase(proposer);
      acknowledged_.insert(proposer);
    }
    absl::SleepFor(kPause);
  }
}

std::set<std::string> ChamberWriter::acknowledged() const {
  absl::MutexLock lock(&mu_);
  return acknowledged_;
}

std::set<std::string> ChamberWriter::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

int64_t CheckChambers(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                      const ChamberWriter& writer, std::vector<std::string>* found) {
  const std::set<std::string> acknowledged = writer.acknowledged();
  const std::set<std::string> in_flight = writer.in_flight();
  std::vector<NodeHolding> nodes;
  for (size_t n = 0; n < channels.size(); ++n) {
    nodes.push_back(Read(channels[n]));
    const NodeHolding& node = nodes.back();
    const std::string who = absl::StrCat("node ", n, ": ");
    if (!node.error.empty()) {
      found->push_back(who + node.error);
      continue;
    }
    for (const std::string& proposer : acknowledged) {
      if (!node.links.contains(proposer)) {
        found->push_back(
            absl::StrCat(who, "the acknowledged proposal of '", proposer, "' has no link"));
      }
    }
    std::multiset<std::string> told;
    for (const auto& [sequence, entry] : node.notifications) {
      told.insert(entry.substr(entry.find(' ') + 1));
    }
    for (const std::string& proposer : node.links) {
      if (!acknowledged.contains(proposer) && !in_flight.contains(proposer)) {
        found->push_back(absl::StrCat(who, "a link from '", proposer, "', never proposed"));
      }
      if (told.count(proposer) != 1) {
        found->push_back(absl::StrCat(who, "the link from '", proposer, "' was notified ",
                                      told.count(proposer), " times, not once"));
      }
    }
    if (node.notifications.size() != node.links.size()) {
      found->push_back(absl::StrCat(who, node.notifications.size(), " notifications for ",
                                    node.links.size(), " links"));
    }
  }
  for (size_t n = 1; n < nodes.size(); ++n) {
    if (!nodes[0].error.empty() || !nodes[n].error.empty()) continue;
    if (nodes[n].links != nodes[0].links) {
      found->push_back(absl::StrCat("node ", n, " holds ", nodes[n].links.size(),
                                    " partner links, node 0 ", nodes[0].links.size(),
                                    ", not the same ones"));
    }
    if (nodes[n].notifications != nodes[0].notifications) {
      found->push_back(
          absl::StrCat("node ", n, "'s notifications differ from node 0's in sequence or id"));
    }
  }
  return static_cast<int64_t>(nodes.empty() ? 0 : nodes[0].links.size());
}

}  // namespace socio::fault
