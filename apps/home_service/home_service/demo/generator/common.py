"""What every part of the demo generator shares: the reference time and seed, names and mobile numbers,
places on the map and the travel time between them (plain Python, no Frappe: see demo/generate.py)."""

import math
import random
from datetime import date, datetime, timedelta

SEED = 20261122
REFERENCE_NOW = datetime(2026, 11, 22, 10, 30)
REFERENCE_DATE = REFERENCE_NOW.date()
HISTORY_DAYS = 60
FUTURE_DAYS = 7
CUSTOMER_COUNT = 220
EARTH_RADIUS_KM = 6371.0088
DT_FORMAT = "%Y-%m-%d %H:%M:%S"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

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
# the Huangpu river is Pudong's western edge: keep its points on the east bank
AREA_CHECKS = {"浦东新区": lambda lat, lng: lng >= 121.505}

CHANNELS = (
	("WeChat Mini Program", 55),
	("Alipay Mini Program", 15),
	("H5", 10),
	("Referral", 10),
	("Offline", 5),
	("Other", 5),
)
# the scheduler's travel time between two jobs: distance at 25 km/h, never under 30 minutes
TRAVEL_SPEED_KMH = 25
TRAVEL_BUFFER = timedelta(minutes=30)


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
