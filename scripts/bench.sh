#!/usr/bin/env bash
# scripts/bench.sh — mtlint's speed benchmark (issue 8), in one command:
#
#     scripts/bench.sh [WORK_DIR]
#
# 1. builds mtlint (release) and the generator `examples/gen_corpus.rs`;
# 2. writes into WORK_DIR (default: a temporary folder, removed at the end) deterministic corpora of 1, 10 and 100 MB
#    of press-release-like text with about one artifact per 200 words, a folder of ~500 files cut from the 10 MB
#    corpus, an empty file, and glossaries of 400 (the real pack, about 460 entries), 4,000 and 40,000 term entries (the
#    real pack plus generated `term` rules, added with `--rules`), with their phrase lists;
# 3. times with hyperfine, in the same run: `mtlint check --jobs 1 --format json -o FILE` against
#    `rg -o -F -f PHRASES` (case-sensitive literal search of the same phrases in the same file); 1, 10 and 100 MB;
#    the three glossaries (the larger two also with the rule cache off: a first run); start-up on an empty input; `--jobs 1` against `--jobs 2` on the folder of many files;
#    and peak memory (maximum resident set size, GNU time) on the 10 and 100 MB corpora;
# 4. installs textlint and textlint-rule-prh from the npm registry into WORK_DIR/textlint (once) and times
#    `textlint --rule prh` with a prh dictionary of the same glossary (`prh-400.yml`: each real-pack term rule's wrong
#    renderings → its right form) against mtlint on the same corpus: the 10 MB one, or the 1 MB one when textlint
#    would take over two minutes on 10 MB (the table then says so, and gives the 1 MB times as measured);
# 5. prints one table of medians, MB/s, findings/s and ratios, with the targets of issue 8.
#
# Environment: RUNS (hyperfine runs per case, default 5; the 100 MB case uses min(RUNS, 3)), CARGO_TARGET_DIR.
# Needs cargo, hyperfine, ripgrep, GNU time and npm; the last four are installed with apt-get when missing.
# The ratios are the figures to compare between machines; absolute times depend on the machine and its load.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
runs_big=$((runs < 3 ? runs : 3))
target=${CARGO_TARGET_DIR:-$root/target}

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v rg >/dev/null || need+=(ripgrep)
[ -x /usr/bin/time ] || need+=(time)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
    echo "bench: installing ${need[*]}" >&2
    apt-get install -y "${need[@]}" >/dev/null
fi

