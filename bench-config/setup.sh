#!/usr/bin/env bash
# Set this repository up as a Frappe bench with the home_service app, a site and demo data.
# Idempotent: a second run reuses the bench, the site and the data. Settings: bench-config/defaults.env.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STARTED=$(date +%s)
mkdir -p "$LOG_DIR"

step "1/9 system packages"
if is_root; then
	missing=()
	command -v git >/dev/null || missing+=(git)
	command -v mariadb >/dev/null || missing+=(mariadb-client)
	command -v "$HS_PYTHON" >/dev/null || missing+=("$HS_PYTHON" "$HS_PYTHON-venv" "$HS_PYTHON-dev")
	"$HS_PYTHON" -c 'import ensurepip' 2>/dev/null || missing+=("$HS_PYTHON-venv")
	command -v node >/dev/null || missing+=(nodejs npm)
	command -v pkg-config >/dev/null || missing+=(pkg-config)
	command -v cron >/dev/null || missing+=(cron)
	# the browser suite (tests/browser): Debian's chromium, driven by Playwright (no browser download);
	# a CJK font so that screenshots of the Chinese Desk are legible
	[ -x /usr/bin/chromium ] || missing+=(chromium)
	{ command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; } || missing+=(fonts-wqy-microhei)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "installing: ${missing[*]}"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
	if ! command -v yarn >/dev/null || [ "$(yarn --version | cut -d. -f1)" != 1 ]; then
		npm install --global --silent yarn@1.22.22 >/dev/null
	fi
else
	for c in git mariadb "$HS_PYTHON" node yarn; do
		command -v "$c" >/dev/null || { echo "missing command: $c (install it, or run setup as root)"; false; }
	done
	[ -x /usr/bin/chromium ] || echo "note: no /usr/bin/chromium (apt-get install chromium): the browser suite will fail"
fi
echo "ok"

