#!/bin/bash
# Builds the Debian package from a build tree and checks it without
# installing anything:
#   - the control fields, the files and the maintainer scripts (mode 0755);
#   - the unit with `systemd-analyze verify`, where that works offline;
#   - the packaged sociod, started with the unit's own ExecStart and the
#     packaged defaults file (data dir and port moved into a temporary root),
#     answers `socio profiles list` and exits 0 on SIGTERM;
#   - every file that sociod opens on its way to serving (traced with strace,
#     where installed) belongs to a package Depends lists, or to an essential
#     one: a fresh machine that installs the package has what sociod reads.
#
#   tests/packaging/package_test.sh BUILD_DIR
#
# Exit 77 (ctest: skipped) where cpack or dpkg-deb is missing.
set -euo pipefail

build=${1:?usage: package_test.sh BUILD_DIR}
build=$(cd "$build" && pwd)

for tool in cpack dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (the .deb is built and checked on Debian only)"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/socio-package-test.XXXXXX")
sociod_pid=""
strace_pid=""
# The processes $1 started (sociod under strace).
children_of() {
  cat "/proc/$1/task/$1/children" 2>/dev/null || true
}
cleanup() {
  if [ -n "$sociod_pid" ] && kill -0 "$sociod_pid" 2>/dev/null; then
    kill -KILL "$sociod_pid" 2>/dev/null || true
    wait "$sociod_pid" 2>/dev/null || true
  fi
  if [ -n "$strace_pid" ] && kill -0 "$strace_pid" 2>/dev/null; then
    # shellcheck disable=SC2046  # one pid a word
    kill -KILL $(children_of "$strace_pid") 2>/dev/null || true
    wait "$strace_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Passes if the text on stdin has a line matching the extended regex $1.
expect_line() {
  grep -Eq -- "$1" || fail "$2"
}

# --- Build the package into the temporary directory. -------------------------
echo "== cpack"
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  fail "cpack failed (are sociod, socio and socio-gen built?)"
fi
debs=("$work"/out/socio_*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one socio_*.deb in $work/out"
deb=${debs[0]}
echo "built $(basename "$deb")"

# --- Control fields, contents, maintainer scripts. ---------------------------
echo "== dpkg-deb -I"
info=$(dpkg-deb -I "$deb")
echo "$info"
expect_line '^ Package: socio$' <<<"$info" "Package is not socio"
expect_line '^ Section: net$' <<<"$info" "Section is not net"
expect_line '^ Maintainer: .+<.+@.+>$' <<<"$info" "no Maintainer"
expect_line '^ Depends: .*adduser' <<<"$info" "Depends lacks adduser"
expect_line '^ Depends: .*libgrpc\+\+' <<<"$info" "Depends lacks libgrpc++ (shlibdeps did not run?)"
expect_line '^ Depends: .*librocksdb' <<<"$info" "Depends lacks librocksdb"
[ "$(dpkg-deb -f "$deb" Version)" = "$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' \
  "$build/CPackConfig.cmake")" ] || fail "Version differs from the project's"
[ "$(dpkg-deb -I "$deb" conffiles)" = "/etc/default/sociod" ] ||
  fail "conffiles is not exactly /etc/default/sociod"

control=$(dpkg-deb --ctrl-tarfile "$deb" | tar -tvf -)
for script in postinst prerm postrm; do
  expect_line "^-rwxr-xr-x .* \./$script$" <<<"$control" "$script missing or not 0755"
done

echo "== dpkg-deb -c"
contents=$(dpkg-deb -c "$deb")
echo "$contents"
for binary in sociod socio socio-gen; do
  expect_line "^-rwxr-xr-x .* \./usr/bin/$binary$" <<<"$contents" "no executable /usr/bin/$binary"
done
expect_line '^-rw-r--r-- .* \./usr/lib/systemd/system/sociod\.service$' <<<"$contents" \
  "no /usr/lib/systemd/system/sociod.service"
expect_line '^-rw-r--r-- .* \./etc/default/sociod$' <<<"$contents" "no /etc/default/sociod"
expect_line '^-rw-r--r-- .* \./usr/share/doc/socio/README\.md$' <<<"$contents" "no README.md in the docs"
if grep -Eq '\./usr/local/|\./usr/etc/' <<<"$contents"; then
  fail "files outside the Debian layout"
fi

root="$work/root"
dpkg-deb -x "$deb" "$root"
unit="$root/usr/lib/systemd/system/sociod.service"
defaults="$root/etc/default/sociod"

# --- The unit. ---------------------------------------------------------------
echo "== systemd-analyze verify"
if command -v systemd-analyze >/dev/null; then
  # The packaged paths do not exist here: point the copy at the extracted
  # root. User=socio may not exist; systemd resolves users only at start.
  mkdir -p "$work/units"
  sed -e "s|/usr/bin/sociod|$root/usr/bin/sociod|" -e "s|/etc/default/sociod|$defaults|" \
    "$unit" >"$work/units/sociod.service"
  verify_status=0
  systemd-analyze verify --man=no "$work/units/sociod.service" >"$work/verify.log" 2>&1 ||
    verify_status=$?
  cat "$work/verify.log"
  # Unknown keys and bad values are only warnings (exit 0): fail on any
  # remark about the unit.
  if grep -q 'sociod\.service' "$work/verify.log"; then
    fail "systemd-analyze verify objects to the unit"
  elif [ "$verify_status" -eq 0 ]; then
    echo "unit verified"
  elif [ -d /run/systemd/system ]; then
    fail "systemd-analyze verify failed"
  else
    # Without a running systemd it may fail on its own set-up before it reads
    # the unit; that says nothing about ours.
    echo "SKIP verify: systemd-analyze cannot run without systemd here"
  fi
else
  echo "SKIP verify: systemd-analyze not installed"
fi

# --- Start the packaged server the way the unit does. ------------------------
echo "== start the packaged sociod"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_start" ] || fail "the unit has no ExecStart"
case "$exec_start" in
  '/usr/bin/sociod '*'--data_dir /var/lib/socio'*'$SOCIOD_ARGS'*) ;;
  *) fail "unexpected ExecStart: $exec_start" ;;
