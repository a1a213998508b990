/**
 * The login token (X-HS-Token) and when it expires, kept in the platform's storage (uni.setStorage
 * in the apps, a Map in tests). An expired token is dropped before it is sent: the user goes to
 * the login page at once instead of after a 401.
 */
export interface KeyValueStorage {
  get(key: string): string | null
  set(key: string, value: string): void
  remove(key: string): void
}

export interface Session {
  token: string
  /** the server's "YYYY-MM-DD HH:MM:SS[.ffffff]" in the site's time zone (Asia/Shanghai) */
  expires_on: string
  customer?: string | null
  technician?: string | null
}

const KEY = 'hs_session'
/** Treat a token as expired this long before the server would, so a request never races it. */
export const EXPIRY_MARGIN_MS = 60_000
/** The site's time zone offset: the server writes times without one (China Standard Time). */
export const SITE_UTC_OFFSET = '+08:00'

export function parseServerTime(value: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim())
  if (!match) return NaN
  const ms = match[3] ? match[3].slice(0, 4).padEnd(4, '0') : ''
  const time = match[2].length === 5 ? `${match[2]}:00` : match[2]
  return Date.parse(`${match[1]}T${time}${ms}${match[4] ?? SITE_UTC_OFFSET}`)
}

export class TokenStore {
  private storage: KeyValueStorage
  private now: () => number
  private cached: Session | null | undefined

  constructor(storage: KeyValueStorage, now: () => number = Date.now) {
    this.storage = storage
    this.now = now
  }

  save(session: Session): void {
    this.cached = session
    this.storage.set(KEY, JSON.stringify(session))
  }

  clear(): void {
    this.cached = null
    this.storage.remove(KEY)
  }

  /** The session, or null when there is none or it has expired (an expired one is removed). */
  session(): Session | null {
    if (this.cached === undefined) {
      const raw = this.storage.get(KEY)
      try {
        this.cached = raw ? (JSON.parse(raw) as Session) : null
      } catch {
        this.cached = null
      }
    }
    const session = this.cached
    if (session && this.isExpired(session)) {
      this.clear()
      return null
    }
    return session ?? null
  }

  token(): string | null {
    return this.session()?.token ?? null
  }

  isExpired(session: Session): boolean {
    const until = parseServerTime(session.expires_on)
    return !session.token || Number.isNaN(until) || until - EXPIRY_MARGIN_MS <= this.now()
  }
}

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>()
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  }
}
