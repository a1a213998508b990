"""Development provider: the message goes to the Error Log (title "HS SMS (console)") and nowhere else."""

import json

import frappe

from home_service.integrations.base import mask_phone
from home_service.integrations.sms.base import SmsProvider

TITLE = "HS SMS (console)"


class ConsoleSms(SmsProvider):
	name = "Console"

	def send(self, phone: str, template: str, params: dict[str, str]) -> None:
		frappe.log_error(
			title=TITLE,
			message=f"To: {mask_phone(phone)}\nTemplate: {template or '-'}\n"
			f"Params: {json.dumps(params, ensure_ascii=False)}",
		)


def logged_codes(masked_phone: str, limit: int = 20) -> list[str]:
	"""The `code` parameters of the latest messages logged to numbers shown as `masked_phone`, newest
	first. Several numbers share a mask: access/otp.py keeps only the one valid for the number."""
	codes = []
	for message in frappe.get_all(
		"Error Log",
		filters={"method": TITLE, "error": ["like", f"To: {masked_phone}\n%"]},
		pluck="error",
		order_by="creation desc",
		limit=limit,
	):
		_head, _sep, params = message.partition("\nParams: ")
		try:
			code = json.loads(params).get("code")
		except (ValueError, AttributeError):
			continue
		if code:
			codes.append(str(code))
	return codes
