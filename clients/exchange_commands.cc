#include "clients/exchange_commands.h"

#include <iostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli_output.h"
#include "clients/table.h"

namespace socio::clients {
namespace {

using socio::v1::Exchange;
using socio::v1::ExchangeBalance;
using socio::v1::ExchangeChamberBalance;
using socio::v1::ExchangeVisitBalance;

void PrintExchange(const Exchange& e, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  const auto row = [&](std::string field, std::string value) {
    if (!value.empty()) table.AddRow({std::move(field), std::move(value)});
  };
  row("id", e.id());
  row("name", e.name());
  row("chamber", e.chamber_id());
  row("partner chamber", e.partner_chamber_id());
  row("visit", e.visit_delegation_id());
  row("return visit",
      e.return_delegation_id().empty() ? "(not linked yet)" : e.return_delegation_id());
  row("notes", e.notes());
  row("created", FormatTime(e.create_time()));
  row("updated", FormatTime(e.update_time()));
  row("version", absl::StrCat(e.version()));
  table.Print(out);
}

std::string Agreements(const socio::v1::AnalyticsFigures& f) {
  std::vector<std::string> parts;
  for (const socio::v1::AgreementCount& c : f.agreements_by_type()) {
    parts.push_back(
        absl::StrCat(socio::v1::FollowUpReport::AgreementType_Name(c.type()), " ", c.count()));
  }
  return parts.empty() ? absl::StrCat(f.agreements_signed())
                       : absl::StrCat(f.agreements_signed(), " (", absl::StrJoin(parts, ", "), ")");
}

void PrintBalance(const ExchangeBalance& b, std::ostream& out) {
  Table visits({"VISIT", "FROM", "TO", "DELEGATES", "HOST COMPANIES", "MEETINGS", "HELD",
                "NO-SHOWS", "FOLLOW-UP WANTED", "AGREEMENTS", "PARTNERSHIPS"},
               40);
  for (const ExchangeVisitBalance* v : {&b.visit(), &b.return_visit()}) {
    const socio::v1::AnalyticsFigures& f = v->figures();
    visits.AddRow({v->delegation_id().empty() ? "(not linked yet)" : v->delegation_id(),
                   v->from_chamber_id(), v->to_chamber_id(), absl::StrCat(v->delegates_sent()),
                   absl::StrCat(v->host_companies()), absl::StrCat(v->meetings_in_plan()),
                   absl::StrCat(f.meetings_held()), absl::StrCat(f.meetings_no_show()),
                   absl::StrCat(f.follow_up_yes()), Agreements(f), absl::StrCat(f.partnerships())});
  }
  visits.Print(out);
  out << "\n";
  const ExchangeChamberBalance& a = b.chamber();
  const ExchangeChamberBalance& p = b.partner_chamber();
  Table sides({"", a.chamber_id(), p.chamber_id()}, 40);
  const auto row = [&](std::string what, int64_t x, int64_t y) {
    sides.AddRow({std::move(what), absl::StrCat(x), absl::StrCat(y)});
  };
  row("Delegates we sent", a.delegates_sent(), p.delegates_sent());
  row("Delegates we received", a.delegates_received(), p.delegates_received());
  row("Companies we hosted", a.companies_hosted(), p.companies_hosted());
  row("Meetings held", a.meetings_held(), p.meetings_held());
  row("Agreements from our visit", a.agreements_from_own_visit(), p.agreements_from_own_visit());
  row("Agreements from their visit", a.agreements_from_other_visit(),
      p.agreements_from_other_visit());
  row("Balance (sent - received)", a.delegates_balance(), p.delegates_balance());
  sides.Print(out);
}

}  // namespace

ExchangeCommands::ExchangeCommands(const GlobalOptions& global) : global_(global) {}
ExchangeCommands::~ExchangeCommands() = default;

const ExchangeClient& ExchangeCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<ExchangeClient>(OpenChannel(global_));
  return *client_;
}

void ExchangeCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  CLI::App* exchanges = app.add_subcommand(
      "exchanges",
      "Exchanges between two chambers (a visit and its return visit): create, get, list, "
      "update, delete, balance");
  exchanges->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  exchanges->fallthrough();
  const auto expected_version = [this](CLI::App* command) {
    command->add_option("--expected-version,--expect-version", expected_version_,
                        "Refuse (ABORTED) unless the stored version is this one");
  };

  CLI::App* create = exchanges->add_subcommand(
      "create", "Link a chamber's visit to a partner chamber (and, once it exists, the return)");
  create->add_option("id", id_, "Exchange id: 1 to 64 of [A-Za-z0-9._-]")->required();
  create->add_option("--chamber", chamber_id_, "The chamber that organises the visit")->required();
  create
      ->add_option("--partner", partner_chamber_id_,
                   "The chamber visited, which organises the return visit")
      ->required();
  create->add_option("--visit", visit_, "The visit: a delegation of --chamber")->required();
  create->add_option("--return", return_, "The return visit: a delegation of --partner");
  create->add_option("--name", name_, "What people call it (up to 200 characters)");
  create->add_option("--notes", notes_, "Notes (up to 2000 characters)");
  create->add_option("--request-id", request_id_, kRequestIdHelp);
  run(create, [this] { return Create(); });

  CLI::App* get = exchanges->add_subcommand("get", "One exchange");
  get->add_option("id", id_, "Exchange id")->required();
  run(get, [this] { return Get(); });

  CLI::App* list = exchanges->add_subcommand(
      "list", "Exchanges by id: a chamber's (either side), or the caller's chamber's");
  list->add_option("--chamber", chamber_id_, "Only this chamber's (operators: default all)");
  run(list, [this] { return List(); });

  CLI::App* update = exchanges->add_subcommand(
      "update", "Link (or unlink) the return visit, or change the name or notes");
  update->add_option("id", id_, "Exchange id")->required();
  return_option_ =
      update->add_option("--return", return_, "Link this delegation of the partner as the return");
  update->add_flag("--unlink-return", unlink_return_, "Unlink the return visit")
      ->excludes(return_option_);
  name_option_ = update->add_option("--name", name_, "A new name");
  notes_option_ = update->add_option("--notes", notes_, "New notes (\"\" clears them)");
  expected_version(update);
  run(update, [this] { return Update(); });

  CLI::App* del =
      exchanges->add_subcommand("delete", "Remove an exchange; its delegations stay as they are");
  del->add_option("id", id_, "Exchange id")->required();
  expected_version(del);
  run(del, [this] { return Delete(); });

  CLI::App* balance = exchanges->add_subcommand(
      "balance", "What each visit came to, and what each chamber sent and received");
  balance->add_option("id", id_, "Exchange id")->required();
  run(balance, [this] { return Balance(); });
}

