#!/usr/bin/env bash
# Smoke test of the built app, headless: --version, then a demo inspection, a merge and a
# report into a temporary folder, checking each output.
set -euo pipefail
app=${1:?usage: smoke_test.sh PATH/TO/inspector-app}
export QT_QPA_PLATFORM=offscreen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export INSPECTOR_APP_HOME="$work/home"

start=$(date +%s.%N)
version=$("$app" --version)
[[ $version == "inspector-app "* ]] || { echo "unexpected --version: $version"; exit 1; }
"$app" demo "$work/demo" > /dev/null
master=$(ls "$work"/demo/*-master.inspection)
"$app" merge "$master" "$work"/demo/*-fieldwork-*.inspection > /dev/null
status=$("$app" status "$master" --json)
[[ $status == *'"role": "master"'* ]] || { echo "status did not report the master"; exit 1; }
"$app" report "$master" -o "$work/report.pdf" --docx "$work/report.docx" > /dev/null
[[ $(head -c 4 "$work/report.pdf") == "%PDF" ]] || { echo "report.pdf is not a PDF"; exit 1; }
test -s "$work/report.docx"
end=$(date +%s.%N)
printf 'smoke test passed in %.1f s (bundle %s)\n' "$(echo "$end - $start" | bc)" \
  "$(du -sh "$(dirname "$app")" | cut -f1)"