if [ $# -ge 1 ]; then
    work=$1
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

echo "bench: building (release)" >&2
(cd "$root" && CARGO_TARGET_DIR=$target cargo build --release --quiet --bin mtlint --example gen_corpus)
mtlint=$target/release/mtlint
"$target/release/examples/gen_corpus" "$work"
cd "$work"
real=$(cat real-entries.txt)

# hyperfine CSV columns: command,mean,stddev,median,user,system,min,max (seconds).
median() { awk -F, -v row="$2" 'NR == row + 1 { print $4 }' "$1"; }
time_pair() { # name runs cmd1 cmd2: medians of both, in one hyperfine run
    local name=$1 n=$2
    shift 2
    hyperfine -N -i --style none --warmup 1 --runs "$n" --export-csv "$work/$name.csv" "$@" >/dev/null 2>&1
}
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1048576 }'; }
findings() { grep -c '' "$1" || true; }
peak_kb() { { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F': ' '/Maximum resident set size/ { print $2 }'; }

# The rule cache (src/rules/cache.rs) in the work folder, empty at the start: the glossary runs below measure it
# filled (repeated runs) and off (a first run).
export MTLINT_CACHE_DIR=$work/cache
unset MTLINT_NO_CACHE
rm -rf "$MTLINT_CACHE_DIR"

# `--max-file-size 0`: the 100 MB corpus is a little over the default limit of 100 MiB.
check=("$mtlint" check --jobs 1 --max-file-size 0 --format json -o "$work/out.json")
declare -A t_m t_rg found

echo "bench: corpus size (1, 10, 100 MB), built-in rules" >&2
for size in 1 10 100; do
    n=$runs
    [ "$size" = 100 ] && n=$runs_big
    time_pair "size$size" "$n" "${check[*]} corpus-${size}mb.txt" "rg -o -F -f phrases-400.txt corpus-${size}mb.txt"
    t_m[size$size]=$(median "size$size.csv" 1)
    t_rg[size$size]=$(median "size$size.csv" 2)
    "${check[@]}" "corpus-${size}mb.txt" || true
    found[size$size]=$(findings out.json)
done

echo "bench: glossary size (400, 4,000, 40,000 entries), 10 MB" >&2
t_m[g400]=${t_m[size10]}
t_rg[g400]=${t_rg[size10]}
found[g400]=${found[size10]}
for g in 4000 40000; do
    # The third command parses the glossary on every run (MTLINT_NO_CACHE=1): the cost of a first run after the
    # glossary changed. The first two read it from the rule cache, which hyperfine's warm-up run fills.
    time_pair "g$g" "$runs" "${check[*]} --rules rules-$g corpus-10mb.txt" "rg -o -F -f phrases-$g.txt corpus-10mb.txt" \
        "env MTLINT_NO_CACHE=1 ${check[*]} --rules rules-$g corpus-10mb.txt"
    t_m[g$g]=$(median "g$g.csv" 1)
    t_rg[g$g]=$(median "g$g.csv" 2)
    t_m[cold$g]=$(median "g$g.csv" 3)
    "${check[@]}" --rules "rules-$g" corpus-10mb.txt || true
    found[g$g]=$(findings out.json)
done

echo "bench: start-up (empty input)" >&2
hyperfine -N -i --style none --warmup 5 --runs 50 --export-csv startup.csv \
    "$mtlint check --format json empty.txt" "rg -o -F -f phrases-400.txt empty.txt" >/dev/null 2>&1
t_m[startup]=$(median startup.csv 1)
t_rg[startup]=$(median startup.csv 2)

echo "bench: --jobs 1 and --jobs 2 on $(find many -type f | wc -l) files" >&2
hyperfine -N -i --style none --warmup 1 --runs "$runs" --export-csv jobs.csv \
    "$mtlint check --jobs 1 --format json -o $work/out.json many" \
    "$mtlint check --jobs 2 --format json -o $work/out.json many" >/dev/null 2>&1
t_m[jobs1]=$(median jobs.csv 1)
t_m[jobs2]=$(median jobs.csv 2)

echo "bench: peak memory" >&2
mem10=$(peak_kb "${check[@]}" corpus-10mb.txt)
mem100=$(peak_kb "${check[@]}" corpus-100mb.txt)

echo "bench: textlint + textlint-rule-prh (npm registry)" >&2
tl=$work/textlint
if [ ! -x "$tl/node_modules/.bin/textlint" ]; then
    mkdir -p "$tl"
    npm install --prefix "$tl" --no-audit --no-fund --loglevel error textlint@15 textlint-rule-prh@6 >/dev/null
fi
printf '{ "rules": { "prh": { "rulePaths": ["%s"] } } }\n' "$work/prh-400.yml" >"$work/textlintrc.json"
textlint=("$tl/node_modules/.bin/textlint" --config "$work/textlintrc.json" --format json -o "$work/textlint.json")
# One run on 1 MB says whether 10 MB would take minutes.
start=$(date +%s.%N)
"${textlint[@]}" corpus-1mb.txt >/dev/null 2>&1 || true
one=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
tl_size=$(awk -v t="$one" 'BEGIN { print (t * 10 > 120 ? 1 : 10) }')
tl_runs=$((runs < 3 ? runs : 3))
time_pair textlint "$tl_runs" "${check[*]} corpus-${tl_size}mb.txt" "${textlint[*]} corpus-${tl_size}mb.txt"
t_m[textlint]=$(median textlint.csv 1)
t_tl=$(median textlint.csv 2)
"${textlint[@]}" "corpus-${tl_size}mb.txt" >/dev/null 2>&1 || true
tl_found=$(grep -o '"ruleId"' textlint.json | wc -l)
"${check[@]}" "corpus-${tl_size}mb.txt" || true
found[textlint]=$(findings out.json)

ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
rate() { awk -v x="$1" -v s="$2" 'BEGIN { printf "%.1f", x / s }'; }
verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max ? "met" : "NOT met") }'; }

