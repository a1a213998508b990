"""WeChat, Alipay and SMS login end to end over HTTP, against provider fakes (security plan case 35)."""

from auth_helpers import AUTH, MiniProgram, error_of, forget_sms_quota, random_phone

LOGIN_KEYS = {"token", "expires_on", "header"}


def login_reply(response, kind: str = "customer") -> dict:
	assert response.status_code == 200, response.text
	reply = response.json()["message"]
	assert set(reply) == LOGIN_KEYS | {kind}
	assert reply["header"] == "X-HS-Token"
	assert reply["token"].startswith("hs_")
	return reply


def test_wechat_login_end_to_end(providers):
	wechat = providers.wechat
	code = wechat.login_code(unionid="union-" + random_phone())
	reply = login_reply(MiniProgram().auth("wechat_login", code=code))
	assert wechat.session_keys[-1] not in str(reply)

	customer = MiniProgram(reply["token"])
	me = customer.me()
	assert me.status_code == 200, me.text
	me = me.json()["message"]
	assert me["customer"] == reply["customer"] and me["technician"] is None
	assert me["roles"] == ["HS Customer"]

	again = login_reply(
		MiniProgram().auth("wechat_login", code=wechat.login_code(openid=wechat_openid(wechat, code)))
	)
	assert again["customer"] == reply["customer"]

	phone = random_phone()
	bound = customer.auth("wechat_bind_phone", code=wechat.phone_code(phone))
	assert bound.status_code == 200, bound.text
	assert bound.json()["message"]["mobile_no"] == f"{phone[:3]}****{phone[-4:]}"

	other = MiniProgram(login_reply(MiniProgram().auth("wechat_login", code=wechat.login_code()))["token"])
	taken = other.auth("wechat_bind_phone", code=wechat.phone_code(phone))
	assert taken.status_code == 409
	assert error_of(taken)["code"] == "PHONE_TAKEN"


def wechat_openid(wechat, code: str) -> str:
	return wechat.login_codes[code]["openid"]


def test_wechat_login_codes_are_single_use_and_checked(providers):
	code = providers.wechat.login_code()
	login_reply(MiniProgram().auth("wechat_login", code=code))
	for bad in (code, "never-issued"):
		response = MiniProgram().auth("wechat_login", code=bad)
		assert response.status_code == 401
		assert error_of(response)["code"] == "INVALID_LOGIN_CODE"


def test_wechat_errors_map_cleanly(providers):
	cases = ((45011, 429, "RATE_LIMITED"), (40226, 401, "LOGIN_BLOCKED"), (-1, 502, "SERVER_ERROR"))
	for errcode, status, code in cases:
		providers.wechat.next_errcode = errcode
		response = MiniProgram().auth("wechat_login", code=providers.wechat.login_code())
		assert response.status_code == status, response.text
		assert error_of(response)["code"] == code


def test_bind_phone_needs_a_customer_token(providers):
	response = MiniProgram().auth("wechat_bind_phone", code=providers.wechat.phone_code(random_phone()))
	assert response.status_code in (401, 403)
	error_of(response)


def test_alipay_login(providers):
	alipay = providers.alipay
	reply = login_reply(
		MiniProgram().auth("alipay_login", auth_code=alipay.auth_code(user_id="2088" + random_phone()[:12]))
	)
	assert alipay.rejected_signatures == 0
	me = MiniProgram(reply["token"]).me().json()["message"]
	assert me["customer"] == reply["customer"]

	response = MiniProgram().auth("alipay_login", auth_code="never-issued")
	assert response.status_code == 401
	assert error_of(response)["code"] == "INVALID_LOGIN_CODE"


def test_sms_login_creates_a_customer(providers):
	phone = random_phone()
	reply = providers.sms_login(phone)
	assert set(reply) == LOGIN_KEYS | {"customer"}
	me = MiniProgram(reply["token"]).me().json()["message"]
	assert me["customer"] == reply["customer"]
	forget_sms_quota(phone)  # one code a minute per number (access/otp.py)
	assert providers.sms_login(phone)["customer"] == reply["customer"]


def test_technician_logs_in_by_sms(providers, admin):
	phone = random_phone()
	created = admin.post(
		"/api/resource/HS Technician",
		json={"technician_name": "测试师傅 " + phone[-4:], "mobile_no": phone, "review_status": "Approved"},
	)
	assert created.status_code == 200, created.text
	reply = providers.sms_login(phone, as_technician=True)
	assert set(reply) == LOGIN_KEYS | {"technician"}
	assert reply["technician"] == created.json()["data"]["name"]
	me = MiniProgram(reply["token"]).me().json()["message"]
	assert me["technician"] == reply["technician"] and "HS Technician" in me["roles"]


def test_writes_are_post_only(providers):
	client = MiniProgram()
	for method in ("wechat_login", "alipay_login", "sms_send_code", "sms_login", "logout"):
		response = client.get(f"/api/method/{AUTH}.{method}")
		assert response.status_code in (401, 403, 405), (method, response.status_code)
		error_of(response)


HOSTILE = ["' OR 1=1 --", "1' AND SLEEP(5)#", "<img src=x onerror=alert(1)>", "x" * 5000, "🙂" * 40]


def test_hostile_input_is_refused_cleanly(providers):
	"""Security plan cases 30-32 for the login endpoints: a 4xx in our shape, never a 5xx."""
	calls = [
		("sms_send_code", lambda v: {"phone": v}),
		("sms_login", lambda v: {"phone": v, "code": v}),
		("sms_login", lambda v: {"phone": "13800000000", "code": v}),
		("wechat_login", lambda v: {"code": v}),
		("alipay_login", lambda v: {"auth_code": v}),
	]
	for value in HOSTILE:
		for method, data in calls:
			response = MiniProgram().auth(method, **data(value))
			assert 400 <= response.status_code < 500, (method, value[:20], response.text)
			error_of(response)
	for data in (
		{"phone": ["13800000000"]},
		{"phone": {"$ne": 1}},
		{},
		{"phone": "13800000000", "code": "1", "as_technician": [1]},
	):
		method = "sms_login" if "code" in data else "sms_send_code"
		response = MiniProgram().auth(method, **data)
		assert 400 <= response.status_code < 500, (data, response.text)
		error_of(response)
