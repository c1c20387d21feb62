// The written model of visibility as code: who is authenticated, who may
// read which profile, act for which member, see whom as a partner, read
// which delegation, and which profile ids and names may appear in an answer.
// Tests hold a real server to it; each function cites the clause it mirrors.
// It knows nothing of gRPC: the test keeps it in step with what it stored.
//
//   VisibilityModel model;
//   model.PutProfile({.id = "a-fed-1", .chamber_id = "cham-a", .visibility = FEDERATION});
//   ModelCaller staff{.kind = ModelCaller::kStaff, .chamber_id = "cham-a"};
//   model.CanRead(staff, "a-fed-1");   // true
#ifndef SOCIO_TESTS_SUPPORT_VISIBILITY_MODEL_H_
#define SOCIO_TESTS_SUPPORT_VISIBILITY_MODEL_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "socio/v1/profile.pb.h"

namespace socio::testing {

// A stored profile as far as visibility goes.
struct ModelProfile {
  std::string id;
  std::string chamber_id;
  socio::v1::Profile::Visibility visibility = socio::v1::Profile::PRIVATE;
  // valid_until unset or in the future.
  bool valid = true;
  std::string country;
  std::string city;
  // A word of its name found nowhere else, to spot the name in any answer.
  std::string name_word;
};

// Who calls. kStale is a member token whose profile was deleted (and maybe
// re-created since by another chamber).
struct ModelCaller {
  enum Kind { kNone, kMalformed, kUnknown, kRevoked, kStale, kAdmin, kStaff, kMember };
  Kind kind = kNone;
  std::string chamber_id;  // kStaff
  std::string profile_id;  // kMember, kStale
  std::string label;       // for messages
};

// A stored delegation as far as visibility goes.
struct ModelDelegation {
  std::string id;
  std::string chamber_id;
  std::vector<std::string> delegates;
  std::vector<std::string> hosts;
  std::vector<std::string> pair_ids;  // delegate and host ids of its pairs
  bool has_plan = false;
  std::vector<std::string> plan_host_ids;  // the last plan's host_ids
  // Every profile id the delegation itself names (not its plan).
  std::set<std::string> Named() const;
};

class VisibilityModel {
 public:
  void PutProfile(const ModelProfile& profile) { profiles_[profile.id] = profile; }
  void RemoveProfile(const std::string& id) { profiles_.erase(id); }
  // Also remembers the name words of deleted incarnations (see NameWords).
  void RememberName(const std::string& id, const std::string& word) { names_[word] = id; }
  const ModelProfile* Profile(const std::string& id) const;
  const std::map<std::string, ModelProfile>& profiles() const { return profiles_; }

  // A mutual interest or an accepted request between `a` and `b`: each is
  // revealed to the other, for good (ids keep their reveals, as stored).
  void Reveal(const std::string& a, const std::string& b) {
    revealed_[a].insert(b);
    revealed_[b].insert(a);
  }
  // "that company and its chamber's staff see the profile in full, and may
  // read it": a MEMBER p was revealed to, or STAFF of the chamber of one.
  bool RevealedTo(const ModelCaller& caller, const std::string& id) const;

  void PutDelegation(const ModelDelegation& d) { delegations_[d.id] = d; }
  void RemoveDelegation(const std::string& id) { delegations_.erase(id); }
  const ModelDelegation* Delegation(const std::string& id) const;
  ModelDelegation* MutableDelegation(const std::string& id);
  const std::map<std::string, ModelDelegation>& delegations() const { return delegations_; }

  // "no token / malformed token / unknown or revoked token -> UNAUTHENTICATED
  // on every RPC. A member token whose profile was deleted ... is revoked."
  static bool Authenticated(const ModelCaller& caller);

  // CanRead(caller, p): ADMIN always; STAFF of C: p.chamber_id == C or
  // FEDERATION; MEMBER m: p.id == m; and a profile revealed to the caller
  // (RevealedTo). False for an id with no profile.
  bool CanRead(const ModelCaller& caller, const std::string& id) const;
  // CanRead as the staff of `chamber_id` would: what a delegation of that
  // chamber may name.
  bool StaffOfCanRead(const std::string& chamber_id, const std::string& id) const;

  // ActsFor(caller, m): ADMIN; STAFF of m.chamber_id; MEMBER m itself.
  bool ActsFor(const ModelCaller& caller, const std::string& member_id) const;

  // SeesContacts(caller, p): ADMIN; STAFF of p.chamber_id; MEMBER p itself;
  // a caller p was revealed to, outside p's chamber. Everyone else reads p
  // without its contact persons.
  bool SeesContacts(const ModelCaller& caller, const std::string& id) const;

  // PartnerVisible(caller, m, p) for a stored or probe member `m`.
  bool PartnerVisible(const ModelCaller& caller, const ModelProfile& m,
                      const std::string& partner_id) const;
  // Every p with PartnerVisible(caller, m, p).
  std::set<std::string> PartnersOf(const ModelCaller& caller, const ModelProfile& m) const;

  // Delegations: read/update/delete/plan/list by ADMIN and STAFF of C.
  static bool ReadsDelegation(const ModelCaller& caller, const ModelDelegation& d);
  // Whether the delegation names `member_id` (delegate, host, pair) or its
  // last plan chose it as a host.
  static bool TakesPart(const ModelDelegation& d, const std::string& member_id);
  // The first id the delegation names that its chamber's staff may not read
  // (missing or hidden), in the order delegates, hosts, pairs; "" if none.
  std::string FirstUnreadableName(const ModelDelegation& d) const;

  // "What may appear in a response": a profile id the caller may read, or
  // one PartnerVisible for a member the caller acts for.
  bool MayShowId(const ModelCaller& caller, const std::string& id) const;
  // The same for a name: only of a profile that exists now, under that id.
  bool MayShowName(const ModelCaller& caller, const std::string& word) const;
  // Every name word ever stored, with the id it belonged to.
  const std::map<std::string, std::string>& NameWords() const { return names_; }

 private:
  std::map<std::string, ModelProfile> profiles_;
  std::map<std::string, std::string> names_;  // word -> id
  std::map<std::string, std::set<std::string>> revealed_;  // id -> shown to
  std::map<std::string, ModelDelegation> delegations_;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_VISIBILITY_MODEL_H_
