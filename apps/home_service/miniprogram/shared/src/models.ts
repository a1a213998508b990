/**
 * What the API methods answer (the OpenAPI document types arguments only; answers are described
 * here, next to the server functions they mirror: api/auth.py, api/public.py, api/customer/*).
 * Amounts are yuan strings with two decimals ("88.00"): see money.ts.
 */
export type Yuan = string

export interface Paged<T> {
  items: T[]
  page: number
  page_size: number
  total: number
  has_more: boolean
}

export interface LoginAnswer {
  token: string
  expires_on: string
  header: string
  customer?: string
  technician?: string
}

export interface Me {
  user: string
  full_name: string
  roles: string[]
  customer: string | null
  technician: string | null
}

export interface Category {
  category: string
  icon: string | null
  description: string | null
  children: Category[]
}

export interface ItemCard {
  item: string
  item_name: string
  category: string
  image: string | null
  pricing_model: string
  price: Yuan
  price_type: 'from' | 'visit_fee' | 'payout'
  unit: string | null
  currency: 'CNY'
  /** on list pages (category, search): the published reviews' average (null without any) and count */
  rating?: number | null
  review_count?: number
}

export interface ItemSpec {
  spec: string
  price: Yuan
  duration_minutes: number
  is_default: boolean
}

export interface ItemDetail extends ItemCard {
  description: string | null
  min_quantity: number
  duration_minutes: number
  specs: ItemSpec[]
  reviews: { count?: number; average?: number | null; recent?: Array<Record<string, unknown>> } & Record<string, unknown>
}

export interface Address {
  address: string
  contact_name: string
  contact_phone: string
  tag: string | null
  is_default: boolean
  province: string | null
  city: string
  district: string | null
  detail_address: string
  address_display: string
  latitude: number | null
  longitude: number | null
  serviceable: boolean
}

export interface SlotWindow {
  start: string
  end: string
  available: boolean
  capacity: number
}

export interface SlotDay {
  date: string
  windows: SlotWindow[]
}

export interface Slots {
  address: string
  duration_minutes: number
  days: SlotDay[]
}

export interface QuoteCharge {
  charge_type: string
  description: string
  amount: Yuan
}

export interface Deduction {
  type?: string
  description?: string
  amount?: Yuan
  [key: string]: unknown
}

export interface Quote {
  charges: QuoteCharge[]
  items_total: Yuan
  surcharge_total: Yuan
  duration_minutes: number
  total_before_deductions: Yuan
  deductions: Deduction[]
  coupon: string | null
  discount_amount: Yuan
  points_used: number
  points_deduction: Yuan
  points_balance: number
  max_points: number
  grand_total: Yuan
  /** recycling: what the customer is paid, estimated from the quantity (weighed on site) */
  payout_estimate?: Yuan
  window_start: string
  come_now: boolean
  currency: 'CNY'
}

export interface RecyclingPayout {
  booking: string
  status: string | null
  amount: Yuan | null
  payout_method: 'Wallet' | 'Transfer' | null
  payout_status: string | null
  confirm_params: Record<string, string> | null
}

export interface BookingCreated {
  booking: string
  status: string
  grand_total: Yuan
  discount_amount: Yuan
  coupon: string | null
  points_used: number
  points_deduction: Yuan
  payment_deadline: string | null
  window_start: string
  window_end: string
  come_now: boolean
  replayed: boolean
}

export interface BookingItem {
  service_item: string
  item_name: string
  spec: string | null
  quantity: number
  unit: string | null
  amount: Yuan
}

/** workflow.shown_state: the label the site's workflow gives the status */
export interface ShownState {
  state?: string
  state_label?: string
  [key: string]: unknown
}

export interface BookingRow extends ShownState {
  booking: string
  status: string
  items: BookingItem[]
  window_start: string
  window_end: string | null
  come_now: boolean
  grand_total: Yuan
  extra_total: Yuan
  technician_name: string | null
  address_display: string
  payment_deadline: string | null
  created_on: string
}

export interface TimelineEvent extends ShownState {
  at: string
  event: string
  status: string
  note: string | null
  by: 'customer' | 'technician' | 'system' | 'staff'
}

export interface ExtraCharge {
  charge: string
  description: string
  amount: Yuan
  status: 'Proposed' | 'Approved' | 'Declined' | string
  photo: string | null
  proposed_on: string | null
  decided_on: string | null
}

export interface TechnicianCard {
  name: string
  avatar: string | null
  level: string | null
  rating: number
  rating_count: number
  completed_count: number
  phone: string | null
}

export interface BookingActions {
  can_pay: boolean
  can_cancel: boolean
  cancellation_fee_now: Yuan | null
  free_cancel_until: string | null
  can_reschedule: boolean
  can_decide_extra_charges: boolean
  can_confirm: boolean
  can_review: boolean
  can_complain: boolean
}

