/**
 * Paying on each platform, behind one function. The server opens the provider order (`pay`), the
 * platform's own sheet takes the money, and only the server's answer (`confirm`, or the provider's
 * notification it received) says the booking is paid.
 *
 * - mp-weixin: uni.requestPayment with the JSAPI parameters `pay` returns (WeChat Pay)
 * - mp-alipay: my.tradePay with `tradeNO` (Alipay)
 * - H5: a payment adapter. A real H5 web flow (WeChat H5 / Alipay wap) is not on the server yet; in
 *   development and the browser tests `window.hsPayAdapter` is set by the harness and hands the
 *   order to the local WeChat Pay fake, which posts its signed notification to the site.
 */
import type { PayParams } from '@home-service/shared'
import { api } from '../api'

export type PayOutcome = 'paid' | 'cancelled' | 'pending'

export interface H5PayAdapter {
  (order: { booking: string; method: string; params: PayParams }): Promise<'paid' | 'cancelled'>
}

declare global {
  interface Window {
    hsPayAdapter?: H5PayAdapter
  }
}

export function payMethod(): 'WeChat Pay' | 'Alipay' {
  // #ifdef MP-ALIPAY
  return 'Alipay'
  // #endif
  return 'WeChat Pay'
}

/** Whether this platform can pay at all (H5 only with an adapter). */
export function canPayHere(): boolean {
  // #ifdef H5
  return typeof window !== 'undefined' && typeof window.hsPayAdapter === 'function'
  // #endif
  return true
}

function platformPay(booking: string, method: string, params: PayParams): Promise<'paid' | 'cancelled'> {
  // #ifdef MP-WEIXIN
  return new Promise((resolve, reject) =>
    uni.requestPayment({
      provider: 'wxpay',
      orderInfo: '',
      timeStamp: params.timeStamp!,
      nonceStr: params.nonceStr!,
      package: params.package!,
      signType: params.signType!,
      paySign: params.paySign!,
      success: () => resolve('paid'),
      fail: (e: { errMsg?: string }) => (/cancel/.test(e?.errMsg ?? '') ? resolve('cancelled') : reject(e)),
    }),
  )
  // #endif
  // #ifdef MP-ALIPAY
  return new Promise((resolve, reject) =>
    uni.requestPayment({
      provider: 'alipay',
      orderInfo: params.tradeNO!,
      success: (r: { resultCode?: string }) => resolve(r?.resultCode === '6001' ? 'cancelled' : 'paid'),
      fail: (e: unknown) => reject(e),
    } as UniApp.RequestPaymentOptions),
  )
  // #endif
  // #ifdef H5
  return h5Pay(booking, method, params)
  // #endif
}

function h5Pay(booking: string, method: string, params: PayParams): Promise<'paid' | 'cancelled'> {
  const adapter = window.hsPayAdapter
  if (!adapter) return Promise.reject(new Error('no H5 payment adapter'))
  return adapter({ booking, method, params })
}

/** Pay for a booking; 'paid' once the server says so (the notification may take a moment). */
export async function payBooking(booking: string): Promise<PayOutcome> {
  const method = payMethod()
  const params = await api.post('customer.payments.pay', { booking, method })
  const outcome = await platformPay(booking, method, params)
  if (outcome === 'cancelled') return 'cancelled'
  for (let i = 0; i < 10; i++) {
    const { payment_status } = await api.post('customer.payments.confirm', { booking })
    if (payment_status === 'Paid') return 'paid'
    await new Promise((r) => setTimeout(r, 1000))
  }
  return 'pending'
}
