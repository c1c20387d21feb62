#include "tests/support/visibility_model.h"

namespace socio::testing {

using socio::v1::Profile;

std::set<std::string> ModelDelegation::Named() const {
  std::set<std::string> named(delegates.begin(), delegates.end());
  named.insert(hosts.begin(), hosts.end());
  named.insert(pair_ids.begin(), pair_ids.end());
  return named;
}

const ModelProfile* VisibilityModel::Profile(const std::string& id) const {
  auto it = profiles_.find(id);
  return it == profiles_.end() ? nullptr : &it->second;
}

const ModelDelegation* VisibilityModel::Delegation(const std::string& id) const {
  auto it = delegations_.find(id);
  return it == delegations_.end() ? nullptr : &it->second;
}

ModelDelegation* VisibilityModel::MutableDelegation(const std::string& id) {
  auto it = delegations_.find(id);
  return it == delegations_.end() ? nullptr : &it->second;
}

bool VisibilityModel::Authenticated(const ModelCaller& caller) {
  // "Callers: no token / malformed token / unknown or revoked token ->
  // UNAUTHENTICATED on every RPC. A member token whose profile was deleted
  // (even if another chamber later created a profile with the same id) is
  // revoked -> UNAUTHENTICATED."
  switch (caller.kind) {
    case ModelCaller::kAdmin:
    case ModelCaller::kStaff:
    case ModelCaller::kMember:
      return true;
    default:
      return false;
  }
}

bool VisibilityModel::CanRead(const ModelCaller& caller, const std::string& id) const {
  const ModelProfile* p = Profile(id);
  if (p == nullptr || !Authenticated(caller)) return false;
  switch (caller.kind) {
    case ModelCaller::kAdmin:
      // "ADMIN: always."
      return true;
    case ModelCaller::kStaff:
      // "STAFF of C: p.chamber_id == C or p.visibility == FEDERATION."
      return p->chamber_id == caller.chamber_id || p->visibility == Profile::FEDERATION ||
             RevealedTo(caller, id);
    case ModelCaller::kMember:
      // "MEMBER m: p.id == m."
      return p->id == caller.profile_id || RevealedTo(caller, id);
    default:
      return false;
  }
}

bool VisibilityModel::StaffOfCanRead(const std::string& chamber_id, const std::string& id) const {
  // Delegations: "Every profile id a delegation names ... must be readable by
  // STAFF of C (CanRead as staff of C)".
  return CanRead(ModelCaller{.kind = ModelCaller::kStaff, .chamber_id = chamber_id}, id);
}

bool VisibilityModel::ActsFor(const ModelCaller& caller, const std::string& member_id) const {
  const ModelProfile* m = Profile(member_id);
  if (m == nullptr || !Authenticated(caller)) return false;
  // "ActsFor(caller, m): ADMIN; STAFF of m.chamber_id; MEMBER m itself."
  return caller.kind == ModelCaller::kAdmin ||
         (caller.kind == ModelCaller::kStaff && caller.chamber_id == m->chamber_id) ||
         (caller.kind == ModelCaller::kMember && caller.profile_id == m->id);
}

bool VisibilityModel::SeesContacts(const ModelCaller& caller, const std::string& id) const {
  const ModelProfile* p = Profile(id);
  if (p == nullptr || !Authenticated(caller)) return false;
  // "SeesContacts(caller, p): ADMIN; STAFF of p.chamber_id; MEMBER p itself."
  if (caller.kind == ModelCaller::kAdmin ||
      (caller.kind == ModelCaller::kStaff && caller.chamber_id == p->chamber_id) ||
      (caller.kind == ModelCaller::kMember && caller.profile_id == p->id)) {
    return true;
  }
  // "... and the companies it was revealed to (with their staff)": outside
  // its chamber (a member reads its own chamber's partners without them).
  const ModelProfile* me =
      caller.kind == ModelCaller::kMember ? Profile(caller.profile_id) : nullptr;
  if (me != nullptr && me->chamber_id == p->chamber_id) return false;
  return RevealedTo(caller, id);
}

bool VisibilityModel::RevealedTo(const ModelCaller& caller, const std::string& id) const {
  auto it = revealed_.find(id);
  if (it == revealed_.end()) return false;
  for (const std::string& viewer : it->second) {
    if (caller.kind == ModelCaller::kMember && caller.profile_id == viewer) return true;
    const ModelProfile* v = Profile(viewer);
    if (caller.kind == ModelCaller::kStaff && v != nullptr && v->chamber_id == caller.chamber_id) {
      return true;
    }
  }
  return false;
}

bool VisibilityModel::PartnerVisible(const ModelCaller& caller, const ModelProfile& m,
                                     const std::string& partner_id) const {
  const ModelProfile* p = Profile(partner_id);
  // "p.id != m.id, p valid (valid_until unset or in the future), and"
  if (p == nullptr || p->id == m.id || !p->valid) return false;
  switch (p->visibility) {
    case Profile::FEDERATION:
      // "FEDERATION: yes."
      return true;
    case Profile::CHAMBER:
      // "CHAMBER: p.chamber_id == m.chamber_id."
      return p->chamber_id == m.chamber_id;
    default:
      // "PRIVATE: p.chamber_id == m.chamber_id and the caller is not a
      // member (staff of m's chamber or an operator acting for m). Operators
      // do NOT see other chambers' PRIVATE profiles as partners."
      return p->chamber_id == m.chamber_id && caller.kind != ModelCaller::kMember;
  }
}

std::set<std::string> VisibilityModel::PartnersOf(const ModelCaller& caller,
                                                  const ModelProfile& m) const {
  std::set<std::string> out;
  for (const auto& [id, p] : profiles_) {
    if (PartnerVisible(caller, m, id)) out.insert(id);
  }
  return out;
}

bool VisibilityModel::ReadsDelegation(const ModelCaller& caller, const ModelDelegation& d) {
  // "Read/update/delete/plan/list: ADMIN and STAFF of C."
  return caller.kind == ModelCaller::kAdmin ||
         (caller.kind == ModelCaller::kStaff && caller.chamber_id == d.chamber_id);
}

bool VisibilityModel::TakesPart(const ModelDelegation& d, const std::string& member_id) {
  // "GetAgenda for member m: only m's own agenda in a delegation that names m"
  if (d.Named().contains(member_id)) return true;
  for (const std::string& h : d.plan_host_ids) {
    if (h == member_id) return true;
  }
  return false;
}

std::string VisibilityModel::FirstUnreadableName(const ModelDelegation& d) const {
  // "checked at CreateDelegation and UpdateDelegation ... and again at
  // PlanDelegation ... because visibility can change after the delegation
  // was stored."
  for (const auto* list : {&d.delegates, &d.hosts, &d.pair_ids}) {
    for (const std::string& id : *list) {
      if (!StaffOfCanRead(d.chamber_id, id)) return id;
    }
  }
  return "";
}

bool VisibilityModel::MayShowId(const ModelCaller& caller, const std::string& id) const {
  // "every profile id (and name) anywhere in a response must be one the
  // caller may read, or (for matches, plans, agendas) one that is
  // PartnerVisible for a member the caller acts for" (ids the caller sent
  // are the test's business).
  if (caller.kind == ModelCaller::kAdmin) return true;
  if (CanRead(caller, id)) return true;
  for (const auto& [member_id, m] : profiles_) {
    if (ActsFor(caller, member_id) && PartnerVisible(caller, m, id)) return true;
  }
  return false;
}

bool VisibilityModel::MayShowName(const ModelCaller& caller, const std::string& word) const {
  if (caller.kind == ModelCaller::kAdmin) return true;
  auto it = names_.find(word);
  if (it == names_.end()) return true;
  const ModelProfile* p = Profile(it->second);
  // A name of a deleted incarnation belongs to nobody the caller may read.
  if (p == nullptr || p->name_word != word) return false;
  return MayShowId(caller, p->id);
}

}  // namespace socio::testing
