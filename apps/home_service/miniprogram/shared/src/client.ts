/**
 * The typed API client. Method names and arguments are checked against the generated OpenAPI types
 * (api/schema.d.ts, `npm run gen:api`); answers are typed by models.ts. The transport is the
 * platform's (uni.request in the apps, fetch in tests), the base URL comes from build-time config.
 */
import type { paths } from './api/schema'
import { ApiError, networkError, toApiError } from './errors'
import { getLang } from './i18n'
import type { Results } from './models'
import type { TokenStore } from './token'

const PREFIX = '/api/method/home_service.api.'
type Prefix = typeof PREFIX
type Path<M extends string> = `${Prefix}${M}`

/** Every API method, as "customer.bookings.get_slots". */
export type Method = { [P in keyof paths]: P extends `${Prefix}${infer M}` ? M : never }[keyof paths]
export type GetMethod = { [M in Method]: paths[Path<M>]['get'] extends undefined ? never : M }[Method]
export type PostMethod = { [M in Method]: paths[Path<M>]['post'] extends undefined ? never : M }[Method]
export type QueryOf<M extends GetMethod> = paths[Path<M>]['get'] extends { parameters: { query?: infer Q } }
  ? Q extends undefined | never
    ? Record<string, never>
    : Q
  : never
export type BodyOf<M extends PostMethod> = paths[Path<M>]['post'] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : Record<string, never>
export type ResultOf<M extends Method> = M extends keyof Results ? Results[M] : unknown

export interface HttpRequest {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  data?: unknown
  timeout: number
}
export interface HttpResponse {
  status: number
  data: unknown
}
/** Resolves with any HTTP answer; rejects with `{ timeout?: boolean }` when there was none. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>

export interface ClientOptions {
  /** '' on H5 served by the site itself (same origin); the site's HTTPS origin in mini-programs */
  baseUrl: string
  transport: Transport
  tokens: TokenStore
  /** called once per 401: clear the session and send the user to log in (and back) */
  onUnauthenticated?: (error: ApiError) => void
  timeout?: number
  /** extra headers, e.g. X-Frappe-Site-Name in development against a multi-site bench */
  headers?: Record<string, string>
}

export interface CallOptions {
  headers?: Record<string, string>
  /** a guest call (catalogue): no token is sent and a 401 does not log the user out */
  guest?: boolean
}

export class ApiClient {
  readonly options: ClientOptions

  constructor(options: ClientOptions) {
    this.options = { timeout: 20_000, ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') }
  }

  get<M extends GetMethod>(method: M, query?: QueryOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
    const search = encodeQuery((query ?? {}) as Record<string, unknown>)
    return this.send(method, 'GET', search ? `?${search}` : '', undefined, options) as Promise<ResultOf<M>>
  }

  post<M extends PostMethod>(method: M, body?: BodyOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
    return this.send(method, 'POST', '', body ?? {}, options) as Promise<ResultOf<M>>
  }

  url(method: string): string {
    return `${this.options.baseUrl}${PREFIX}${method}`
  }

  private async send(method: string, verb: 'GET' | 'POST', search: string, body: unknown, options: CallOptions) {
    const lang = getLang()
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': lang,
      ...this.options.headers,
      ...options.headers,
    }
    if (verb === 'POST') headers['Content-Type'] = 'application/json'
    const token = options.guest ? null : this.options.tokens.token()
    if (token) headers['X-HS-Token'] = token
    let answer: HttpResponse
    try {
      answer = await this.options.transport({
        url: this.url(method) + search,
        method: verb,
        headers,
        data: body,
        timeout: this.options.timeout ?? 20_000,
      })
    } catch (failure) {
      throw networkError(Boolean((failure as { timeout?: boolean } | null)?.timeout), lang)
    }
    const data = typeof answer.data === 'string' ? parseJson(answer.data) : answer.data
    if (answer.status >= 200 && answer.status < 300) {
      return data && typeof data === 'object' && 'message' in data ? (data as { message: unknown }).message : data
    }
    const error = toApiError(answer.status, data, lang)
    if (error.kind === 'unauthenticated' && !options.guest) {
      this.options.tokens.clear()
      this.options.onUnauthenticated?.(error)
    }
    throw error
  }
}

/** Query string of a GET call: lists and objects as JSON (as Frappe reads them), null left out. */
export function encodeQuery(query: Record<string, unknown>): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => {
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
      return `${encodeURIComponent(key)}=${encodeURIComponent(text)}`
    })
    .join('&')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A key for create_booking: new for every booking the user means to make, kept for its retries. */
export function newIdempotencyKey(prefix = 'mp'): string {
  const random = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36)).join('')
  return `${prefix}-${Date.now().toString(36)}-${random}`
}

/** fetch as a Transport (tests, Node scripts). */
export function fetchTransport(fetchFn: typeof fetch = fetch): Transport {
  return async (request) => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), request.timeout)
    try {
      const answer = await fetchFn(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'POST' ? JSON.stringify(request.data ?? {}) : undefined,
        signal: controller.signal,
      })
      return { status: answer.status, data: parseJson(await answer.text()) }
    } catch (error) {
      throw { timeout: (error as Error)?.name === 'AbortError' }
    } finally {
      clearTimeout(timer)
    }
  }
}
