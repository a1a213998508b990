import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Quote } from '@home-service/shared'
import { useBooking } from '../stores/booking'

const quote = (over: Partial<Quote> = {}): Quote => ({
  charges: [{ charge_type: 'Service', description: '燃气灶清洗', amount: '80.00' }],
  items_total: '80.00',
  surcharge_total: '0.00',
  duration_minutes: 60,
  total_before_deductions: '80.00',
  deductions: [],
  coupon: null,
  discount_amount: '0.00',
  points_used: 0,
  points_deduction: '0.00',
  points_balance: 0,
  max_points: 0,
  grand_total: '80.00',
  window_start: '2026-12-08 08:00:00',
  come_now: false,
  currency: 'CNY',
  ...over,
})

describe('booking (cart and quote) state', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends the item line as the API takes it, and is ready once address and window are chosen', () => {
    const booking = useBooking()
    booking.start({ item: 'KITCHEN-CLEAN-02', item_name: '燃气灶清洗', spec: null, quantity: 2 })
    expect(booking.items).toEqual([{ service_item: 'KITCHEN-CLEAN-02', spec: null, quantity: 2 }])
    expect(booking.ready).toBe(false)
    booking.address = 'ADDR-1'
    booking.window = '2026-12-08 08:00:00'
    expect(booking.ready).toBe(true)
  })

  it('adds up what the coupon and points save, in fen', () => {
    const booking = useBooking()
    booking.quote = quote({ coupon: 'C-1', discount_amount: '10.00', points_used: 300, points_deduction: '3.00', grand_total: '67.00' })
    expect(booking.savingFen).toBe(1300)
  })

  it('keeps one idempotency key for retries of a booking, and mints a new one after it is made', () => {
    const booking = useBooking()
    booking.start({ item: 'X', item_name: 'X', spec: null, quantity: 1 })
    const key = booking.key
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{8,64}$/)
    booking.window = 'w'
    expect(booking.key).toBe(key) // a change of choice is still the same booking being made
    booking.finished()
    expect(booking.key).not.toBe(key)
    expect(booking.window).toBeNull()
    expect(booking.line?.item).toBe('X') // "book again" keeps the service
  })

  it('starting another service forgets the previous choices', () => {
    const booking = useBooking()
    booking.start({ item: 'A', item_name: 'A', spec: null, quantity: 1 })
    booking.coupon = 'C-1'
    booking.usePoints = true
    booking.start({ item: 'B', item_name: 'B', spec: '大', quantity: 1 })
    expect([booking.coupon, booking.usePoints, booking.line?.spec]).toEqual([null, false, '大'])
  })
})
