#!/usr/bin/env bash
# The steps of the tfleet GitHub Action (action.yml at the repository root), kept in one script so
# that they run, and are tested, the same without GitHub:
#
#   ci/action-run.sh cache-key   writes key=<hash of pom.xml> to $GITHUB_OUTPUT (the Maven cache's key)
#   ci/action-run.sh build       builds target/tfleet.jar unless it is there and newer than the sources
#   ci/action-run.sh run         runs tfleet; writes its counts, exit-code, output-dir, artifact-name
#                                to $GITHUB_OUTPUT and its summary to $GITHUB_STEP_SUMMARY; exits 0
#   ci/action-run.sh gate        fails the step or not, from INPUT_EXIT_CODE and INPUT_FAIL_ON
#
# Inputs come as environment variables, INPUT_<NAME> with dashes as underscores (action.yml maps
# them; nothing is interpolated into a command line). Credentials come as TESTFLINGER_CLIENT_ID and
# TESTFLINGER_SECRET_KEY, which tfleet reads itself: they never appear in a command line or a log.
# TFLEET_JAR names a jar to use instead of building one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${TFLEET_JAR:-$here/target/tfleet.jar}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Appends name=value to the step's outputs, unless tfleet already wrote that output.
output() {
  local name="$1" value="$2"
  if [[ -n "${GITHUB_OUTPUT:-}" ]] && ! grep -q "^${name}=" "$GITHUB_OUTPUT" 2>/dev/null; then
    printf '%s=%s\n' "$name" "$value" >> "$GITHUB_OUTPUT"
  fi
}

fail() {
  echo "::error title=tfleet::$*" >&2
  exit 2
}

cache_key() {
  local key
  key="$(sha256sum "$here/pom.xml" | cut -c1-16)"
  echo "Maven cache key: tfleet-m2-$key"
  output key "tfleet-m2-$key"
}

build() {
  if [[ -f "$jar" ]] && [[ -z "$(find "$here/pom.xml" "$here/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    echo "Using $jar"
    return
  fi
  (cd "$here" && mvn -B -q -DskipTests package)
  echo "Built $jar"
}

run() {
  local command="${INPUT_COMMAND:-run}"
  local out="${INPUT_OUTPUT_DIR:-job_outputs}"
  local shard="${INPUT_SHARD:-}"
  local -a args=()
  case "$command" in
    run | submit | monitor)
      args+=("$command")
      [[ -n "${INPUT_SERVER:-}" ]] && args+=(--server "$INPUT_SERVER")
      if [[ "$command" != monitor ]]; then
        [[ -n "${INPUT_MACHINES_FILE:-}" ]] && args+=(--machines-file "$INPUT_MACHINES_FILE")
        [[ -n "${INPUT_TEMPLATE_FILE:-}" ]] && args+=(--template-file "$INPUT_TEMPLATE_FILE")
        [[ -n "$shard" ]] && args+=(--shard "$shard")
      fi
      ;;
    merge)
      args+=(merge)
      local -a patterns=() dirs=()
      read -r -a patterns <<< "${INPUT_MERGE_FROM:-}"
      shopt -s nullglob
      local pattern dir
      for pattern in "${patterns[@]}"; do
        # Unquoted on purpose: each pattern is a glob, such as shards/*.
        for dir in $pattern; do
          [[ -d "$dir" ]] && dirs+=("$dir")
        done
      done
      shopt -u nullglob
      [[ ${#dirs[@]} -gt 0 ]] || fail "merge-from '${INPUT_MERGE_FROM:-}' names no folder"
      args+=("${dirs[@]}")
      ;;
    *)
      fail "command must be run, submit, monitor or merge, not '$command'"
      ;;
  esac
  args+=(--output-dir "$out")
  [[ -f "$jar" ]] || fail "no tfleet jar at $jar (the build step makes it)"
  local -a extra=()
  read -r -a extra <<< "${INPUT_EXTRA_ARGS:-}"

  local name="${INPUT_ARTIFACT_NAME:-}"
  if [[ -z "$name" ]]; then
    if [[ "$command" == merge ]]; then
      name=tfleet-merged
    elif [[ -n "$shard" ]]; then
      name="tfleet-shard-${shard/\//-of-}"
    else
      name=tfleet-outputs
    fi
  fi

  echo "tfleet ${args[*]} ${extra[*]}"
  local code=0
  # Only the quick compiler, as ./tfleet: a fleet spends its time waiting, not computing.
  "$java" -XX:TieredStopAtLevel=1 ${TFLEET_JAVA_OPTS:-} -jar "$jar" "${args[@]}" "${extra[@]}" || code=$?
  echo "tfleet exited $code"
  # tfleet writes these itself; they are added here when it could not (the jar did not start).
  output exit-code "$code"
  output output-dir "$out"
  output artifact-name "$name"
}

gate() {
  local code="${INPUT_EXIT_CODE:-}" fail_on="${INPUT_FAIL_ON:-failures}"
  [[ "$code" =~ ^[0-9]+$ ]] || fail "no exit code from the run step ('$code')"
  case "$fail_on" in
    failures | errors) ;;
    *) fail "fail-on must be failures or errors, not '$fail_on'" ;;
  esac
  case "$code" in
    0)
      echo "tfleet: every machine passed"
      ;;
    1)
      if [[ "$fail_on" == errors ]]; then
        echo "::warning title=tfleet::some machines did not pass (exit code 1); fail-on: errors lets the step pass"
      else
        echo "::error title=tfleet::some machines did not pass (exit code 1)"
        exit 1
      fi
      ;;
    *)
      local what
      case "$code" in
        2) what="usage or input error, or the tree is in use by another tfleet; nothing was submitted" ;;
        3) what="the server could not be reached or refused the credentials" ;;
        4) what="the output tree could not be read or written" ;;
        70) what="a bug in tfleet" ;;
        130) what="interrupted" ;;
        *) what="unexpected exit code" ;;
      esac
      echo "::error title=tfleet::$what (exit code $code)"
      exit "$code"
      ;;
  esac
}

case "${1:-}" in
  cache-key) cache_key ;;
  build) build ;;
  run) run ;;
  gate) gate ;;
  *) echo "usage: $0 cache-key|build|run|gate" >&2; exit 2 ;;
esac
