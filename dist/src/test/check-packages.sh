#!/usr/bin/env bash
# The distribution as an agency's operations team uses it (run by `mvn verify` in dist/):
# - the archive, unpacked anywhere: bin/tracuu --version and config check;
# - the Debian package, installed (as root; skipped with a line saying so otherwise): the tracuu
#   system user, /usr/bin/tracuu --version, config check as that user on /etc/tracuu/gateway.yaml,
#   the unit file in place; then purged, leaving no package, user or command behind.
set -euo pipefail
version="$1"
out="$(cd "$(dirname "$0")/../.." && pwd)/target"
deb_version="${version//-/\~}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-packages: $*" >&2; exit 1; }

tar -C "$work" -xzf "$out/tracuu-$version.tar.gz"
unpacked="$work/tracuu-$version"
got="$(TRACUU_NO_DEFAULTS=1 "$unpacked/bin/tracuu" --version)"
[ "$got" = "tracuu $version" ] || fail "archive: --version said '$got'"
got="$(TRACUU_NO_DEFAULTS=1 TRACUU_HOME="$work/home" "$unpacked/bin/tracuu" config check --config "$unpacked/config/gateway.yaml")"
case "$got" in "config OK: "*) ;; *) fail "archive: config check said '$got'" ;; esac
echo "check-packages: tracuu-$version.tar.gz runs from $unpacked"

if [ "$(id -u)" -ne 0 ]; then
    echo "check-packages: not root: the .deb is built but not installed here (CI installs it)"
    exit 0
fi
if dpkg -s tracuu > /dev/null 2>&1; then
    fail "a tracuu package is installed on this machine already; not touching it"
fi
deb="$out/tracuu_${deb_version}_all.deb"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "$deb" > "$work/apt.log" 2>&1 \
    || dpkg -i "$deb" > "$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "the .deb did not install"; }
cleanup() {
    apt-get purge -y -q tracuu > /dev/null 2>&1 || dpkg --purge tracuu > /dev/null 2>&1 || true
    rm -rf /var/lib/tracuu "$work"
}
trap cleanup EXIT
getent passwd tracuu > /dev/null || fail "no tracuu system user after install"
[ "$(stat -c %U /var/lib/tracuu)" = tracuu ] || fail "/var/lib/tracuu is not the tracuu user's"
[ -f /lib/systemd/system/tracuu.service ] || fail "no systemd unit"
got="$(tracuu --version)"
[ "$got" = "tracuu $version" ] || fail "installed: --version said '$got'"
got="$(runuser -u tracuu -- tracuu config check)"
case "$got" in "config OK: bundled defaults and /etc/tracuu/gateway.yaml"*) ;; *) fail "installed: config check said '$got'" ;; esac
echo "check-packages: tracuu_${deb_version}_all.deb installs, runs as tracuu ($got)"
apt-get purge -y -q tracuu > /dev/null 2>&1 || dpkg --purge tracuu > /dev/null
! dpkg -s tracuu > /dev/null 2>&1 || fail "still installed after purge"
! getent passwd tracuu > /dev/null || fail "the tracuu user is left after purge"
[ ! -e /usr/bin/tracuu ] || fail "/usr/bin/tracuu is left after purge"
echo "check-packages: purged; no package, user or command left"
