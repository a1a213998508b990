import type { PayParams } from '@home-service/shared'

/**
 * Where an H5 `pay` answer sends the browser: the provider's cashier page (WeChat Pay H5, Alipay
 * wap, or a development site's own cashier, a path on the site). Anything else (no URL, a script
 * URL, a protocol-relative one) is refused rather than followed.
 */
export function cashierUrl(params: Pick<PayParams, 'h5_url'>): string {
  const url = params.h5_url ?? ''
  if (!/^(https?:\/\/[^/]|\/(?![/\\]))/i.test(url)) throw new Error('the server gave no cashier page')
  return url
}
