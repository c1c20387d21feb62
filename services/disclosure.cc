#include "services/disclosure.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "socio/v1/engagement.pb.h"
#include "storage/engagement_store.h"
#include "storage/profile_validation.h"

namespace socio::services {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using socio::v1::Profile;

// A name no profile has (the handle prefix is kept), for an id the caller
// may not tie to its handle; the number tells stand-ins apart in a message.
std::string StandIn(size_t n) { return absl::StrCat(storage::kHandlePrefix, "unknown-", n); }

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// `text` with each occurrence of `word` that stands as a word (no letter or
// digit right before or after it) replaced by `by`.
std::string ReplaceWord(const std::string& text, const std::string& word, const std::string& by) {
  if (word.empty() || text.size() < word.size()) return text;
  std::string out;
  size_t from = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    if ((at > 0 && IsWordChar(text[at - 1])) || (end < text.size() && IsWordChar(text[end]))) {
      continue;
    }
    out.append(text, from, at - from);
    out.append(by);
    from = end;
    at = end - 1;
  }
  if (from == 0) return text;
  out.append(text, from, std::string::npos);
  return out;
}

// Calls `visit` for every string field of `message` and the messages in it;
// where it returns a string, that replaces the field's value. `enter` is
// asked before each sub-message whether to look inside it.
template <typename Visit, typename Enter>
void ForEachString(Message* message, const Visit& visit, const Enter& enter) {
  const Reflection* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  std::string scratch;
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      if (field->type() == FieldDescriptor::TYPE_BYTES) continue;
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          std::optional<std::string> changed =
              visit(*field, reflection->GetRepeatedStringReference(*message, field, i, &scratch));
          if (changed) reflection->SetRepeatedString(message, field, i, *std::move(changed));
        }
      } else {
        std::optional<std::string> changed =
            visit(*field, reflection->GetStringReference(*message, field, &scratch));
        if (changed) reflection->SetString(message, field, *std::move(changed));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          Message* sub = reflection->MutableRepeatedMessage(message, field, i);
          if (enter(sub)) ForEachString(sub, visit, enter);
        }
      } else {
        Message* sub = reflection->MutableMessage(message, field);
        if (enter(sub)) ForEachString(sub, visit, enter);
      }
    }
  }
}

Profile* AsProfile(Message* message) {
  return message->GetDescriptor() == Profile::descriptor() ? static_cast<Profile*>(message)
                                                           : nullptr;
}

}  // namespace

bool Disclosure::IsRefField(const FieldDescriptor& field) {
  const absl::string_view name = field.name();
  // Ids of other things, never of a profile.
  for (absl::string_view other : {"chamber_id", "delegation_id", "request_id", "notification_id"}) {
    if (absl::EndsWith(name, other)) return false;
  }
  return name == "id" || absl::EndsWith(name, "_id") || absl::EndsWith(name, "_ids") ||
         absl::EndsWith(name, "_ref") || name == "recipient" || name == "revealed_to";
}

void Disclosure::Anonymize(Profile* profile) {
  const std::string handle = profile->handle();
  profile->set_id(handle);
  profile->set_name(handle);
  profile->clear_city();
  profile->clear_location();
  profile->clear_description();
  profile->clear_keywords();
  profile->clear_founded_year();
  profile->clear_contacts();
  profile->clear_create_time();
  profile->clear_update_time();
  for (socio::v1::Objective& objective : *profile->mutable_objectives()) objective.clear_note();
  int band = 0;
  for (int bound : {1, 10, 50, 250, 1000}) {
    if (profile->employees() >= bound) band = bound;
  }
  profile->set_employees(band);
}

Disclosure::Call::Call(const Disclosure* disclosure, Caller caller)
    : disclosure_(disclosure), caller_(std::move(caller)) {}

bool Disclosure::Call::RevealedTo(const Profile& profile) {
  const storage::EngagementStore* engagement = disclosure_->engagement_;
  if (engagement == nullptr) return false;
  if (caller_.role == socio::v1::MEMBER) {
    absl::StatusOr<bool> revealed = engagement->IsRevealed(profile.id(), caller_.profile_id);
    return revealed.ok() && *revealed;
  }
  if (caller_.role != socio::v1::STAFF) return false;
  // Staff see what was revealed to one of their chamber's members.
  std::string token;
  do {
    auto page =
        engagement->ListReveals(profile.id(), storage::EngagementStore::kMaxPageSize, token);
    if (!page.ok()) return false;
    for (const socio::v1::Reveal& reveal : page->first) {
      absl::StatusOr<Profile> shown_to = disclosure_->profiles_->GetProfile(reveal.revealed_to());
      if (shown_to.ok() && shown_to->chamber_id() == caller_.chamber_id) return true;
    }
    token = std::move(page->second);
  } while (!token.empty());
  return false;
}

