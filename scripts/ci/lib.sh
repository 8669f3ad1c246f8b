# Shared helpers for the CI scripts (sourced, not run).

# ci_step NAME CMD...: runs CMD with a header and its duration; a failure names the step and
# exits with CMD's status.
ci_step() {
  local name="$1"
  shift
  local started=$SECONDS status=0
  echo "==> $name"
  "$@" || status=$?
  if ((status != 0)); then
    echo "==> $name FAILED (exit $status) after $((SECONDS - started))s" >&2
    exit "$status"
  fi
  echo "==> $name done in $((SECONDS - started))s"
}
