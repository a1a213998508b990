/**
 * The workbench: presence (online / offline with the position), today's jobs in time order, the
 * offers made to me and the broadcast pool, polled while the page is shown and I am online (a new
 * offer appears within POLL_MS, and the phone vibrates and beeps once for it).
 */
import { defineStore } from 'pinia'
import { ApiError } from '@home-service/shared'
import { clockSkew, type JobSummary, type Offer, type Presence } from '@home-service/shared/src/technician'
import { tech } from '../api'
import { getPosition } from '../utils/location'

export const POLL_MS = 2000

export const useWorkbench = defineStore('workbench', {
  state: () => ({
    presence: null as Presence | null,
    offers: [] as Offer[],
    jobs: [] as JobSummary[],
    unread: 0,
    skewMs: 0,
    /** why offers cannot be listed (not approved…): shown instead of the list */
    offersRefused: null as string | null,
    seen: [] as string[],
  }),
  getters: {
    online: (state) => state.presence?.status === 'Online' || state.presence?.status === 'Busy',
    mine: (state) => state.offers.filter((o) => !o.broadcast),
    pool: (state) => state.offers.filter((o) => o.broadcast),
  },
  actions: {
    async loadJobs() {
      const page = await tech.get('technician.jobs.list_jobs', { group: 'active', page: 1, page_size: 50 })
      this.jobs = page.items // the server sorts active jobs by window start
    },
    async loadOffers(): Promise<Offer[]> {
      try {
        const answer = await tech.get('technician.offers.list_offers')
        this.skewMs = clockSkew(answer.items.map((o) => o.offered_on))
        const fresh = answer.items.filter((o) => !this.seen.includes(o.offer))
        this.offers = answer.items
        this.seen = answer.items.map((o) => o.offer)
        this.offersRefused = null
        return fresh
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) {
          this.offersRefused = e.message
          this.offers = []
          return []
        }
        throw e
      }
    },
    async loadUnread() {
      this.unread = (await tech.get('technician.inbox.unread_count')).unread_count
    },
    async goOnline() {
      const where = await getPosition()
      this.presence = await tech.post('technician.availability.go_online', where)
    },
    async goOffline() {
      this.presence = await tech.post('technician.availability.go_offline')
      this.offers = []
    },
    /** My presence as the server has it (go_online without a position changes nothing but Offline). */
    async loadPresence() {
      const profile = await tech.get('technician.profile.get_profile')
      this.presence = { technician: profile.technician, status: profile.status, latitude: null, longitude: null, location_updated_on: null }
      return profile
    },
    dropOffer(offer: string) {
      this.offers = this.offers.filter((o) => o.offer !== offer)
    },
  },
})