{
    echo
    echo "| case | mtlint (median) | rg -F (median) | mtlint ÷ rg | MB/s | findings | findings/s |"
    echo "|---|---|---|---|---|---|---|"
    for size in 1 10 100; do
        k=size$size
        printf '| %s MB, built-in rules (%s terms), --jobs 1, JSON to a file | %s | %s | %s | %s | %s | %s |\n' \
            "$size" "$real" "$(ms "${t_m[$k]}")" "$(ms "${t_rg[$k]}")" "$(ratio "${t_m[$k]}" "${t_rg[$k]}")" \
            "$(rate "$(mb "corpus-${size}mb.txt")" "${t_m[$k]}")" "${found[$k]}" "$(rate "${found[$k]}" "${t_m[$k]}")"
    done
    for g in 4000 40000; do
        k=g$g
        printf '| 10 MB, %s-entry glossary, --jobs 1 | %s | %s | %s | %s | %s | %s |\n' \
            "$g" "$(ms "${t_m[$k]}")" "$(ms "${t_rg[$k]}")" "$(ratio "${t_m[$k]}" "${t_rg[$k]}")" \
            "$(rate "$(mb corpus-10mb.txt)" "${t_m[$k]}")" "${found[$k]}" "$(rate "${found[$k]}" "${t_m[$k]}")"
        k=cold$g
        printf '| the same, first run (glossary parsed: no rule cache) | %s | | | %s | | |\n' \
            "$(ms "${t_m[$k]}")" "$(rate "$(mb corpus-10mb.txt)" "${t_m[$k]}")"
    done
    printf '| start-up: empty input, all built-in rules | %s | %s | %s | | | |\n' \
        "$(ms "${t_m[startup]}")" "$(ms "${t_rg[startup]}")" "$(ratio "${t_m[startup]}" "${t_rg[startup]}")"
    printf '| %s files (10 MB), --jobs 1 | %s | | | %s | | |\n' "$(find many -type f | wc -l)" \
        "$(ms "${t_m[jobs1]}")" "$(rate "$(mb corpus-10mb.txt)" "${t_m[jobs1]}")"
    printf '| the same files, --jobs 2 | %s | | | %s | | |\n' \
        "$(ms "${t_m[jobs2]}")" "$(rate "$(mb corpus-10mb.txt)" "${t_m[jobs2]}")"
    echo
    echo "Against textlint $("$tl/node_modules/.bin/textlint" --version) with textlint-rule-prh and the same glossary as a prh dictionary ($(grep -c 'expected:' prh-400.yml) entries), ${tl_size} MB corpus$([ "$tl_size" = 1 ] && echo ' (textlint would take over two minutes on 10 MB)'), one thread, medians of $tl_runs runs:"
    echo
    echo "| tool | median | MB/s | findings | ÷ mtlint |"
    echo "|---|---|---|---|---|"
    printf '| mtlint check, all built-in rules | %s | %s | %s | 1× |\n' "$(ms "${t_m[textlint]}")" \
        "$(rate "$(mb "corpus-${tl_size}mb.txt")" "${t_m[textlint]}")" "${found[textlint]}"
    printf '| textlint + textlint-rule-prh | %s | %s | %s | %s |\n' "$(ms "$t_tl")" \
        "$(rate "$(mb "corpus-${tl_size}mb.txt")" "$t_tl")" "$tl_found" "$(ratio "$t_tl" "${t_m[textlint]}")"
    echo
    echo "Peak memory (maximum resident set size): 10 MB corpus $((mem10 / 1024)) MB, 100 MB corpus $((mem100 / 1024)) MB."
    echo
    echo "| target (issue 8) | measured | limit | |"
    echo "|---|---|---|---|"
    r=$(awk -v a="${t_m[size10]}" -v b="${t_rg[size10]}" 'BEGIN { print a / b }')
    printf '| 10 MB, built-in rules, one thread ÷ rg -F | %.2f× | 3× | %s |\n' "$r" "$(verdict "$r" 3)"
    r=$(awk -v a="${t_m[g40000]}" -v b="${t_m[g400]}" 'BEGIN { print a / b }')
    printf '| 40,000-entry ÷ 400-entry glossary | %.2f× | 1.5× | %s |\n' "$r" "$(verdict "$r" 1.5)"
    r=$(awk -v a="${t_m[size100]}" -v b="${t_m[size10]}" 'BEGIN { print a / b }')
    printf '| 100 MB ÷ 10 MB | %.2f× | 11× | %s |\n' "$r" "$(verdict "$r" 11)"
    r=$(awk -v a="${t_m[startup]}" 'BEGIN { print a * 1000 }')
    printf '| start-up on empty input | %.1f ms | 10 ms | %s |\n' "$r" "$(verdict "$r" 10)"
    limit=$((3 * $(stat -c %s corpus-100mb.txt) / 1048576 + 50))
    printf '| peak memory, 100 MB corpus (one document) | %s MB | %s MB | %s |\n' "$((mem100 / 1024))" "$limit" \
        "$(verdict $((mem100 / 1024)) "$limit")"
    r=$(awk -v a="${t_m[jobs1]}" -v b="${t_m[jobs2]}" 'BEGIN { print a / b }')
    printf '| --jobs 2 ÷ --jobs 1 throughput, many files | %.2f× | at least 1.7× | %s |\n' "$r" \
        "$(awk -v v="$r" 'BEGIN { print (v >= 1.7 ? "met" : "NOT met") }')"
    echo
    r=$(awk -v a="${t_m[cold40000]}" -v b="${t_m[g400]}" 'BEGIN { print a / b }')
    printf 'Every case is timed after a warm-up run, so the glossaries are read from the rule cache. A first run after a glossary changed parses it (MTLINT_NO_CACHE=1): 40,000 ÷ 400 entries %.2f×.\n' "$r"
    echo
    echo "$(nproc) CPUs; $(rg --version | sed -n 1p); $(hyperfine --version); load average $(cut -d' ' -f1-3 /proc/loadavg)."
}
