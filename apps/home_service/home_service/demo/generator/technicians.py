"""The demo city's technicians: trades, working hours, service areas and their qualifications."""

import random
from datetime import date, datetime, time, timedelta

from home_service.demo.generator.common import (
	HISTORY_DAYS,
	REFERENCE_DATE,
	WEEKDAYS,
	People,
	fmt,
	id_number,
	point_in_area,
	weighted,
)

LEVELS = ("Junior", "Intermediate", "Senior", "Expert")
YEARS_BY_LEVEL = {"Junior": (1, 3), "Intermediate": (3, 6), "Senior": (6, 10), "Expert": (10, 18)}
ID_REGIONS = {
	"浦东新区": "310115",
	"徐汇区": "310104",
	"静安区": "310106",
	"长宁区": "310105",
	"闵行区": "310112",
}
MIGRANT_REGIONS = ("341221", "340102", "320321", "410523", "511321", "362430", "420117", "342401", "330523")
BIO_TRAITS = (
	"做事细致，客户好评率高",
	"准时守约，工具齐全",
	"持证上岗，擅长疑难问题排查",
	"沟通耐心，老客户回头率高",
	"动作麻利，注重细节",
)

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
