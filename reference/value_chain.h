// The value chain of NACE Rev. 2 codes: which manufacturing codes (section C,
// divisions 10-33) belong together with the codes of the units that trade,
// sell or service their goods (agents 46.1, wholesale 46.2-46.7, motor trade
// 45, retail 47, repair and installation 33 and 95).
//
// The relation is a table written in value_chain.cc, one row per link, each
// with its reasoning from NACE Rev. 2's own explanatory notes (Eurostat,
// "NACE Rev. 2 - Statistical classification of economic activities in the
// European Community", 2008): e.g. 46.47 "wholesale of furniture, carpets and
// lighting equipment" trades the goods of 31.0, 13.93 and 27.4. The generic
// traders (46.19 agents of a variety of goods, 46.39 and 46.90 non-specialised
// wholesale, 47.1 non-specialised stores) trade everything and are therefore
// in no row, except 46.39 for food.
//
// A code takes part in a row when it lies under the row's code or, being at
// least a division, covers it ("31.01" and "31" both take part in a row for
// "31.0"; "C" takes part in none). The relation is symmetric: a maker is
// linked with its traders and the traders with the maker.
//
//   for (const ValueChainLink& link : ValueChainLinks()) ...
//
// Thread safety: the table is immutable; any thread may read it.
#ifndef SOCIO_REFERENCE_VALUE_CHAIN_H_
#define SOCIO_REFERENCE_VALUE_CHAIN_H_

#include "absl/types/span.h"

namespace socio::reference {

// What the partner end of a link does with the maker's goods.
enum class ChainRole {
  kTrade,    // wholesale, agents, motor trade and retail sell them
  kService,  // repair, maintenance and installation look after them
};

struct ValueChainLink {
  const char* maker;    // canonical NACE code in 10-33: "31"
  const char* partner;  // canonical NACE code of the trade or service: "46.47"
  ChainRole role;
  // The partner's activity in a few lower-case words, for explanations:
  // "wholesale of furniture".
  const char* partner_words;
};

// Every link, in maker code order. Static storage; never empty.
absl::Span<const ValueChainLink> ValueChainLinks();

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_VALUE_CHAIN_H_
