"""SMS providers behind one interface, chosen by HS Settings.sms_provider.

    get_provider().send("13800138000", template_code, {"code": "123456"})

Providers come from the `hs_sms_providers` hook (name → class path), so an app adds one with
`hs_sms_providers = {"Huawei": "my_app.sms.HuaweiSms"}` and HS Settings.sms_provider (a Data field
checked against the hook) accepts that name.
"""

import frappe
from frappe import _

from home_service.integrations.sms.base import SmsError, SmsProvider
from home_service.utils import extensions


def get_provider(name: str | None = None) -> SmsProvider:
	name = name or frappe.db.get_single_value("HS Settings", "sms_provider") or "Console"
	message = _("SMS provider {0} is not installed.").format(name)
	return extensions.resolve("hs_sms_providers", name, message=message)()
