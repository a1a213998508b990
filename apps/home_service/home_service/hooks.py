app_name = "home_service"
app_title = "Home Service"
app_publisher = "Home Service contributors"
app_description = "On-demand home services (上门服务) on Frappe"
app_email = "dev@home-service.example"
app_license = "mit"
# frappe is implicit; listing it in required_apps makes v15 look it up on GitHub

export_python_type_annotations = True
require_type_annotated_api_methods = True  # enforced from Frappe v16 on; v15 validates hints anyway

# Installation ------------------------------------------------------------------------------
after_install = "home_service.install.after_install"
after_migrate = "home_service.install.after_migrate"
# Frappe code this app replaces (compat/__init__.py): installed in every process that serves a request,
# runs a job or runs the tests; the app's bench commands install it themselves
before_tests = ["home_service.compat.install", "home_service.tests.utils.before_tests"]
before_job = ["home_service.compat.install"]

# Records the app ships (each filtered by name, never a whole DocType)
fixtures = [
	{"dt": "Role", "filters": [["name", "like", "HS %"]]},
	{
		"dt": "Workflow State",
		"filters": [
			[
				"name",
				"in",
				[
					"Pending Payment",
					"Pending Dispatch",
					"Offered",
					"Assigned",
					"On The Way",
					"Arrived",
					"In Service",
					"Awaiting Confirmation",
					"Completed",
					"Cancelled",
					"Refunded",
					"Exception",
					"Submitted",
					"Under Review",
					"Approved",
					"Rejected",
					"Expired",
				],
			]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [
			[
				"name",
				"in",
				[
					"Arrive",
					"Assign",
					"Cancel",
					"Close as Completed",
					"Confirm Completion",
					"Depart",
					"Finish Service",
					"Mark Refunded",
					"Re-dispatch",
					"Release",
					"Reopen Service",
					"Report Exception",
					"Start Service",
					"Start Review",
					"Approve",
					"Reject",
				],
			]
		],
	},
	{"dt": "Workflow", "filters": [["name", "in", ["HS Booking Lifecycle", "HS Qualification Review"]]]},
	{
		"dt": "Notification",
		"filters": [
			[
				"name",
				"in",
				[
					"HS Booking Paid",
					"HS Technician Assigned",
					"HS Technician On The Way",
					"HS Booking Completed",
					"HS Refund Done",
					"HS New Offer",
					"HS Certificate Expiring",
					"HS SLA Breach",
				],
			]
		],
	},
]

# Login codes, their attempt counters and the per-number send limits (access/otp.py) survive
# frappe.clear_cache(), which deletes every other key of the site (migrate, an administrator's
# reload; before HSUser, every new User): a cleared limit would let a number be sent code after code
persistent_cache_keys = ["hs_otp*"]

# Desk -------------------------------------------------------------------------------------
app_include_css = "/assets/home_service/css/home_service.css"
app_include_js = [
	"/assets/home_service/js/home_service.js",
	"/assets/home_service/js/desk_pages.js",
	"/assets/home_service/js/desk_charts.js",
]
extend_bootinfo = [
	# the templates of stored texts (timeline notes, dispatch outcomes), which Desk shows translated
	"home_service.booking.stored_text.extend_bootinfo",
	# the app's pages the user may not open: Desk says "no permission", not "not found"
	"home_service.access.desk_pages.extend_bootinfo",
]
doctype_js = {}
doctype_list_js = {}

# Mini-program API: token authentication and one error shape --------------------------------
# the gate runs after the token: mini-program sessions reach only the methods named below (api/gate.py)
auth_hooks = ["home_service.access.tokens.authenticate_request", "home_service.api.gate.refuse_outside_api"]
# first: the client address every per-IP rate limit keys on (X-Forwarded-For from trusted proxies only)
before_request = [
	"home_service.compat.install",
	"home_service.access.client_ip.set_request_ip",
	"home_service.api.errors.limit_request_size",
]
# the webhooks answer a body Frappe could not read in their provider's words (api/notify.py)
after_request = ["home_service.api.errors.shape_api_errors", "home_service.api.notify.answer_unread_body"]

# All a mini-program session (X-HS-Token, Guest, a non-Desk user) may call: the whitelisted methods
# defined under these packages (an add-on app appends its own API package)...
hs_api_packages = ["home_service.api"]
# modules of those packages whose methods are payment providers' callbacks: they answer in the
# provider's protocol, not the app's error shape, and read the provider's body type (api/errors.py)
hs_api_webhooks = ["home_service.api.notify"]
# ...and these of Frappe's: the login page (log in, forgotten password and its reset page, the e-mail
# login link, the language picker), logging out, the public website's view counter (when tracking is
# on) and `ping`. A site that enables social or LDAP login adds that provider's method here.
hs_framework_methods = [
	"login",
	"logout",
	"web_logout",
	"ping",
	"frappe.core.doctype.user.user.reset_password",
	"frappe.core.doctype.user.user.update_password",
	"frappe.core.doctype.user.user.test_password_strength",
	"frappe.www.login.send_login_link",
	"frappe.www.login.login_via_key",
	"frappe.translate.get_all_languages",
	"frappe.website.doctype.web_page_view.web_page_view.make_view_log",
]

# Row-level security: one criterion per DocType feeds both hooks (see permissions/__init__.py)
permission_query_conditions = {
	"HS Booking": "home_service.permissions.booking_query",
	"HS Booking Event": "home_service.permissions.booking_event_query",
	"HS Customer": "home_service.permissions.customer_query",
	"HS Customer Address": "home_service.permissions.customer_address_query",
	"HS Technician": "home_service.permissions.technician_query",
	"HS Qualification": "home_service.permissions.qualification_query",
	"HS Technician Leave": "home_service.permissions.technician_leave_query",
	"HS Dispatch Offer": "home_service.permissions.dispatch_offer_query",
	"HS Appeal": "home_service.permissions.appeal_query",
	"HS Review": "home_service.permissions.review_query",
	"HS Complaint": "home_service.permissions.complaint_query",
	"HS Message": "home_service.permissions.message_query",
	"HS Coupon Template": "home_service.permissions.coupon_template_query",
	"HS Customer Coupon": "home_service.permissions.customer_coupon_query",
	"HS Points Entry": "home_service.permissions.points_entry_query",
	"HS Technician Penalty": "home_service.permissions.penalty_query",
}
has_permission = {
	"HS Booking": "home_service.permissions.has_row_permission",
	"HS Booking Event": "home_service.permissions.has_row_permission",
	"HS Customer": "home_service.permissions.has_row_permission",
	"HS Customer Address": "home_service.permissions.has_row_permission",
	"HS Technician": "home_service.permissions.has_row_permission",
	"HS Qualification": "home_service.permissions.has_row_permission",
	"HS Technician Leave": "home_service.permissions.has_row_permission",
	"HS Dispatch Offer": "home_service.permissions.has_row_permission",
	"HS Appeal": "home_service.permissions.has_row_permission",
	"HS Review": "home_service.permissions.has_row_permission",
	"HS Complaint": "home_service.permissions.has_row_permission",
	"HS Message": "home_service.permissions.has_row_permission",
	"HS Coupon Template": "home_service.permissions.has_row_permission",
	"HS Customer Coupon": "home_service.permissions.has_row_permission",
	"HS Points Entry": "home_service.permissions.has_row_permission",
	"HS Technician Penalty": "home_service.permissions.has_row_permission",
}

# Frappe labels a Group By chart with the stored values: ours are shown in the reader's language
override_whitelisted_methods = {
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "home_service.utils.chart_labels.get",
}

# Without an outgoing Email Account, Frappe's e-mails about HS documents are skipped with one Desk
# warning instead of an Error Log row each (notifications/frappe_email.py)
override_doctype_class = {
	"Notification": "home_service.notifications.frappe_email.HSNotification",
	"Notification Log": "home_service.notifications.frappe_email.HSNotificationLog",
	# Frappe's User without the tabDefaultValue writes that deadlock concurrent first logins
	"User": "home_service.access.user.HSUser",
}

# Side effects of booking steps that belong to other contexts (inbox messages, technician counters)
doc_events = {
	"HS Booking": {
		"on_update": [
			"home_service.notifications.events.on_booking_update",
			"home_service.dispatch.technician_stats.on_booking_update",
			"home_service.marketing.coupons.on_booking_update",
			"home_service.billing.earnings.on_booking_update",
			"home_service.dispatch.realtime.on_booking_update",
			# a booking that leaves Offered, by any path, has no offer left Pending
			"home_service.dispatch.withdraw_offers.on_booking_update",
		],
	},
	"HS Customer": {"after_insert": ["home_service.marketing.coupons.on_customer_insert"]},
	"HS Review": {"after_insert": ["home_service.marketing.points.on_review_insert"]},
	# a decided review or an expiry is told to the technician (workforce never imports notifications)
	"HS Qualification": {"on_update": ["home_service.notifications.certificates.on_qualification_update"]},
	# the penalty an appeal is about follows it: appealed, waived when upheld (billing posts)
	"HS Appeal": {"on_update": ["home_service.billing.penalties.on_appeal_update"]},
	"HS Dispatch Offer": {"after_insert": ["home_service.notifications.events.on_offer_insert"]},
	# Frappe's own Notification records about HS documents are logged in HS Notification Log too
	"Notification Log": {"after_insert": ["home_service.notifications.log_frappe_notification"]},
	"Email Queue": {"after_insert": ["home_service.notifications.log_frappe_notification"]},
	# an upload never takes over the stored file (and name) of another user's or document's File
	"File": {"before_insert": ["home_service.utils.uploads.keep_uploads_apart"]},
}

# Time-based work: idempotent jobs driven by database state ----------------------------------
# Frappe names each Scheduled Job Type after the method's last two parts ("jobs.expire_…"): they must
# differ across all apps, or one job silently replaces another (tests/test_scheduled_job_types.py)
scheduler_events = {
	"daily": [
		"home_service.marketing.jobs.expire_coupons_and_points",
		"home_service.billing.reconciliation.reconcile_day",
	],
	"hourly": ["home_service.billing.earnings.settle_due"],
	"cron": {
		"*/5 * * * *": [
			"home_service.quality.sla.escalate_breached",
			"home_service.notifications.events.send_visit_reminders",
		],
		"30 7 * * *": [
			"home_service.workforce.certificates.expire_certificates",
			"home_service.notifications.certificates.remind_expiring",
		],
		"* * * * *": [
			"home_service.notifications.retry_due",
			"home_service.booking.jobs.release_expired_holds",
			"home_service.dispatch.jobs.expire_offers_and_redrive",
			"home_service.billing.jobs.follow_up_payments_refunds_transfers",
			"home_service.billing.withdrawals.retry_payouts",
		],
	},
}

# Extension points: a plugin app appends to these lists and never patches core ----------------
hs_pricing_models = {
	"Fixed": "home_service.catalog.pricing_models.fixed",
	"Per Unit": "home_service.catalog.pricing_models.per_unit",
	"Quote After Inspection": "home_service.catalog.pricing_models.quote_after_inspection",
	"Recycling": "home_service.catalog.pricing_models.recycling",
}

hs_dispatch_strategies = {
	"Auto Assign": "home_service.dispatch.strategies.AutoAssign",
	"Broadcast": "home_service.dispatch.strategies.Broadcast",
	"Manual": "home_service.dispatch.strategies.Manual",
}

# SMS providers by the name HS Settings.sms_provider uses (see integrations/sms/__init__.py)
hs_sms_providers = {
	"Console": "home_service.integrations.sms.console.ConsoleSms",
	"Aliyun": "home_service.integrations.sms.aliyun.AliyunSms",
	"Tencent": "home_service.integrations.sms.tencent.TencentSms",
}

# Creating a booking (booking/service.py), in its transaction, each called with (booking doc, request):
# `request` holds what the caller asked (coupon, points) and what an earlier hook reserved. Before
# the insert marketing prices and locks the coupon and points; after it they point at the booking;
# once the technician's time is held, billing settles a booking with nothing left to pay.
hs_before_booking_insert = ["home_service.marketing.checkout.before_booking_insert"]
hs_after_booking_insert = ["home_service.marketing.checkout.after_booking_insert"]
hs_on_booking_created = ["home_service.billing.payments.on_booking_created"]

# Called with (booking doc, cancellation_fee: Decimal) inside the cancelling transaction, after the
# booking is Cancelled, whoever cancelled it (booking/cancellation.py): the billing module registers
# its refund here (paid_amount - fee, enqueued with enqueue_after_commit=True so the payment provider
# is called only once the cancel is committed); dispatch withdraws the offers still out; the
# technician who had the job is told.
hs_on_booking_cancelled = [
	"home_service.billing.refunds.on_booking_cancelled",
	"home_service.marketing.checkout.on_booking_cancelled",
	"home_service.dispatch.withdraw_offers.on_booking_cancelled",
	"home_service.notifications.inbox.on_booking_cancelled",
]

# Called with (booking doc, previous window start) inside the rescheduling transaction, after the
# booking moved (booking/policy.py): dispatch withdraws the offers made for the old window.
hs_on_booking_rescheduled = ["home_service.dispatch.withdraw_offers.on_booking_rescheduled"]

# Called with (booking doc) inside the transaction that marks the booking paid (billing/payments.py),
# after payment_status = Paid: marketing consumes the locked coupon and awards points here.
hs_on_booking_paid = ["home_service.marketing.checkout.on_booking_paid"]

# Called with (HS Refund doc) in the transaction that records a refund as Succeeded (billing/refunds.py)
hs_on_refund_succeeded = ["home_service.notifications.events.on_refund_succeeded"]

# Notification channels by the name HS Notification Log.channel uses (see notifications/channels.py)
hs_notification_channels = {
	"Inbox": "home_service.notifications.channels.InboxChannel",
	"System": "home_service.notifications.channels.SystemChannel",
	"SMS": "home_service.notifications.channels.SmsChannel",
	"WeChat": "home_service.notifications.channels.WeChatChannel",
}

# Payment providers by the name HS Payment.gateway uses (see billing/gateways/__init__.py)
hs_payment_gateways = {
	"WeChat Pay": "home_service.billing.gateways.wechatpay.WeChatPayGateway",
	"Alipay": "home_service.billing.gateways.alipay.AlipayGateway",
	"Offline": "home_service.billing.gateways.offline.OfflineGateway",
}

# Called with (gateway name, billing.gateways.base.Transfer) for verified payout notifications; each
# returns a billing.payments.Outcome for an out_bill_no it owns, None for any other
hs_on_transfer_notification = [
	"home_service.billing.withdrawals.on_transfer_notification",
	"home_service.billing.recycling_payouts.on_transfer_notification",
]
