import { defineSession } from '@home-service/shared/src/uni/session'
import { api, storage, tokens } from '../api'

// the customer app's storage keys have no prefix: this key predates the technician app
export const PRIVACY_KEY = 'hs_privacy_accepted'

export const useSession = defineSession({ api, storage, tokens }, PRIVACY_KEY)
