/// <reference types="@dcloudio/types" />
/**
 * One app's API client on uni-app: uni.request as transport, the token in uni storage, a 401 sends
 * the user to log in and back to the page they were on. Each app makes its own with what differs:
 * the storage prefix (on H5 both apps share the site's localStorage) and how the login page opens.
 */
import { ApiClient } from '../client'
import { networkError, toApiError } from '../errors'
import { getLang } from '../i18n'
import { TokenStore, type KeyValueStorage } from '../token'
import type { Transport } from '../client'

export interface UniClientOptions {
  /** the API's origin ('' = same origin); a trailing slash is dropped */
  baseUrl: string
  /** X-Frappe-Site-Name for a multi-site bench in development */
  siteName?: string
  /** put before every storage key, so two apps on one origin keep their own tokens */
  storagePrefix?: string
  /** open the login page at this URL; call `done` when the navigation is over */
  openLogin: (url: string, done: () => void) => void
}

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

export function uniClient(options: UniClientOptions) {
  const prefix = options.storagePrefix ?? ''
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const storage: KeyValueStorage = {
    get: (key) => {
      const value = uni.getStorageSync(prefix + key)
      return typeof value === 'string' && value ? value : null
    },
    set: (key, value) => uni.setStorageSync(prefix + key, value),
    remove: (key) => uni.removeStorageSync(prefix + key),
  }
  const tokens = new TokenStore(storage)
  const siteHeader: Record<string, string> = options.siteName ? { 'X-Frappe-Site-Name': options.siteName } : {}

  // a burst of 401s (a page's parallel requests) opens the login page once
  let redirecting = false
  function goLogin(back: string = currentUrl()): void {
    if (redirecting || back.startsWith('/pages/login/')) return
    redirecting = true
    options.openLogin(`/pages/login/login${back ? `?redirect=${encodeURIComponent(back)}` : ''}`, () =>
      setTimeout(() => (redirecting = false), 500),
    )
  }

  const api = new ApiClient({ baseUrl, transport: uniTransport, tokens, headers: siteHeader, onUnauthenticated: () => goLogin() })

  /** Pages that need a login call this first: false (and off to login) when there is no valid token. */
  function requireLogin(): boolean {
    if (tokens.token()) return true
    goLogin()
    return false
  }

  /**
   * POST a file as multipart field `file` with progress (0–100); resolves with the method's answer.
   * Errors are the API's (readable message), or a network error when there was no answer.
   */
  function uploadFile(
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
        header: { ...siteHeader, Accept: 'application/json', 'Accept-Language': lang, ...(token ? { 'X-HS-Token': token } : {}) },
        timeout: 60_000, // a photo over a slow mobile network
        success: (answer) => {
          let data: unknown = answer.data
          try {
            data = typeof answer.data === 'string' ? JSON.parse(answer.data) : answer.data
          } catch {
            // not JSON (a proxy's page): toApiError gives the status's readable message
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

  /** A file URL from the site (/files/…, /private/files/…) as the platform can load it. */
  function fileUrl(url: string | null | undefined): string {
    if (!url) return ''
    return /^https?:\/\//.test(url) ? url : `${baseUrl}${url.startsWith('/') ? '' : '/'}${url}`
  }

  return { baseUrl, storage, tokens, api, goLogin, requireLogin, uploadFile, fileUrl }
}
