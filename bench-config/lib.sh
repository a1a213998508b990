# Shared helpers for setup.sh and test.sh (sourced, not executed).
# shellcheck shell=bash
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT

# defaults.env supplies a value only where the environment has none
while IFS='=' read -r key value; do
	[[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
	if [ -z "${!key+x}" ]; then
		value=${value%\"}; value=${value#\"}
		export "$key=$value"
	fi
done <"$ROOT/bench-config/defaults.env"

TOOLS="$ROOT/.tools"
LOG_DIR="$ROOT/logs"
export PATH="$TOOLS/bin:$ROOT/env/bin:/usr/local/bin:/usr/bin:/bin:$PATH"

CURRENT_STEP=""
on_error() {
	local code=$?
	[ "$BASH_SUBSHELL" -gt 0 ] && exit "$code"
	echo "" >&2
	echo "FAILED at step: ${CURRENT_STEP:-startup} (exit code $code)" >&2
	[ -n "${STEP_LOG:-}" ] && [ -s "$STEP_LOG" ] && { echo "--- last lines of $STEP_LOG ---" >&2; tail -n 40 "$STEP_LOG" >&2; }
	exit "$code"
}
trap on_error ERR

step() { # step "description"
	CURRENT_STEP=$1
	printf '\n==> %s\n' "$1"
}

is_root() { [ "$(id -u)" = 0 ]; }

bench_user() {
	if is_root; then echo "$HS_BENCH_USER"; else id -un; fi
}

# Run a command as the bench user (bench refuses to run as root).
as_bench() {
	if is_root; then
		runuser -u "$HS_BENCH_USER" -- env HOME="$(getent passwd "$HS_BENCH_USER" | cut -d: -f6)" \
			PATH="$PATH" "$@"
	else
		"$@"
	fi
}

# Run bench inside the repository root (which is the bench directory).
bench_cmd() { (cd "$ROOT" && as_bench "$TOOLS/bin/bench" "$@"); }

mysql_root() {
	MYSQL_PWD="$HS_DB_ROOT_PASSWORD" mariadb --protocol=TCP -h "$HS_DB_HOST" -P "$HS_DB_PORT" \
		-u "$HS_DB_ROOT_USER" "$@"
}
