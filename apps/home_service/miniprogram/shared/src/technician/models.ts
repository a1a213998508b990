/**
 * What the technician API methods answer (api/technician/*.py), typed next to the server functions
 * they mirror; `techApi` gives the shared client these answer types. Amounts are yuan strings.
 */
import type { ApiClient, CallOptions, GetMethod, PostMethod, QueryOf, BodyOf } from '../client'
import type { Paged, Yuan } from '../models'

/** shapes.py summaries: no customer name, phone or street before the job is mine */
export interface JobSummary {
  booking: string
  status: string
  state?: string
  state_label?: string
  items: Array<{ item_name: string; spec: string | null; quantity: number; unit: string | null }>
  window_start: string | null
  window_end: string | null
  is_immediate: boolean
  duration_minutes: number | null
  city: string | null
  district: string | null
  distance_km: number | null
  price: Yuan
  extra_total: Yuan
  currency: 'CNY'
}

export interface Offer extends JobSummary {
  offer: string
  offered_on: string
  expires_on: string
  /** offered to several technicians at once (the grab pool): the first to accept gets it */
  broadcast: boolean
}

export interface JobExtraCharge {
  name: string
  description: string
  amount: Yuan
  status: 'Proposed' | 'Approved' | 'Declined' | string
}

export interface JobDetail extends JobSummary {
  customer_note: string | null
  contact: { name: string | null; phone: string | null }
  address: { display: string | null; latitude: number | null; longitude: number | null }
  extra_charges: JobExtraCharge[]
  photos: Array<{ file_url: string; stage: string; caption: string | null }>
  timeline: Array<{ status: string; state?: string; state_label?: string; at: string; by: string; note: string | null }>
  next_actions: string[]
  /** a recycling pickup: weighed on site (record_recycling) */
  is_recycling: boolean
}

export interface Presence {
  technician: string
  status: 'Online' | 'Offline' | 'Busy' | string
  latitude: number | null
  longitude: number | null
  location_updated_on: string | null
}

export interface Qualification {
  name: string
  qualification_type: string
  certificate_no: string
  skill: string | null
  issue_date: string | null
  expiry_date: string | null
  has_file: boolean
  review_state: string
  rejection_reason: string | null
}

export interface ApplicationStatus {
  technician: string
  technician_name: string
  review_status: 'Pending' | 'Under Review' | 'Approved' | 'Rejected' | 'Suspended' | string
  qualifications: Qualification[]
}

export interface TechProfile {
  technician: string
  technician_name: string
  review_status: string
  status: string
  bio: string | null
  avatar: string | null
  mobile_no: string | null
  level: string | null
  rating: number | null
  rating_count: number
  completed_count: number
  acceptance_rate: number | null
  skills: Array<{ skill: string; level: string | null; years_of_experience: number | null }>
  service_areas: Array<{ service_area: string; area_name: string | null; district: string | null }>
  change_request_pending: boolean
}

export interface Leave {
  name: string
  leave_type: string
  status: string
  from_datetime: string
  to_datetime: string
  reason: string | null
}

export interface WorkingHour {
  weekday: string
  start_time: string
  end_time: string
}

export interface Earnings {
  technician: string
  currency: 'CNY'
  balances: Record<'pending' | 'available' | 'in_payout' | 'total_earned', Yuan> & Record<string, Yuan>
  this_month: MonthEarnings
  last_month: MonthEarnings
  /** shown before a withdrawal */
  rules: { withdrawal_minimum: Yuan; withdrawals_per_day: number; settlement_delay_days: number }
}

export interface MonthEarnings {
  from: string
  to: string
  completed_jobs: number
  gross_amount: Yuan
  earned_amount: Yuan
}

export interface Withdrawal {
  name: string
  status: string
  amount: Yuan
  currency: 'CNY'
  gateway: string
  out_bill_no: string | null
  requested_on: string | null
  finished_on: string | null
  fail_reason: string | null
  confirm_params?: Record<string, string> | null
  replayed?: boolean
}

export interface PriceBoard {
  date: string
  currency: 'CNY'
  prices: Array<{ waste_type: string; price_per_kg: Yuan }>
}

export interface RecyclingRecorded {
  pickup: string
  booking: string
  status: 'Paid' | 'Review' | string
  total_kg: number
  total_amount: Yuan
  lines: Array<{ waste_type: string; weight_kg: number; price_per_kg: Yuan; amount: Yuan }>
  review_reasons: string[]
  points_awarded: number
  payout_method: string | null
  payout_status: string | null
}

