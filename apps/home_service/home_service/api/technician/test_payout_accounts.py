import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.api.technician.payout_accounts import link_alipay, link_wechat
from home_service.integrations.base import InvalidLoginCodeError
from home_service.tests.factories import make_technician
from home_service.tests.providers import fake_alipay, fake_wechat


class TestPayoutAccounts(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("payout_accounts")
		self.technician = make_technician(with_user=True)
		frappe.set_user(frappe.db.get_value("HS Technician", self.technician, "user"))

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="payout_accounts")

	def test_links_come_from_the_provider(self):
		with fake_wechat() as wechat:
			self.assertEqual(
				link_wechat(wechat.login_code(openid="o-tech-1")), {"wechat": True, "alipay": False}
			)
			with self.assertRaises(InvalidLoginCodeError):
				link_wechat("made-up-code")
		with fake_alipay() as alipay:
			self.assertEqual(
				link_alipay(alipay.auth_code(user_id="2088000011112222")), {"wechat": True, "alipay": True}
			)
		linked = frappe.db.get_value("HS Technician", self.technician, ["wechat_openid", "alipay_user_id"])
		self.assertEqual(linked, ("o-tech-1", "2088000011112222"))
