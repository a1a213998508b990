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
