import { describe, expect, it } from 'vitest'
import { cashierUrl } from '../platform/cashier'

describe('the H5 cashier page a pay answer sends the browser to', () => {
  it("follows the provider's cashier and a development site's own path", () => {
    const wechat = 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1&redirect_url=x'
    expect(cashierUrl({ h5_url: wechat })).toBe(wechat)
    const dev = '/api/method/home_service.api.dev_cashier.wechatpay?prepay_id=wx2'
    expect(cashierUrl({ h5_url: dev })).toBe(dev)
  })

  it('refuses anything that is not a page: no URL, a script, another scheme, protocol-relative', () => {
    for (const h5_url of [undefined, '', 'javascript:alert(1)', 'data:text/html,x', '//evil.example/x', '/\\evil', 'https://']) {
      expect(() => cashierUrl({ h5_url })).toThrow(/no cashier page/)
    }
  })
})
