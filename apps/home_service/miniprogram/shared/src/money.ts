/**
 * Money on the client is integer fen: the API sends yuan as strings with two decimals ("88.00"),
 * which are parsed to fen without floating point, summed as integers and shown as ¥ again.
 */

/** "88.5" / "88.50" / 88.5 → 8850. Throws on anything that is not an amount. */
export function toFen(yuan: string | number | null | undefined): number {
  if (yuan === null || yuan === undefined || yuan === '') return 0
  const text = typeof yuan === 'number' ? yuan.toFixed(2) : String(yuan).trim()
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text)
  if (!match) throw new TypeError(`not an amount: ${text}`)
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] && fen !== 0 ? -fen : fen
}

/** 8850 → "¥88.50" (always two decimals), or with `compact` whole yuan short: 8800 → "¥88". */
export function formatFen(fen: number, options: { compact?: boolean; sign?: boolean } = {}): string {
  if (!Number.isInteger(fen)) throw new TypeError(`fen must be an integer: ${fen}`)
  const negative = fen < 0
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const body = options.compact && cents === 0 ? grouped : `${grouped}.${String(cents).padStart(2, '0')}`
  const sign = negative ? '-' : options.sign && fen > 0 ? '+' : ''
  return `${sign}¥${body}`
}

/** A yuan string from the API, shown as ¥. */
export function yuan(value: string | number | null | undefined, options?: { compact?: boolean; sign?: boolean }): string {
  return formatFen(toFen(value), options)
}

export function sumFen(values: Array<string | number | null | undefined>): number {
  return values.reduce<number>((total, value) => total + toFen(value), 0)
}
