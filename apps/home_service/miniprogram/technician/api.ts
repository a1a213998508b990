/**
 * The technician app's one API client (shared/src/uni/client.ts): the token under keys of its own
 * (on H5 the customer app at /m shares the site's localStorage), and a 401 relaunches at the login
 * page (the technician app has no page to go back under). `tech` types the technician answers.
 */
import { uniClient } from '@home-service/shared/src/uni/client'
import { techApi } from '@home-service/shared/src/technician'

export { ApiError } from '@home-service/shared'
export { currentUrl } from '@home-service/shared/src/uni/client'

const client = uniClient({
  baseUrl: import.meta.env.VITE_HS_BASE_URL ?? '',
  siteName: import.meta.env.VITE_HS_SITE_NAME,
  storagePrefix: 'hs_tech:',
  openLogin: (url, done) => uni.reLaunch({ url, complete: done }),
})

export const { baseUrl: BASE_URL, storage, tokens, api, goLogin, requireLogin, uploadFile, fileUrl } = client

export const tech = techApi(api)

export function openUrl(url: string, replace = false): void {
  if (url.split('?')[0] === '/pages/index/index') uni.reLaunch({ url })
  else if (replace) uni.redirectTo({ url })
  else uni.navigateTo({ url })
}
