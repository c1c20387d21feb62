#include "clients/chamber_commands.h"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "clients/cli_output.h"
#include "clients/table.h"

namespace socio::clients {
namespace {

using socio::v1::Chamber;
using socio::v1::ChamberPartner;

constexpr char kContactExample[] =
    "Anna Huber|Head of international|anna.huber@ihk.example|+49 89 5116 0";

// "NAME|ROLE|EMAIL|PHONE", the later parts optional. Whether each part is
// valid is the server's to say.
absl::StatusOr<socio::v1::Contact> ParseContact(absl::string_view spec) {
  std::vector<std::string> parts = absl::StrSplit(spec, '|');
  if (parts.size() > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--contact: '", spec, "' is not NAME|ROLE|EMAIL|PHONE (e.g. '", kContactExample, "')"));
  }
  parts.resize(4);
  for (std::string& part : parts) part = std::string(absl::StripAsciiWhitespace(part));
  socio::v1::Contact contact;
  contact.set_name(parts[0]);
  contact.set_role(parts[1]);
  contact.set_email(parts[2]);
  contact.set_phone(parts[3]);
  return contact;
}

absl::StatusOr<ChamberPartner::State> ParseState(absl::string_view word) {
  ChamberPartner::State state = ChamberPartner::STATE_UNSPECIFIED;
  if (!ChamberPartner::State_Parse(absl::AsciiStrToUpper(word), &state) ||
      state == ChamberPartner::STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("--state: '", word, "' is not a state; use proposed, active or ended"));
  }
  return state;
}

std::string StateWord(ChamberPartner::State state) {
  return absl::AsciiStrToLower(ChamberPartner::State_Name(state));
}

// The partner as a person reads it: "CANACO Ciudad de México (canaco-mx)",
// or the id alone without a record.
std::string PartnerText(const ChamberPartner& link) {
  return link.partner_name().empty()
             ? link.partner_chamber_id()
             : absl::StrCat(link.partner_name(), " (", link.partner_chamber_id(), ")");
}

// Who proposed, from `link.chamber_id()`'s side.
std::string ProposerText(const ChamberPartner& link) {
  return link.proposer_chamber_id() == link.chamber_id() ? "us" : "them";
}

void PrintChamber(const Chamber& c, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  const auto row = [&](const char* field, std::string value) {
    if (!value.empty()) table.AddRow({field, std::move(value)});
  };
  row("id", c.id());
  row("name", c.name());
  row("country", c.country());
  row("city", c.city());
  row("languages", absl::StrJoin(c.languages(), ", "));
  row("website", c.website());
  for (const socio::v1::Contact& contact : c.contacts()) row("contact", FormatContact(contact));
  row("version", absl::StrCat(c.version()));
  row("created", FormatTime(c.create_time()));
  row("updated", FormatTime(c.update_time()));
  table.Print(out);
}

}  // namespace

ChamberCommands::ChamberCommands(const GlobalOptions& global) : global_(global) {}
ChamberCommands::~ChamberCommands() = default;

const ChamberClient& ChamberCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<ChamberClient>(OpenChannel(global_));
  return *client_;
}

void ChamberCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  CLI::App* chambers = app.add_subcommand(
      "chambers",
      "Chambers' directory records and partner chambers: create, get, list, update, "
      "delete, partners");
  chambers->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  chambers->fallthrough();
  const auto record = [this](CLI::App* command) {
    command->add_option("--name", name_, "The chamber's name (up to 200 characters)");
    command->add_option("--country", country_, "ISO 3166-1 alpha-2 code of its country (DE)");
    command->add_option("--city", city_, "The city of its seat");
    command
        ->add_option("--language", languages_,
                     "ISO 639-1 code of a language it works in (comma-separated or repeated)")
        ->delimiter(',')
        ->allow_extra_args(false);
    command->add_option("--website", website_, "Its web site, an http:// or https:// URL");
    command
        ->add_option("--contact", contacts_,
                     absl::StrCat("A contact NAME|ROLE|EMAIL|PHONE (e.g. '", kContactExample,
                                  "'); repeat for more"))
        ->allow_extra_args(false);
  };
  const auto expected_version = [this](CLI::App* command) {
    command->add_option("--expected-version,--expect-version", expected_version_,
                        "Refuse (ABORTED) unless the stored version is this one");
  };

  CLI::App* create = chambers->add_subcommand("create", "Enter a chamber's record (operators)");
  create->add_option("id", id_, "The chamber id its profiles and tokens use")->required();
  record(create);
  create->add_option("--request-id", request_id_, kRequestIdHelp);
  run(create, [this] { return Create(); });

  CLI::App* get = chambers->add_subcommand("get", "One chamber's record");
  get->add_option("id", id_, "Chamber id")->required();
  run(get, [this] { return Get(); });

  CLI::App* list = chambers->add_subcommand("list", "Every chamber's record, by id");
  list->add_option("--country", country_, "Only chambers of this country");
  run(list, [this] { return List(); });

  CLI::App* update = chambers->add_subcommand(
      "update", "Change a chamber's record (operators, or the chamber's own staff)");
  update->add_option("id", id_, "Chamber id")->required();
  record(update);
  update->add_flag("--clear-contacts", clear_contacts_, "Remove every contact");
  expected_version(update);
  run(update, [this] { return Update(); });

  CLI::App* remove = chambers->add_subcommand("delete", "Delete a chamber's record (operators)");
  remove->add_option("id", id_, "Chamber id")->required();
  expected_version(remove);
  run(remove, [this] { return Delete(); });

  partners_ = chambers->add_subcommand(
      "partners", "Partner chambers: list (the default), propose, accept, end");
  partners_->require_subcommand(0, 1);
  partners_->fallthrough();
  const auto acting = [this](CLI::App* command) {
    command->add_option("--chamber", chamber_id_,
                        "The chamber acted for (default: the caller's own)");
  };
  const auto states = [this](CLI::App* command) {
    command
        ->add_option("--state", states_,
                     "Only these: proposed, active, ended (comma-separated or repeated)")
        ->delimiter(',')
        ->allow_extra_args(false);
  };
  acting(partners_);
  states(partners_);
  partners_->callback([this, exit_code] {
    if (partners_->get_subcommands().empty()) *exit_code = ListPartners();
  });
  CLI::App* partners_list = partners_->add_subcommand("list", "A chamber's partner chambers");
  acting(partners_list);
  states(partners_list);
  run(partners_list, [this] { return ListPartners(); });

  CLI::App* propose = partners_->add_subcommand(
      "propose", "Propose a partner chamber; it becomes active when its staff accept");
  propose->add_option("partner", partner_id_, "The chamber asked")->required();
  acting(propose);
  propose->add_option("--note", note_, "A word to the other chamber (up to 500 characters)");
  propose->add_option("--request-id", request_id_, kRequestIdHelp);
  run(propose, [this] { return Propose(); });

  CLI::App* accept =
      partners_->add_subcommand("accept", "Accept the proposal another chamber made to yours");
  accept->add_option("partner", partner_id_, "The chamber that proposed")->required();
  acting(accept);
  expected_version(accept);
  run(accept, [this] { return Accept(); });

  CLI::App* end = partners_->add_subcommand(
      "end", "End a partnership of chambers, or withdraw or decline a proposal");
  end->add_option("partner", partner_id_, "The other chamber")->required();
  acting(end);
  end->add_option("--reason", reason_, "Why (up to 500 characters)");
  expected_version(end);
  run(end, [this] { return End(); });
}

int ChamberCommands::Create() {
  socio::v1::CreateChamberRequest request;
  Chamber* c = request.mutable_chamber();
  c->set_id(id_);
  c->set_name(name_);
  c->set_country(country_);
  c->set_city(city_);
  for (const std::string& language : Values(languages_)) c->add_languages(language);
  c->set_website(website_);
  for (const std::string& spec : contacts_) {
    absl::StatusOr<socio::v1::Contact> contact = ParseContact(spec);
    if (!contact.ok()) return Fail(contact.status());
    *c->add_contacts() = *std::move(contact);
  }
  request.set_request_id(request_id_);
  absl::StatusOr<Chamber> created = Client().CreateChamber(request);
  if (!created.ok()) return Fail(created.status());
  if (global_.json) {
    std::cout << ToJson(*created) << "\n";
    return 0;
  }
  PrintChamber(*created, std::cout);
  return 0;
}

int ChamberCommands::Get() {
  socio::v1::GetChamberRequest request;
  request.set_id(id_);
  absl::StatusOr<Chamber> c = Client().GetChamber(request);
  if (!c.ok()) return Fail(c.status());
  if (global_.json) {
    std::cout << ToJson(*c) << "\n";
    return 0;
  }
  PrintChamber(*c, std::cout);
  return 0;
}

int ChamberCommands::List() {
  socio::v1::ListChambersRequest request;
  request.set_country(country_);
  socio::v1::ListChambersResponse all;
  do {
    absl::StatusOr<socio::v1::ListChambersResponse> page = Client().ListChambers(request);
    if (!page.ok()) return Fail(page.status());
    for (Chamber& c : *page->mutable_chambers()) *all.add_chambers() = std::move(c);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"ID", "NAME", "COUNTRY", "CITY", "LANGUAGES", "WEBSITE"}, 48);
  for (const Chamber& c : all.chambers()) {
    table.AddRow(
        {c.id(), c.name(), c.country(), c.city(), absl::StrJoin(c.languages(), ","), c.website()});
  }
  table.Print(std::cout);
  std::cout << all.chambers_size() << (all.chambers_size() == 1 ? " chamber" : " chambers") << "\n";
  return 0;
}

