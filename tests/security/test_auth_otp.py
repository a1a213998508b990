"""SMS codes over HTTP: brute force, reuse, per-number limits despite forged IPs, no enumeration,
per-IP rate limits in the API's error shape (security plan case 34)."""

from auth_helpers import MiniProgram, error_of, forget_sms_quota, random_phone


def send(phone: str, client: MiniProgram | None = None):
	return (client or MiniProgram()).auth("sms_send_code", phone=phone)


def login(phone: str, code: str, client: MiniProgram | None = None, **kwargs):
	return (client or MiniProgram()).auth("sms_login", phone=phone, code=code, **kwargs)


def wrong(code: str) -> str:
	return f"{(int(code) + 1) % 10**6:06d}"


def test_sixth_attempt_is_refused_even_with_the_right_code(providers):
	phone = random_phone()
	assert send(phone).status_code == 200
	code = providers.sms.last_code(phone)
	for _attempt in range(5):  # each from a different forged IP: it changes nothing
		response = login(phone, wrong(code))
		assert response.status_code == 401
		assert error_of(response)["code"] == "INVALID_CODE"
	response = login(phone, code)
	assert response.status_code == 401
	assert error_of(response)["code"] == "INVALID_CODE"


def test_code_is_single_use_and_bound_to_its_number(providers):
	phone, other = random_phone(), random_phone()
	assert send(phone).status_code == 200
	code = providers.sms.last_code(phone)
	assert login(other, code).status_code == 401
	assert login(phone, code).status_code == 200
	assert login(phone, code).status_code == 401


def test_per_number_limit_holds_with_rotating_forwarded_for(providers):
	phone = random_phone()
	assert send(phone).status_code == 200
	for _attempt in range(5):
		response = send(phone)  # a new MiniProgram each time: a new X-Forwarded-For
		assert response.status_code == 429
		assert error_of(response)["code"] == "TOO_MANY_CODES"
	response = send("+86 " + phone)
	assert response.status_code == 429
	assert len(providers.sms.messages_to(phone)) == 1


def test_same_answers_for_registered_and_unknown_numbers(providers):
	registered = random_phone()
	providers.sms_login(registered)
	forget_sms_quota(registered)  # one code a minute per number (access/otp.py)
	unknown = random_phone()

	replies = [send(phone) for phone in (registered, unknown)]
	assert [r.status_code for r in replies] == [200, 200]
	assert replies[0].json() == replies[1].json()

	for as_technician in (False, True):
		wrong_codes = [login(phone, "000000", as_technician=as_technician) for phone in (registered, unknown)]
		assert [r.status_code for r in wrong_codes] == [401, 401]
		assert wrong_codes[0].json() == wrong_codes[1].json()


def test_no_technician_looks_like_a_wrong_code(providers):
	phone = random_phone()
	assert send(phone).status_code == 200
	no_technician = login(phone, providers.sms.last_code(phone), as_technician=True)
	wrong_code = login(random_phone(), "123456", as_technician=True)
	assert no_technician.status_code == wrong_code.status_code == 401
	assert no_technician.json() == wrong_code.json()


def test_only_mainland_mobile_numbers(providers):
	for phone in ("12345", "+85291234567", "1381234567x", "<script>"):
		response = send(phone)
		assert response.status_code == 422, (phone, response.text)
		assert error_of(response)["code"] == "INVALID_PHONE"


def test_guest_logins_are_rate_limited_per_ip(providers):
	client = MiniProgram()  # one forged IP for the whole loop
	statuses = []
	for _attempt in range(40):
		response = client.auth("wechat_login", code="never-issued")
		statuses.append(response.status_code)
		if response.status_code == 429:
			break
	assert statuses[-1] == 429, statuses
	assert set(statuses[:-1]) == {401}
	assert error_of(response)["code"] == "RATE_LIMITED"


def test_code_requests_are_rate_limited_per_ip(providers):
	client = MiniProgram()
	statuses = [send(random_phone(), client).status_code for _attempt in range(11)]
	assert statuses[:10] == [200] * 10 and statuses[10] == 429, statuses
