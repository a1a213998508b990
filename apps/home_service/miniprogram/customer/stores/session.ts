import { defineStore } from 'pinia'
import type { LoginAnswer, Me } from '@home-service/shared'
import { api, tokens } from '../api'

export const PRIVACY_KEY = 'hs_privacy_accepted'

export const useSession = defineStore('session', {
  state: () => ({
    loggedIn: false,
    customer: null as string | null,
    me: null as Me | null,
    privacyAccepted: false,
  }),
  actions: {
    restore() {
      const session = tokens.session()
      this.loggedIn = Boolean(session)
      this.customer = session?.customer ?? null
      this.privacyAccepted = uni.getStorageSync(PRIVACY_KEY) === '1'
    },
    acceptPrivacy(accepted: boolean) {
      this.privacyAccepted = accepted
      if (accepted) uni.setStorageSync(PRIVACY_KEY, '1')
      else uni.removeStorageSync(PRIVACY_KEY)
    },
    loggedInWith(answer: LoginAnswer) {
      tokens.save({ token: answer.token, expires_on: answer.expires_on, customer: answer.customer ?? null })
      this.loggedIn = true
      this.customer = answer.customer ?? null
    },
    /** false when the token is gone (expired): the caller sends the user to log in */
    check(): boolean {
      this.loggedIn = Boolean(tokens.token())
      if (!this.loggedIn) this.customer = null
      return this.loggedIn
    },
    async logout() {
      try {
        if (tokens.token()) await api.post('auth.logout')
      } catch {
        // the token is dropped here whatever the server said
      }
      tokens.clear()
      this.loggedIn = false
      this.customer = null
      this.me = null
    },
  },
})