bool Disclosure::Call::InCallersChamber(const Profile& profile) {
  if (caller_.role == socio::v1::STAFF) return caller_.chamber_id == profile.chamber_id();
  if (caller_.role != socio::v1::MEMBER || disclosure_ == nullptr) return false;
  if (!caller_chamber_.has_value()) {
    absl::StatusOr<Profile> me = disclosure_->profiles_->GetProfile(caller_.profile_id);
    caller_chamber_ = me.ok() ? me->chamber_id() : "";
  }
  return !caller_chamber_->empty() && *caller_chamber_ == profile.chamber_id();
}

bool Disclosure::Call::SeesContacts(const Profile& profile) {
  if (caller_.is_admin() || caller_.is_staff_of(profile.chamber_id()) ||
      caller_.is_member(profile.id())) {
    return true;
  }
  if (disclosure_ == nullptr) return false;
  // A member reads its own chamber's partners without their contacts.
  return !InCallersChamber(profile) && RevealedTo(profile);
}

bool Disclosure::Call::Sees(const Profile& profile) {
  if (!profile.anonymous() || caller_.is_admin() || caller_.is_member(profile.id()) ||
      disclosure_ == nullptr) {
    return true;
  }
  return InCallersChamber(profile) || RevealedTo(profile);
}

Disclosure::Call::Known Disclosure::Call::KnownOf(const Profile& profile) {
  Known known;
  known.hidden = !Sees(profile) && !profile.handle().empty();
  known.contacts_hidden = profile.contacts_size() > 0 && !SeesContacts(profile);
  // A handle shown while the profile is not anonymous would tie it to the
  // company once it is.
  known.handle_hidden = !profile.anonymous() && !profile.handle().empty() &&
                        !caller_.is_admin() && !caller_.is_member(profile.id()) &&
                        !InCallersChamber(profile);
  known.handle = profile.handle();
  known.name = profile.name();
  known.city = profile.city();
  return known;
}

const Disclosure::Call::Known* Disclosure::Call::Look(const std::string& id) {
  auto [it, inserted] = known_.try_emplace(id);
  if (inserted) {
    absl::Status valid = storage::ValidateId("id", id);
    absl::StatusOr<Profile> profile =
        valid.ok() ? disclosure_->profiles_->GetProfile(id) : absl::StatusOr<Profile>(valid);
    if (profile.ok()) it->second = KnownOf(*profile);
  }
  return it->second.has_value() ? &*it->second : nullptr;
}

void Disclosure::Call::Remember(const Profile& profile) {
  if (profile.id().empty()) return;
  auto [it, inserted] = known_.try_emplace(profile.id());
  if (inserted) it->second = KnownOf(profile);
}

absl::Status Disclosure::Call::TakeRequest(Message* request) {
  if (disclosure_ == nullptr) return absl::OkStatus();
  absl::Status failed;
  ForEachString(
      request,
      [&](const FieldDescriptor& field, const std::string& value) -> std::optional<std::string> {
        if (!failed.ok()) return std::nullopt;
        if (storage::IsHandle(value)) {
          absl::StatusOr<std::string> id = disclosure_->profiles_->IdOfHandle(value);
          if (id.ok()) {
            if (!caller_.is_admin()) Look(*id);  // so that errors naming it show the handle
            return *std::move(id);
          }
          if (!absl::IsNotFound(id.status())) failed = id.status();
          return std::nullopt;
        }
        if (caller_.is_admin() || !IsRefField(field) || value.empty()) return std::nullopt;
        const Known* known = Look(value);
        if (known == nullptr || !known->hidden) return std::nullopt;
        std::string stand_in = StandIn(stand_ins_.size());
        stand_ins_[stand_in] = value;
        return stand_in;
      },
      // A profile being written is the writer's own: its ids are not looked up.
      [](Message* sub) { return AsProfile(sub) == nullptr; });
  return failed;
}

