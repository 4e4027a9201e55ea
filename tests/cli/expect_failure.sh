#!/usr/bin/env bash
# usage: expect_failure.sh REGEX CMD [ARGS...]
# Passes when CMD exits non-zero and its standard error matches REGEX (extended grep).
set -u
regex=$1
shift
err=$("$@" 2>&1 >/dev/null)
rc=$?
if [ "$rc" -eq 0 ]; then
  echo "FAIL: '$*' exited 0, expected an error" >&2
  exit 1
fi
if ! grep -Eq -- "$regex" <<<"$err"; then
  echo "FAIL: '$*' exited $rc but its error did not match '$regex':" >&2
  echo "$err" >&2
  exit 1
fi
echo "ok: exit $rc, error: $err"
