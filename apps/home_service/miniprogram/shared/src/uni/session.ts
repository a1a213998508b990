/**
 * The login session both apps keep in a pinia store: who is logged in (the customer or technician
 * the token was issued for), and whether the privacy terms were accepted on this device.
 */
import { defineStore } from 'pinia'
import type { ApiClient } from '../client'
import type { LoginAnswer } from '../models'
import type { KeyValueStorage, TokenStore } from '../token'

export function defineSession(client: { api: ApiClient; tokens: TokenStore; storage: KeyValueStorage }, privacyKey: string) {
  const { api, tokens, storage } = client
  return defineStore('session', {
    state: () => ({
      loggedIn: false,
      customer: null as string | null,
      technician: null as string | null,
      privacyAccepted: false,
    }),
    actions: {
      restore() {
        const session = tokens.session()
        this.loggedIn = Boolean(session)
        this.customer = session?.customer ?? null
        this.technician = session?.technician ?? null
        this.privacyAccepted = storage.get(privacyKey) === '1'
      },
      acceptPrivacy(accepted: boolean) {
        this.privacyAccepted = accepted
        if (accepted) storage.set(privacyKey, '1')
        else storage.remove(privacyKey)
      },
      loggedInWith(answer: LoginAnswer) {
        const customer = answer.customer ?? null
        const technician = answer.technician ?? null
        tokens.save({ token: answer.token, expires_on: answer.expires_on, customer, technician })
        this.loggedIn = true
        this.customer = customer
        this.technician = technician
      },
      /** false when the token is gone (expired): the caller sends the user to log in */
      check(): boolean {
        this.loggedIn = Boolean(tokens.token())
        if (!this.loggedIn) this.customer = this.technician = null
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
        this.customer = this.technician = null
      },
    },
  })
}
