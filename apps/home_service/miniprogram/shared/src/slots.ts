/**
 * How arrival windows read: "今天 12月8日 周二", "09:00–11:00", and what is left ("仅剩2个",
 * "已约满"). Capacity comes capped at 5 from the server (get_slots); below LOW it is shown as a
 * number, so a customer sees that a window is filling up.
 */
import { t } from './i18n'
import type { SlotDay, SlotWindow } from './models'

export const LOW_CAPACITY = 3
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** "2026-12-08 09:00:00" → "09:00" */
export function clock(moment: string): string {
  const match = /[ T](\d{2}:\d{2})/.exec(moment)
  return match ? match[1] : moment
}

export function windowLabel(window: Pick<SlotWindow, 'start' | 'end'>): string {
  return `${clock(window.start)}–${clock(window.end)}`
}

export type CapacityTone = 'full' | 'low' | 'ok'

export function capacity(window: SlotWindow): { tone: CapacityTone; label: string } {
  if (!window.available || window.capacity <= 0) return { tone: 'full', label: t('Full') }
  if (window.capacity <= LOW_CAPACITY) return { tone: 'low', label: t('Only {0} left', window.capacity) }
  return { tone: 'ok', label: t('Available') }
}

/** "2026-12-08" with today "2026-12-07" → "明天 12/08 周二" */
export function dayLabel(date: string, today: string): { relative: string | null; date: string; weekday: string } {
  const [y, m, d] = date.split('-').map(Number)
  const day = Date.UTC(y, m - 1, d)
  const [ty, tm, td] = today.split('-').map(Number)
  const diff = Math.round((day - Date.UTC(ty, tm - 1, td)) / 86_400_000)
  const weekday = t(WEEKDAYS[new Date(day).getUTCDay()])
  const relative = diff === 0 ? t('Today') : diff === 1 ? t('Tomorrow') : null
  return { relative, date: `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`, weekday }
}

/** The first day with a free window, and that window: what the picker opens on. */
export function firstFree(days: SlotDay[]): { day: number; window: SlotWindow } | null {
  for (let i = 0; i < days.length; i++) {
    const window = days[i].windows.find((w) => w.available && w.capacity > 0)
    if (window) return { day: i, window }
  }
  return null
}

/** Today's date in the site's time zone (China Standard Time), as YYYY-MM-DD. */
export function siteToday(now: number = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** The date in `days` days, site time. */
export function siteDate(days: number, now: number = Date.now()): string {
  return siteToday(now + days * 86_400_000)
}
