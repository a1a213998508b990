"""The ledger's chart of accounts. Amounts are signed integer fen: debit positive, credit negative.

Liability accounts (what the platform owes) carry credit balances, so their balance is shown negated:
`owed(account, party)` is how much the platform owes that party.
"""


class Account:
	PROVIDER_CLEARING = "Provider Clearing"  # money held at WeChat Pay / Alipay (asset)
	OFFLINE_CLEARING = "Offline Clearing"  # cash, bank transfers and POS takings staff recorded (asset)
	CUSTOMER_PREPAID = "Customer Prepaid"  # paid for a booking not yet completed (liability)
	PLATFORM_REVENUE = "Platform Revenue"  # commission and kept cancellation fees (income)
	COUPON_SUBSIDY = "Coupon Subsidy"  # coupons and points the platform pays for (expense)
	TECHNICIAN_PENDING = "Technician Pending"  # earned, inside the settlement delay (liability)
	TECHNICIAN_AVAILABLE = "Technician Available"  # earned and withdrawable (liability)
	TECHNICIAN_PAYOUT = "Technician Payout Pending"  # withdrawal sent, not final yet (liability)
	RECYCLING_PAYOUT = "Recycling Payout"  # what recycling pickups cost the platform (expense)
	CUSTOMER_WALLET = "Customer Wallet"  # customer balance from recycling (liability)
	CUSTOMER_PAYOUT = "Customer Payout Pending"  # recycling money on its way by transfer (liability)
	SUSPENSE = "Suspense"  # money that arrived without a matching order, for review (liability)


LIABILITIES = frozenset(
	{
		Account.CUSTOMER_PREPAID,
		Account.TECHNICIAN_PENDING,
		Account.TECHNICIAN_AVAILABLE,
		Account.TECHNICIAN_PAYOUT,
		Account.CUSTOMER_WALLET,
		Account.CUSTOMER_PAYOUT,
		Account.SUSPENSE,
	}
)
