/**
 * The app's one API client: uni.request as transport, the token in uni storage, a 401 sends the
 * user to log in and back to the page they were on.
 */
import { ApiClient, TokenStore, type KeyValueStorage, type Transport } from '@home-service/shared'

export const BASE_URL = (import.meta.env.VITE_HS_BASE_URL ?? '').replace(/\/+$/, '')

const storage: KeyValueStorage = {
  get: (key) => {
    const value = uni.getStorageSync(key)
    return typeof value === 'string' && value ? value : null
  },
  set: (key, value) => uni.setStorageSync(key, value),
  remove: (key) => uni.removeStorageSync(key),
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

/** The page the user is on, as a URL to come back to after logging in. */
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
  uni.navigateTo({
    url: `/pages/login/login${back ? `?redirect=${encodeURIComponent(back)}` : ''}`,
    complete: () => setTimeout(() => (redirecting = false), 500),
  })
}

export const api = new ApiClient({
  baseUrl: BASE_URL,
  transport: uniTransport,
  tokens,
  headers: import.meta.env.VITE_HS_SITE_NAME ? { 'X-Frappe-Site-Name': import.meta.env.VITE_HS_SITE_NAME } : {},
  onUnauthenticated: () => goLogin(),
})

/** Pages that need a login call this first: false (and off to login) when there is no valid token. */
export function requireLogin(): boolean {
  if (tokens.token()) return true
  goLogin()
  return false
}

/** Pages under the tab bar cannot be navigateTo'd. */
const TABS = ['/pages/index/index', '/pages/orders/list', '/pages/me/index']

export function openUrl(url: string, replace = false): void {
  const path = url.split('?')[0]
  if (TABS.includes(path)) uni.switchTab({ url: path })
  else if (replace) uni.redirectTo({ url })
  else uni.navigateTo({ url })
}
