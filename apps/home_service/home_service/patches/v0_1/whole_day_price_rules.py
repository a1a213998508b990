import frappe

from home_service.catalog.pricing import forget_price_rules


def execute():
	"""Price rules saved before HSPriceRule.normalise_period: a holiday, peak, distance or minimum rule
	kept the moment it was created in its hidden Start/End Time (microseconds apart); those times meant
	nothing to pricing and read as if the rule covered a few microseconds. Dated rules are whole days
	(their dates), night rules whole seconds."""
	for name in frappe.get_all("HS Price Rule", pluck="name"):
		rule = frappe.get_doc("HS Price Rule", name)
		before = (rule.start_time, rule.end_time, rule.from_date, rule.to_date)
		rule.normalise_period()
		if (rule.start_time, rule.end_time, rule.from_date, rule.to_date) != before:
			frappe.db.set_value(
				"HS Price Rule",
				name,
				{
					"start_time": rule.start_time,
					"end_time": rule.end_time,
					"from_date": rule.from_date,
					"to_date": rule.to_date,
				},
				update_modified=False,
			)
	forget_price_rules()
