/**
 * The app's one API client (shared/src/uni/client.ts): the token under the storage's plain keys, and
 * the login page opened on top of the page the user was on, to come back to it.
 */
import { uniClient } from '@home-service/shared/src/uni/client'

export { currentUrl } from '@home-service/shared/src/uni/client'

const client = uniClient({
  baseUrl: import.meta.env.VITE_HS_BASE_URL ?? '',
  siteName: import.meta.env.VITE_HS_SITE_NAME,
  openLogin: (url, done) => uni.navigateTo({ url, complete: done }),
})

export const { baseUrl: BASE_URL, storage, tokens, api, goLogin, requireLogin, uploadFile, fileUrl } = client

/** Pages under the tab bar cannot be navigateTo'd. */
const TABS = ['/pages/index/index', '/pages/orders/list', '/pages/me/index']

export function openUrl(url: string, replace = false): void {
  const path = url.split('?')[0]
  if (TABS.includes(path)) uni.switchTab({ url: path })
  else if (replace) uni.redirectTo({ url })
  else uni.navigateTo({ url })
}
