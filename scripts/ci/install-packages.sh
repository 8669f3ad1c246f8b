#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when one is missing (so a re-run costs
# a few dpkg queries). Must run as root on Debian 12.
#   docker.io       Docker Engine (dockerd, containerd, runc) for the integration tests
#   busybox-static  the static busybox the offline test image is built from
#   awscli          Debian's AWS CLI v2 at /usr/bin/aws, for end-to-end tests against our API
#   python3-boto3   boto3 for Debian's /usr/bin/python3, for SDK compatibility tests
set -euo pipefail

PACKAGES=(docker.io busybox-static awscli python3-boto3)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  echo "install-packages: all present (${PACKAGES[*]})"
  exit 0
fi
if ((EUID != 0)); then
  echo "install-packages: missing ${missing[*]}; run as root (apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "install-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Maintainer scripts must not try to start services (no init system here): policy-rc.d answering
# 101 tells invoke-rc.d "not allowed". Keep an existing one; remove ours afterwards.
own_policy=""
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  own_policy=1
fi
cleanup() { [[ -z "$own_policy" ]] || rm -f /usr/sbin/policy-rc.d; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/tmp/cronbridge-apt.log 2>&1 || {
  tail -n 40 /tmp/cronbridge-apt.log >&2
  echo "install-packages: apt-get install failed (full log: /tmp/cronbridge-apt.log)" >&2
  exit 1
}
echo "install-packages: installed ${missing[*]}"
