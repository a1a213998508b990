import { defineSession } from '@home-service/shared/src/uni/session'
import { api, storage, tokens } from '../api'

// stored as hs_tech:privacy_accepted (the technician app's storage prefix)
export const PRIVACY_KEY = 'privacy_accepted'

export const useSession = defineSession({ api, storage, tokens }, PRIVACY_KEY)
