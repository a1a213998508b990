"""Deterministic generator for the demo city's people and bookings (上海市).

Reads the hand-written fixtures/areas.json and fixtures/catalog.json at the bench root and writes
fixtures/technicians.json, customers.json, bookings.json and manifest.json next to them:

	python3 apps/home_service/home_service/demo/generate.py [--out DIR]
	bench --site home.localhost execute home_service.demo.generate.write_fixtures

Plain Python without Frappe, so it runs anywhere. A fixed seed and a fixed REFERENCE_NOW make the output
byte-identical on every run: all dates are written as seen on REFERENCE_NOW and the loader shifts them by
whole days, so a site loaded on any day shows the last 60 and the next 7 days of bookings.
"""

import argparse
import json
import math
import os
import random
from datetime import date, datetime, time, timedelta

SEED = 20261122
REFERENCE_NOW = datetime(2026, 11, 22, 10, 30)
REFERENCE_DATE = REFERENCE_NOW.date()
HISTORY_DAYS = 60
FUTURE_DAYS = 7
CUSTOMER_COUNT = 220
EARTH_RADIUS_KM = 6371.0088
DT_FORMAT = "%Y-%m-%d %H:%M:%S"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LEVELS = ("Junior", "Intermediate", "Senior", "Expert")
YEARS_BY_LEVEL = {"Junior": (1, 3), "Intermediate": (3, 6), "Senior": (6, 10), "Expert": (10, 18)}

# how many bookings end in each status (Completed is the bulk, as on a real platform)
STATUS_COUNTS = {
	"Completed": 300,
	"Cancelled": 45,
	"Refunded": 18,
	"Exception": 12,
	"Pending Payment": 14,
	"Pending Dispatch": 28,
	"Offered": 10,
	"Assigned": 45,
	"On The Way": 8,
	"Arrived": 5,
	"In Service": 10,
	"Awaiting Confirmation": 25,
}

