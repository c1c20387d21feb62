#!/usr/bin/env bash
# The layering check passes on a copy of the tree and fails, naming each file,
# once violations are planted in it: storage including the matcher, the
# matcher including gRPC stubs, clients including server code.
#
#   tests/layering/check_includes_test.sh SOURCE_DIR
set -euo pipefail
src=$(cd "${1:?source dir}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/docs"
cp "$src/docs/ARCHITECTURE.md" "$work/docs/"
for folder in reference storage matcher planner clients services gateway http; do
  [ -d "$src/$folder" ] && cp -r "$src/$folder" "$work/"
done
check="$src/tests/layering/check_includes.sh"

if ! "$check" "$work" >"$work/clean.log"; then
  cat "$work/clean.log"
  echo "FAIL: the check rejects the tree as it is"
  exit 1
fi

printf '#include "matcher/scoring.h"\n' >"$work/storage/planted_scoring.cc"
printf '#include "socio/v1/match_service.grpc.pb.h"\n' >"$work/matcher/planted_stub.cc"
printf '#include "services/auth.h"\n' >"$work/clients/planted_server.cc"
if "$check" "$work" >"$work/planted.log"; then
  cat "$work/planted.log"
  echo "FAIL: the check passes a tree with planted violations"
  exit 1
fi
for expected in "storage/planted_scoring.cc includes matcher/scoring.h" \
                "matcher/planted_stub.cc includes socio/v1/match_service.grpc.pb.h" \
                "clients/planted_server.cc includes services/auth.h"; do
  if ! grep -qF "$expected" "$work/planted.log"; then
    cat "$work/planted.log"
    echo "FAIL: no report of: $expected"
    exit 1
  fi
done
echo "layering check: passes the tree, names each of 3 planted violations"
