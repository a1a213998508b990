"""The lifecycle steps a demo booking went through to reach its status, with believable times."""

from datetime import datetime, timedelta

from home_service.demo.generator.common import REFERENCE_NOW, fmt

CANCEL_REASONS = (
	"计划有变，改天再约",
	"已找到其他师傅",
	"下错单了，重新下单",
	"家里临时没人",
	"价格超出预期",
)
EXCEPTION_REASONS = {
	"Assigned": "师傅临时有事无法按时上门，待改派",
	"On The Way": "师傅途中车辆故障，无法按时到达",
	"Arrived": "客户不在家，电话联系不上",
	"In Service": "需更换配件，客户对报价有异议",
	"Awaiting Confirmation": "客户反馈清洁不到位，要求处理",
}


class Timeline:
	"""The lifecycle steps a booking went through to reach its status, with believable times."""

	def __init__(self, factory, booking, created, start, minutes, free, address, force_tech):
		self.f, self.rng = factory, factory.rng
		self.booking, self.start, self.free, self.address = booking, start, free, address
		self.duration = minutes
		self.force_tech = force_tech
		self.now = created
		self.steps: list[list] = []
		self.technician: str | None = None

	def step(self, status: str, at: datetime, role: str, note: str | None = None, tech: str | None = None):
		# times only move forward and never past the reference moment
		at = min(
			max(at, self.now + timedelta(seconds=30)),
			REFERENCE_NOW - timedelta(seconds=30 * (12 - len(self.steps))),
		)
		self.now = at.replace(microsecond=0)
		entry = [status, fmt(self.now), role, note]
		if tech:
			entry.append(tech)
		self.steps.append(entry)

	def minutes(self, low: int, high: int) -> timedelta:
		return timedelta(minutes=self.rng.randint(low, high), seconds=self.rng.randint(0, 59))

	def pay(self):
		if self.free:
			self.step("Pending Dispatch", self.now + self.minutes(0, 1), "System", "回收订单，无需支付")
			return
		channel = self.booking["source_channel"]
		method = "支付宝支付" if channel == "Alipay Mini Program" else "微信支付"
		self.step("Pending Dispatch", self.now + self.minutes(1, 6), "HS Customer", method)

	def assign(self, offered: bool = False):
		codes = [line["service_item"] for line in self.booking["items"]]
		tech = self.f.pick_technician(codes, self.address, self.start, self.duration, self.force_tech)
		self.technician = tech["key"]
		latest = self.start - timedelta(minutes=50)
		if offered:
			self.step(
				"Offered",
				min(self.now + self.minutes(1, 8), latest),
				"HS Dispatcher",
				"推送给附近符合技能的师傅",
			)
			self.step(
				"Assigned",
				min(self.now + self.minutes(2, 25), latest),
				"HS Technician",
				"师傅已接单",
				tech["key"],
			)
		else:
			note = f"派单给{tech['technician_name']}"
			self.step(
				"Assigned", min(self.now + self.minutes(3, 90), latest), "HS Dispatcher", note, tech["key"]
			)

	def travel(self, until: str):
		urgent = self.booking["is_immediate"]
		# a planned visit sets off to arrive in the window; an urgent one sets off as soon as it is taken
		depart = self.now + self.minutes(2, 8) if urgent else self.start - self.minutes(20, 45)
		eta = self.rng.randint(15, 40)
		self.step("On The Way", depart, "HS Technician", f"已出发，预计{eta}分钟到达")
		if until == "On The Way":
			return
		arrive = self.now + self.minutes(eta - 5, eta + 10) if urgent else self.start + self.minutes(-10, 25)
		self.step("Arrived", arrive, "HS Technician", "已到达服务地址")
		if until == "Arrived":
			return
		quoted = any(
			self.f.items[line["service_item"]]["pricing_model"] == "Quote After Inspection"
			for line in self.booking["items"]
		)
		note = (
			f"检测完成，维修报价{self.rng.choice((80, 120, 150, 180, 260, 350))}元，客户已确认"
			if quoted
			else "开始服务"
		)
		self.step("In Service", self.now + self.minutes(2, 10), "HS Technician", note)
		if until == "In Service":
			return
		finish = self.now + timedelta(minutes=int(self.duration * self.rng.uniform(0.9, 1.15)))
		self.step("Awaiting Confirmation", finish, "HS Technician", "服务完成，等待客户确认")

	def complete(self):
		if self.rng.random() < 0.8:
			self.step("Completed", self.now + self.minutes(5, 600), "HS Customer", "客户确认完成")
		else:
			self.step("Completed", self.now + timedelta(hours=24), "System", "超过24小时未确认，系统自动完成")

	def walk(self, target: str) -> list[list]:
		rng = self.rng
		walker = {
			"Pending Payment": lambda: None,
			"Pending Dispatch": self.pay,
			"Offered": self.walk_offered,
			"Assigned": lambda: (self.pay(), self.assign(offered=rng.random() < 0.25)),
			"On The Way": lambda: self.walk_service("On The Way"),
			"Arrived": lambda: self.walk_service("Arrived"),
			"In Service": lambda: self.walk_service("In Service"),
			"Awaiting Confirmation": lambda: self.walk_service("Awaiting Confirmation"),
			"Completed": self.walk_completed,
			"Cancelled": self.walk_cancelled,
			"Refunded": self.walk_refunded,
			"Exception": self.walk_exception,
		}[target]
		walker()
		return self.steps

	def walk_offered(self):
		self.pay()
		self.step("Offered", self.now + self.minutes(1, 10), "HS Dispatcher", "推送给附近符合技能的师傅")

	def walk_service(self, until: str):
		self.pay()
		self.assign(offered=self.rng.random() < 0.25)
		self.travel(until)

	def walk_completed(self):
		roll = self.rng.random()
		self.pay()
		if roll < 0.05:
			# the first technician dropped out and the booking was re-dispatched
			self.assign()
			self.step(
				"Pending Dispatch",
				self.now + self.minutes(10, 120),
				"HS Dispatcher",
				"师傅临时请假，重新派单",
			)
		self.assign(offered=roll > 0.75)
		self.travel("Awaiting Confirmation")
		if roll > 0.95:
			self.step(
				"In Service", self.now + self.minutes(10, 60), "HS Customer", "客户要求返工：阳台玻璃未擦干净"
			)
			self.step("Awaiting Confirmation", self.now + self.minutes(30, 60), "HS Technician", "返工完成")
		elif 0.92 < roll <= 0.95:
			self.step(
				"Exception",
				self.now + self.minutes(10, 120),
				"HS Customer Service",
				"客户反馈有划痕，客服介入核实",
			)
			self.step(
				"Completed",
				self.now + self.minutes(120, 1440),
				"HS Customer Service",
				"核实非服务造成，协商后关闭",
			)
			return
		self.complete()

	def walk_cancelled(self):
		roll = self.rng.random()
		if roll < 0.45 and not self.free:
			self.step("Cancelled", self.now + timedelta(minutes=15), "System", "超时未支付，系统自动取消")
			return
		self.pay()
		if roll > 0.8:
			self.assign()
		self.step(
			"Cancelled", self.now + self.minutes(10, 600), "HS Customer", self.rng.choice(CANCEL_REASONS)
		)

	def walk_refunded(self):
		roll = self.rng.random()
		if self.start > REFERENCE_NOW - timedelta(days=2):
			roll = 0  # a visit still ahead can only have been cancelled
		self.pay()
		if roll < 0.6:
			self.step(
				"Cancelled", self.now + self.minutes(10, 600), "HS Customer", self.rng.choice(CANCEL_REASONS)
			)
			self.step("Refunded", self.now + self.minutes(1, 30), "HS Finance", "取消订单，原路退回")
		elif roll < 0.85:
			self.assign()
			self.travel("Awaiting Confirmation")
			self.complete()
			self.step(
				"Refunded", self.now + self.minutes(600, 4000), "HS Finance", "服务不满意，协商全额退款"
			)
		else:
			self.assign()
			self.step(
				"Exception",
				self.start - self.minutes(60, 180),
				"HS Customer Service",
				EXCEPTION_REASONS["Assigned"],
			)
			self.step("Refunded", self.now + self.minutes(30, 300), "HS Finance", "无可用师傅，全额退款")

	def walk_exception(self):
		stage = self.rng.choice(tuple(EXCEPTION_REASONS))
		self.pay()
		self.assign()
		if stage != "Assigned":
			self.travel(stage)
		at = self.now + self.minutes(5, 40) if stage != "Assigned" else self.start - self.minutes(30, 120)
		role = "HS Technician" if stage in ("On The Way", "Arrived") else "HS Customer Service"
		self.step("Exception", at, role, EXCEPTION_REASONS[stage])
