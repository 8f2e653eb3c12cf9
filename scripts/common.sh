# Shared by run.sh and test.sh: a virtual environment with the project installed.
# Sourced, not executed.

require_python() {
  PYTHON=${PYTHON:-python3}
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Arsip Studi Banding needs Python 3.11 or newer ('$PYTHON' is $("$PYTHON" --version 2>&1))." >&2
    exit 1
  fi
}

install_venv() {
  # $1: pip extras, e.g. "[test]" or ""
  require_python
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$1"
}

# Debian packages the archive uses at run time: Unicode fonts (Latin and
# Korean place names) for the PDF reports. The tests also need Chromium.
install_debian_packages() {
  local wanted=("$@") missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

RUNTIME_DEBIAN_PACKAGES=(fonts-dejavu-core fonts-noto-cjk)
TEST_DEBIAN_PACKAGES=(chromium)
