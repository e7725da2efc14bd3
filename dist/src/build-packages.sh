#!/usr/bin/env bash
# Builds the distribution from the gateway's runnable jar and its lib/ (gateway/app/target):
#   target/tracuu-VERSION.tar.gz   bin/tracuu, tracuu.jar, lib/, config/, systemd/, README.md, docs/
#   target/tracuu_DEBVERSION_all.deb  with Debian's own dpkg-deb (under fakeroot when not root)
# Usage: build-packages.sh VERSION (Maven's project.version; run by `mvn package` in dist/).
set -euo pipefail
version="$1"
dist="$(cd "$(dirname "$0")/.." && pwd)"
root="$(dirname "$dist")"
app="$root/gateway/app/target"
out="$dist/target"
[ -f "$app/tracuu.jar" ] && [ -d "$app/lib" ] || { echo "build gateway/app first (mvn package at the root)" >&2; exit 1; }
rm -rf "$out/stage" && mkdir -p "$out/stage"

# the archive
tar_dir="$out/stage/tracuu-$version"
mkdir -p "$tar_dir/bin" "$tar_dir/config" "$tar_dir/systemd" "$tar_dir/docs"
cp "$dist/src/bin/tracuu" "$tar_dir/bin/"
cp "$app/tracuu.jar" "$tar_dir/"
cp -r "$app/lib" "$tar_dir/lib"
cp "$root/config/gateway.yaml" "$tar_dir/config/gateway.reference.yaml"
cp "$dist/src/etc/gateway.yaml" "$tar_dir/config/gateway.yaml"
cp "$dist/src/systemd/tracuu.service" "$tar_dir/systemd/"
cp "$root/README.md" "$tar_dir/"
cp "$root"/docs/*.md "$tar_dir/docs/"
tar -C "$out/stage" -czf "$out/tracuu-$version.tar.gz" "tracuu-$version"

# the Debian package: Debian's version has ~ where Maven has - (0.1.0~SNAPSHOT sorts before 0.1.0)
deb_version="${version//-/\~}"
deb="$out/stage/deb"
share="$deb/usr/share/tracuu"
mkdir -p "$share/bin" "$deb/usr/bin" "$deb/etc/tracuu" "$deb/etc/default" "$deb/lib/systemd/system" \
    "$deb/usr/share/doc/tracuu" "$deb/DEBIAN"
cp "$dist/src/bin/tracuu" "$share/bin/"
cp "$app/tracuu.jar" "$share/"
cp -r "$app/lib" "$share/lib"
ln -s ../share/tracuu/bin/tracuu "$deb/usr/bin/tracuu"
cp "$dist/src/etc/gateway.yaml" "$deb/etc/tracuu/gateway.yaml"
cp "$dist/src/etc/default-tracuu" "$deb/etc/default/tracuu"
cp "$dist/src/systemd/tracuu.service" "$deb/lib/systemd/system/"
cp "$root/README.md" "$root/config/gateway.yaml" "$root"/docs/*.md "$deb/usr/share/doc/tracuu/"
cp "$dist/src/deb/postinst" "$dist/src/deb/prerm" "$dist/src/deb/postrm" "$deb/DEBIAN/"
printf '%s\n' /etc/tracuu/gateway.yaml /etc/default/tracuu > "$deb/DEBIAN/conffiles"
cat > "$deb/DEBIAN/control" <<CONTROL
Package: tracuu
Version: $deb_version
Architecture: all
Maintainer: tracuu developers <tracuu@localhost>
Depends: openjdk-17-jre-headless | java17-runtime-headless, adduser
Section: net
Priority: optional
Installed-Size: $(du -sk "$deb" | cut -f1)
Description: SMS and USSD gateway: a citizen reads their own population record
 Telecom operators bind to it over SMPP 3.4; a citizen texting or dialling from a
 number verified as theirs reads their own record, and nothing else. Runs as the
 system user tracuu (systemd unit tracuu.service, not started on install).
CONTROL
find "$deb" -type d -exec chmod 0755 {} +
# gzip: the bulk is jars, compressed already
if [ "$(id -u)" -eq 0 ]; then
    dpkg-deb --root-owner-group -Zgzip --build "$deb" "$out/tracuu_${deb_version}_all.deb" > /dev/null
else
    fakeroot dpkg-deb -Zgzip --build "$deb" "$out/tracuu_${deb_version}_all.deb" > /dev/null
fi
echo "built $out/tracuu-$version.tar.gz and $out/tracuu_${deb_version}_all.deb"
