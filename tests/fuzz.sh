#!/bin/sh
# fuzz.sh - run every libFuzzer target for a while over its seeds: the
# parsers of form files, code lists and CSV must survive whatever the
# fuzzer makes of them (no crash, no leak, no undefined behaviour).
#
# Needs a build configured with CC=clang --enable-fuzzing (.ci/check
# makes one in build-fuzz/); FUZZ_SECONDS (default 30) per target.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

secs=${FUZZ_SECONDS:-30}
fz=$top_builddir/tests/fuzz
[ -x "$fz/fuzz_forms" ] || skip_all "no fuzz targets: configure CC=clang --enable-fuzzing"

# run_target NAME DICT SEED-DIR...: fuzz NAME from a copy of the seeds.
run_target() {
	name=$1; dict=$2; shift 2
	mkdir -p "$T/$name"
	for d in "$@"; do
		cp "$d"/* "$T/$name/" 2>/dev/null
	done
	ok "$name survives ${secs} s of fuzzing" \
	    "$fz/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -dict="$dict" -artifact_prefix="$T/$name-" "$T/$name"
	tail -3 "$T/out" | sed 's/^/# /'
}

run_target fuzz_forms "$top_srcdir/tests/fuzz/fuzz_forms.dict" \
    "$top_srcdir/tests/fuzz/corpus"
run_target fuzz_csv "$top_srcdir/tests/fuzz/fuzz_csv.dict" \
    "$top_srcdir/tests/fixtures/csv"
run_target fuzz_rules "$top_srcdir/tests/fuzz/fuzz_rules.dict" \
    "$top_srcdir/tests/fuzz/rules-corpus"
run_target fuzz_batch "$top_srcdir/tests/fuzz/fuzz_batch.dict" "$top_srcdir/tests/fuzz/batch-corpus"
run_target fuzz_search "$top_srcdir/tests/fuzz/fuzz_search.dict" \
    "$top_srcdir/tests/fuzz/search-corpus"
finish