esac
# systemd reads KEY="value" lines; the shell reads this simple one the same way.
sociod_args=$(. "$defaults" && printf '%s' "${SOCIOD_ARGS:?the defaults file sets no SOCIOD_ARGS}")
grep -Eq -- '--listen[ =][^ ]+' <<<"$sociod_args" || fail "SOCIOD_ARGS has no --listen: $sociod_args"
sociod_args=$(sed -E 's/--listen[ =][^ ]+/--listen 127.0.0.1:0/' <<<"$sociod_args")
command_line=${exec_start//\$SOCIOD_ARGS/$sociod_args}
command_line=${command_line/#\/usr\/bin\/sociod/$root/usr/bin/sociod}
command_line=${command_line//\/var\/lib\/socio/$root/var/lib/socio}
# An unquoted $VAR in ExecStart is split at whitespace, as here.
read -r -a argv <<<"$command_line"
echo "${argv[*]}"
data_dir="$root/var/lib/socio"
mkdir -p "$data_dir"  # systemd makes it (StateDirectory=socio)

# Waits until the stderr file $1 says "serving on"; prints the address.
wait_for_serving() {
  local address="" pid=$2
  for _ in $(seq 600); do
    address=$(sed -n 's/^sociod: serving on \([^ ,]*\).*/\1/p' "$1")
    [ -n "$address" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$1" >&2
      fail "sociod exited before serving"
    fi
    sleep 0.1
  done
  [ -n "$address" ] || { cat "$1" >&2; fail "no 'sociod: serving on' within 60 s"; }
  echo "$address"
}

# --- What sociod reads, against Depends. --------------------------------------
echo "== files the packaged sociod opens until it serves, and their packages"
if command -v strace >/dev/null && command -v dpkg-query >/dev/null; then
  traced_argv=()
  for arg in "${argv[@]}"; do
    [ "$arg" = "$data_dir" ] && arg="$work/traced-data"
    traced_argv+=("$arg")
  done
  strace -f -qq -e trace=open,openat -e status=successful -o "$work/open.trace" \
    "${traced_argv[@]}" 2>"$work/traced.err" &
  strace_pid=$!
  wait_for_serving "$work/traced.err" "$strace_pid" >/dev/null
  # shellcheck disable=SC2046  # one pid a word
  kill -TERM $(children_of "$strace_pid") || true
  wait "$strace_pid" || true
  strace_pid=""
  # Depends: "a (>= 1), b | c, d" -> one name a line.
  depends=$(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | sed -E 's/\(.*\)//; s/:[a-z0-9]+//; s/[[:space:]]//g' |
    grep -v '^$' | sort -u)
  missing=""
  checked=0
  while read -r path; do
    case "$path" in
      "$root"/* | "$work"/* | /proc/* | /sys/* | /dev/* | /tmp/* | /etc/ld.so.cache) continue ;;
      *.so | *.so.*) continue ;;  # shared libraries: dpkg-shlibdeps' part
      # libssl reads its configuration when there is one, and works without.
      /usr/lib/ssl/openssl.cnf) continue ;;
    esac
    real=$(readlink -f "$path" 2>/dev/null) || continue
    [ -f "$real" ] || continue
    owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    owner=$(head -n 1 <<<"$owner" | sed -E 's/: .*//; s/:[a-z0-9]+$//')
    [ -n "$owner" ] || continue  # made at install time (/etc/localtime's link), no package
    checked=$((checked + 1))
    grep -qxF "$owner" <<<"$depends" && continue
    [ "$(dpkg-query -W -f='${Essential}' "$owner" 2>/dev/null)" = "yes" ] && continue
    case " $missing " in
      *" $owner "*) ;;
      *)
        missing="$missing $owner"
        echo "$real (and maybe more) is from $owner, which Depends does not list"
        ;;
    esac
  done < <(sed -nE 's/^[0-9]+ +open(at)?\((AT_FDCWD, )?"([^"]*)".*/\3/p' "$work/open.trace" | sort -u)
  echo "files checked: $checked"
  [ "$checked" -gt 0 ] || fail "strace saw sociod open no file of any package"
  [ -z "$missing" ] || fail "Depends lacks${missing} (sociod reads their files)"
  echo "every package sociod reads from is in Depends"
else
  echo "SKIP the check of Depends against what sociod reads: strace or dpkg-query not installed"
fi

"${argv[@]}" 2>"$work/sociod.err" &
sociod_pid=$!
address=$(wait_for_serving "$work/sociod.err" "$sociod_pid")
echo "serving on $address"

echo "== socio profiles list"
socio="$root/usr/bin/socio"
if ! "$socio" --server "$address" profiles list --json >"$work/list.out" 2>"$work/list.err"; then
  # Refused without a token: an operator passes the one sociod wrote at its
  # first start.
  [ -f "$data_dir/admin.token" ] || { cat "$work/list.err" >&2; fail "socio profiles list failed"; }
  socio_help=$("$socio" --help 2>&1)
  if grep -q -- '--token_file' <<<"$socio_help"; then
    token_args=(--token_file "$data_dir/admin.token")
  elif grep -q -- '--token' <<<"$socio_help"; then
    token_args=(--token "$(head -n 1 "$data_dir/admin.token")")
  else
    cat "$work/list.err" >&2
    fail "socio profiles list failed and socio takes no token"
  fi
  echo "refused without a token ($(head -n 1 "$work/list.err")); again with ${token_args[0]}"
  "$socio" --server "$address" "${token_args[@]}" profiles list --json >"$work/list.out" \
    2>"$work/list.err" || { cat "$work/list.err" >&2; fail "socio profiles list failed with the token"; }
fi
head -c 200 "$work/list.out"
echo
grep -Eq '^[[:space:]]*[[{]' "$work/list.out" || fail "socio profiles list --json printed no JSON"

echo "== SIGTERM"
kill -TERM "$sociod_pid"
status=0
wait "$sociod_pid" || status=$?
sociod_pid=""
cat "$work/sociod.err"
[ "$status" -eq 0 ] || fail "sociod exited with $status after SIGTERM"
grep -q 'stopped cleanly' "$work/sociod.err" || fail "sociod did not report a clean stop"

echo "PASS"
