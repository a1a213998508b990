"""Point the running site at the fakes: its site_config.json (gunicorn re-reads it on every request)
and HS Settings (through the REST API as Administrator). Both are restored afterwards."""

import json
import os
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(os.environ.get("ROOT") or Path(__file__).resolve().parents[2])
SITE = os.environ.get("HS_SITE", "test.localhost")
PASSWORD_FIELDS = {
	"wechat_secret",
	"alipay_private_key",
	"sms_access_key_secret",
	"wechatpay_private_key",
	"wechatpay_apiv3_key",
}


def site_config_path() -> Path:
	return ROOT / "sites" / SITE / "site_config.json"


def _write_json(path: Path, data: dict) -> None:
	"""Replace the file in one step (a request never reads half of it), keeping owner and mode."""
	stat = path.stat()
	fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".site_config.")
	with os.fdopen(fd, "w") as f:
		json.dump(data, f, indent=1, sort_keys=True)
	os.chmod(tmp, stat.st_mode & 0o777)
	try:
		os.chown(tmp, stat.st_uid, stat.st_gid)
	except PermissionError:
		pass
	os.replace(tmp, path)


@contextmanager
def site_config(**values):
	"""Set keys in the site's site_config.json for the block; other keys are left as they are then."""
	path = site_config_path()
	before = json.loads(path.read_text())
	_write_json(path, {**before, **values})
	try:
		yield
	finally:
		current = json.loads(path.read_text())
		for key in values:
			if key in before:
				current[key] = before[key]
			else:
				current.pop(key, None)
		_write_json(path, current)


@contextmanager
def hs_settings(admin, doctype: str = "HS Settings", **values):
	"""Set a settings DocType's fields as Administrator; restore them (secrets only when they were empty)."""
	settings_url = f"/api/resource/{doctype}/{doctype}"
	response = admin.get(settings_url)
	assert response.status_code == 200, response.text
	before = {key: response.json()["data"].get(key) for key in values}
	response = admin.put(settings_url, json=values)
	assert response.status_code == 200, response.text
	try:
		yield
	finally:
		restore = {}
		for key, value in before.items():
			if key in PASSWORD_FIELDS and value:
				warnings.warn(
					f"{doctype}.{key} had a value the API cannot read back; it keeps the test's value",
					stacklevel=3,
				)
				continue
			restore[key] = value or ""
		response = admin.put(settings_url, json=restore)
		assert response.status_code == 200, response.text