void Disclosure::Call::Collect(const Message& message) {
  if (const Profile* profile = AsProfile(const_cast<Message*>(&message))) Remember(*profile);
  ForEachString(
      const_cast<Message*>(&message),  // read only: `visit` changes nothing
      [&](const FieldDescriptor& field, const std::string& value) -> std::optional<std::string> {
        if (IsRefField(field) && !value.empty()) Look(value);
        return std::nullopt;
      },
      [&](Message* sub) {
        if (const Profile* profile = AsProfile(sub)) Remember(*profile);
        return true;
      });
}

bool Disclosure::Call::HidesAnything() const {
  for (const auto& [id, known] : known_) {
    if (known.has_value() && (known->hidden || known->contacts_hidden || known->handle_hidden)) {
      return true;
    }
  }
  return false;
}

std::vector<Disclosure::Call::Hidden> Disclosure::Call::HiddenOnes() const {
  std::vector<Hidden> out;
  for (const auto& [id, known] : known_) {
    if (known.has_value() && known->hidden) out.push_back({&id, &*known});
  }
  return out;
}

std::optional<std::string> Disclosure::Call::ShowText(const std::string& text,
                                                      const std::vector<Hidden>& hidden) const {
  std::optional<std::string> shown;
  for (const Hidden& h : hidden) {
    const std::string& current = shown ? *shown : text;
    const bool has_id = absl::StrContains(current, *h.id);
    const bool has_name = h.known->name.size() >= 2 && absl::StrContains(current, h.known->name);
    if (!has_id && !has_name) continue;
    std::string next = has_id ? ReplaceWord(current, *h.id, h.known->handle) : current;
    if (has_name) next = ReplaceWord(next, h.known->name, h.known->handle);
    shown = std::move(next);
  }
  return shown;
}

bool Disclosure::Call::ShowProfile(Profile* profile) {
  auto it = known_.find(profile->id());
  if (it == known_.end() || !it->second.has_value()) return true;
  if (it->second->contacts_hidden) profile->clear_contacts();
  if (it->second->handle_hidden) profile->clear_handle();
  if (!it->second->hidden) return true;
  Anonymize(profile);
  return false;  // what is left names nobody
}

void Disclosure::Call::Rewrite(Message* message) {
  if (Profile* profile = AsProfile(message); profile != nullptr && !ShowProfile(profile)) return;
  const std::vector<Hidden> hidden = HiddenOnes();
  ForEachString(
      message,
      [&](const FieldDescriptor&, const std::string& value) -> std::optional<std::string> {
        if (value.empty() || hidden.empty()) return std::nullopt;
        auto it = known_.find(value);
        if (it != known_.end()) {
          if (it->second.has_value() && it->second->hidden) return it->second->handle;
          return std::nullopt;
        }
        return ShowText(value, hidden);
      },
      [&](Message* sub) {
        Profile* profile = AsProfile(sub);
        return profile == nullptr || ShowProfile(profile);
      });
}

void Disclosure::Call::Show(Message* response) {
  if (disclosure_ == nullptr || caller_.is_admin()) return;
  Collect(*response);
  if (HidesAnything()) Rewrite(response);
}

absl::Status Disclosure::Call::ShowStatus(const absl::Status& status) {
  if (status.ok() || disclosure_ == nullptr) return status;
  std::string message(status.message());
  if (!caller_.is_admin()) {
    // Errors quote the ids they name ("'de-1' is in 'Ulm', which ..."): those
    // are read too, and a hidden company's city is not told either.
    for (size_t open = message.find('\''); open != std::string::npos;) {
      const size_t close = message.find('\'', open + 1);
      if (close == std::string::npos) break;
      const std::string quoted = message.substr(open + 1, close - open - 1);
      if (storage::ValidateId("id", quoted).ok()) Look(quoted);
      open = message.find('\'', close + 1);
    }
    for (const auto& [id, known] : known_) {
      if (known.has_value() && known->hidden && known->city.size() >= 2) {
        message = ReplaceWord(message, known->city, "(a city not shown)");
      }
    }
    if (std::optional<std::string> shown = ShowText(message, HiddenOnes())) {
      message = *std::move(shown);
    }
  }
  // Last, so that an id the caller sent reads back as it was sent, never
  // as the handle it would tie to.
  for (const auto& [stand_in, sent] : stand_ins_) message = ReplaceWord(message, stand_in, sent);
  if (message == status.message()) return status;
  return absl::Status(status.code(), message);
}

}  // namespace socio::services
