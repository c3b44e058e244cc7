# Sourced by the build scripts: skip a step whose inputs and outputs are what
# they were when it last ran, so that a start with nothing changed takes seconds.
#   fresh NAME -- INPUT... -- OUTPUT... || { build ...; stamp NAME -- INPUT... -- OUTPUT...; }
# A missing file is never fresh.

_stamp_digest() {
  local f
  for f in "$@"; do
    if [ "$f" = "--" ]; then echo "--"; else sha256sum "$f"; fi
  done | sha256sum | cut -d' ' -f1
}

fresh() {
  local name=$1 f
  shift 2
  for f in "$@"; do [ "$f" = "--" ] || [ -f "$f" ] || return 1; done
  [ -f "target/stamps/$name" ] && [ "$(cat "target/stamps/$name")" = "$(_stamp_digest "$@")" ]
}

stamp() {
  local name=$1
  shift 2
  mkdir -p target/stamps
  _stamp_digest "$@" > "target/stamps/$name"
}
