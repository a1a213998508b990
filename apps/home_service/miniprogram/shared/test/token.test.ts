import { describe, expect, it } from 'vitest'
import { EXPIRY_MARGIN_MS, TokenStore, memoryStorage, parseServerTime } from '../src/token'

describe('token store', () => {
  it('reads the server time as China Standard Time', () => {
    expect(parseServerTime('2026-12-07 08:00:00')).toBe(Date.parse('2026-12-07T00:00:00Z'))
    expect(parseServerTime('2026-12-07 08:00:00.123456')).toBe(Date.parse('2026-12-07T00:00:00.123Z'))
    expect(parseServerTime('2026-12-07T08:00:00Z')).toBe(Date.parse('2026-12-07T08:00:00Z'))
    expect(Number.isNaN(parseServerTime('soon'))).toBe(true)
  })

  it('keeps a valid session and survives a reload from storage', () => {
    const storage = memoryStorage()
    const now = Date.parse('2026-12-07T00:00:00Z')
    new TokenStore(storage, () => now).save({ token: 'abc', expires_on: '2026-12-14 08:00:00', customer: 'C1' })
    const again = new TokenStore(storage, () => now)
    expect(again.token()).toBe('abc')
    expect(again.session()?.customer).toBe('C1')
  })

  it('drops an expired token (and one about to expire) before it is sent', () => {
    const storage = memoryStorage()
    let now = Date.parse('2026-12-07T00:00:00Z')
    const store = new TokenStore(storage, () => now)
    store.save({ token: 'abc', expires_on: '2026-12-07 08:30:00' })
    expect(store.token()).toBe('abc')
    now = Date.parse('2026-12-07T00:30:00Z') - EXPIRY_MARGIN_MS + 1
    expect(store.token()).toBeNull()
    expect(storage.get('hs_session')).toBeNull()
  })

  it('treats a broken stored value as no session', () => {
    const storage = memoryStorage()
    storage.set('hs_session', '{not json')
    expect(new TokenStore(storage).session()).toBeNull()
  })
})
