#!/usr/bin/env bash
# Runs mtlint's fuzz targets (fuzz/, cargo-fuzz with libFuzzer), each for a fixed time, one after another, and prints
# per target the seconds run, the executions and the crashes found.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 seconds, every target)
#
# Each target starts from a corpus seeded with the project's own files (tests/fixtures, seeds, tests/clean, rules,
# fuzz/seeds), kept in $FUZZ_WORK/corpus/TARGET (default fuzz/corpus, not committed) so later runs go on from it.
# A crashing input is written to $FUZZ_WORK/artifacts/TARGET/; copy it to tests/fixtures/fuzz/TARGET/ and
# tests/fuzz_regressions.rs replays it. Needs cargo-fuzz (`cargo install cargo-fuzz`); on the stable toolchain
# RUSTC_BOOTSTRAP=1 is set for the sanitizer flags. FUZZ_SANITIZER (default address; none builds faster) picks the
# sanitizer, FUZZ_BUILD=dev builds without optimisation (a shorter build, slower runs: for a smoke run in CI).
# Exits 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
shift || true
all=(readers engine fix rule_file config lsp)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
work=${FUZZ_WORK:-$root/fuzz}
sanitizer=${FUZZ_SANITIZER:-address}
case ${FUZZ_BUILD:-release} in
  dev) build_flags=(--dev) profile=debug ;;
  *) build_flags=(-O) profile=release ;;
esac
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/fuzz/target}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "scripts/fuzz.sh: cargo-fuzz is missing; install it with: cargo install cargo-fuzz" >&2
  exit 2
fi

# The first byte of a `readers` or `fix` input selects the reader (the order of mtlint::fuzzing::FORMATS).
selector() {
  case "${1##*.}" in
    md) printf '\001' ;; html) printf '\002' ;; xlf) printf '\003' ;; po) printf '\004' ;; tmx) printf '\005' ;;
    tsv) printf '\006' ;; csv) printf '\007' ;; jsonl) printf '\010' ;; *) printf '\000' ;;
  esac
}

seed() {
  local target=$1 dir=$work/corpus/$1 f n=0
  mkdir -p "$dir"
  case $target in
    readers | fix)
      for f in tests/fixtures/*/*.* seeds/*.txt tests/clean/*.txt; do
        case $f in *.lua | *.toml) continue ;; esac
        { selector "$f"; cat "$f"; } >"$dir/seed-$((n += 1))"
      done
      ;;
    engine) for f in seeds/*.txt tests/clean/*.txt tests/fixtures/*/*.txt; do cp "$f" "$dir/seed-$((n += 1))"; done ;;
    rule_file) for f in $(find rules tests/fixtures -name '*.toml'); do cp "$f" "$dir/seed-$((n += 1))"; done ;;
  esac
  if [ -d "fuzz/seeds/$target" ]; then
    for f in fuzz/seeds/"$target"/*; do cp "$f" "$dir/seed-extra-${f##*/}"; done
  fi
}

echo "Building the fuzz targets ($profile, sanitizer: $sanitizer)…"
mkdir -p "$work/artifacts"
for t in "${targets[@]}"; do
  if ! (cd fuzz && cargo fuzz build "${build_flags[@]}" --sanitizer "$sanitizer" "$t") >"$work/artifacts/build.log" 2>&1; then
    tail -n 30 "$work/artifacts/build.log" >&2
    echo "scripts/fuzz.sh: cannot build fuzz target $t (log: $work/artifacts/build.log)" >&2
    exit 2
  fi
done
triple=$(rustc -vV | sed -n 's/^host: //p')

failed=0
printf '%-10s %8s %14s %8s\n' target seconds executions crashes
for t in "${targets[@]}"; do
  seed "$t"
  artifacts=$work/artifacts/$t
  mkdir -p "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)
  log=$work/artifacts/$t.log
  start=$(date +%s)
  # -rss_limit_mb and -timeout make memory blow-ups and hangs crashes too; -max_len keeps inputs file-sized.
  set +e
  "$CARGO_TARGET_DIR/$triple/$profile/$t" -max_total_time="$seconds" -print_final_stats=1 -max_len=65536 \
    -timeout=20 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "$work/corpus/$t" >"$log" 2>&1
  status=$?
  set -e
  ran=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  crashes=$(($(find "$artifacts" -type f | wc -l) - before))
  printf '%-10s %8s %14s %8s\n' "$t" "$ran" "${execs:-?}" "$crashes"
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    failed=1
    echo "  $t failed (exit $status); log: $log; inputs: $artifacts" >&2
    grep -m 5 -E 'panicked|broken invariant|ERROR: libFuzzer' "$log" | sed 's/^/  /' >&2 || true
  fi
done
exit $failed
