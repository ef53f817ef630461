#!/usr/bin/env bash
# Builds the release artifacts from what the build left in TARGET (tfleet.jar, man/, completion/):
#   TARGET/tfleet_VERSION_amd64.deb          installs tfleet in /usr/lib/tfleet, on the PATH
#   TARGET/tfleet-VERSION-linux-x64.tar.gz   the same runtime and launcher, unpacked anywhere
# Run by `./mvnw -B -Prelease package` (pom.xml); needs a JDK 17 with jmods (jlink, jdeps) and
# dpkg-deb. Usage: packaging/build.sh VERSION TARGET
set -euo pipefail
version="$1"
target="$(cd "$2" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
jar="$target/tfleet.jar"
for need in "$jar" "$target/man/tfleet.1" "$target/man/tfleet-run.1" "$target/completion/tfleet"; do
  [ -s "$need" ] || { echo "packaging: $need is missing: run ./mvnw -B -Prelease package" >&2; exit 1; }
done

jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
if [ ! -d "$jdk/jmods" ]; then
  echo "packaging: $jdk has no jmods/ for jlink (Debian: openjdk-17-jdk-headless)" >&2
  exit 1
fi
work="$target/release"
rm -rf "$work"
mkdir -p "$work"

# The modules the jar refers to, as jdeps finds them, plus those only reached through a service
# (jdeps cannot see those): jdk.crypto.ec holds the elliptic curves nearly every TLS server uses.
modules="$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar"),jdk.crypto.ec"
# java.desktop is there for java.beans (Jackson and SnakeYAML read its annotations); its native
# parts (windows, fonts, images, sound) link X11 and imaging libraries a command line never loads,
# and would make them dependencies of the package.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libfontmanager.so,**/libjavajpeg.so,**/liblcms.so,**/libjsound.so' \
  --output "$work/runtime"
# The class-data archive of the runtime's own classes (lib/server/classes.jsa): it works wherever
# the runtime is unpacked. tfleet's own classes get theirs where they are installed
# (tfleet-make-archive).
"$work/runtime/bin/java" -Xshare:dump >/dev/null

# One application folder, the same in both artifacts: bin/ (launchers), lib/ (jar), runtime/.
app="$work/app"
mkdir -p "$app/bin" "$app/lib"
install -m 0755 "$here/tfleet" "$here/tfleet-make-archive" "$app/bin/"
install -m 0644 "$jar" "$app/lib/tfleet.jar"
mv "$work/runtime" "$app/runtime"
mkdir -p "$work/man1"
for page in "$target"/man/*.1; do
  gzip -9n <"$page" >"$work/man1/$(basename "$page").gz"
done

# The Debian package, built by dpkg-deb (files owned by root without fakeroot).
deb="$work/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr/lib" "$deb/usr/bin" "$deb/usr/share/man" \
  "$deb/usr/share/bash-completion/completions" "$deb/usr/share/doc/tfleet"
cp -a "$app" "$deb/usr/lib/tfleet"
ln -s ../lib/tfleet/bin/tfleet "$deb/usr/bin/tfleet"
cp -a "$work/man1" "$deb/usr/share/man/man1"
install -m 0644 "$target/completion/tfleet" "$deb/usr/share/bash-completion/completions/tfleet"
install -m 0644 "$here/copyright" "$deb/usr/share/doc/tfleet/copyright"
gzip -9n <"$repo/CHANGELOG.md" >"$deb/usr/share/doc/tfleet/changelog.gz"
install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$deb/DEBIAN/"
# What the runtime's native libraries link, as Debian packages: the package's only dependencies.
# dpkg may know a library under /lib or /usr/lib (merged /usr), so both are asked.
owner() {
  local lib="$1" real
  real="$(readlink -f "$lib")"
  for path in "$lib" "$real" "${lib#/usr}" "/usr${lib#/usr}" "${real#/usr}" "/usr${real#/usr}"; do
    if dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1; then
      return 0
    fi
  done
  echo "packaging: no Debian package holds $lib" >&2
  return 1
}
depends=""
for lib in $(find "$deb/usr/lib/tfleet/runtime" -name '*.so' -exec ldd {} + 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// {print $3}' | grep -v "^$deb/" | sort -u); do
  depends="$depends $(owner "$lib")"
done
depends="$(echo "$depends" | tr ' ' '\n' | grep -v '^$' | sort -u | paste -sd, | sed 's/,/, /g')"
size_kib="$(du -sk --exclude=DEBIAN "$deb" | cut -f1)"
cat >"$deb/DEBIAN/control" <<CONTROL
Package: tfleet
Version: $version
Architecture: amd64
Maintainer: tfleet maintainers <tfleet@example.org>
Installed-Size: $size_kib
Depends: $depends
Section: devel
Priority: optional
Description: runs one Testflinger job template on a fleet of lab machines
 tfleet submits a Testflinger job to every machine of a list, watches the jobs
 to the end and files each machine's result, with a summary, reports and an
 exit code that say how the fleet did. A drop-in for run-jobs.py. It carries
 its own Java runtime.
CONTROL
dpkg-deb --root-owner-group -Zxz --build "$deb" "$target/tfleet_${version}_amd64.deb" >/dev/null

# The tarball: the application folder with the man pages and completion beside it.
name="tfleet-$version-linux-x64"
tree="$work/tar/$name"
mkdir -p "$tree/share/man" "$tree/share/bash-completion/completions"
cp -a "$app/." "$tree/"
cp -a "$work/man1" "$tree/share/man/man1"
install -m 0644 "$target/completion/tfleet" "$tree/share/bash-completion/completions/tfleet"
install -m 0644 "$repo/README.md" "$repo/CHANGELOG.md" "$here/copyright" "$tree/"
tar --owner=0 --group=0 --numeric-owner -C "$work/tar" -czf "$target/$name.tar.gz" "$name"

for artifact in "$target/tfleet_${version}_amd64.deb" "$target/$name.tar.gz"; do
  echo "packaging: $(basename "$artifact"): $(du -k "$artifact" | cut -f1) KiB"
done
echo "packaging: installed size $size_kib KiB; runtime modules $modules; depends $depends"