step "2/9 bench user and file ownership"
if is_root; then
	id "$HS_BENCH_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$HS_BENCH_USER"
	# the bench user must reach the checkout and own what bench writes into it
	p=$ROOT; while [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
	mkdir -p "$ROOT/sites" "$ROOT/logs" "$ROOT/config" "$TOOLS"
	find "$ROOT" -maxdepth 1 -mindepth 1 ! -name .git ! -name env ! -name apps ! -name node_modules \
		-exec chown -R "$HS_BENCH_USER:" {} +
	chown "$HS_BENCH_USER:" "$ROOT" "$ROOT/apps"
	chown -R "$HS_BENCH_USER:" "$ROOT/apps/home_service"
	# root keeps using git in a checkout that now belongs to the bench user
	git config --system --get-all safe.directory 2>/dev/null | grep -qxF "$ROOT" ||
		git config --system --add safe.directory "$ROOT"
fi
echo "bench runs as $(bench_user)"

step "3/9 frappe-bench and test tools (PyPI)"
tools_stamp="$TOOLS/.requirements"
wanted="$BENCH_PIP_SPEC $(cat "$ROOT/bench-config/requirements-tools.txt")"
if [ ! -x "$TOOLS/bin/bench" ] || [ "$(cat "$tools_stamp" 2>/dev/null)" != "$wanted" ]; then
	[ -x "$TOOLS/bin/python" ] || as_bench "$HS_PYTHON" -m venv "$TOOLS"
	as_bench "$TOOLS/bin/pip" install --quiet "$BENCH_PIP_SPEC" -r "$ROOT/bench-config/requirements-tools.txt"
	printf '%s' "$wanted" | as_bench tee "$tools_stamp" >/dev/null
fi
as_bench "$TOOLS/bin/bench" --version

step "4/9 MariaDB: utf8mb4 and the admin user"
mysql_root -e "SELECT 1" >/dev/null || {
	echo "cannot connect to MariaDB at $HS_DB_HOST:$HS_DB_PORT as $HS_DB_ROOT_USER"; false; }
mysql_root -e "SET GLOBAL character_set_server='utf8mb4'; SET GLOBAL collation_server='utf8mb4_unicode_ci';"
if is_root && [ -d /etc/mysql/mariadb.conf.d ] && [ "$HS_DB_HOST" = 127.0.0.1 ]; then
	# persist for the next server start (the SET GLOBAL above covers the running one)
	printf '[mysqld]\ncharacter-set-client-handshake = FALSE\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n\n[mysql]\ndefault-character-set = utf8mb4\n' \
		>/etc/mysql/mariadb.conf.d/99-frappe.cnf
fi
mysql_root -e "CREATE USER IF NOT EXISTS '$HS_DB_ADMIN_USER'@'%' IDENTIFIED BY '$HS_DB_ADMIN_PASSWORD';
	ALTER USER '$HS_DB_ADMIN_USER'@'%' IDENTIFIED BY '$HS_DB_ADMIN_PASSWORD';
	GRANT ALL PRIVILEGES ON *.* TO '$HS_DB_ADMIN_USER'@'%' WITH GRANT OPTION; FLUSH PRIVILEGES;"
echo "admin user $HS_DB_ADMIN_USER ready"

step "5/9 bench init (Frappe $FRAPPE_REF)"
if [ ! -x "$ROOT/env/bin/python" ] || [ ! -d "$ROOT/apps/frappe/.git" ]; then
	STEP_LOG="$LOG_DIR/setup-bench-init.log"
	rm -rf "$ROOT/env" "$ROOT/apps/frappe"
	(cd "$(dirname "$ROOT")" && as_bench "$TOOLS/bin/bench" init "$ROOT" --ignore-exist \
		--frappe-branch "$FRAPPE_REF" --python "$(command -v "$HS_PYTHON")" \
		--skip-redis-config-generation --no-backups --skip-assets) </dev/null >"$STEP_LOG" 2>&1
	unset STEP_LOG
fi
echo "Frappe $(as_bench "$ROOT/env/bin/python" -c 'import frappe; print(frappe.__version__)')"

step "6/9 home_service app (editable)"
STEP_LOG="$LOG_DIR/setup-app.log"
# Frappe v15 still imports pkg_resources, which setuptools 81 removed
as_bench "$ROOT/env/bin/python" -c 'import pkg_resources' 2>/dev/null ||
	as_bench "$ROOT/env/bin/python" -m pip install --quiet "setuptools<81" >"$STEP_LOG" 2>&1
if ! grep -qx home_service "$ROOT/sites/apps.txt" 2>/dev/null ||
	! as_bench "$ROOT/env/bin/python" -c 'import home_service' 2>/dev/null; then
	(cd "$ROOT" && as_bench "$ROOT/env/bin/python" -m pip install --quiet -e apps/home_service) >"$STEP_LOG" 2>&1
	grep -qx home_service "$ROOT/sites/apps.txt" || printf "%s\n%s\n" "$(cat "$ROOT/sites/apps.txt")" home_service | as_bench tee "$ROOT/sites/apps.txt" >/dev/null
fi
unset STEP_LOG
echo "installed"

step "7/9 bench configuration"
bench_cmd set-config -g db_host "$HS_DB_HOST" >/dev/null
bench_cmd set-config -g -p db_port "$HS_DB_PORT" >/dev/null
bench_cmd set-config -g redis_cache "$HS_REDIS_CACHE" >/dev/null
bench_cmd set-config -g redis_queue "$HS_REDIS_QUEUE" >/dev/null
bench_cmd set-config -g redis_socketio "$HS_REDIS_QUEUE" >/dev/null
bench_cmd set-config -g -p webserver_port "$HS_WEB_PORT" >/dev/null
bench_cmd set-config -g -p socketio_port "$HS_SOCKETIO_PORT" >/dev/null
bench_cmd set-config -g -p serve_default_site True >/dev/null
STEP_LOG="$LOG_DIR/setup-build.log"
if [ ! -e "$ROOT/sites/assets/frappe/dist" ] || [ ! -e "$ROOT/sites/assets/home_service" ]; then
	bench_cmd build </dev/null >"$STEP_LOG" 2>&1
fi
unset STEP_LOG
echo "configured, assets built"

# the customer mini-program (apps/home_service/miniprogram): npm ci when the lockfile changed, and the
# H5 build the site serves at /m (www/m.html + public/m) when its sources changed
MP="$ROOT/apps/home_service/miniprogram"
STEP_LOG="$LOG_DIR/setup-miniprogram.log"
lock_sum=$(sha1sum "$MP/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$MP/node_modules/.hs-lock" 2>/dev/null)" != "$lock_sum" ]; then
	(cd "$MP" && as_bench npm ci --no-audit --no-fund) </dev/null >"$STEP_LOG" 2>&1
	echo "$lock_sum" | as_bench tee "$MP/node_modules/.hs-lock" >/dev/null
fi
src_sum=$(cd "$MP" && find customer shared scripts package-lock.json -type f ! -path '*/node_modules/*' ! -path '*/dist/*' \
	-print0 | sort -z | xargs -0 cat | sha1sum | cut -d' ' -f1)
if [ "$(cat "$MP/node_modules/.hs-h5" 2>/dev/null)" != "$src_sum" ] || [ ! -f "$ROOT/apps/home_service/home_service/www/m.html" ]; then
	(cd "$MP" && as_bench npm run build:h5) </dev/null >>"$STEP_LOG" 2>&1
	echo "$src_sum" | as_bench tee "$MP/node_modules/.hs-h5" >/dev/null
fi
# the technician mini-program's H5 build, served at /t (www/t.html + public/t), likewise
src_sum=$(cd "$MP" && find technician shared scripts package-lock.json -type f ! -path '*/node_modules/*' ! -path '*/dist/*' \
	-print0 | sort -z | xargs -0 cat | sha1sum | cut -d' ' -f1)
if [ "$(cat "$MP/node_modules/.hs-h5-technician" 2>/dev/null)" != "$src_sum" ] || [ ! -f "$ROOT/apps/home_service/home_service/www/t.html" ]; then
	(cd "$MP" && as_bench npm run build:h5:technician) </dev/null >>"$STEP_LOG" 2>&1
	echo "$src_sum" | as_bench tee "$MP/node_modules/.hs-h5-technician" >/dev/null
fi
unset STEP_LOG
echo "customer mini-program: H5 build served at /m; technician mini-program at /t"

step "8/9 site $HS_SITE (the operator's, with the demo city)"
bash "$ROOT/bench-config/site.sh" "$HS_SITE"
bench_cmd use "$HS_SITE" >/dev/null

step "9/9 test site $HS_TEST_SITE (what the test command uses; $HS_SITE is never touched by tests)"
HS_DEMO=1 bash "$ROOT/bench-config/site.sh" "$HS_TEST_SITE"

printf '\nSetup finished in %ss. Start with: cd %s && bench start   (as %s), then open http://%s:%s\n' \
	"$(($(date +%s) - STARTED))" "$ROOT" "$(bench_user)" "$HS_SITE" "$HS_WEB_PORT"