export interface BookingDetail extends ShownState {
  booking: string
  status: string
  created_on: string
  window_start: string
  window_end: string | null
  come_now: boolean
  duration_minutes: number
  address: { address: string | null; contact_name: string; contact_phone: string; address_display: string }
  note: string | null
  items: BookingItem[]
  charges: QuoteCharge[]
  extra_charges: ExtraCharge[]
  amounts: Record<
    | 'items_total'
    | 'surcharge_total'
    | 'discount_amount'
    | 'points_deduction'
    | 'grand_total'
    | 'extra_total'
    | 'paid_amount'
    | 'refunded_amount'
    | 'cancellation_fee',
    Yuan
  > & { currency: 'CNY' }
  payment_status: string
  payment_deadline: string | null
  cancel_reason: string | null
  technician: TechnicianCard | null
  timeline: TimelineEvent[]
  actions: BookingActions
}

export interface Cancelled {
  booking: string
  status: string
  cancellation_fee: Yuan
  refund_due: Yuan
}

export interface PayParams {
  payment: string
  out_trade_no: string
  /** WeChat Pay: what wx.requestPayment takes */
  appId?: string
  timeStamp?: string
  nonceStr?: string
  package?: string
  signType?: string
  paySign?: string
  /** Alipay: what my.tradePay takes */
  tradeNO?: string
  /** H5 (platform "h5"): the provider's cashier page the browser goes to */
  h5_url?: string
}

export interface MyCoupon {
  coupon: string
  template: string
  name: string
  status: string
  issued_on: string | null
  valid_from: string | null
  valid_to: string | null
  booking: string | null
  discount_amount: Yuan | null
  used_on: string | null
}

export interface ClaimableCoupon {
  template: string
  name: string
  description: string | null
  discount_type: string
  amount_off: Yuan | null
  percent_off: number | null
  max_discount: Yuan | null
  min_spend: Yuan
  valid_to: string | null
  remaining: number | null
  held: number
  can_claim: boolean
}

export interface PointsBalance {
  balance: number
  value: Yuan
  expiring_within_30_days: number
  yuan_per_100_points: Yuan
  max_redeem_percent: number
}

export interface PointsEntry {
  entry: string
  type: string
  points: number
  at: string
  expires_on: string | null
  booking: string | null
  note: string | null
}

export interface Profile {
  customer?: string
  customer_name?: string
  mobile_no?: string | null
  [key: string]: unknown
}

export interface InboxMessage {
  message: string
  title: string
  body: string | null
  booking: string | null
  is_read: boolean
  created_on: string
}

export interface WalletEntry {
  amount: Yuan
  posted_on: string
  source: 'recycling' | 'other'
  reference: string
  booking: string | null
}

/** Answer types by method; a method not listed answers `unknown`. */
export interface Results {
  'auth.sms_send_code': Record<string, unknown>
  'auth.sms_login': LoginAnswer
  'auth.wechat_login': LoginAnswer
  'auth.alipay_login': LoginAnswer
  'auth.logout': { logged_out: boolean }
  'auth.me': Me
  'public.categories': Category[]
  'public.category_items': Paged<ItemCard>
  'public.item_detail': ItemDetail
  'public.search': Paged<ItemCard>
  'customer.addresses.list_addresses': Paged<Address>
  'customer.addresses.add_address': Address
  'customer.addresses.edit_address': Address
  'customer.addresses.delete_address': { address: string; deleted: boolean }
  'customer.addresses.set_default_address': Address
  'customer.bookings.get_slots': Slots
  'customer.bookings.get_quote': Quote
  'customer.bookings.create_booking': BookingCreated
  'customer.bookings.list_bookings': Paged<BookingRow>
  'customer.bookings.get_booking': BookingDetail
  'customer.bookings.cancel_booking': Cancelled
  'customer.bookings.reschedule_booking': BookingDetail
  'customer.bookings.approve_extra_charge': { status: string; amount_due: Yuan }
  'customer.bookings.decline_extra_charge': { status: string; amount_due: Yuan }
  'customer.bookings.confirm_completion': { booking: string; status: string }
  'customer.payments.pay': PayParams
  'customer.payments.confirm': { booking: string; payment_status: string }
  'customer.payments.recycling_payout': RecyclingPayout
  'customer.marketing.list_my_coupons': Paged<MyCoupon>
  'customer.marketing.list_claimable_coupons': Paged<ClaimableCoupon>
  'customer.marketing.claim_coupon': MyCoupon
  'customer.marketing.points_balance': PointsBalance
  'customer.marketing.points_history': Paged<PointsEntry>
  'customer.profile.get_profile': Profile
  'customer.reviews.submit_review': { review: string; rating: number }
  'customer.inbox.list_messages': Paged<InboxMessage> & { unread_count: number }
  'customer.inbox.mark_read': { message: string; is_read: boolean; unread_count: number }
  'customer.inbox.mark_all_read': { unread_count: number }
  'customer.wallet.get_wallet': Paged<WalletEntry> & { balance: Yuan; currency: 'CNY' }
}
