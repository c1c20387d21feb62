# Shared by scripts/demo and scripts/test: install what is missing, build.
# Sourced, not run.

SOCIO_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libcli11-dev
  libpugixml-dev unicode-cldr-core tzdata
  libstemmer-dev zlib1g-dev
  dict-freedict-spa-eng dict-freedict-por-eng dict-freedict-deu-eng dict-freedict-fra-eng
  dict-freedict-ita-eng dict-freedict-eng-spa dict-freedict-eng-por dict-freedict-eng-fra
  dict-freedict-eng-ita
  libgtest-dev libgmock-dev libbenchmark-dev
  coinor-cbc libglpk-dev python3-icalendar
  libcurl4-openssl-dev python3-aiosmtpd
  libssl-dev openssl libcpp-httplib-dev python3-grpcio python3-protobuf python3-yaml dpkg-dev file curl strace
  ccache
  postgresql-15 libpq-dev
  etcd-server etcd-client golang-etcd-server-dev
  nodejs chromium
)
# Debian's npm, unless node came with its own (NodeSource's nodejs conflicts with it).
command -v npm >/dev/null || SOCIO_PACKAGES+=(npm)
SOCIO_BUILD_DIR=${SOCIO_BUILD_DIR:-build}
# ccache keeps compiled objects in the home directory, so a rebuild in another
# clone (CI's fresh one) reuses them: paths below the clone count as relative.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
socio_cmake_launcher() {
  command -v ccache >/dev/null && echo "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  return 0
}
SOCIO_SANITIZE_DIR=${SOCIO_SANITIZE_DIR:-build-sanitize}

socio_install_missing() {
  local missing=() p
  for p in "${SOCIO_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "== packages: all present"
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}

# The optimized build; with target names, only those (the demo needs four).
socio_build() {
  echo "== building${*:+ $*} in $SOCIO_BUILD_DIR/"
  cmake -S . -B "$SOCIO_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    $(socio_cmake_launcher) >/dev/null
  if [ $# -gt 0 ]; then
    cmake --build "$SOCIO_BUILD_DIR" -j2 --target "$@"
  else
    cmake --build "$SOCIO_BUILD_DIR" -j2
  fi
}

# Everything built with AddressSanitizer and UndefinedBehaviorSanitizer, mostly
# at -O0 (CMakeLists.txt says what and why).
socio_build_sanitized() {
  echo "== building with the sanitizers in $SOCIO_SANITIZE_DIR/"
  cmake -S . -B "$SOCIO_SANITIZE_DIR" -G Ninja -DSOCIO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Release \
    $(socio_cmake_launcher) >/dev/null
  cmake --build "$SOCIO_SANITIZE_DIR" -j2
}

# The web console's browser tests need playwright-core (tests/web/package-lock.json).
socio_web_deps() {
  [ -d tests/web/node_modules ] && return
  echo "== npm ci --prefix tests/web"
  npm ci --prefix tests/web --no-audit --no-fund
}
