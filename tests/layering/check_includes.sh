#!/usr/bin/env bash
# Fails when a file includes across an arrow the layering forbids
# (docs/ARCHITECTURE.md, DESIGN section 2): a folder may include only itself
# and the folders listed for it. gRPC headers are allowed only in services/
# and clients/ (the gateway reaches gRPC through the client library).
#
#   tests/layering/check_includes.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(dirname "$0")/../..}
cd "$root"

declare -A allowed=(
  [reference]="reference"
  [storage]="storage reference"
  [matcher]="matcher reference"
  [planner]="planner matcher reference"
  [clients]="clients reference"
  [http]="http"
  [gateway]="gateway clients http reference"
)
# Crossings that exist and are known, each to be removed, not added to.
known=(
  "storage/match_policy_store.cc:matcher/scoring.h"
)
project_folders="reference storage matcher planner services clients gateway http"

status=0
for folder in "${!allowed[@]}"; do
  [ -d "$folder" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    header=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"${line#*:}")
    top=${header%%/*}
    case " $project_folders " in *" $top "*) ;; *) continue ;; esac
    case " ${allowed[$folder]} " in *" $top "*) continue ;; esac
    case " ${known[*]} " in *" $file:$header "*) continue ;; esac
    echo "layering: $file includes $header ($folder/ may include only: ${allowed[$folder]})"
    status=1
  done < <(grep -rHn --include='*.cc' --include='*.h' '^#include "' "$folder" |
           sed -E 's/^([^:]+):[0-9]+:/\1:/')
  case "$folder" in clients) continue ;; esac
  if grep -rln --include='*.cc' --include='*.h' '#include "grpcpp/' "$folder"; then
    echo "layering: the files above in $folder/ include gRPC (only services/ and clients/)"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "layering: no include crosses a forbidden arrow"
exit "$status"
