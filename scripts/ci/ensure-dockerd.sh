#!/usr/bin/env bash
# Makes sure a Docker engine answers. When none does and DOCKER_HOST is unset (or the default
# socket), starts /usr/sbin/dockerd in the background, logging to /tmp/cronbridge-dockerd.log,
# and waits until `docker info` succeeds (bounded; prints the log tail on failure).
# The engine is left running for the tests and for later runs.
set -euo pipefail

LOG=/tmp/cronbridge-dockerd.log
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

answers() { timeout 10 docker info >/dev/null 2>&1; }

if answers; then
  echo "ensure-dockerd: engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi
case "${DOCKER_HOST:-}" in
  "" | unix:///var/run/docker.sock | unix:///run/docker.sock) ;;
  *)
    echo "ensure-dockerd: DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST" >&2
    exit 1
    ;;
esac
if [[ ! -x /usr/sbin/dockerd ]]; then
  echo "ensure-dockerd: /usr/sbin/dockerd missing; install docker.io" >&2
  exit 1
fi
if ((EUID != 0)); then
  echo "ensure-dockerd: no engine answers and starting dockerd needs root" >&2
  exit 1
fi

echo "ensure-dockerd: starting /usr/sbin/dockerd (log: $LOG)"
# setsid + nohup: the daemon outlives this script and ignores the terminal going away.
setsid nohup /usr/sbin/dockerd >"$LOG" 2>&1 </dev/null &
pid=$!
for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  if answers; then
    echo "ensure-dockerd: engine up (pid $pid, $(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "ensure-dockerd: dockerd exited; last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
echo "ensure-dockerd: no answer from dockerd after ${WAIT_SECONDS}s; last lines of $LOG:" >&2
tail -n 30 "$LOG" >&2
exit 1