int ChamberCommands::Update() {
  socio::v1::UpdateChamberRequest request;
  Chamber* c = request.mutable_chamber();
  c->set_id(id_);
  google::protobuf::FieldMask* mask = request.mutable_update_mask();
  const auto write = [&](const std::string& value, const char* path, std::string* field) {
    if (value.empty()) return;
    *field = value;
    mask->add_paths(path);
  };
  write(name_, "name", c->mutable_name());
  write(country_, "country", c->mutable_country());
  write(city_, "city", c->mutable_city());
  write(website_, "website", c->mutable_website());
  const std::vector<std::string> languages = Values(languages_);
  if (!languages.empty()) {
    for (const std::string& language : languages) c->add_languages(language);
    mask->add_paths("languages");
  }
  if (!contacts_.empty() && clear_contacts_) {
    return Fail(absl::InvalidArgumentError("--clear-contacts: give it or --contact, not both"));
  }
  for (const std::string& spec : contacts_) {
    absl::StatusOr<socio::v1::Contact> contact = ParseContact(spec);
    if (!contact.ok()) return Fail(contact.status());
    *c->add_contacts() = *std::move(contact);
  }
  if (!contacts_.empty() || clear_contacts_) mask->add_paths("contacts");
  if (mask->paths().empty()) {
    return Fail(absl::InvalidArgumentError(
        "nothing to change: give --name, --country, --city, --language, --website, --contact "
        "or --clear-contacts"));
  }
  request.set_expected_version(expected_version_);
  absl::StatusOr<Chamber> updated = Client().UpdateChamber(request);
  if (!updated.ok()) return Fail(updated.status());
  if (global_.json) {
    std::cout << ToJson(*updated) << "\n";
    return 0;
  }
  PrintChamber(*updated, std::cout);
  return 0;
}

int ChamberCommands::Delete() {
  socio::v1::DeleteChamberRequest request;
  request.set_id(id_);
  request.set_expected_version(expected_version_);
  absl::StatusOr<socio::v1::DeleteChamberResponse> deleted = Client().DeleteChamber(request);
  if (!deleted.ok()) return Fail(deleted.status());
  if (global_.json) {
    std::cout << ToJson(*deleted) << "\n";
    return 0;
  }
  std::cout << "Deleted the record of chamber " << id_
            << " (its id stays valid for profiles, delegations and tokens)\n";
  return 0;
}

int ChamberCommands::ListPartners() {
  socio::v1::ListPartnerChambersRequest request;
  request.set_chamber_id(chamber_id_);
  for (const std::string& word : Values(states_)) {
    absl::StatusOr<ChamberPartner::State> state = ParseState(word);
    if (!state.ok()) return Fail(state.status());
    request.add_states(*state);
  }
  socio::v1::ListPartnerChambersResponse all;
  do {
    absl::StatusOr<socio::v1::ListPartnerChambersResponse> page =
        Client().ListPartnerChambers(request);
    if (!page.ok()) return Fail(page.status());
    for (ChamberPartner& link : *page->mutable_partners()) *all.add_partners() = std::move(link);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"PARTNER", "STATE", "PROPOSED BY", "SINCE", "NOTE"}, 48);
  for (const ChamberPartner& link : all.partners()) {
    const google::protobuf::Timestamp& since =
        link.state() == ChamberPartner::ENDED    ? link.end_time()
        : link.state() == ChamberPartner::ACTIVE ? link.accept_time()
                                                 : link.propose_time();
    table.AddRow({PartnerText(link), StateWord(link.state()), ProposerText(link), FormatTime(since),
                  link.state() == ChamberPartner::ENDED ? link.end_reason() : link.note()});
  }
  table.Print(std::cout);
  std::cout << all.partners_size() << (all.partners_size() == 1 ? " partner" : " partners") << "\n";
  return 0;
}

int ChamberCommands::PrintLink(const absl::StatusOr<ChamberPartner>& link) {
  if (!link.ok()) return Fail(link.status());
  if (global_.json) {
    std::cout << ToJson(*link) << "\n";
    return 0;
  }
  std::cout << link->chamber_id() << " and " << PartnerText(*link) << ": "
            << StateWord(link->state()) << " (version " << link->version() << ")\n";
  return 0;
}

int ChamberCommands::Propose() {
  socio::v1::ProposePartnerChamberRequest request;
  request.set_chamber_id(chamber_id_);
  request.set_partner_chamber_id(partner_id_);
  request.set_note(note_);
  request.set_request_id(request_id_);
  return PrintLink(Client().ProposePartnerChamber(request));
}

int ChamberCommands::Accept() {
  socio::v1::AcceptPartnerChamberRequest request;
  request.set_chamber_id(chamber_id_);
  request.set_partner_chamber_id(partner_id_);
  request.set_expected_version(expected_version_);
  return PrintLink(Client().AcceptPartnerChamber(request));
}

int ChamberCommands::End() {
  socio::v1::EndPartnerChamberRequest request;
  request.set_chamber_id(chamber_id_);
  request.set_partner_chamber_id(partner_id_);
  request.set_reason(reason_);
  request.set_expected_version(expected_version_);
  return PrintLink(Client().EndPartnerChamber(request));
}

}  // namespace socio::clients
