import { describe, expect, it } from 'vitest'
import { clockSkew, countdown } from '../../src/technician/countdown'

// 2026-12-08 10:00:00 in Shanghai (+08:00) is 02:00:00 UTC
const at = (utc: string) => Date.parse(`2026-12-08T${utc}Z`)

describe('offer countdown', () => {
  it('counts down to the server time of expiry, read in the site time zone', () => {
    const c = countdown('2026-12-08 10:01:30', at('02:00:00'))
    expect(c).toEqual({ seconds: 90, label: '01:30', urgent: false, expired: false })
  })

  it('rounds a part second up, turns urgent in the last seconds and stops at zero', () => {
    expect(countdown('2026-12-08 10:00:10', at('02:00:00.400')).seconds).toBe(10)
    expect(countdown('2026-12-08 10:00:10', at('02:00:00.400')).urgent).toBe(true)
    expect(countdown('2026-12-08 10:00:10', at('01:59:59')).urgent).toBe(false) // 11 s left
    const over = countdown('2026-12-08 10:00:00', at('02:00:05'))
    expect(over).toEqual({ seconds: 0, label: '00:00', urgent: false, expired: true })
  })

  it('takes a phone clock that is behind into account', () => {
    // the phone shows 01:59:30 while the server is at 02:00:00: 30 s behind
    const skew = clockSkew(['2026-12-08 10:00:00'], at('01:59:30'))
    expect(skew).toBe(30_000)
    expect(countdown('2026-12-08 10:01:00', at('01:59:30'), skew).seconds).toBe(60)
    // an old offer is not a skew: never negative
    expect(clockSkew(['2026-12-08 09:00:00'], at('02:00:00'))).toBe(0)
    expect(clockSkew([], at('02:00:00'))).toBe(0)
  })

  it('treats an unreadable time as expired rather than counting forever', () => {
    expect(countdown('not a time', at('02:00:00')).expired).toBe(true)
  })
})
