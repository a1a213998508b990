/**
 * An offer's countdown. The server writes `expires_on` in the site's time zone without an offset
 * (token.ts parseServerTime); the phone's clock may be off, so the skew measured when the offer list
 * arrived (the server's `offered_on` of a fresh offer cannot be in the future) is taken off.
 */
import { parseServerTime } from '../token'

export interface Countdown {
  /** whole seconds left, never negative */
  seconds: number
  /** "mm:ss" */
  label: string
  /** the last URGENT_SECONDS: the card turns red and the phone vibrates once */
  urgent: boolean
  expired: boolean
}

export const URGENT_SECONDS = 10

export function countdown(expiresOn: string, now: number = Date.now(), skewMs = 0): Countdown {
  const until = parseServerTime(expiresOn)
  const left = Number.isNaN(until) ? 0 : Math.max(0, Math.ceil((until - (now + skewMs)) / 1000))
  const label = `${String(Math.floor(left / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`
  return { seconds: left, label, urgent: left > 0 && left <= URGENT_SECONDS, expired: left === 0 }
}

/**
 * How far the phone's clock is behind the server's (ms to add to Date.now()), from offers that were
 * just made: an offer made "in the future" by the phone's clock shows the phone is behind. Never
 * negative: an offer's age is not a skew, only its being in the future is.
 */
export function clockSkew(offeredOn: string[], receivedAt: number = Date.now()): number {
  let skew = 0
  for (const value of offeredOn) {
    const at = parseServerTime(value)
    if (!Number.isNaN(at)) skew = Math.max(skew, at - receivedAt)
  }
  return skew
}