int ExchangeCommands::Create() {
  socio::v1::CreateExchangeRequest request;
  Exchange* e = request.mutable_exchange();
  e->set_id(id_);
  e->set_name(name_);
  e->set_chamber_id(chamber_id_);
  e->set_partner_chamber_id(partner_chamber_id_);
  e->set_visit_delegation_id(visit_);
  e->set_return_delegation_id(return_);
  e->set_notes(notes_);
  request.set_request_id(request_id_);
  absl::StatusOr<Exchange> created = Client().CreateExchange(request);
  if (!created.ok()) return Fail(created.status());
  if (global_.json) {
    std::cout << ToJson(*created) << "\n";
  } else {
    PrintExchange(*created, std::cout);
  }
  return 0;
}

int ExchangeCommands::Get() {
  socio::v1::GetExchangeRequest request;
  request.set_id(id_);
  absl::StatusOr<Exchange> e = Client().GetExchange(request);
  if (!e.ok()) return Fail(e.status());
  if (global_.json) {
    std::cout << ToJson(*e) << "\n";
  } else {
    PrintExchange(*e, std::cout);
  }
  return 0;
}

int ExchangeCommands::List() {
  socio::v1::ListExchangesRequest request;
  request.set_chamber_id(chamber_id_);
  socio::v1::ListExchangesResponse all;
  do {
    absl::StatusOr<socio::v1::ListExchangesResponse> page = Client().ListExchanges(request);
    if (!page.ok()) return Fail(page.status());
    for (Exchange& e : *page->mutable_exchanges()) *all.add_exchanges() = std::move(e);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"ID", "NAME", "CHAMBER", "PARTNER", "VISIT", "RETURN VISIT"}, 40);
  for (const Exchange& e : all.exchanges()) {
    table.AddRow({e.id(), e.name(), e.chamber_id(), e.partner_chamber_id(), e.visit_delegation_id(),
                  e.return_delegation_id().empty() ? "-" : e.return_delegation_id()});
  }
  table.Print(std::cout);
  std::cout << all.exchanges_size() << (all.exchanges_size() == 1 ? " exchange" : " exchanges")
            << "\n";
  return 0;
}

int ExchangeCommands::Update() {
  socio::v1::UpdateExchangeRequest request;
  Exchange* e = request.mutable_exchange();
  e->set_id(id_);
  if (return_option_->count() > 0 || unlink_return_) {
    e->set_return_delegation_id(unlink_return_ ? "" : return_);
    request.mutable_update_mask()->add_paths("return_delegation_id");
  }
  if (name_option_->count() > 0) {
    e->set_name(name_);
    request.mutable_update_mask()->add_paths("name");
  }
  if (notes_option_->count() > 0) {
    e->set_notes(notes_);
    request.mutable_update_mask()->add_paths("notes");
  }
  if (request.update_mask().paths_size() == 0) {
    return Fail(absl::InvalidArgumentError(
        "--return: say what to change: --return, --unlink-return, --name or --notes"));
  }
  request.set_expected_version(expected_version_);
  absl::StatusOr<Exchange> updated = Client().UpdateExchange(request);
  if (!updated.ok()) return Fail(updated.status());
  if (global_.json) {
    std::cout << ToJson(*updated) << "\n";
  } else {
    PrintExchange(*updated, std::cout);
  }
  return 0;
}

int ExchangeCommands::Delete() {
  socio::v1::DeleteExchangeRequest request;
  request.set_id(id_);
  request.set_expected_version(expected_version_);
  absl::StatusOr<socio::v1::DeleteExchangeResponse> deleted = Client().DeleteExchange(request);
  if (!deleted.ok()) return Fail(deleted.status());
  if (global_.json) {
    std::cout << ToJson(*deleted) << "\n";
  } else {
    std::cout << "Deleted exchange " << id_ << "; its delegations stay.\n";
  }
  return 0;
}

int ExchangeCommands::Balance() {
  socio::v1::GetExchangeBalanceRequest request;
  request.set_id(id_);
  absl::StatusOr<ExchangeBalance> balance = Client().GetExchangeBalance(request);
  if (!balance.ok()) return Fail(balance.status());
  if (global_.json) {
    std::cout << ToJson(*balance) << "\n";
  } else {
    PrintBalance(*balance, std::cout);
  }
  return 0;
}

}  // namespace socio::clients
