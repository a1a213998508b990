/**
 * Paying on each platform, behind one function. The server opens the provider order (`pay`), the
 * platform's own cashier takes the money, and only the server's answer (`confirm`, or the provider's
 * notification it received) says the booking is paid.
 *
 * - mp-weixin: uni.requestPayment with the JSAPI parameters `pay` returns (WeChat Pay)
 * - mp-alipay: my.tradePay with `tradeNO` (Alipay)
 * - H5 (a phone browser): `pay` with platform "h5" answers the provider's cashier page (`h5_url`:
 *   WeChat Pay H5, Alipay wap); the browser goes there, and the cashier sends it back to the
 *   booking's page at /m once paid. A development site's cashier is its own sandbox
 *   (billing/dev_cashier.py), which posts the provider's signed notification before sending it back.
 */
import type { PayParams } from '@home-service/shared'
import { api } from '../api'
import { cashierUrl } from './cashier'

/** 'left': the browser is on its way to the provider's cashier (H5) and comes back to the order. */
export type PayOutcome = 'paid' | 'cancelled' | 'pending' | 'left'

export function payMethod(): 'WeChat Pay' | 'Alipay' {
  // #ifdef MP-ALIPAY
  return 'Alipay'
  // #endif
  return 'WeChat Pay'
}

function platformPay(params: PayParams): Promise<'paid' | 'cancelled'> {
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
  return Promise.reject(new Error(`no payment sheet here for ${params.out_trade_no}`))
}

/** Pay for a booking; 'paid' once the server says so (the notification may take a moment). */
export async function payBooking(booking: string): Promise<PayOutcome> {
  const method = payMethod()
  // #ifdef H5
  const order = await api.post('customer.payments.pay', { booking, method, platform: 'h5' })
  window.location.assign(cashierUrl(order))
  return 'left'
  // #endif
  const params = await api.post('customer.payments.pay', { booking, method })
  const outcome = await platformPay(params)
  if (outcome === 'cancelled') return 'cancelled'
  for (let i = 0; i < 10; i++) {
    const { payment_status } = await api.post('customer.payments.confirm', { booking })
    if (payment_status === 'Paid') return 'paid'
    await new Promise((r) => setTimeout(r, 1000))
  }
  return 'pending'
}
