import { BASE_URL } from '../api'

/** A file URL from the site (/files/…) as the platform can load it. */
export function imageUrl(url: string | null | undefined): string {
  if (!url) return ''
  return /^https?:\/\//.test(url) ? url : `${BASE_URL}${url.startsWith('/') ? '' : '/'}${url}`
}
