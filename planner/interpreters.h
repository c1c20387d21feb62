// Interpreters as the planner sees them: which meetings need one, which
// interpreter covers a meeting's languages, and in which slots each can work.
// Pure functions of their input; safe from any thread.
//
//   if (NeedsInterpreter(delegate.languages(), host.languages()) &&
//       Covers(delegation.interpreters(0), delegate.languages(), host.languages())) ...
#ifndef SOCIO_PLANNER_INTERPRETERS_H_
#define SOCIO_PLANNER_INTERPRETERS_H_

#include <string>
#include <vector>

#include "google/protobuf/repeated_ptr_field.h"
#include "planner/slot_grid.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner {

using Languages = google::protobuf::RepeatedPtrField<std::string>;

// True when both sides name languages (ISO 639-1, profiles' `languages`) and
// share none. A side that names none is taken to manage: no flag.
bool NeedsInterpreter(const Languages& delegate, const Languages& host);

// True when `interpreter` joins a language of `delegate` to one of `host`:
// by one of its language pairs (either way), or by two of its languages.
bool Covers(const socio::v1::Interpreter& interpreter, const Languages& delegate,
            const Languages& host);

// One entry per slot of `grid`: true when the slot's
// meeting time lies wholly within one of the interpreter's availabilities
// (a whole day when both times are empty; every slot when it lists none).
std::vector<bool> InterpreterSlots(const socio::v1::Interpreter& interpreter, const SlotGrid& grid);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_INTERPRETERS_H_