# --- names, phones, streets ------------------------------------------------------------------------
SURNAMES = (
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
	"任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
MALE_GIVEN = (
	"伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 旭 宁 龙 林 阳 建华 建国 志强 海涛 "
	"永刚 晓东 国庆 文博 子豪 宇航 浩然 俊杰 志明 家豪 立新 卫东 春生 德明 金龙 振华 明轩 思远 天佑"
).split()
FEMALE_GIVEN = (
	"芳 娜 敏 静 秀英 丽 艳 娟 霞 秀兰 燕 玲 桂英 丹 萍 红 婷 雪 琳 晶 颖 慧 莉 倩 佳 雯 璐 欣怡 梓涵 诗琪 "
	"雨桐 思雨 晓燕 丽华 美玲 春梅 玉兰 海燕 佳怡 晓雯 文静 丽娟 雅琴 秀珍 凤英 梦瑶 一诺 可欣"
).split()
MOBILE_PREFIXES = (
	"130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 180 181 182 183 186 187 188 189"
).split()

STREETS = {
	"浦东新区": "张杨路 世纪大道 浦东南路 东方路 杨高中路 锦绣路 花木路 浦电路 源深路 崂山路 潍坊路 蓝村路 福山路 "
	"民生路 芳甸路 罗山路 成山路 高科西路 金桥路 碧云路 张江路 川沙路",
	"徐汇区": "漕溪北路 天钥桥路 肇嘉浜路 衡山路 宛平南路 零陵路 田林路 桂林路 宜山路 钦州路 虹梅路 龙华中路 "
	"斜土路 东安路 康健路 凯旋路 龙吴路",
	"静安区": "南京西路 延安中路 常德路 江宁路 西康路 胶州路 昌平路 新闸路 北京西路 大统路 共和新路 广中西路 "
	"平型关路 灵石路 延长中路 中华新路 洛川中路",
	"长宁区": "天山路 仙霞路 古北路 虹桥路 娄山关路 哈密路 遵义路 愚园路 长宁路 定西路 水城路 茅台路 安顺路 "
	"中山西路 威宁路 剑河路",
	"闵行区": "莘松路 沪闵路 七莘路 都市路 春申路 古美路 平吉路 顾戴路 虹梅南路 莲花南路 银都路 报春路 吴中路 "
	"航华路 龙茗路 七宝路",
}
# the Huangpu river is Pudong's western edge: keep its points on the east bank
AREA_CHECKS = {"浦东新区": lambda lat, lng: lng >= 121.505}
AREA_SHARE = {"浦东新区": 35, "徐汇区": 18, "静安区": 15, "长宁区": 12, "闵行区": 20}
ID_REGIONS = {
	"浦东新区": "310115",
	"徐汇区": "310104",
	"静安区": "310106",
	"长宁区": "310105",
	"闵行区": "310112",
}
MIGRANT_REGIONS = ("341221", "340102", "320321", "410523", "511321", "362430", "420117", "342401", "330523")

CHANNELS = (
	("WeChat Mini Program", 55),
	("Alipay Mini Program", 15),
	("H5", 10),
	("Referral", 10),
	("Offline", 5),
	("Other", 5),
)

CUSTOMER_NOTES = (
	"老客户，偏好同一位阿姨",
	"家有宠物狗，上门前请先电话联系",
	"需要开具发票",
	"小区门禁较严，到了请打电话",
	"老人独居，服务时请耐心沟通",
	"工作日白天家中无人，优先约周末",
)
BOOKING_NOTES = (
	"家里有猫，进出请随手关门",
	"请自带鞋套",
	"小区需要登记，到了打电话",
	"停车不方便，建议坐地铁",
	"上午家里有老人在",
	"到了先敲门，门铃坏了",
	"电梯维修中，需要爬楼梯到6楼",
)
ITEM_NOTES = {
	"AC-CLEAN-01": ("空调在主卧和次卧，需要梯子", "空调好几年没洗了，有异味", "开空调有霉味"),
	"AC-REPAIR-01": ("空调开机十分钟后不制冷，外机不转", "内机滴水", "遥控开不了机，显示E1"),
	"CLEAN-DEEP-01": ("新房刚装修完，水电已通", "墙面有涂料点，窗户有胶"),
	"KITCHEN-CLEAN-01": ("油烟机三年没洗了，比较脏", "吸力变小，有异响"),
	"FRIDGE-REPAIR-01": ("冷藏室不凉，冷冻正常", "冰箱后面一直有嗡嗡声"),
	"WASHER-REPAIR-01": ("滚筒不脱水，显示E21", "洗衣机排水很慢"),
	"HEATER-REPAIR-01": ("燃气热水器打不着火", "电热水器漏电保护跳闸"),
	"PLUMB-REPAIR-01": ("厨房水槽下面漏水", "卫生间角阀坏了关不住"),
	"PLUMB-UNCLOG-01": ("马桶堵了，冲不下去", "地漏返味，下水很慢"),
	"ELEC-REPAIR-01": ("一开热水器就跳闸", "客厅插座没电"),
	"RECYCLE-01": ("搬家清出来的纸箱，大概二三十斤", "一堆旧报纸和饮料瓶"),
	"BEAUTY-NAIL-01": ("想做裸色系", "带了参考图，到时给师傅看"),
	"MASSAGE-01": ("肩颈比较僵硬，力度可以重一点",),
}
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
BIO_TRAITS = (
	"做事细致，客户好评率高",
	"准时守约，工具齐全",
	"持证上岗，擅长疑难问题排查",
	"沟通耐心，老客户回头率高",
	"动作麻利，注重细节",
)

# --- technicians ----------------------------------------------------------------------------------
# archetypes: base skills, optional extra skills, share of women, working-hours pattern, approved count
ARCHETYPES = (
	{
		"name": "保洁",
		"skills": ["日常保洁", "深度保洁"],
		"extra": ["家电清洗"],
		"female": 0.9,
		"hours": "standard",
		"count": 12,
	},
	{
		"name": "家电清洗",
		"skills": ["家电清洗"],
		"extra": ["空调维修", "深度保洁"],
		"female": 0.2,
		"hours": "standard",
		"count": 6,
	},
	{
		"name": "空调",
		"skills": ["空调维修", "家电清洗"],
		"extra": ["家电维修"],
		"female": 0.0,
		"hours": "long",
		"count": 5,
	},
	{
		"name": "家电维修",
		"skills": ["家电维修"],
		"extra": ["空调维修"],
		"female": 0.0,
		"hours": "standard",
		"count": 4,
	},
	{
		"name": "水电",
		"skills": ["水电维修"],
		"extra": ["家具安装"],
		"female": 0.0,
		"hours": "long",
		"count": 5,
	},
	{
		"name": "安装",
		"skills": ["家具安装"],
		"extra": ["水电维修"],
		"female": 0.1,
		"hours": "standard",
		"count": 4,
	},
	{"name": "美甲", "skills": ["美甲美睫"], "extra": [], "female": 1.0, "hours": "beauty", "count": 4},
	{"name": "推拿", "skills": ["推拿按摩"], "extra": [], "female": 0.5, "hours": "evening", "count": 4},
	{"name": "回收", "skills": ["废品回收"], "extra": [], "female": 0.1, "hours": "everyday", "count": 3},
)
# applicants and problem cases, on top of the approved workforce
NOT_APPROVED = (
	("保洁", "Pending"),
	("保洁", "Pending"),
	("水电", "Pending"),
	("家电清洗", "Under Review"),
	("安装", "Under Review"),
	("保洁", "Rejected"),
	("家电维修", "Rejected"),
	("保洁", "Suspended"),
)
HOURS_PATTERNS = {
	"standard": (WEEKDAYS[:6], "08:00:00", "18:00:00"),
	"weekdays": (WEEKDAYS[:5], "09:00:00", "18:00:00"),
	"long": (WEEKDAYS, "08:00:00", "20:00:00"),
	"early": (WEEKDAYS[:6], "07:30:00", "16:30:00"),
	"rest_monday": (WEEKDAYS[1:], "08:00:00", "18:00:00"),
	"beauty": (WEEKDAYS[1:], "10:00:00", "21:00:00"),
	"evening": (WEEKDAYS, "13:00:00", "23:00:00"),
	"everyday": (WEEKDAYS, "08:00:00", "17:00:00"),
	"weekend": (("Wednesday", "Saturday", "Sunday"), "09:00:00", "17:00:00"),
}
# certificates a skill needs besides the ID card: (qualification_type, certificate_no prefix, valid years)
SKILL_CERTIFICATES = {
	"空调维修": ("Trade Certificate", "T", 6),  # 特种作业操作证（制冷与空调作业）: number is T + ID number
	"水电维修": ("Trade Certificate", "T", 6),  # 特种作业操作证（低压电工作业）
	"家电维修": ("Trade Certificate", "S0000", 4),  # 职业技能等级证书
	"美甲美睫": ("Trade Certificate", "S0000", 4),
	"推拿按摩": ("Trade Certificate", "Y0000", 4),  # 保健按摩师
}
HEALTH_CERT_SKILLS = ("日常保洁", "深度保洁", "美甲美睫", "推拿按摩")

# --- bookings -------------------------------------------------------------------------------------
POPULARITY = {
	"CLEAN-DAILY-01": 30,
	"CLEAN-DAILY-02": 12,
	"CLEAN-DAILY-03": 4,
	"CLEAN-DEEP-01": 6,
	"CLEAN-DEEP-02": 8,
	"CLEAN-DEEP-03": 5,
	"CLEAN-DEEP-04": 5,
	"CLEAN-DEEP-05": 4,
	"AC-CLEAN-01": 18,
	"AC-CLEAN-02": 3,
	"KITCHEN-CLEAN-01": 12,
	"KITCHEN-CLEAN-02": 3,
	"FRIDGE-CLEAN-01": 4,
	"WASHER-CLEAN-01": 7,
	"HEATER-CLEAN-01": 3,
	"AC-REPAIR-01": 7,
	"AC-FLUOR-01": 3,
	"AC-MOVE-01": 2,
	"FRIDGE-REPAIR-01": 3,
	"WASHER-REPAIR-01": 4,
	"HEATER-REPAIR-01": 3,
	"PLUMB-REPAIR-01": 6,
	"PLUMB-UNCLOG-01": 6,
	"ELEC-REPAIR-01": 3,
	"INSTALL-FURN-01": 5,
	"INSTALL-CURTAIN-01": 3,
	"INSTALL-TV-01": 2,
	"INSTALL-LIGHT-01": 4,
	"INSTALL-BATH-01": 3,
	"BEAUTY-NAIL-01": 8,
	"BEAUTY-NAIL-02": 2,
	"BEAUTY-LASH-01": 4,
	"MASSAGE-01": 7,
	"MASSAGE-02": 5,
	"MASSAGE-03": 3,
	"RECYCLE-01": 7,
	"RECYCLE-02": 3,
}
NIGHT_ITEMS = ("MASSAGE-01", "MASSAGE-02", "MASSAGE-03", "PLUMB-UNCLOG-01", "PLUMB-REPAIR-01")
# a second line that is often booked together with the first
COMPANIONS = {
	"AC-CLEAN-01": ("AC-CLEAN-01",),
	"KITCHEN-CLEAN-01": ("KITCHEN-CLEAN-02", "FRIDGE-CLEAN-01"),
	"CLEAN-DAILY-01": ("CLEAN-DEEP-02", "CLEAN-DEEP-05"),
	"CLEAN-DEEP-01": ("CLEAN-DEEP-02",),
	"WASHER-CLEAN-01": ("HEATER-CLEAN-01",),
	"BEAUTY-NAIL-01": ("BEAUTY-NAIL-02",),
	"INSTALL-FURN-01": ("INSTALL-CURTAIN-01", "INSTALL-TV-01"),
	"INSTALL-LIGHT-01": ("INSTALL-LIGHT-01",),
	"RECYCLE-01": ("RECYCLE-01", "RECYCLE-02"),
}
QUANTITIES = {
	"CLEAN-DAILY-01": (2, 2, 3, 3, 3, 4, 4, 5),
	"CLEAN-DAILY-03": (3, 3, 4, 5, 6),
	"INSTALL-CURTAIN-01": (2, 2.5, 3, 3.5, 4, 5, 6, 8),
}
QUANTITY_RANGES = {
	"CLEAN-DEEP-01": (55, 160),
	"CLEAN-DEEP-02": (10, 45),
	"RECYCLE-01": (10, 60),
	"RECYCLE-02": (5, 30),
}
SINGLE_UNIT = ("AC-FLUOR-01", "AC-MOVE-01", "AC-CLEAN-02", "CLEAN-DAILY-02", "CLEAN-DEEP-03", "CLEAN-DEEP-04")
# arrival windows as the booking page offers them (HS Settings: 2-hour windows from 08:00, the last
# ending at 20:00), with how popular each is; the visit itself must be over by 20:00 too
WINDOW_STARTS = (("08:00", 6), ("10:00", 9), ("12:00", 3), ("14:00", 9), ("16:00", 5), ("18:00", 3))
DAY_END = "20:00:00"
MIN_NOTICE = timedelta(hours=2)
UPCOMING = ("Pending Payment", "Pending Dispatch", "Offered", "Assigned")
# bookings whose technician stays booked: the scheduler refuses to double-book them
KEEPS_TECHNICIAN = ("Assigned", "On The Way", "Arrived", "In Service", "Awaiting Confirmation", "Exception")
# the scheduler's travel time between two jobs: distance at 25 km/h, never under 30 minutes
TRAVEL_SPEED_KMH = 25
TRAVEL_BUFFER = timedelta(minutes=30)


# --- small helpers --------------------------------------------------------------------------------
def fmt(moment: datetime) -> str:
	return moment.strftime(DT_FORMAT)


def weighted(rng: random.Random, pairs):
	"""One value from [(value, weight), ...]."""
	values, weights = zip(*pairs, strict=True)
	return rng.choices(values, weights=weights)[0]


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
	# same formula as home_service.utils.geo (which needs Frappe)
	p1, p2 = math.radians(lat1), math.radians(lat2)
	dp, dl = p2 - p1, math.radians(lng2 - lng1)
	a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
	return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def area_of(areas: list[dict], lat: float, lng: float) -> str | None:
	"""The area the server will give this point: among covering areas, the nearest centre wins."""
	covering = [
		(haversine_km(a["center_latitude"], a["center_longitude"], lat, lng), a["area_name"])
		for a in areas
		if haversine_km(a["center_latitude"], a["center_longitude"], lat, lng) <= a["radius_km"]
	]
	return min(covering)[1] if covering else None


def point_in_area(
	rng: random.Random, areas: list[dict], area: dict, spread: float = 0.85
) -> tuple[float, float]:
	"""A random point that the server will place in `area` (rejection sampling)."""
	check = AREA_CHECKS.get(area["area_name"], lambda lat, lng: True)
	while True:
		distance = area["radius_km"] * spread * math.sqrt(rng.random())
		bearing = rng.uniform(0, 2 * math.pi)
		lat = area["center_latitude"] + distance * math.cos(bearing) / 111.32
		lng = area["center_longitude"] + distance * math.sin(bearing) / (
			111.32 * math.cos(math.radians(area["center_latitude"]))
		)
		lat, lng = round(lat, 6), round(lng, 6)
		if area_of(areas, lat, lng) == area["area_name"] and check(lat, lng):
			return lat, lng


def works(tech: dict, start: datetime, end: datetime) -> bool:
	"""The whole visit lies inside one of the technician's working periods that day."""
	if start.date() != end.date():
		return False
	begin, finish = start.strftime("%H:%M:%S"), end.strftime("%H:%M:%S")
	weekday = WEEKDAYS[start.weekday()]
	return any(
		h["weekday"] == weekday and h["start_time"] <= begin and finish <= h["end_time"]
		for h in tech["working_hours"]
	)


def travel(a: tuple[float, float], b: tuple[float, float]) -> timedelta:
	return max(TRAVEL_BUFFER, timedelta(hours=haversine_km(*a, *b) / TRAVEL_SPEED_KMH))


class People:
	"""Unique names and mobile numbers across technicians and customers."""

	def __init__(self, rng: random.Random):
		self.rng = rng
		self.mobiles: set[str] = set()
		self.names: set[str] = set()

	def mobile(self) -> str:
		while True:
			number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
			if number not in self.mobiles:
				self.mobiles.add(number)
				return number

	def name(self, gender: str) -> str:
		given = MALE_GIVEN if gender == "Male" else FEMALE_GIVEN
		while True:
			# common surnames are much more frequent
			surname = SURNAMES[min(int(self.rng.expovariate(1 / 14)), len(SURNAMES) - 1)]
			name = surname + self.rng.choice(given)
			if name not in self.names:
				self.names.add(name)
				return name


def id_number(rng: random.Random, region: str, birthday: date, gender: str) -> str:
	"""A well-formed (fictitious) 18-digit resident ID number with its ISO 7064 check digit."""
	sequence = rng.randrange(0, 100) * 10 + (
		rng.choice((1, 3, 5, 7, 9)) if gender == "Male" else rng.choice((0, 2, 4, 6, 8))
	)
	body = f"{region}{birthday:%Y%m%d}{sequence:03d}"
	weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
	total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
	return body + "10X98765432"[total % 11]


# --- technicians ----------------------------------------------------------------------------------
def working_hours(rng: random.Random, pattern: str) -> list[dict]:
	# a few people deviate from their trade's usual hours
	if pattern == "standard" and rng.random() < 0.35:
		pattern = rng.choice(("weekdays", "long", "early", "weekend", "rest_monday", "rest_monday"))
	days, start, end = HOURS_PATTERNS[pattern]
	return [{"weekday": day, "start_time": start, "end_time": end} for day in days]


def make_qualifications(rng, tech: dict, id_no: str, region: str, expired: set[str]) -> list[dict]:
	joined = date.fromisoformat(tech["joined_on"])
	rows = []
	id_issue = joined - timedelta(days=rng.randint(400, 3000))
	rows.append(
		{
			"qualification_type": "ID Card",
			"certificate_no": id_no,
			"issue_date": id_issue.isoformat(),
			"expiry_date": (id_issue + timedelta(days=20 * 365 + 5)).isoformat(),
		}
	)
	skills = [row["skill"] for row in tech["skills"]]
	if any(skill in HEALTH_CERT_SKILLS for skill in skills):
		# 健康证 is valid for one year; an expired one is a realistic reason for a suspension
		age = rng.randint(400, 480) if "health" in expired else rng.randint(10, 330)
		issue = REFERENCE_DATE - timedelta(days=age)
		rows.append(
			{
				"qualification_type": "Health Certificate",
				"certificate_no": f"JKZ{issue:%Y}{region}{rng.randrange(10**6):06d}",
				"issue_date": issue.isoformat(),
				"expiry_date": (issue + timedelta(days=365)).isoformat(),
			}
		)
	for skill in skills:
		if skill not in SKILL_CERTIFICATES:
			continue
		kind, prefix, years = SKILL_CERTIFICATES[skill]
		number = prefix + id_no if prefix == "T" else f"{prefix}{region}{rng.randrange(10**8):08d}"
		valid_days = years * 365
		age = valid_days + rng.randint(20, 90) if "trade" in expired else rng.randint(100, valid_days - 120)
		issue = REFERENCE_DATE - timedelta(days=age)
		rows.append(
			{
				"qualification_type": kind,
				"skill": skill,
				"certificate_no": number,
				"issue_date": issue.isoformat(),
				"expiry_date": (issue + timedelta(days=valid_days)).isoformat(),
			}
		)
	return rows


def review_qualifications(rng, rows: list[dict], review_status: str, joined: date) -> None:
	"""Qualification review states that agree with the technician's own review status."""
	state = {"Pending": "Submitted", "Under Review": "Under Review"}.get(review_status, "Approved")
	for row in rows:
		row["review_state"] = state
		if state == "Approved":
			row["reviewed_by"] = "ops@demo.home"
			row["reviewed_on"] = fmt(datetime.combine(joined, time(10)) - timedelta(days=rng.randint(1, 4)))
	if review_status == "Rejected":
		rows[-1]["review_state"] = "Rejected"
		rows[-1]["rejection_reason"] = rng.choice(("证件照片模糊，请重新上传", "证书已过期，请上传有效证书"))


def make_technician(
	rng, people: People, areas: list[dict], archetype: dict, slot: int, review_status: str
) -> dict:
	gender = "Female" if rng.random() < archetype["female"] else "Male"
	level = weighted(rng, zip(LEVELS, (3, 4, 3, 1), strict=True)) if review_status == "Approved" else "Junior"
	skills = list(archetype["skills"])
	if archetype["extra"] and rng.random() < 0.4:
		skills.append(rng.choice(archetype["extra"]))
	area_names = [a["area_name"] for a in areas]
	# small teams cover two districts each, spread round-robin so every district is served
	primary = area_names[(slot * 2 if archetype["count"] <= 5 else slot) % len(area_names)]
	service_areas = [primary]
	if archetype["count"] <= 5 or rng.random() < 0.4:
		neighbour = area_names[(area_names.index(primary) + 1) % len(area_names)]
		service_areas.append(neighbour)
	home = point_in_area(rng, areas, next(a for a in areas if a["area_name"] == primary), spread=0.6)
	if review_status in ("Approved", "Suspended"):
		joined = REFERENCE_DATE - timedelta(days=rng.randint(HISTORY_DAYS + 30, 6 * 365))
	else:
		joined = REFERENCE_DATE - timedelta(days=rng.randint(1, 20))
	years_low, years_high = YEARS_BY_LEVEL[level]
	tech = {
		"technician_name": people.name(gender),
		"mobile_no": people.mobile(),
		"gender": gender,
		"level": level,
		"review_status": review_status,
		"status": "Online" if review_status == "Approved" and rng.random() < 0.55 else "Offline",
		"joined_on": joined.isoformat(),
		"skills": [
			{
				"skill": skill,
				"level": level if i == 0 else LEVELS[max(0, LEVELS.index(level) - 1)],
				"years_of_experience": rng.randint(years_low, years_high)
				if i == 0
				else rng.randint(1, years_high),
			}
			for i, skill in enumerate(skills)
		],
		"service_areas": [{"service_area": name} for name in service_areas],
		"working_hours": working_hours(rng, archetype["hours"]),
		"home_latitude": home[0],
		"home_longitude": home[1],
		"bio": f"从事{skills[0]}工作{rng.randint(years_low, years_high)}年，{rng.choice(BIO_TRAITS)}。",
	}
	if review_status == "Approved":
		tech["rating"] = round(rng.uniform(4.5, 5.0), 1)
		tech["rating_count"] = rng.randint(15, 80) * (LEVELS.index(level) + 1)
		# jobs done before the demo period; the loader adds the demo's completed bookings
		tech["completed_count"] = tech["rating_count"] + rng.randint(5, 60)
	region = ID_REGIONS[primary] if rng.random() < 0.25 else rng.choice(MIGRANT_REGIONS)
	birthday = date(rng.randint(1968, 2001), rng.randint(1, 12), rng.randint(1, 28))
	expired = set()
	if review_status == "Suspended":
		expired.add("health")
		tech["bio"] += "健康证已过期，暂停接单。"
	elif review_status == "Approved" and rng.random() < 0.08:
		expired.add(rng.choice(("health", "trade")))
	tech["qualifications"] = make_qualifications(
		rng, tech, id_number(rng, region, birthday, gender), region, expired
	)
	review_qualifications(rng, tech["qualifications"], review_status, joined)
	return tech


def make_technicians(rng, people: People, areas: list[dict]) -> list[dict]:
	by_name = {a["name"]: a for a in ARCHETYPES}
	techs = []
	for archetype in ARCHETYPES:
		for slot in range(archetype["count"]):
			techs.append(make_technician(rng, people, areas, archetype, slot, "Approved"))
	for i, (archetype_name, review_status) in enumerate(NOT_APPROVED):
		techs.append(make_technician(rng, people, areas, by_name[archetype_name], i, review_status))
	first = techs.pop(0)  # an approved cleaner with a full week leads the list: the demo technician login
	first["working_hours"] = working_hours(rng, "long")
	first["status"] = "Online"
	rng.shuffle(techs)
	techs.insert(0, first)
	for i, tech in enumerate(techs, start=1):
		tech["key"] = f"T{i:03d}"
	return [{"key": t.pop("key"), **t} for t in techs]


# --- customers ------------------------------------------------------------------------------------
def detail_address(rng, district: str, tag: str) -> str:
	road = rng.choice(STREETS[district].split())
	if tag == "Company":
		return f"{road}{rng.randint(1, 1800)}号{rng.randint(2, 32)}楼{rng.randint(1, 20):02d}室"
	floor = rng.randint(1, 18)
	return f"{road}{rng.randint(1, 1600)}弄{rng.randint(1, 40)}号{floor}{rng.randint(1, 4):02d}室"


def make_address(rng, people, areas, customer: dict, tag: str, area_name: str) -> dict:
	area = next(a for a in areas if a["area_name"] == area_name)
	lat, lng = point_in_area(rng, areas, area)
	contact_name, contact_phone = customer["customer_name"], customer["mobile_no"]
	if tag == "Parents":
		contact_name = customer["customer_name"][0] + rng.choice(("阿姨", "叔叔", "老先生", "老太太"))
		contact_phone = people.mobile()
	return {
		"tag": tag,
		"city": "上海市",
		"district": area_name,
		"detail_address": detail_address(rng, area_name, tag),
		"contact_name": contact_name,
		"contact_phone": contact_phone,
		"latitude": lat,
		"longitude": lng,
	}


def make_customers(rng, people: People, areas: list[dict]) -> list[dict]:
	area_pairs = [(a["area_name"], AREA_SHARE.get(a["area_name"], 10)) for a in areas]
	customers = []
	for i in range(1, CUSTOMER_COUNT + 1):
		gender = "Female" if rng.random() < 0.62 else "Male"  # most bookings are made by women
		customer = {
			"key": f"C{i:04d}",
			"customer_name": people.name(gender),
			"mobile_no": people.mobile(),
			"gender": gender,
			"acquisition_channel": weighted(rng, CHANNELS),
			"status": "Active",
		}
		if rng.random() < 0.08:
			customer["notes"] = rng.choice(CUSTOMER_NOTES)
		home_area = weighted(rng, area_pairs)
		addresses = [make_address(rng, people, areas, customer, "Home", home_area)]
		if i == 1 or rng.random() < 0.4:
			tag = weighted(rng, (("Parents", 5), ("Company", 3), ("Other", 1)))
			addresses.append(make_address(rng, people, areas, customer, tag, weighted(rng, area_pairs)))
		for n, address in enumerate(addresses, start=1):
			address["key"] = f"{customer['key']}-A{n}"
		customer["addresses"] = [{"key": a.pop("key"), **a} for a in addresses]
		customers.append(customer)
	# a few accounts were frozen or blacklisted after their bookings (the loader applies it last)
	for key, status in (("C0057", "Frozen"), ("C0133", "Frozen"), ("C0188", "Blacklisted")):
		customer = next(c for c in customers if c["key"] == key)
		customer["status"] = status
		customer["notes"] = "多次爽约，已冻结下单" if status == "Frozen" else "恶意投诉并辱骂师傅，已拉黑"
	return customers


# --- bookings -------------------------------------------------------------------------------------
class BookingFactory:
	"""Builds bookings one by one, keeping technicians' days free of double bookings."""

	def __init__(self, rng, catalog: dict, techs: list[dict], customers: list[dict]):
		self.rng = rng
		self.items = {item["item_code"]: item for item in catalog["items"]}
		self.techs = [t for t in techs if t["review_status"] == "Approved"]
		self.customers = customers
		self.active_customers = [c for c in customers if c["status"] == "Active"]
		self.customer_weights = {c["key"]: min(rng.paretovariate(1.3), 12) for c in customers}
		self.customer_weights["C0001"] = 4  # the demo customer login has a history
		self.calendar: dict[tuple[str, date], list[tuple[datetime, datetime, float, float]]] = {}
		# the scheduler only holds technicians whose approved certificates outlast the booking
		horizon = (REFERENCE_DATE + timedelta(days=FUTURE_DAYS + 1)).isoformat()
		self.certified = {
			t["key"]
			for t in self.techs
			if all(q["expiry_date"] > horizon for q in t["qualifications"] if q["review_state"] == "Approved")
		}

	# which items can be served at an address: a technician with the skill covers its district
	def served_items(self, area: str, night: bool) -> list[str]:
		codes = [code for code in POPULARITY if not night or code in NIGHT_ITEMS]
		return [code for code in codes if self.candidates([code], area)]

	def candidates(self, codes: list[str], area: str) -> list[dict]:
		needed = {self.items[code]["required_skill"] for code in codes}
		return [
			t
			for t in self.techs
			if needed <= {row["skill"] for row in t["skills"]}
			and area in [row["service_area"] for row in t["service_areas"]]
		]

	def pick_customer(self, status: str, force: str | None, tech: dict | None = None) -> dict:
		if force:
			return next(c for c in self.customers if c["key"] == force)
		# frozen or blacklisted customers only have history, nothing open
		pool = self.customers if status in ("Completed", "Cancelled", "Refunded") else self.active_customers
		if tech:
			covered = [row["service_area"] for row in tech["service_areas"]]
			pool = [c for c in pool if any(a["district"] in covered for a in c["addresses"])]
		return self.rng.choices(pool, weights=[self.customer_weights[c["key"]] for c in pool])[0]

	def pick_lines(self, area: str, night: bool, paid: bool, tech: dict | None) -> list[dict]:
		codes = self.served_items(area, night)
		if tech:
			skills = {row["skill"] for row in tech["skills"]}
			codes = [c for c in codes if self.items[c]["required_skill"] in skills]
		if paid:
			# recycling costs the customer nothing, so it cannot be paid for, refunded or left unpaid
			codes = [c for c in codes if self.items[c]["pricing_model"] != "Recycling"]
		first = self.rng.choices(codes, weights=[POPULARITY[c] for c in codes])[0]
		lines = [self.line(first)]
		companions = [c for c in COMPANIONS.get(first, ()) if c in codes or c == first]
		if companions and self.rng.random() < 0.18:
			second = self.line(self.rng.choice(companions), avoid_spec=lines[0].get("spec"))
			if second and (second["service_item"], second.get("spec")) != (first, lines[0].get("spec")):
				lines.append(second)
		return lines

	def line(self, code: str, avoid_spec: str | None = None) -> dict | None:
		item = self.items[code]
		row = {"service_item": code}
		specs = [s for s in item.get("specs", []) if s["spec_name"] != avoid_spec]
		if item.get("specs") and not specs:
			return None
		if specs:
			# the default (most popular) specification first, the others less often
			weights = [4 if s.get("is_default") else 2 for s in specs]
			row["spec"] = self.rng.choices(specs, weights=weights)[0]["spec_name"]
		row["quantity"] = self.quantity(item, row.get("spec"))
		return row

	def quantity(self, item: dict, spec: str | None):
		code = item["item_code"]
		if code in QUANTITIES:
			return self.rng.choice(QUANTITIES[code])
		if code in QUANTITY_RANGES:
			return self.rng.randint(*QUANTITY_RANGES[code])
		if item["pricing_model"] == "Quote After Inspection" or code in SINGLE_UNIT:
			return 1
		if spec == "筒灯/射灯":
			# one or two spotlights fall under the installation minimum charge
			return weighted(self.rng, ((1, 3), (2, 3), (4, 2), (6, 2), (8, 1)))
		if code == "AC-CLEAN-01" and spec and spec.startswith("挂机"):
			return weighted(self.rng, ((1, 60), (2, 25), (3, 15)))
		return 1 if self.rng.random() < 0.9 else 2

	def duration(self, lines: list[dict]) -> int:
		total = 0
		for line in lines:
			item = self.items[line["service_item"]]
			spec = next((s for s in item.get("specs", []) if s["spec_name"] == line.get("spec")), None)
			minutes = (spec or {}).get("duration_minutes") or item["duration_minutes"]
			if item["pricing_model"] in ("Quote After Inspection", "Recycling"):
				total += item["duration_minutes"]
			else:
				total += math.ceil(minutes * float(line["quantity"]))
		return total

	def pick_technician(
		self, codes: list[str], address: dict, start: datetime, minutes: int, force: str | None
	):
		where = (address["latitude"], address["longitude"])
		forced = self.tech_by_key(force)
		if forced and self.fit(forced, start, minutes, where) < 4:  # the demo login, unless double booked
			tech = forced
		else:
			pool = self.candidates(codes, address["district"])
			scored = sorted((self.fit(t, start, minutes, where), self.rng.random(), t["key"]) for t in pool)
			best = [key for score, _, key in scored if score == scored[0][0]]
			weights = [2 if key == "T001" else 1 for key in best]
			tech = self.tech_by_key(self.rng.choices(best, weights=weights)[0])
		self.calendar.setdefault((tech["key"], start.date()), []).append(
			(start, start + timedelta(minutes=minutes), *where)
		)
		return tech

	def fit(self, tech: dict, start: datetime, minutes: int, where: tuple[float, float]) -> int:
		"""0 is a perfect fit; each problem (double booked, off duty, busy day) adds to the score."""
		end = start + timedelta(minutes=minutes)
		day = self.calendar.get((tech["key"], start.date()), [])
		clash = any(
			start < e + travel(where, (lat, lng)) and s < end + travel(where, (lat, lng))
			for s, e, lat, lng in day
		)
		return 4 * clash + 2 * (not works(tech, start, end)) + (len(day) >= 5)

	def someone_free(self, codes: list[str], address: dict, start: datetime, minutes: int) -> bool:
		where = (address["latitude"], address["longitude"])
		return any(
			self.fit(t, start, minutes, where) < 4 for t in self.candidates(codes, address["district"])
		)

	def holdable(self, codes: list[str], address: dict, start: datetime, minutes: int) -> list[dict]:
		"""Certified technicians on duty and free then: whom the scheduler could hold for a new booking."""
		where, end = (address["latitude"], address["longitude"]), start + timedelta(minutes=minutes)
		return [
			t
			for t in self.candidates(codes, address["district"])
			if t["key"] in self.certified and works(t, start, end) and self.fit(t, start, minutes, where) < 4
		]

	def hold(self, codes: list[str], address: dict, start: datetime, minutes: int) -> None:
		"""Reserve the nearest free technician, as the scheduler does for a booking awaiting dispatch."""
		where = (address["latitude"], address["longitude"])
		free = self.holdable(codes, address, start, minutes)
		if free:
			tech = min(free, key=lambda t: haversine_km(t["home_latitude"], t["home_longitude"], *where))
			self.calendar.setdefault((tech["key"], start.date()), []).append(
				(start, start + timedelta(minutes=minutes), *where)
			)

	def coverable(self, codes: list[str], area: str, start: datetime, minutes: int) -> bool:
		"""Someone certified works this window on every weekday (the loader moves dates to today)."""
		pool = [t for t in self.candidates(codes, area) if t["key"] in self.certified]
		for offset in range(7):
			day_start = start + timedelta(days=offset)
			if not any(works(t, day_start, day_start + timedelta(minutes=minutes)) for t in pool):
				return False
		return True

	def day(self, status: str) -> date:
		"""Which day the visit is for, by target status (open states lie ahead, closed ones behind)."""
		rng, today = self.rng, REFERENCE_DATE
		if status in ("On The Way", "Arrived", "In Service"):
			return today
		if status in ("Pending Payment", "Pending Dispatch", "Offered", "Assigned"):
			return today + timedelta(days=rng.randint(0, 3 if status == "Offered" else FUTURE_DAYS))
		if status == "Awaiting Confirmation":
			return today - timedelta(days=rng.choice((1, 1, 2, 3)))
		if status == "Exception":
			return today - timedelta(days=rng.randint(1, 7))
		if status in ("Cancelled", "Refunded"):
			return today + timedelta(days=rng.randint(-HISTORY_DAYS, 3))
		# business grows: recent weeks are busier than two months ago, weekends busier than weekdays
		offsets = list(range(-HISTORY_DAYS, 0))
		weights = [
			(1 + 0.6 * (HISTORY_DAYS + d) / HISTORY_DAYS)
			* (1.3 if (today + timedelta(d)).weekday() >= 5 else 1)
			for d in offsets
		]
		return today + timedelta(days=rng.choices(offsets, weights=weights)[0])

	def window(self, status: str, day: date, minutes: int, codes: list[str], area: str) -> datetime | None:
		"""A window start the booking page would have offered, or None if these services do not fit."""
		if status in ("On The Way", "Arrived"):
			return datetime.combine(day, time(10))
		if status == "In Service":
			return datetime.combine(day, time(self.rng.choice((8, 10))))
		options = []
		for clock, weight in WINDOW_STARTS:
			start = datetime.combine(day, time.fromisoformat(clock))
			if (start + timedelta(minutes=minutes)).strftime("%H:%M:%S") > DAY_END or start.date() != (
				start + timedelta(minutes=minutes)
			).date():
				continue
			if status in UPCOMING and start < REFERENCE_NOW + MIN_NOTICE:
				continue  # nobody has set off yet, so the visit is still ahead
			if start > REFERENCE_NOW and not self.coverable(codes, area, start, minutes):
				continue  # capacity must be holdable for it when it is loaded
			options.append((start, weight))
		return weighted(self.rng, options) if options else None

	def urgent_start(self, day: date, night: bool) -> datetime:
		"""An immediate request ("尽快上门") starts its window the minute it is made."""
		hour = self.rng.choice((21, 22, 23)) if night else self.rng.randint(8, 19)
		return datetime.combine(day, time(hour, self.rng.randrange(60)))

	def booked_at(self, status: str, start: datetime, immediate: bool) -> datetime:
		rng = self.rng
		if status == "Pending Payment":
			return REFERENCE_NOW - timedelta(minutes=rng.randint(1, 13), seconds=rng.randint(0, 59))
		if immediate:
			return start + timedelta(seconds=rng.randint(0, 59))
		lead = weighted(
			rng,
			(
				(timedelta(minutes=rng.randint(120, 720)), 3),
				(timedelta(minutes=rng.randint(720, 2880)), 5),
				(timedelta(minutes=rng.randint(2880, 8640)), 2),
			),
		)
		created = start - lead
		if created > REFERENCE_NOW - timedelta(minutes=5):
			created = REFERENCE_NOW - timedelta(minutes=rng.randint(5, 600))
		return created.replace(second=rng.randint(0, 59))

	def build(self, status: str, force_customer: str | None = None, force_tech: str | None = None) -> dict:
		rng = self.rng
		tech = self.tech_by_key(force_tech)
		customer = self.pick_customer(status, force_customer, tech)
		addresses = customer["addresses"]
		if tech:
			covered = [row["service_area"] for row in tech["service_areas"]]
			addresses = [a for a in addresses if a["district"] in covered]
		address = addresses[0] if len(addresses) == 1 or rng.random() < 0.7 else rng.choice(addresses)
		day = self.day(status)
		# urgent requests only in the history; at night they are the only way to get a visit
		immediate = (
			day < REFERENCE_DATE and status in ("Completed", "Cancelled", "Exception") and rng.random() < 0.08
		)
		night = immediate and rng.random() < 0.4
		paid_only = status in ("Pending Payment", "Refunded")
		for _ in range(100):
			lines = self.pick_lines(address["district"], night, paid_only, tech)
			minutes = self.duration(lines)
			codes = [line["service_item"] for line in lines]
			start = (
				self.urgent_start(day, night)
				if immediate
				else self.window(status, day, minutes, codes, address["district"])
			)
			if not start:
				continue
			if status in KEEPS_TECHNICIAN and not self.someone_free(codes, address, start, minutes):
				continue
			if start > REFERENCE_NOW and not self.holdable(codes, address, start, minutes):
				continue
			break
		else:
			raise RuntimeError(f"no bookable window for a {status} booking in {address['district']}")
		created = self.booked_at(status, start, immediate)
		free = all(self.items[line["service_item"]]["pricing_model"] == "Recycling" for line in lines)
		booking = {
			"customer": customer["key"],
			"address": address["key"],
			"source_channel": customer["acquisition_channel"]
			if rng.random() < 0.7
			else weighted(rng, CHANNELS),
			"items": lines,
			"window_start": fmt(start),
			"is_immediate": int(immediate),
			"created": fmt(created),
			"status": status,
		}
		note = self.note(lines)
		if note:
			booking["customer_note"] = note
		timeline = Timeline(self, booking, created, start, minutes, free, address, force_tech)
		booking["steps"] = timeline.walk(status)
		if status in ("Pending Payment", "Pending Dispatch", "Offered"):
			self.hold(codes, address, start, minutes)
		if timeline.technician:
			booking["technician"] = timeline.technician
		return booking

	def tech_by_key(self, key: str | None) -> dict | None:
		return next((t for t in self.techs if t["key"] == key), None) if key else None

	def note(self, lines: list[dict]) -> str | None:
		specific = ITEM_NOTES.get(lines[0]["service_item"])
		roll = self.rng.random()
		if specific and roll < 0.45:
			return self.rng.choice(specific)
		if roll < 0.2:
			return self.rng.choice(BOOKING_NOTES)
		return None


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


def demo_slots(statuses: list[str]) -> dict[int, dict]:
	"""Bookings reserved for the demo logins: the customer sees every stage, the technician has work today."""
	forced: dict[int, dict] = {}
	for status, count in (
		("Completed", 4),
		("Awaiting Confirmation", 1),
		("Assigned", 1),
		("Pending Dispatch", 1),
		("Cancelled", 1),
		("Refunded", 1),
	):
		indexes = [i for i, s in enumerate(statuses) if s == status][:count]
		for i in indexes:
			forced[i] = {"force_customer": "C0001"}
	for status, count in (("In Service", 1), ("Assigned", 3), ("Completed", 8), ("Awaiting Confirmation", 1)):
		indexes = [i for i, s in enumerate(statuses) if s == status and i not in forced][-count:]
		for i in indexes:
			forced[i] = {"force_tech": "T001"}
	return forced


def make_bookings(rng, catalog, techs, customers) -> list[dict]:
	factory = BookingFactory(rng, catalog, techs, customers)
	statuses = [status for status, count in STATUS_COUNTS.items() for _ in range(count)]
	rng.shuffle(statuses)
	forced = demo_slots(statuses)
	# the demo technician's bookings first, so the calendar has room for them
	order = sorted(range(len(statuses)), key=lambda i: "force_tech" not in forced.get(i, {}))
	bookings = [None] * len(statuses)
	for i in order:
		bookings[i] = factory.build(statuses[i], **forced.get(i, {}))
	bookings.sort(key=lambda b: b["created"])
	for n, booking in enumerate(bookings, start=1):
		booking["key"] = f"BK{n:04d}"
	return [{"key": b.pop("key"), **b} for b in bookings]


# --- output ---------------------------------------------------------------------------------------
def default_fixtures_path() -> str:
	# apps/home_service/home_service/demo/generate.py -> the bench root
	return os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4, "fixtures"))


