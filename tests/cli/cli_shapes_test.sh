#!/usr/bin/env bash
# The exact shapes and exit codes of `cwlf check`, `cwlf explain` and
# `cwlf test` that scripts rely on. Usage: cli_shapes_test.sh PATH/TO/cwlf
set -u
cwlf="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0; passes=0
expect() {  # name, expected, actual
  if [ "$2" == "$3" ]; then passes=$((passes+1)); else
    fails=$((fails+1)); printf 'FAIL %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3"; fi
}

# check: valid -> 0, invalid -> 2 with caret diagnostics on stderr
"$cwlf" check '{ $.a = 1 }' 'ERROR'; expect "check valid rc" 0 $?
"$cwlf" check '{ $.a = 1 }' '{ $.b = }' 2>"$tmp/err"; expect "check invalid rc" 2 $?
expect "check text" "pattern:1:9: error: expected a value (a number, a word, a \"quoted string\" or a %regex%) but found '}'
  { \$.b = }
          ^" "$(cat "$tmp/err")"
out=$("$cwlf" check --format json '{ $.b = }')
expect "check json rc" 2 $?
expect "check json" '[{"diagnostics":[{"code":"unexpected_token","column":9,"line":1,"message":"expected a value (a number, a word, a \"quoted string\" or a %regex%) but found '"'"'}'"'"'","severity":"error","span":[8,9]}],"pattern":"{ $.b = }","valid":false}]' "$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin),separators=(",",":"),sort_keys=True))')"

# test --cli-input-json: the TestMetricFilter response, eventNumber 1-based
cat > "$tmp/req.json" <<'JSON'
{"filterPattern": "[ip, user, status = 4*, bytes]", "logEventMessages": ["1.2.3.4 bob 404 12", "1.2.3.4 bob 200 12", "5.6.7.8 amy 403 7 extra"]}
JSON
out=$("$cwlf" test --cli-input-json "$tmp/req.json"); expect "test rc" 0 $?
expect "test response" '{"matches":[{"eventMessage":"1.2.3.4 bob 404 12","eventNumber":1,"extractedValues":{"$bytes":"12","$ip":"1.2.3.4","$status":"404","$user":"bob"}},{"eventMessage":"5.6.7.8 amy 403 7 extra","eventNumber":3,"extractedValues":{"$bytes":"7 extra","$ip":"5.6.7.8","$status":"403","$user":"amy"}}]}' "$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin),separators=(",",":"),sort_keys=True))')"

# test PATTERN FILE (one event per line) and stdin
printf 'ERROR one\nINFO two\nERROR three\n' > "$tmp/events.txt"
out=$("$cwlf" test 'ERROR' "$tmp/events.txt" | /usr/bin/python3 -c 'import json,sys; print([m["eventNumber"] for m in json.load(sys.stdin)["matches"]])')
expect "test file" "[1, 3]" "$out"
out=$(printf 'a\nERROR b\n' | "$cwlf" test 'ERROR' - | /usr/bin/python3 -c 'import json,sys; print([m["eventNumber"] for m in json.load(sys.stdin)["matches"]])')
expect "test stdin" "[2]" "$out"

# an invalid pattern: exit 2, nothing on stdout, the diagnostic on stderr
out=$("$cwlf" test 'ERR*' "$tmp/events.txt" 2>"$tmp/err"); rc=$?
expect "test invalid rc" 2 $rc
expect "test invalid stdout" "" "$out"
grep -q "invalid character '\*'" "$tmp/err"; expect "test invalid stderr" 0 $?

# unreadable input: exit 3
"$cwlf" test 'ERROR' "$tmp/missing.txt" 2>/dev/null; expect "test missing file rc" 3 $?

# explain: each stage prints
"$cwlf" explain --stage ast '{ $.a = 1 }' | grep -q '(= $.a 1'; expect "explain ast" 0 $?
"$cwlf" explain --stage ir '{ $.a = 1 }' | grep -q 'num-eq $.a 1'; expect "explain ir" 0 $?
"$cwlf" explain '{ $.a = 1 }' | grep -q 'NUM_EQ'; expect "explain bytecode" 0 $?

# space-delimited patterns pass through the command line whole (not split on ',')
"$cwlf" check '[a, b = 4*]'; expect "check delimited rc" 0 $?
out=$(echo 'x 1 y' | "$cwlf" test '[a, b = 1, c]' - | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["matches"][0]["extractedValues"])')
expect "test delimited" "{'\$a': 'x', '\$b': '1', '\$c': 'y'}" "$out"

# an event that is not valid JSON never matches, even where the pattern does not look (R-J1)
out=$(printf '{"a":1,"c":[1 2]}\n{"a":1}\n' | "$cwlf" test '{ $.a = 1 }' - | /usr/bin/python3 -c 'import json,sys; print([m["eventNumber"] for m in json.load(sys.stdin)["matches"]])')
expect "broken JSON elsewhere" "[2]" "$out"

# compile: a compiled pack scans as its JSON pack does; damaged files and
# --param after compilation are refused with exit 2
printf '{"eventName":"ConsoleLogin","eventTime":"2025-03-03T08:00:00Z"}\n{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com"}\n{"eventName":"GetObject"}\n' > "$tmp/events.ndjson"
"$cwlf" compile builtin -o "$tmp/pack.cwlfc" 2>"$tmp/err"; expect "compile rc" 0 $?
expect "compile says" "1" "$(grep -c '35 rules (35 with a filterPattern)' "$tmp/err")"
a=$("$cwlf" scan --pack "$tmp/pack.cwlfc" --summary json --no-progress "$tmp/events.ndjson" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["rules"])')
b=$("$cwlf" scan --summary json --no-progress "$tmp/events.ndjson" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["rules"])')
expect "compiled pack counts" "$b" "$a"
head -c 2000 "$tmp/pack.cwlfc" > "$tmp/cut.cwlfc"
"$cwlf" scan --pack "$tmp/cut.cwlfc" --no-progress "$tmp/events.ndjson" >/dev/null 2>"$tmp/err"; expect "cut pack rc" 2 $?
expect "cut pack says" "1" "$(grep -c 'cut or damaged' "$tmp/err")"
"$cwlf" scan --pack "$tmp/pack.cwlfc" --param allowed_source_ips=1.2.3.4 --no-progress "$tmp/events.ndjson" >/dev/null 2>"$tmp/err"
expect "param after compile rc" 2 $?
"$cwlf" compile "$tmp/pack.cwlfc" -o "$tmp/again.cwlfc" 2>/dev/null; expect "compile twice rc" 2 $?

echo "cli_shapes: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
