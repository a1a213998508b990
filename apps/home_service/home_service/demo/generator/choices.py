"""What demo customers book and say: popular items, companions, quantities, notes, arrival windows."""

from datetime import timedelta

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
