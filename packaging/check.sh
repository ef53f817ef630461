#!/usr/bin/env bash
# Checks the release artifacts in TARGET as a user would meet them, on a PATH without java:
# the .deb unpacked with dpkg-deb -x and the tarball unpacked with tar each run --version and the
# demo, list their man pages (one per command) and bash completion, and render tfleet-run(1).
# Usage: packaging/check.sh TARGET (after ./mvnw -B -Prelease package). Exits 1 on any failure.
set -euo pipefail
target="$(cd "$1" && pwd)"
failures=0
ok() { echo "package check: ok: $*"; }
fail() {
  echo "package check: FAILED: $*" >&2
  failures=$((failures + 1))
}
one() {
  local matches=("$@")
  if [ "${#matches[@]}" -ne 1 ] || [ ! -f "${matches[0]}" ]; then
    echo "package check: expected one artifact, found: ${matches[*]}" >&2
    exit 1
  fi
  echo "${matches[0]}"
}
deb="$(one "$target"/tfleet_*_amd64.deb)"
tarball="$(one "$target"/tfleet-*-linux-x64.tar.gz)"
version="$(basename "$deb" | sed 's/^tfleet_\(.*\)_amd64\.deb$/\1/')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A PATH with the few programs the launchers and the demo's commands use, and no java.
bin="$work/bin"
mkdir -p "$bin" "$work/home"
for program in bash sh readlink dirname mktemp mv rm timeout stty cat; do
  if path="$(command -v "$program")"; then
    ln -s "$path" "$bin/$program"
  fi
done
user() {
  env -i HOME="$work/home" PATH="$bin" TERM=dumb "$@"
}
if user bash -c 'command -v java' >/dev/null; then
  echo "package check: the test PATH has a java" >&2
  exit 1
fi

# The commands, as the help lists them: each must have its man page.
commands=()

# Runs the checks every artifact shares on the tree unpacked at $1 (tfleet at $2, pages at $3).
check_tree() {
  local what="$1" tfleet="$2" man1="$3" completion="$4"
  local out
  if out="$(user "$tfleet" --version 2>&1)" &&
      [[ "$out" == "tfleet $version (commit "* ]] && [[ "$out" == *"($(dirname "$(dirname "$tfleet")")/"*"runtime)"* ]]; then
    ok "$what: tfleet --version on its own runtime without java on the PATH: ${out%%$'\n'*}"
  else
    fail "$what: tfleet --version: $out"
  fi
  if out="$(cd "$work" && user "$tfleet" demo --phase-seconds 0.1 --output-dir "$work/demo-$what" 2>&1)"; then
    ok "$what: tfleet demo exits 0"
  else
    fail "$what: tfleet demo: $out"
  fi
  if out="$(user TFLEET_JAVA_OPTS=-Xshare:on "$tfleet" --version 2>&1)"; then
    ok "$what: the class-data archive made where it is installed is used (-Xshare:on)"
  else
    fail "$what: the class-data archive is not usable: $out"
  fi
  if [ "${#commands[@]}" -eq 0 ]; then
    mapfile -t commands < <(user "$tfleet" --help | sed -n '/^Commands:/,$p' | awk '/^  [a-z]/{print $1}')
  fi
  local missing=()
  for command in "" "${commands[@]}"; do
    [ -f "$man1/tfleet${command:+-$command}.1.gz" ] || missing+=("tfleet${command:+-$command}.1.gz")
  done
  if [ "${#commands[@]}" -gt 5 ] && [ "${#missing[@]}" -eq 0 ]; then
    ok "$what: a man page for tfleet and each of its ${#commands[@]} commands"
  else
    fail "$what: man pages missing: ${missing[*]} (commands: ${commands[*]})"
  fi
  if out="$(MANWIDTH=80 man -l "$man1/tfleet-run.1.gz" 2>&1)" && [[ "$out" == *"TFLEET-RUN(1)"* ]] &&
      [[ "$out" == *"--poll-interval"* ]]; then
    ok "$what: man -l renders tfleet-run.1 ($(echo "$out" | wc -l) lines)"
  else
    fail "$what: man -l tfleet-run.1.gz: $out"
  fi
  if out="$(user bash -c "source '$completion' && complete -p tfleet" 2>&1)" && [[ "$out" == "complete "* ]]; then
    ok "$what: bash completion loads: $out"
  else
    fail "$what: bash completion: $out"
  fi
}

# The Debian package.
listing="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/tfleet ./usr/share/man/man1/tfleet.1.gz ./usr/share/man/man1/tfleet-run.1.gz \
    ./usr/share/bash-completion/completions/tfleet ./usr/lib/tfleet/runtime/bin/java \
    ./usr/lib/tfleet/runtime/lib/server/classes.jsa ./usr/lib/tfleet/lib/tfleet.jar \
    ./usr/share/doc/tfleet/copyright ./usr/share/doc/tfleet/changelog.gz; do
  if grep -qE "[[:space:]]${path//./\\.}( |$)" <<<"$listing"; then
    ok "deb: dpkg-deb -c lists $path"
  else
    fail "deb: dpkg-deb -c does not list $path"
  fi
done
if grep -qE '^ *(Pre-)?Depends:.*(java|jre|jdk)' <<<"$(dpkg-deb -I "$deb")"; then
  fail "deb: depends on Java: $(dpkg-deb -f "$deb" Depends)"
else
  ok "deb: depends on no Java: $(dpkg-deb -f "$deb" Depends)"
fi
dpkg-deb -x "$deb" "$work/deb"
check_tree deb "$work/deb/usr/bin/tfleet" "$work/deb/usr/share/man/man1" \
  "$work/deb/usr/share/bash-completion/completions/tfleet"

# The tarball.
name="tfleet-$version-linux-x64"
listing="$(tar -tzf "$tarball")"
for path in "$name/bin/tfleet" "$name/runtime/bin/java" "$name/share/man/man1/tfleet-run.1.gz" \
    "$name/share/bash-completion/completions/tfleet"; do
  if grep -qxF "$path" <<<"$listing"; then
    ok "tarball: lists $path"
  else
    fail "tarball: does not list $path"
  fi
done
mkdir -p "$work/tar"
tar -xzf "$tarball" -C "$work/tar"
check_tree tarball "$work/tar/$name/bin/tfleet" "$work/tar/$name/share/man/man1" \
  "$work/tar/$name/share/bash-completion/completions/tfleet"

echo "package check: $(du -k "$deb" | cut -f1) KiB $(basename "$deb"), $(du -k "$tarball" | cut -f1) KiB $(basename "$tarball")"
if [ "$failures" -gt 0 ]; then
  echo "package check: $failures check(s) failed" >&2
  exit 1
fi
echo "package check: every check passed"
