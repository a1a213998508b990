"""Fake api.weixin.qq.com: jscode2session, access tokens, getuserphonenumber and subscription messages
— checked like WeChat does."""

import secrets
import time

from .server import FakeServer, Request, Response

INVALID_CODE = {"errcode": 40029, "errmsg": "invalid code"}
USED_CODE = {"errcode": 40163, "errmsg": "code been used"}
BAD_SECRET = {"errcode": 40125, "errmsg": "invalid appsecret"}
BAD_APPID = {"errcode": 40013, "errmsg": "invalid appid"}
BAD_TOKEN = {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
BAD_TEMPLATE = {"errcode": 40037, "errmsg": "invalid template_id"}
BAD_OPENID = {"errcode": 40003, "errmsg": "invalid openid"}
NOT_SUBSCRIBED = {"errcode": 43101, "errmsg": "user refuse to accept the msg"}
BAD_DATA = {"errcode": 47003, "errmsg": "argument invalid! data.thing1.value invalid"}


class WeChatFake(FakeServer):
	def __init__(self, appid: str | None = None, secret: str | None = None):
		super().__init__()
		self.appid = appid or "wx" + secrets.token_hex(8)
		self.secret = secret or secrets.token_hex(16)
		self.login_codes: dict[str, dict] = {}  # js_code → {"openid", "unionid", "session_key", "used"}
		self.phone_codes: dict[str, dict] = {}  # getPhoneNumber code → {"phone", "used"}
		self.access_tokens: set[str] = set()
		self.tokens_issued = 0
		self.session_keys: list[str] = []  # every session_key handed out, to grep responses for
		self.next_errcode: int | None = None  # answer the next jscode2session with this errcode
		self.watermark_appid: str | None = None  # set to sign phone numbers for another app
		self.templates: dict[str, set[str]] = {}  # subscription template id → its data keys
		self.subscriptions: dict[tuple[str, str], int] = {}  # (openid, template id) → sends allowed
		self.messages: list[dict] = []  # accepted subscription messages

	# --- what a test hands the "mini-program" ----------------------------------------------
	def login_code(self, openid: str | None = None, unionid: str | None = None) -> str:
		code = "wxcode_" + secrets.token_hex(8)
		self.login_codes[code] = {
			"openid": openid or "o" + secrets.token_urlsafe(20),
			"unionid": unionid,
			"session_key": secrets.token_urlsafe(16),
			"used": False,
		}
		return code

	def phone_code(self, phone: str) -> str:
		code = "phcode_" + secrets.token_hex(8)
		self.phone_codes[code] = {"phone": phone, "used": False}
		return code

	def add_template(self, template_id: str, keys=("thing1", "thing2")) -> str:
		self.templates[template_id] = set(keys)
		return template_id

	def subscribe(self, openid: str, template_id: str, times: int = 1) -> None:
		"""The user tapped "allow" on wx.requestSubscribeMessage `times` times (one send each)."""
		key = (openid, template_id)
		self.subscriptions[key] = self.subscriptions.get(key, 0) + times

	def revoke_access_tokens(self) -> None:
		self.access_tokens.clear()

	# --- the protocol -----------------------------------------------------------------------
	def handle(self, request: Request) -> Response:
		routes = {
			("GET", "/sns/jscode2session"): self.jscode2session,
			("GET", "/cgi-bin/token"): self.token,
			("POST", "/cgi-bin/stable_token"): self.stable_token,
			("POST", "/wxa/business/getuserphonenumber"): self.getuserphonenumber,
			("POST", "/cgi-bin/message/subscribe/send"): self.subscribe_send,
		}
		route = routes.get((request.method, request.path))
		return Response(200, route(request)) if route else Response(404, {"errcode": 404, "errmsg": "no api"})

	def _credentials_error(self, appid: str, secret: str) -> dict | None:
		if appid != self.appid:
			return BAD_APPID
		if not secrets.compare_digest(secret or "", self.secret):
			return BAD_SECRET
		return None

	def jscode2session(self, request: Request) -> dict:
		q = request.query
		error = self._credentials_error(q.get("appid"), q.get("secret"))
		if error:
			return error
		if q.get("grant_type") != "authorization_code":
			return {"errcode": 40002, "errmsg": "invalid grant_type"}
		if self.next_errcode is not None:
			errcode, self.next_errcode = self.next_errcode, None
			return {"errcode": errcode, "errmsg": "simulated"}
		entry = self.login_codes.get(q.get("js_code"))
		if not entry:
			return INVALID_CODE
		if entry["used"]:
			return USED_CODE
		entry["used"] = True
		self.session_keys.append(entry["session_key"])
		body = {"openid": entry["openid"], "session_key": entry["session_key"]}
		if entry["unionid"]:
			body["unionid"] = entry["unionid"]
		return body

	def _issue_token(self) -> dict:
		token = secrets.token_urlsafe(24)
		self.access_tokens.add(token)
		self.tokens_issued += 1
		return {"access_token": token, "expires_in": 7200}

	def token(self, request: Request) -> dict:
		q = request.query
		if q.get("grant_type") != "client_credential":
			return {"errcode": 40002, "errmsg": "invalid grant_type"}
		return self._credentials_error(q.get("appid"), q.get("secret")) or self._issue_token()

	def stable_token(self, request: Request) -> dict:
		body = request.json()
		if body.get("grant_type") != "client_credential":
			return {"errcode": 40002, "errmsg": "invalid grant_type"}
		return self._credentials_error(body.get("appid"), body.get("secret")) or self._issue_token()

	def getuserphonenumber(self, request: Request) -> dict:
		if request.query.get("access_token") not in self.access_tokens:
			return BAD_TOKEN
		entry = self.phone_codes.get(request.json().get("code"))
		if not entry or entry["used"]:
			return INVALID_CODE
		entry["used"] = True
		return {
			"errcode": 0,
			"errmsg": "ok",
			"phone_info": {
				"phoneNumber": entry["phone"],
				"purePhoneNumber": entry["phone"],
				"countryCode": "86",
				"watermark": {"timestamp": int(time.time()), "appid": self.watermark_appid or self.appid},
			},
		}

	def subscribe_send(self, request: Request) -> dict:
		"""One-time subscription messages: each "allow" from the user permits one send."""
		if request.query.get("access_token") not in self.access_tokens:
			return BAD_TOKEN
		body = request.json()
		template_id, openid = body.get("template_id"), body.get("touser")
		if template_id not in self.templates:
			return BAD_TEMPLATE
		if not openid or not any(o == openid for o, _t in self.subscriptions):
			return BAD_OPENID
		if self.subscriptions.get((openid, template_id), 0) < 1:
			return NOT_SUBSCRIBED
		data = body.get("data")
		if not isinstance(data, dict) or set(data) != self.templates[template_id]:
			return BAD_DATA
		if any(not isinstance(v, dict) or not str(v.get("value") or "") for v in data.values()):
			return BAD_DATA
		if any(len(str(data[k]["value"])) > 20 for k in data if k.startswith("thing")):
			return BAD_DATA
		self.subscriptions[(openid, template_id)] -= 1
		self.messages.append(
			{
				"openid": openid,
				"template_id": template_id,
				"data": {k: v["value"] for k, v in data.items()},
				"page": body.get("page"),
			}
		)
		return {"errcode": 0, "errmsg": "ok", "msgid": secrets.randbelow(10**12)}
