"""The demo city's customers and their addresses."""

from home_service.demo.generator.common import CHANNELS, CUSTOMER_COUNT, People, point_in_area, weighted

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
AREA_SHARE = {"浦东新区": 35, "徐汇区": 18, "静安区": 15, "长宁区": 12, "闵行区": 20}

CUSTOMER_NOTES = (
	"老客户，偏好同一位阿姨",
	"家有宠物狗，上门前请先电话联系",
	"需要开具发票",
	"小区门禁较严，到了请打电话",
	"老人独居，服务时请耐心沟通",
	"工作日白天家中无人，优先约周末",
)


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
