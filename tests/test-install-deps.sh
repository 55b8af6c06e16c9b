#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/install-deps waits for another apt's lock instead of failing at once
# (issue 14): apt-get is given DPkg::Lock::Timeout, and an `update` refused because the
# package lists are locked is tried again. A stand-in apt-get on PATH answers as a
# locked apt would the first time. The script only installs as root: skipped otherwise.
set -euo pipefail

script="$1"
[ "$(id -u)" -eq 0 ] || { echo "not root: install-deps would not run apt-get"; exit 77; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/apt-get" <<'FAKE'
#!/usr/bin/env bash
echo "$*" >>"$FAKE_APT_LOG"
case " $* " in
  *" update "*)
    if [ ! -e "$FAKE_APT_LOG.locked-once" ]; then
      touch "$FAKE_APT_LOG.locked-once"
      echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 1 (apt-get)" >&2
      exit 100
    fi ;;
esac
exit 0
FAKE
chmod +x "$dir/apt-get"

export FAKE_APT_LOG="$dir/log"
# A package no machine has, so that something is missing.
PATH="$dir:$PATH" "$script" mesocare-no-such-package-for-test 2>"$dir/stderr" || {
  cat "$dir/stderr" >&2
  echo "install-deps failed while another apt held the lock" >&2
  exit 1
}
cat "$dir/log"
[ "$(grep -c ' update' "$dir/log")" -eq 2 ] || { echo "update was not tried again" >&2; exit 1; }
if grep -v -- '-o DPkg::Lock::Timeout=600' "$dir/log"; then
  echo "an apt-get call does not wait for dpkg's lock" >&2
  exit 1
fi
grep -q 'install .*mesocare-no-such-package-for-test' "$dir/log"
echo ok
