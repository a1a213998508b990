import frappe
from frappe import _

from home_service.integrations.base import ProviderError


class SmsError(ProviderError):
	"""The provider refused or failed to send; `provider_code` is its error code for the log."""

	def __init__(self, provider_code: str = ""):
		super().__init__(_("The text message could not be sent. Please try again later."))
		self.provider_code = provider_code


class SmsProvider:
	"""Send one templated message. `params` maps template variables to string values."""

	name = "Base"

	def send(self, phone: str, template: str, params: dict[str, str]) -> None:
		raise NotImplementedError

	@staticmethod
	def settings():
		return frappe.get_cached_doc("HS Settings")

	def credentials(self) -> tuple[str, str]:
		settings = self.settings()
		access_key_id = settings.sms_access_key_id
		access_key_secret = settings.get_password("sms_access_key_secret", raise_exception=False)
		if not access_key_id or not access_key_secret:
			frappe.throw(_("The {0} SMS provider is not configured.").format(self.name), ProviderError)
		return access_key_id, access_key_secret

	def __repr__(self) -> str:
		return f"<{type(self).__name__}>"
