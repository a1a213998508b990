"""SMS providers behind one interface, chosen by HS Settings.sms_provider.

    get_provider().send("13800138000", template_code, {"code": "123456"})

Providers come from the `hs_sms_providers` hook (name → class path), so an app adds one with
`hs_sms_providers = {"Huawei": "my_app.sms.HuaweiSms"}` and it appears by that name; the Select
options of HS Settings.sms_provider list the shipped ones.
"""

import frappe
from frappe import _

from home_service.integrations.sms.base import SmsError, SmsProvider
from home_service.utils import extensions


def get_provider(name: str | None = None) -> SmsProvider:
	name = name or frappe.db.get_single_value("HS Settings", "sms_provider") or "Console"
	message = _("SMS provider {0} is not installed.").format(name)
	return extensions.resolve("hs_sms_providers", name, message=message)()


def registered_providers() -> list[str]:
	return extensions.names("hs_sms_providers")


def sync_provider_options() -> None:
	"""Offer every hooked provider in HS Settings.sms_provider (a Property Setter, as Desk makes).

	Runs after every migrate, so installing an app that adds a provider makes it selectable.
	"""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	options = "\n".join(registered_providers())
	if frappe.get_meta("HS Settings").get_field("sms_provider").options == options:
		return
	make_property_setter(
		"HS Settings", "sms_provider", "options", options, "Text", validate_fields_for_doctype=False
	)
