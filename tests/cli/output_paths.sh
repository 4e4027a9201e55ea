#!/usr/bin/env bash
# usage: output_paths.sh NMTWIN SOURCE_DIR WORKDIR
# `nmtwin run`, `nmtwin study` and `nmtwin regress` check where they will write before
# they simulate: an unwritable output is an error naming the path and the fix, and
# nothing ran (no summary, no progress).
set -uo pipefail
nmtwin=$1 src=$2
rm -rf "$3" && mkdir -p "$3" && cd "$3"
touch a_file
fail() { echo "FAIL: $*"; exit 1; }
# expect REGEX CMD...: CMD fails before running, with REGEX in its error.
expect() {
  local regex=$1
  shift
  "$@" > out.txt 2> err.txt && fail "'$*' exited 0"
  cat err.txt
  grep -Eq -- "$regex" err.txt || fail "'$*': the error does not match '$regex'"
  grep -Eq "simulated|output spikes|points|scenario" out.txt && fail "'$*' ran before it failed: $(cat out.txt)"
  grep -Eq "\] [0-9]+/[0-9]+ points|^\[[0-9]+/[0-9]+\]" err.txt && fail "'$*' started running"
  return 0
}
demo=$src/examples/demo.toml
expect "cannot write the spike CSV \(-o, or \[experiment\] output\) to 'missing/x.csv' \(No such file or directory\): check that its directory exists" \
  "$nmtwin" run "$demo" -o missing/x.csv
expect "cannot write the spike CSV .* to '.': it is a directory; give a file name" "$nmtwin" run "$demo" -o .
expect "cannot write the waveform \(--trace\) to 'a_file/x.fst' \(Not a directory\)" \
  "$nmtwin" run "$demo" -o ok.csv --trace a_file/x.fst
[ -e ok.csv ] && fail "the check left ok.csv behind"
sed -e 's|^output = .*|output = "missing/raster"|' -e '/^topology = /d' "$src/examples/synfire.toml" > synfire.toml  # its topology path is relative to examples/
grep -q '^output = "missing/raster"' synfire.toml || fail "examples/synfire.toml has no output line to replace"
expect "cannot write a raster SVG \(the synfire file's 'output'\) to 'missing/raster_strong.svg'" "$nmtwin" run synfire.toml
expect "cannot create the study's output directory \(-o\) 'a_file/study' \(Not a directory\)" \
  "$nmtwin" study latency -o a_file/study
mkdir -p study/study.csv
expect "cannot write a study CSV file to 'study/study.csv': it is a directory" "$nmtwin" study latency -o study
expect "cannot write the JUnit file \(--junit\) to 'missing/r.xml'" \
  "$nmtwin" regress "$src/regressions/timed_spikes.toml" --junit missing/r.xml
expect "cannot create the waveform directory \(--waves-on-fail\) 'a_file/w'" \
  "$nmtwin" regress "$src/regressions/timed_spikes.toml" --waves-on-fail a_file/w
echo ok
