import { defineStore } from 'pinia'
import type { LoginAnswer } from '@home-service/shared'
import { api, storage, tokens } from '../api'

export const PRIVACY_KEY = 'privacy_accepted'

export const useSession = defineStore('session', {
  state: () => ({
    loggedIn: false,
    technician: null as string | null,
    privacyAccepted: false,
  }),
  actions: {
    restore() {
      const session = tokens.session()
      this.loggedIn = Boolean(session)
      this.technician = session?.technician ?? null
      this.privacyAccepted = storage.get(PRIVACY_KEY) === '1'
    },
    acceptPrivacy(accepted: boolean) {
      this.privacyAccepted = accepted
      if (accepted) storage.set(PRIVACY_KEY, '1')
      else storage.remove(PRIVACY_KEY)
    },
    loggedInWith(answer: LoginAnswer) {
      tokens.save({ token: answer.token, expires_on: answer.expires_on, technician: answer.technician ?? null })
      this.loggedIn = true
      this.technician = answer.technician ?? null
    },
    async logout() {
      try {
        if (tokens.token()) await api.post('auth.logout')
      } catch {
        // the token is dropped here whatever the server said
      }
      tokens.clear()
      this.loggedIn = false
      this.technician = null
    },
  },
})