def dump_rows(path: str, rows: list[dict]) -> None:
	"""Compact JSON, one record per line: small files and readable diffs."""
	with open(path, "w", encoding="utf-8") as f:
		f.write("[\n")
		f.write(",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows))
		f.write("\n]\n")


def generate(path: str | None = None) -> dict:
	path = path or default_fixtures_path()
	with open(os.path.join(path, "areas.json"), encoding="utf-8") as f:
		areas = json.load(f)
	with open(os.path.join(path, "catalog.json"), encoding="utf-8") as f:
		catalog = json.load(f)
	rng = random.Random(SEED)
	people = People(rng)
	techs = make_technicians(rng, people, areas)
	customers = make_customers(rng, people, areas)
	bookings = make_bookings(rng, catalog, techs, customers)
	return {"technicians": techs, "customers": customers, "bookings": bookings}


def write_fixtures(path: str | None = None) -> None:
	path = path or default_fixtures_path()
	data = generate(path)
	for name, rows in data.items():
		dump_rows(os.path.join(path, f"{name}.json"), rows)
	statuses: dict[str, int] = {}
	for booking in data["bookings"]:
		statuses[booking["status"]] = statuses.get(booking["status"], 0) + 1
	manifest = {
		"reference_now": fmt(REFERENCE_NOW),
		"seed": SEED,
		"generator": "apps/home_service/home_service/demo/generate.py",
		"counts": {name: len(rows) for name, rows in data.items()},
		"booking_statuses": statuses,
	}
	with open(os.path.join(path, "manifest.json"), "w", encoding="utf-8") as f:
		json.dump(manifest, f, ensure_ascii=False, indent="\t")
		f.write("\n")
	print(f"wrote {path}: " + ", ".join(f"{n} {name}" for name, n in manifest["counts"].items()))


if __name__ == "__main__":
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--out", help="fixtures folder (default: <bench>/fixtures)")
	write_fixtures(parser.parse_args().out)
