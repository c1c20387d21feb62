// Disclosure: anonymity until mutual interest (Profile.anonymous,
// profile.proto), applied to every answer in one place, and the contact
// persons rule with it.
//
// Whether a caller sees who a profile is (Sees): always, unless the profile
// is anonymous; then operators, the members and staff of its own chamber, and
// each company outside the chamber it was revealed to (a mutual interest or
// an accepted meeting request, EngagementStore's reveals) with that company's
// chamber's staff. Contacts follow the same rule for every profile, anonymous
// or not: operators, its own chamber, and the companies it was revealed to
// (with their staff).
//
// Serve (call_scope.h) runs a Disclosure::Call around every handler body:
//
//   Disclosure::Call call(disclosure, caller);
//   absl::Status s = call.TakeRequest(request);    // handles -> ids
//   if (s.ok()) s = body(caller);
//   if (s.ok()) call.Show(response);                // hidden profiles -> handles
//   else s = call.ShowStatus(s);
//
// TakeRequest replaces every string of the request that is a handle naming a
// profile with that profile's id, so a handle works wherever an id does; and
// an id of a profile hidden from the caller, in a field that names profiles
// (see IsRefField), with a name no profile has, so that the id answers
// NOT_FOUND as a missing one would and cannot be tied to its handle.
//
// Show finds the profiles the answer names (Profile messages, at any depth,
// taken as they are, and the strings of fields IsRefField accepts, read from
// the lookup), and for each one hidden from the caller: a Profile message of
// it keeps only what profile.proto lists (the handle stands for its id and
// name); every string field equal to its id becomes its handle; and in every
// other string its id and its name, where they stand as words, become the
// handle: summaries, calendar and CSV files, reasons, calendar UIDs. Contacts
// the caller may not see are cleared from every Profile message, and so is
// the handle of a profile that is not anonymous, outside its chamber (so that
// choosing anonymity later is not undone by handles seen before). Strings of
// an answer are thus never checked field by field for a handler's mistakes
// of this kind: the walk covers the whole message.
//
// A process without an EngagementStore (the matcher and planner roles) knows
// no reveals: anonymous profiles stay hidden from every caller outside their
// chamber there, and contacts are shown only to the own chamber.
//
// Thread safety: a Disclosure may be shared; a Call belongs to one call.
#ifndef SOCIO_SERVICES_DISCLOSURE_H_
#define SOCIO_SERVICES_DISCLOSURE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/auth.h"
#include "services/profile_lookup.h"
#include "socio/v1/profile.pb.h"

namespace socio::storage {
class EngagementStore;
}  // namespace socio::storage

namespace socio::services {

class Disclosure {
 public:
  // Neither is owned; both must outlive the Disclosure. `engagement` may be
  // null (see above).
  Disclosure(const ProfileLookup* profiles, const storage::EngagementStore* engagement)
      : profiles_(profiles), engagement_(engagement) {}

  // Whether a field of an API message names profiles by id: "id", or a name
  // ending in "_id", "_ids" or "_ref", or "recipient" or "revealed_to"; not
  // one ending in "chamber_id", "delegation_id", "request_id" or
  // "notification_id", which name other things.
  static bool IsRefField(const google::protobuf::FieldDescriptor& field);

  // `*profile` as a caller who may not see who it is reads it (see
  // profile.proto): its handle for its id and name, identifying fields
  // cleared, employees rounded down to its size band.
  static void Anonymize(socio::v1::Profile* profile);

  // What one caller is shown, for one call (or one streamed message). It
  // remembers what it looked up, so each profile is read once per call.
  class Call {
   public:
    // `disclosure` may be null: then the Call changes nothing.
    Call(const Disclosure* disclosure, Caller caller);

    // Whether the caller sees who `profile` is, and its contacts.
    bool Sees(const socio::v1::Profile& profile);
    bool SeesContacts(const socio::v1::Profile& profile);
    // Whether `profile` was revealed to the caller: a member it was revealed
    // to, or the staff of that member's chamber.
    bool RevealedTo(const socio::v1::Profile& profile);

    // See above. Errors of the profile lookup (UNAVAILABLE, ...).
    absl::Status TakeRequest(google::protobuf::Message* request);
    void Show(google::protobuf::Message* response);
    // `status` with every hidden id and name in its message replaced as Show
    // replaces them in free text (ids the message quotes are looked up too),
    // a hidden company's city left out, and each stand-in TakeRequest put
    // in a request turned back into what the caller sent.
    absl::Status ShowStatus(const absl::Status& status);

   private:
    struct Known {
      bool hidden = false;           // anonymous and not seen by the caller
      bool contacts_hidden = false;  // contacts not seen by the caller
      bool handle_hidden = false;    // not anonymous, read outside its chamber
      std::string handle;
      std::string name;
      std::string city;
    };
    // What is known of the profile `id`; nullptr if it names none (or the
    // lookup failed: then nothing is replaced for it).
    const Known* Look(const std::string& id);
    // The same for a profile an answer carries, as stored: read from the
    // message, not looked up again.
    void Remember(const socio::v1::Profile& profile);
    Known KnownOf(const socio::v1::Profile& profile);
    // Whether the caller is the staff or a member of `profile`'s chamber.
    bool InCallersChamber(const socio::v1::Profile& profile);
    struct Hidden {
      const std::string* id;
      const Known* known;
    };
    // The profiles looked up so far that are hidden from the caller.
    std::vector<Hidden> HiddenOnes() const;
    // `text` with each of `hidden`'s ids and names, where they stand as
    // words, replaced by its handle; nullopt if none is in it.
    std::optional<std::string> ShowText(const std::string& text,
                                        const std::vector<Hidden>& hidden) const;
    void Collect(const google::protobuf::Message& message);
    void Rewrite(google::protobuf::Message* message);
    // Clears what the caller may not see of `*profile`; whether anything of
    // it is left to look inside.
    bool ShowProfile(socio::v1::Profile* profile);
    bool HidesAnything() const;

    const Disclosure* const disclosure_;
    const Caller caller_;
    std::optional<std::string> caller_chamber_;                     // a member's, once read
    absl::flat_hash_map<std::string, std::optional<Known>> known_;  // by profile id
    absl::flat_hash_map<std::string, std::string> stand_ins_;       // stand-in -> as sent
  };

 private:
  const ProfileLookup* const profiles_;
  const storage::EngagementStore* const engagement_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_DISCLOSURE_H_
