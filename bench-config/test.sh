#!/usr/bin/env bash
# Run the whole test suite against the site that setup.sh created:
#   1. ruff (Frappe's configuration)
#   2. Frappe's test runner: DocType, controller and service tests inside the app
#   3. pytest suites under tests/ that drive a real running site over HTTP (gunicorn + RQ worker)
# Everything runs on the test site HS_TEST_SITE; the operator's site HS_SITE must come out unchanged
# (its row counts are compared before and after).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HS_TEST_PORT=${HS_TEST_PORT:-8765}
ARTIFACTS="$ROOT/test-artifacts"
mkdir -p "$ARTIFACTS" "$LOG_DIR"
for site in "$HS_SITE" "$HS_TEST_SITE"; do
	[ -f "$ROOT/sites/$site/.hs_site_ready" ] || { echo "No site $site yet: run bench-config/setup.sh first."; exit 1; }
done
is_root && chown "$HS_BENCH_USER:" "$ARTIFACTS"
failed=()
OPERATOR_SITE=$HS_SITE
HS_SITE=$HS_TEST_SITE
"$ROOT/env/bin/python" "$ROOT/tests/site_counts.py" "$OPERATOR_SITE" >"$ARTIFACTS/operator-site-counts.json"

step "ruff"
(cd "$ROOT" && "$TOOLS/bin/ruff" check apps/home_service tests && "$TOOLS/bin/ruff" format --check apps/home_service tests) ||
	failed+=(ruff)

step "import contracts (apps/home_service/.importlinter)"
# layers, no cycles (imports inside functions too), core never imports an add-on, no test code in
# production; tests/architecture checks that a reintroduced cycle breaks them
(cd "$ROOT/apps/home_service" && "$TOOLS/bin/lint-imports" --no-cache) || failed+=(import-linter)

step "customer and technician mini-programs: unit tests, type check, WeChat and Alipay builds"
MP="$ROOT/apps/home_service/miniprogram"
# the type check runs against the API types generated from this code's OpenAPI document (the test site),
# so a server change that breaks the client fails here; the committed file is put back afterwards
schema="$MP/shared/src/api/schema.d.ts"
cp "$schema" "$LOG_DIR/schema.committed.d.ts"
if (cd "$MP" && as_bench env HS_SITE="$HS_SITE" npm run --silent gen:api); then
	cmp -s "$schema" "$LOG_DIR/schema.committed.d.ts" ||
		echo "note: the API changed since shared/src/api/schema.d.ts was generated: npm run gen:api, then commit it"
else
	failed+=("mini-program API types")
fi
(cd "$MP" && as_bench npx vitest run && as_bench npm run --silent check) || failed+=("mini-program tests or type check")
cp "$LOG_DIR/schema.committed.d.ts" "$schema"
# the builds are checked for every page of pages.json, no development base URL and the WeChat main
# package size (scripts/check-mp-builds.mjs); they use a placeholder HTTPS origin for the API
mp_env=(env VITE_HS_BASE_URL="${HS_MP_BASE_URL:-https://hs.example.com}")
(cd "$MP" && as_bench "${mp_env[@]}" npm run --silent build:mp-weixin >"$LOG_DIR/test-mp-weixin.log" 2>&1 &&
	as_bench "${mp_env[@]}" npm run --silent build:mp-alipay >"$LOG_DIR/test-mp-alipay.log" 2>&1 &&
	as_bench "${mp_env[@]}" npm run --silent check:mp) || failed+=("mini-program builds")
(cd "$MP" && as_bench "${mp_env[@]}" npm run --silent build:mp-weixin:technician >"$LOG_DIR/test-mp-weixin-technician.log" 2>&1 &&
	as_bench "${mp_env[@]}" npm run --silent build:mp-alipay:technician >"$LOG_DIR/test-mp-alipay-technician.log" 2>&1 &&
	as_bench "${mp_env[@]}" npm run --silent check:mp:technician) || failed+=("technician mini-program builds")

step "Frappe test runner (app tests)"
bench_cmd --site "$HS_SITE" run-tests --app home_service ${HS_TEST_ARGS:-} 2>&1 | tee "$LOG_DIR/test-frappe.log" |
	grep -vE '^\s*$|Updating DocTypes|%\]' || true
grep -qE '^OK' "$LOG_DIR/test-frappe.log" || failed+=("frappe runner")

step "HTTP suites against a running site (port $HS_TEST_PORT)"
server_pids=()
stop_servers() { for p in "${server_pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; }
trap stop_servers EXIT
if is_root; then run_as=(runuser -u "$HS_BENCH_USER" --); else run_as=(); fi
# Frappe caches the asset manifest under one key for every bench on the Redis server ("assets_json",
# shared): another bench on the same Redis would make Desk load bundles this one never built
"$ROOT/env/bin/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).delete('assets_json')" "$HS_REDIS_CACHE"
# application_with_statics() also serves /assets (and /files) as `bench serve` does: the browser suite
# (tests/browser) loads Desk's JS and CSS from this server; plain frappe.app:application answers 404
# home_service.wsgi wraps Frappe's application (503 while MariaDB or Redis is away), as production serves it
(cd "$ROOT/sites" && exec setsid "${run_as[@]}" "$ROOT/env/bin/gunicorn" -b "127.0.0.1:$HS_TEST_PORT" -w 4 \
	--threads 1 -t 120 --preload 'home_service.wsgi:application_with_statics()') >"$LOG_DIR/test-gunicorn.log" 2>&1 &
server_pids+=($!)
(cd "$ROOT" && exec setsid "${run_as[@]}" "$TOOLS/bin/bench" hs-worker --queue short,default,long) \
	>"$LOG_DIR/test-worker.log" 2>&1 &
server_pids+=($!)
for _ in $(seq 60); do
	curl -fs -H "X-Frappe-Site-Name: $HS_SITE" "http://127.0.0.1:$HS_TEST_PORT/api/method/ping" >/dev/null && break
	sleep 1
done
curl -fs -H "X-Frappe-Site-Name: $HS_SITE" "http://127.0.0.1:$HS_TEST_PORT/api/method/ping" >/dev/null || { tail -20 "$LOG_DIR/test-gunicorn.log"; false; }
export HS_BASE_URL="http://127.0.0.1:$HS_TEST_PORT" HS_SITE HS_ADMIN_PASSWORD ROOT HS_REDIS_QUEUE
export HS_ARTIFACTS="${HS_ARTIFACTS:-$ARTIFACTS/browser}"
echo "browser suite screenshots: $HS_ARTIFACTS"
set +e
(cd "$ROOT" && "$TOOLS/bin/pytest" tests -q -p no:cacheprovider --junitxml="$ARTIFACTS/http-suites.xml" ${HS_PYTEST_ARGS:-})
code=$?
set -e
[ $code = 0 ] || failed+=("HTTP suites")

step "the operator's site $OPERATOR_SITE is as setup made it"
"$ROOT/env/bin/python" "$ROOT/tests/site_counts.py" "$OPERATOR_SITE" --compare "$ARTIFACTS/operator-site-counts.json" ||
	failed+=("operator site changed")

echo ""
if [ ${#failed[@]} -gt 0 ]; then
	echo "FAILED: ${failed[*]}"
	exit 1
fi
echo "All suites passed."
