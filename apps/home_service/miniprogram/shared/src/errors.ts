/**
 * The API's error shape, `{"error": {"code", "message", "type"}}` (api/errors.py), turned into one
 * ApiError a page can show. The server's message is already readable and translated (it answers in
 * the user's language); codes without a useful message, and failures before any answer (network,
 * timeout), get a message of ours.
 */
import { t, type Lang } from './i18n'

export type ErrorKind = 'unauthenticated' | 'conflict' | 'invalid' | 'network' | 'rate_limited' | 'unavailable' | 'other'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly type: string | null
  readonly kind: ErrorKind

  constructor(status: number, code: string, message: string, type: string | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.type = type
    this.kind = kindOf(status, code)
  }

  /** A retry can succeed: no answer, a gateway or the site busy for a moment. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'unavailable' || this.kind === 'rate_limited'
  }
}

export function kindOf(status: number, code: string): ErrorKind {
  if (status === 0 || code === 'NETWORK' || code === 'TIMEOUT') return 'network'
  // a 401 with its own code (INVALID_LOGIN_CODE, LOGIN_BLOCKED, ACCOUNT_UNAVAILABLE) is a refused
  // login, shown as the server words it; only a missing or expired session means "log in again"
  if (code === 'UNAUTHENTICATED' || (status === 401 && code.startsWith('HTTP_'))) return 'unauthenticated'
  if (status === 401) return 'other'
  if (status === 409) return 'conflict'
  if (status === 422 || status === 400) return 'invalid'
  if (status === 429) return 'rate_limited'
  if (status === 502 || status === 503 || status === 504) return 'unavailable'
  return 'other'
}

const FALLBACK: Record<ErrorKind, string> = {
  unauthenticated: 'Your login has expired. Please log in again.',
  conflict: 'This changed in the meantime. Please refresh and try again.',
  invalid: 'Please check what you entered.',
  network: 'Network unavailable. Check your connection and try again.',
  rate_limited: 'Too many attempts. Please wait a minute and try again.',
  unavailable: 'The service is busy right now. Please try again shortly.',
  other: 'Something went wrong. Please try again.',
}

/** An ApiError from an HTTP answer (status + parsed body), whatever the body is. */
export function toApiError(status: number, body: unknown, lang: Lang = 'zh-CN'): ApiError {
  const error = isObject(body) && isObject(body.error) ? body.error : null
  const code = error && typeof error.code === 'string' ? error.code : `HTTP_${status}`
  let message = error && typeof error.message === 'string' ? error.message.trim() : ''
  if (!message && isObject(body) && typeof body.message === 'string') message = body.message
  const kind = kindOf(status, code)
  if (!message || kind === 'unauthenticated' || (status >= 500 && !error)) message = t(FALLBACK[kind], lang)
  const type = error && typeof error.type === 'string' ? error.type : null
  return new ApiError(status, code, stripHtml(message), type)
}

/** No answer at all: offline, DNS, refused, timed out. */
export function networkError(timedOut = false, lang: Lang = 'zh-CN'): ApiError {
  return new ApiError(0, timedOut ? 'TIMEOUT' : 'NETWORK', t(FALLBACK.network, lang))
}

/** The message to show for anything a call threw. */
export function messageOf(err: unknown, lang: Lang = 'zh-CN'): string {
  if (err instanceof ApiError) return err.message
  return t(FALLBACK.other, lang)
}

function stripHtml(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim()
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
