import { beforeEach, describe, expect, it } from 'vitest'
import { setLang } from '../src/i18n'
import { capacity, dayLabel, firstFree, siteToday, windowLabel } from '../src/slots'

describe('slot rendering', () => {
  beforeEach(() => setLang('zh-CN'))

  it('labels a window by its clock times', () => {
    expect(windowLabel({ start: '2026-12-08 09:00:00', end: '2026-12-08 11:00:00' })).toBe('09:00–11:00')
  })

  it('shows full, low and plenty of capacity', () => {
    expect(capacity({ start: '', end: '', available: false, capacity: 0 })).toEqual({ tone: 'full', label: '已约满' })
    expect(capacity({ start: '', end: '', available: true, capacity: 2 })).toEqual({ tone: 'low', label: '仅剩2个' })
    expect(capacity({ start: '', end: '', available: true, capacity: 5 })).toEqual({ tone: 'ok', label: '可预约' })
    setLang('en')
    expect(capacity({ start: '', end: '', available: true, capacity: 1 }).label).toBe('Only 1 left')
  })

  it('names today and tomorrow, and the weekday', () => {
    expect(dayLabel('2026-12-07', '2026-12-07')).toEqual({ relative: '今天', date: '12/07', weekday: '周一' })
    expect(dayLabel('2026-12-08', '2026-12-07').relative).toBe('明天')
    expect(dayLabel('2026-12-10', '2026-12-07')).toEqual({ relative: null, date: '12/10', weekday: '周四' })
  })

  it('opens on the first free window', () => {
    const days = [
      { date: '2026-12-07', windows: [{ start: 'a', end: 'b', available: false, capacity: 0 }] },
      {
        date: '2026-12-08',
        windows: [
          { start: 'c', end: 'd', available: false, capacity: 0 },
          { start: 'e', end: 'f', available: true, capacity: 1 },
        ],
      },
    ]
    expect(firstFree(days)).toEqual({ day: 1, window: days[1].windows[1] })
    expect(firstFree([])).toBeNull()
  })

  it('knows the date in China when UTC is still yesterday', () => {
    expect(siteToday(Date.parse('2026-12-06T17:00:00Z'))).toBe('2026-12-07')
  })
})
