#!/usr/bin/env bash
# Fails when a file includes across an arrow the layering forbids. The arrows
# are written once, in the table between the "layering:begin" and
# "layering:end" markers of docs/ARCHITECTURE.md: each row names a folder, the
# project folders it may include besides itself, and whether it may include
# gRPC (grpcpp/, grpc/ or generated *.grpc.pb.h stubs; the generated messages,
# *.pb.h, are for every folder). Folders without a row (tests/, bench/) are
# not checked.
#
#   tests/layering/check_includes.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(dirname "$0")/../..}
cd "$root"

doc=docs/ARCHITECTURE.md
declare -A allowed=() grpc=()
while IFS='|' read -r _ folder may speaks _; do
  [[ "$folder" =~ ^\ *\`[a-z_]+/\`\ *$ ]] || continue
  folder=$(tr -d ' `/' <<<"$folder")
  may=$(tr -d '`/,' <<<"$may" | sed 's/—//g')
  allowed[$folder]=$(echo $folder $may)
  grpc[$folder]=$(tr -d ' ' <<<"$speaks")
done < <(sed -n '/layering:begin/,/layering:end/p' "$doc")
if [ ${#allowed[@]} -eq 0 ]; then
  echo "layering: no arrows found between the layering markers of $doc"
  exit 2
fi
project_folders=" ${!allowed[*]} proto "

status=0
for folder in "${!allowed[@]}"; do
  [ -d "$folder" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    header=$(sed -E 's/.*#include ["<]([^">]+)[">].*/\1/' <<<"${line#*:}")
    top=${header%%/*}
    if [[ "$header" == grpcpp/* || "$header" == grpc/grpc* || "$header" == grpc/support/* ||
          "$header" == *.grpc.pb.h ]]; then
      if [ "${grpc[$folder]}" != yes ]; then
        echo "layering: $file includes $header ($folder/ may not speak gRPC)"
        status=1
      fi
      continue
    fi
    case "$project_folders" in *" $top "*) ;; *) continue ;; esac
    case " ${allowed[$folder]} " in *" $top "*) continue ;; esac
    echo "layering: $file includes $header ($folder/ may include only: ${allowed[$folder]})"
    status=1
  done < <(grep -rHn --include='*.cc' --include='*.h' -E '^#include ["<]' "$folder" |
           sed -E 's/^([^:]+):[0-9]+:/\1:/')
done
[ "$status" -eq 0 ] && echo "layering: no include crosses a forbidden arrow"
exit "$status"
