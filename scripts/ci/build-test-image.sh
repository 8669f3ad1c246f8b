#!/usr/bin/env bash
# Builds the offline image the integration tests run: a root filesystem holding only a static
# busybox, its applet links, /tmp and a minimal /etc, imported with `docker import` under a fixed
# tag. No registry is needed (CI reaches none), so this is how tests get an image at all.
#
# Idempotent: the image carries a label with a fingerprint of this script and the busybox binary;
# when the tag already has that fingerprint nothing is rebuilt. Edit the script or upgrade
# busybox-static and the next run rebuilds.
#
# Usage: scripts/ci/build-test-image.sh [tag]     (default: cronbridge-test/busybox:latest)
# Needs: a running Docker engine, busybox-static (/bin/busybox), tar.
set -euo pipefail

TAG="${1:-cronbridge-test/busybox:latest}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
LABEL=org.cronbridge.test-image.fingerprint

if [[ ! -x "$BUSYBOX" ]]; then
  echo "build-test-image: $BUSYBOX not found; install busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
# A dynamically linked busybox would not run in an image without a libc.
if ! "$BUSYBOX" --list >/dev/null 2>&1; then
  echo "build-test-image: $BUSYBOX does not run" >&2
  exit 1
fi

fingerprint="$(cat "${BASH_SOURCE[0]}" "$BUSYBOX" | sha256sum | cut -c1-32)"
current="$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$TAG" 2>/dev/null || true)"
if [[ "$current" == "$fingerprint" ]]; then
  echo "build-test-image: $TAG is up to date ($fingerprint)"
  exit 0
fi

work="$(mktemp -d /tmp/cronbridge-test-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,home}
chmod 1777 "$root/tmp"
install -m 0755 "$BUSYBOX" "$root/bin/busybox"

# `--list-full` gives each applet's usual path (bin/sh, usr/bin/seq, ...): link every one of them
# to /bin/busybox so commands resolve under Docker's default PATH.
while read -r applet; do
  [[ "$applet" == bin/busybox ]] && continue
  ln -sf /bin/busybox "$root/$applet"
done < <("$BUSYBOX" --list-full)

# Users and groups so tests can run as a named non-root user ("nobody", 65534).
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

# Reproducible tar: fixed owner, order and mtime, so the same inputs give the same layer.
tar --create --file "$work/rootfs.tar" --directory "$root" \
  --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner .

docker import \
  --change "LABEL $LABEL=$fingerprint" \
  --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/sh"]' \
  "$work/rootfs.tar" "$TAG" >/dev/null
echo "build-test-image: built $TAG ($fingerprint)"
