# Shared by scripts/demo and scripts/test: install what is missing, build.
# Sourced, not run.

SOCIO_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libcli11-dev
  libpugixml-dev unicode-cldr-core tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  coinor-cbc python3-icalendar
  libssl-dev openssl libcpp-httplib-dev python3-grpcio python3-protobuf dpkg-dev file curl
)
SOCIO_BUILD_DIR=${SOCIO_BUILD_DIR:-build}

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

socio_build() {
  echo "== building in $SOCIO_BUILD_DIR/"
  cmake -S . -B "$SOCIO_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$SOCIO_BUILD_DIR" -j2
}