export interface TechMessage {
  message: string
  title: string
  body: string | null
  booking: string | null
  is_read: boolean
  created_on: string
}

export interface ApplyChoices {
  skills: Array<{ skill: string; category: string | null }>
  service_areas: Array<{ service_area: string; city: string | null; district: string | null }>
  qualification_types: string[]
}

export interface ReviewOfMe {
  review: string
  booking: string | null
  rating: number | null
  content: string | null
  status: string | null
  appeal_status: string | null
  appeal_reason: string | null
  created_on: string
}

export interface Penalty {
  penalty: string
  booking: string | null
  reason: string | null
  amount: Yuan
  status: 'Applied' | 'Appealed' | 'Waived' | string
  applied_on: string | null
  waived_on: string | null
  waive_reason: string | null
  can_appeal: boolean
  appeal: { appeal: string; status: string; resolution: string | null } | null
}

/** Answer types by technician method. */
export interface TechResults {
  'technician.availability.go_online': Presence
  'technician.availability.go_offline': Presence
  'technician.availability.update_location': Presence
  'technician.availability.list_leave': Paged<Leave>
  'technician.availability.add_leave': Leave
  'technician.availability.cancel_leave': { name: string; cancelled: boolean }
  'technician.availability.get_working_hours': { technician: string; working_hours: WorkingHour[] }
  'technician.availability.set_working_hours': { technician: string; working_hours: WorkingHour[] }
  'technician.offers.list_offers': { items: Offer[]; total: number }
  'technician.offers.accept_offer': { offer: string; booking: string; status: string }
  'technician.offers.reject_offer': { offer: string; status: string }
  'technician.jobs.list_jobs': Paged<JobSummary>
  'technician.jobs.job_detail': JobDetail
  'technician.jobs.depart': JobDetail
  'technician.jobs.arrive': JobDetail
  'technician.jobs.start_service': JobDetail
  'technician.jobs.complete': JobDetail
  'technician.jobs.propose_extra_charges': JobDetail
  'technician.jobs.report_exception': JobDetail
  'technician.onboarding.apply': { technician: string; review_status: string; qualifications: Qualification[] }
  'technician.onboarding.upload_certificate': { qualification: string; certificate_file: string; review_state: string }
  'technician.onboarding.application_status': ApplicationStatus
  'technician.onboarding.apply_choices': ApplyChoices
  'technician.onboarding.add_qualification': Qualification
  'technician.profile.get_profile': TechProfile
  'technician.profile.update_profile': TechProfile
  'technician.profile.request_profile_change': { technician: string; requested: { skills: string[]; service_areas: string[] }; status: string }
  'technician.earnings.earnings_summary': Earnings
  'technician.withdrawals.withdraw': Withdrawal
  'technician.withdrawals.list_withdrawals': Paged<Withdrawal>
  'technician.withdrawals.get_withdrawal': Withdrawal
  'technician.payout_accounts.link_wechat': { wechat: boolean; alipay: boolean }
  'technician.payout_accounts.link_alipay': { wechat: boolean; alipay: boolean }
  'technician.recycling.recycling_prices': PriceBoard
  'technician.recycling.record_recycling': RecyclingRecorded
  'technician.inbox.list_messages': Paged<TechMessage> & { unread_count?: number }
  'technician.inbox.unread_count': { unread_count: number }
  'technician.reviews.list_reviews': Paged<ReviewOfMe>
  'technician.reviews.appeal_review': Record<string, unknown>
  'technician.reviews.create_appeal': Record<string, unknown>
  'technician.penalties.list_penalties': Paged<Penalty>
}

type TechGet = Extract<keyof TechResults, GetMethod>
type TechPost = Extract<keyof TechResults, PostMethod>

/** The shared client with the technician answers typed (arguments are checked by the OpenAPI types). */
export function techApi(api: ApiClient) {
  return {
    get<M extends TechGet>(method: M, query?: QueryOf<M>, options?: CallOptions): Promise<TechResults[M]> {
      return api.get(method, query, options) as Promise<TechResults[M]>
    },
    post<M extends TechPost>(method: M, body?: BodyOf<M>, options?: CallOptions): Promise<TechResults[M]> {
      return api.post(method, body, options) as Promise<TechResults[M]>
    },
  }
}
