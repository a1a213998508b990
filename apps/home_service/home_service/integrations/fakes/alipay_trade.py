"""The payment half of the fake Alipay gateway: trades, refunds, transfers and signed notifications.

Mixed into AlipayFake; business errors come back as Alipay sends them (code 40004 with a sub_code).
"""

import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from .keys import KeyPair, sign_sha256_rsa


def error(sub_code: str, sub_msg: str, code: str = "40004", msg: str = "Business Failed") -> dict:
	return {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg}


TRADE_METHODS = {
	"alipay.trade.create": "_trade_create",
	"alipay.trade.query": "_trade_query",
	"alipay.trade.close": "_trade_close",
	"alipay.trade.refund": "_trade_refund",
	"alipay.trade.fastpay.refund.query": "_refund_query",
	"alipay.fund.trans.uni.transfer": "_transfer",
	"alipay.fund.trans.common.query": "_transfer_query",
}
OK = {"code": "10000", "msg": "Success"}


def _cents(value) -> int | None:
	try:
		return int((Decimal(str(value)) * 100).to_integral_exact())
	except (InvalidOperation, ValueError):
		return None


def _yuan(cents: int) -> str:
	return f"{Decimal(cents) / 100:.2f}"


class AlipayTradeMethods:
	"""alipay.trade.* and alipay.fund.trans.* as the gateway answers them (business errors are 40004).

	Needs self.trades, refunds, transfers, counts, calls, knobs, appid and seller_id.
	"""

	def _trade_create(self, biz: dict, params: dict) -> dict:
		no, cents = str(biz.get("out_trade_no") or ""), _cents(biz.get("total_amount"))
		if not no or not cents or cents <= 0 or not (biz.get("buyer_id") or biz.get("buyer_open_id")):
			return error("ACQ.INVALID_PARAMETER", "参数无效", "40004", "Business Failed")
		existing = self.trades.get(no)
		if existing:
			if existing["cents"] != cents:
				return error("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改", "40004", "Business Failed")
			return {**OK, "out_trade_no": no, "trade_no": existing["trade_no"]}
		self.counts["trades"] += 1
		self.trades[no] = {
			"out_trade_no": no,
			"trade_no": datetime.now().strftime("%Y%m%d") + "22" + str(secrets.randbelow(10**18)).zfill(18),
			"cents": cents,
			"buyer_id": biz.get("buyer_id") or biz.get("buyer_open_id"),
			"status": "WAIT_BUYER_PAY",
			"refunded": 0,
			"notify_url": params.get("notify_url"),
		}
		return {**OK, "out_trade_no": no, "trade_no": self.trades[no]["trade_no"]}

	def _trade_query(self, biz: dict, params: dict) -> dict:
		trade = self.trades.get(str(biz.get("out_trade_no") or ""))
		if not trade:
			return error("ACQ.TRADE_NOT_EXIST", "交易不存在", "40004", "Business Failed")
		return {
			**OK,
			"out_trade_no": trade["out_trade_no"],
			"trade_no": trade["trade_no"],
			"trade_status": trade["status"],
			"total_amount": _yuan(trade["cents"]),
			"buyer_user_id": trade["buyer_id"],
		}

	def _trade_close(self, biz: dict, params: dict) -> dict:
		trade = self.trades.get(str(biz.get("out_trade_no") or ""))
		if not trade:
			return error("ACQ.TRADE_NOT_EXIST", "交易不存在", "40004", "Business Failed")
		if trade["status"] != "WAIT_BUYER_PAY":
			return error("ACQ.TRADE_STATUS_ERROR", "交易状态不合法", "40004", "Business Failed")
		trade["status"] = "TRADE_CLOSED"
		return {**OK, "out_trade_no": trade["out_trade_no"], "trade_no": trade["trade_no"]}

	def _trade_refund(self, biz: dict, params: dict) -> dict:
		trade = self.trades.get(str(biz.get("out_trade_no") or ""))
		cents, request_no = _cents(biz.get("refund_amount")), str(biz.get("out_request_no") or "")
		if not trade or trade["status"] not in ("TRADE_SUCCESS", "TRADE_CLOSED") or not trade.get("paid"):
			return error("ACQ.TRADE_NOT_EXIST", "交易不存在", "40004", "Business Failed")
		if not cents or cents <= 0 or not request_no:
			return error("ACQ.INVALID_PARAMETER", "参数无效", "40004", "Business Failed")
		key = (trade["out_trade_no"], request_no)
		self.calls[f"refund:{request_no}"] += 1
		if key in self.refunds:  # the same out_request_no refunds once
			done = self.refunds[key]
			if done["cents"] != cents:
				return error("ACQ.REQUEST_AMOUNT_EXCEED", "退款请求号金额不一致", "40004", "Business Failed")
			return {
				**OK,
				"trade_no": trade["trade_no"],
				"fund_change": "N",
				"refund_fee": _yuan(trade["refunded"]),
			}
		if trade["refunded"] + cents > trade["cents"]:
			return error("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限", "40004", "Business Failed")
		trade["refunded"] += cents
		if trade["refunded"] == trade["cents"]:
			trade["status"] = "TRADE_CLOSED"
		self.counts["refunds"] += 1
		self.refunds[key] = {"cents": cents, "status": self.knobs.refund_state}
		return {
			**OK,
			"trade_no": trade["trade_no"],
			# accepted but not yet done: no money moved by this call, the query says when it has
			"fund_change": "Y" if self.knobs.refund_state == "SUCCESS" else "N",
			"refund_fee": _yuan(trade["refunded"]),
		}

	def finish_refund(self, out_trade_no: str, out_request_no: str, status: str = "SUCCESS") -> None:
		"""A refund in process ends: SUCCESS, or FAIL (the amount is refundable again)."""
		with self._lock:
			key = (out_trade_no, out_request_no)
			if status == "SUCCESS":
				self.refunds[key]["status"] = "SUCCESS"
				return
			trade = self.trades[out_trade_no]
			trade["refunded"] -= self.refunds.pop(key)["cents"]
			trade["status"] = "TRADE_SUCCESS"

	def _refund_query(self, biz: dict, params: dict) -> dict:
		key = (str(biz.get("out_trade_no") or ""), str(biz.get("out_request_no") or ""))
		done = self.refunds.get(key)
		if not done or done["status"] != "SUCCESS":
			# Alipay has no "processing" value: no refund_status means not (yet) refunded
			return {**OK, "out_trade_no": key[0], "out_request_no": key[1]}
		return {
			**OK,
			"out_trade_no": key[0],
			"out_request_no": key[1],
			"refund_status": "REFUND_SUCCESS",
			"refund_amount": _yuan(done["cents"]),
		}

	def _transfer(self, biz: dict, params: dict) -> dict:
		no, cents = str(biz.get("out_biz_no") or ""), _cents(biz.get("trans_amount"))
		payee = biz.get("payee_info") or {}
		if not no or not cents or cents <= 0 or not payee.get("identity"):
			return error("INVALID_PARAMETER", "参数有误", "40004", "Business Failed")
		self.calls[f"transfer:{no}"] += 1
		existing = self.transfers.get(no)
		if existing:
			if existing["cents"] != cents:
				return error("INVALID_PARAMETER", "商户订单号重复但参数不一致", "40004", "Business Failed")
		else:
			self.counts["transfers"] += 1
			existing = self.transfers[no] = {
				"cents": cents,
				"payee": payee["identity"],
				"order_id": datetime.now().strftime("%Y%m%d")
				+ "110070001"
				+ str(secrets.randbelow(10**9)).zfill(9),
				"status": self.knobs.transfer_state,
			}
			if existing["status"] == "FAIL":
				existing["fail_reason"] = "收款账户状态异常"  # told by the query, not this answer
		return {**OK, "out_biz_no": no, "order_id": existing["order_id"], "status": existing["status"]}

	def finish_transfer(self, out_biz_no: str, status: str = "SUCCESS") -> None:
		"""A DEALING transfer ends: SUCCESS or FAIL."""
		with self._lock:
			transfer = self.transfers[out_biz_no]
			transfer["status"] = status
			if status == "FAIL":
				transfer["fail_reason"] = "收款账户状态异常"

	def _transfer_query(self, biz: dict, params: dict) -> dict:
		no = str(biz.get("out_biz_no") or "")
		transfer = self.transfers.get(no)
		if not transfer:
			return error("ORDER_NOT_EXIST", "转账订单不存在", "40004", "Business Failed")
		answer = {
			**OK,
			"out_biz_no": no,
			"order_id": transfer["order_id"],
			"status": transfer["status"],
			"trans_amount": _yuan(transfer["cents"]),
		}
		if transfer.get("fail_reason"):
			answer["fail_reason"] = transfer["fail_reason"]
		return answer

	# --- what a test does as the payer, and the notifications Alipay posts ------------------
	def user_pays(self, out_trade_no: str) -> dict:
		trade = self.trades[out_trade_no]
		if trade["status"] == "WAIT_BUYER_PAY":
			trade.update(
				status="TRADE_SUCCESS", paid=True, gmt_payment=datetime.now().strftime("%Y-%m-%d %H:%M:%S")
			)
		return trade

	def paid_notification(
		self,
		out_trade_no: str,
		*,
		tamper: dict | None = None,
		sign_with: KeyPair | None = None,
		notify_id: str | None = None,
	) -> bytes:
		"""The form body Alipay POSTs for a paid trade; `tamper` changes fields after signing."""
		trade = self.user_pays(out_trade_no)
		fields = {
			"notify_time": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
			"notify_type": "trade_status_sync",
			"notify_id": notify_id or secrets.token_hex(16),
			"app_id": self.appid,
			"charset": "utf-8",
			"version": "1.0",
			"sign_type": "RSA2",
			"trade_no": trade["trade_no"],
			"out_trade_no": out_trade_no,
			"buyer_id": trade["buyer_id"],
			"seller_id": self.seller_id,
			"trade_status": trade["status"],
			"total_amount": _yuan(trade["cents"]),
			"receipt_amount": _yuan(trade["cents"]),
			"buyer_pay_amount": _yuan(trade["cents"]),
			"gmt_payment": trade["gmt_payment"],
			"subject": "上门服务",
		}
		return self.sign_form(fields, tamper=tamper, sign_with=sign_with)

	def sign_form(
		self, fields: dict, *, tamper: dict | None = None, sign_with: KeyPair | None = None
	) -> bytes:
		unsigned = "&".join(
			f"{k}={v}" for k, v in sorted(fields.items()) if k not in ("sign", "sign_type") and v != ""
		)
		signed = {**fields, "sign": sign_sha256_rsa((sign_with or self.alipay_keys).private_pem, unsigned)}
		signed.update(tamper or {})
		return urlencode(signed).encode()
