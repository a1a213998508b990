/**
 * What the customer is booking: the item line, then address, window, coupon, points and note.
 * The quote is the server's; this store only keeps the choices and the idempotency key, which is
 * minted once per booking the customer means to make and kept for its retries.
 */
import { defineStore } from 'pinia'
import { newIdempotencyKey, toFen, type Quote } from '@home-service/shared'

export interface Line {
  item: string
  item_name: string
  spec: string | null
  quantity: number
}

export const useBooking = defineStore('booking', {
  state: () => ({
    line: null as Line | null,
    address: null as string | null,
    window: null as string | null,
    coupon: null as string | null,
    usePoints: false,
    note: '',
    key: newIdempotencyKey(),
    quote: null as Quote | null,
  }),
  getters: {
    items: (state) => (state.line ? [{ service_item: state.line.item, spec: state.line.spec, quantity: state.line.quantity }] : []),
    /** the saving coupons and points make, in fen */
    savingFen: (state) => (state.quote ? toFen(state.quote.discount_amount) + toFen(state.quote.points_deduction) : 0),
    ready: (state) => Boolean(state.line && state.address && state.window),
  },
  actions: {
    start(line: Line) {
      this.$reset()
      this.line = line
    },
    /** after a booking was made: the next one gets a new key */
    finished() {
      this.key = newIdempotencyKey()
      this.window = null
      this.coupon = null
      this.usePoints = false
      this.note = ''
      this.quote = null
    },
  },
})
