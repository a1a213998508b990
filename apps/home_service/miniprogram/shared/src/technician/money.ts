/**
 * Money as the technician sees it: on-site extra charges typed in yuan, the recycling payout
 * computed before it is sent (as the server prices it: fen, half up), balances. All in integer fen.
 */
import { formatFen, toFen } from '../money'

/** What a technician types as an amount ("20", "20.5", "20.50"): fen, or null when it is not one. */
export function parseYuanInput(text: string): number | null {
  const value = text.trim()
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(value)) return null
  const fen = toFen(value)
  return fen > 0 ? fen : null
}

/** Fen as the API takes yuan: 2050 → "20.50". */
export function fenToYuan(fen: number): string {
  if (!Number.isInteger(fen) || fen < 0) throw new TypeError(`not an amount in fen: ${fen}`)
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}

/** kg typed on the scale's reading: at most 3 decimals (the server's precision), more than 0. */
export function parseKg(text: string): number | null {
  const value = text.trim()
  if (!/^\d{1,5}(\.\d{1,3})?$/.test(value)) return null
  const grams = kgToGrams(value)
  return grams > 0 ? grams / 1000 : null
}

function kgToGrams(value: string): number {
  const [whole, frac = ''] = value.split('.')
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'))
}

/**
 * One line of a weigh-in: price per kg (yuan string) × weight (kg, ≤ 3 decimals), in fen rounded
 * half up as billing/recycling.py line_fen does. Integers only: price fen × grams / 1000.
 */
export function lineFen(pricePerKg: string, weightKg: number | string): number {
  const grams = kgToGrams(typeof weightKg === 'number' ? weightKg.toFixed(3) : weightKg.trim())
  const milliFen = toFen(pricePerKg) * grams // fen × g = 1/1000 fen
  return Math.floor((milliFen + 500) / 1000)
}

export interface WeighLine {
  waste_type: string
  price_per_kg: string
  weight: string
}

/** The payout shown before submitting: each line's amount and the total (lines not weighed count 0). */
export function weighInPayout(lines: WeighLine[]): { lines: Array<{ waste_type: string; fen: number | null }>; totalFen: number } {
  const out = lines.map((line) => {
    const kg = parseKg(line.weight)
    return { waste_type: line.waste_type, fen: kg === null ? null : lineFen(line.price_per_kg, line.weight.trim()) }
  })
  return { lines: out, totalFen: out.reduce((sum, line) => sum + (line.fen ?? 0), 0) }
}

/** "+¥120.00" for an earning, "-¥50.00" for a withdrawal. */
export function signedYuan(yuanText: string, negative = false): string {
  const fen = toFen(yuanText)
  return formatFen(negative ? -fen : fen, { sign: true })
}
