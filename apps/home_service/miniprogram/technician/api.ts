/**
 * The technician app's one API client: uni.request as transport, the token in uni storage (under
 * keys of its own: on H5 the customer app at /m shares the site's localStorage), a 401 sends the
 * technician to log in and back. `tech` types the technician answers; `uploadFile` sends a file with
 * progress (job photos, certificates).
 */
import { ApiClient, ApiError, TokenStore, getLang, toApiError, networkError, type KeyValueStorage, type Transport } from '@home-service/shared'
import { techApi } from '@home-service/shared/src/technician'

export const BASE_URL = (import.meta.env.VITE_HS_BASE_URL ?? '').replace(/\/+$/, '')
const PREFIX = 'hs_tech:'

export const storage: KeyValueStorage = {
  get: (key) => {
    const value = uni.getStorageSync(PREFIX + key)
    return typeof value === 'string' && value ? value : null
  },
  set: (key, value) => uni.setStorageSync(PREFIX + key, value),
  remove: (key) => uni.removeStorageSync(PREFIX + key),
}

export const tokens = new TokenStore(storage)

const uniTransport: Transport = (request) =>
  new Promise((resolve, reject) => {
    uni.request({
      url: request.url,
      method: request.method,
      header: request.headers,
      data: request.method === 'POST' ? (request.data as UniApp.RequestOptions['data']) : undefined,
      timeout: request.timeout,
      dataType: 'json',
      success: (answer) => resolve({ status: answer.statusCode, data: answer.data }),
      fail: (failure) => reject({ timeout: /timeout/i.test(failure?.errMsg ?? '') }),
    })
  })

let redirecting = false

export function currentUrl(): string {
  const pages = getCurrentPages()
  const page = pages[pages.length - 1] as unknown as { route?: string; options?: Record<string, string> } | undefined
  if (!page?.route) return ''
  const query = Object.entries(page.options ?? {})
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')
  return `/${page.route}${query ? `?${query}` : ''}`
}

export function goLogin(back: string = currentUrl()): void {
  if (redirecting || back.startsWith('/pages/login/')) return
  redirecting = true
  uni.reLaunch({
    url: `/pages/login/login${back ? `?redirect=${encodeURIComponent(back)}` : ''}`,
    complete: () => setTimeout(() => (redirecting = false), 500),
  })
}

const siteHeader: Record<string, string> = import.meta.env.VITE_HS_SITE_NAME ? { 'X-Frappe-Site-Name': import.meta.env.VITE_HS_SITE_NAME } : {}

export const api = new ApiClient({
  baseUrl: BASE_URL,
  transport: uniTransport,
  tokens,
  headers: siteHeader,
  onUnauthenticated: () => goLogin(),
})

export const tech = techApi(api)

export function requireLogin(): boolean {
  if (tokens.token()) return true
  goLogin()
  return false
}

export function openUrl(url: string, replace = false): void {
  if (url.split('?')[0] === '/pages/index/index') uni.reLaunch({ url })
  else if (replace) uni.redirectTo({ url })
  else uni.navigateTo({ url })
}

/**
 * POST a file as multipart field `file` with progress (0–100); resolves with the method's answer.
 * Errors are the API's (readable message), or a network error when there was no answer.
 */
export function uploadFile(
  method: string,
  filePath: string,
  formData: Record<string, string>,
  onProgress: (percent: number) => void = () => {},
): Promise<Record<string, unknown>> {
  const lang = getLang()
  return new Promise((resolve, reject) => {
    const token = tokens.token()
    const task = uni.uploadFile({
      url: api.url(method),
      filePath,
      name: 'file',
      formData,
      header: { ...siteHeader, 'Accept-Language': lang, ...(token ? { 'X-HS-Token': token } : {}) },
      success: (answer) => {
        let data: unknown = answer.data
        try {
          data = typeof answer.data === 'string' ? JSON.parse(answer.data) : answer.data
        } catch {
          // not JSON: toApiError gives the status's readable message
        }
        if (answer.statusCode >= 200 && answer.statusCode < 300) {
          resolve(((data as { message?: Record<string, unknown> })?.message ?? {}) as Record<string, unknown>)
          return
        }
        const error = toApiError(answer.statusCode, data, lang)
        if (error.kind === 'unauthenticated') {
          tokens.clear()
          goLogin()
        }
        reject(error)
      },
      fail: (failure) => reject(networkError(/timeout/i.test(failure?.errMsg ?? ''), lang)),
    })
    task?.onProgressUpdate?.((p) => onProgress(p.progress))
  })
}

export { ApiError }
