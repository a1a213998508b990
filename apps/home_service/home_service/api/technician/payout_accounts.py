"""Where my withdrawals go: link the WeChat or Alipay account I am logged into in the app.

The technician app calls wx.login() / my.getAuthCode() and sends the code; the server exchanges it
with WeChat / Alipay, so the payout identity always comes from the provider, never from the client.
"""

import frappe
from frappe import _

from home_service.api.registry import endpoint
from home_service.api.technician.scope import ROLE, current_technician
from home_service.integrations.alipay import AlipayClient
from home_service.integrations.wechat import WeChatMiniProgram
from home_service.utils.text import clean_text

TAG = "technician/payout_accounts"


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def link_wechat(code: str) -> dict:
	"""Link the WeChat account of this wx.login() code; withdrawals with WeChat Pay go to its balance."""
	code = clean_text(code, "Code", 128, required=True)
	technician = current_technician(approved=False)
	openid = WeChatMiniProgram().code2session(code).openid
	return _link(technician.name, "wechat_openid", openid)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def link_alipay(auth_code: str) -> dict:
	"""Link the Alipay account of this my.getAuthCode() code; Alipay withdrawals go to it."""
	auth_code = clean_text(auth_code, "Auth code", 128, required=True)
	technician = current_technician(approved=False)
	identity = AlipayClient().oauth_token(auth_code)
	if not identity.user_id:
		frappe.throw(_("This Alipay app does not share a user id; Alipay withdrawals need one."))
	return _link(technician.name, "alipay_user_id", identity.user_id)


def _link(technician: str, field: str, value: str) -> dict:
	frappe.db.set_value("HS Technician", technician, field, value)
	linked = frappe.db.get_value(
		"HS Technician", technician, ["wechat_openid", "alipay_user_id"], as_dict=True
	)
	return {"wechat": bool(linked.wechat_openid), "alipay": bool(linked.alipay_user_id)}
