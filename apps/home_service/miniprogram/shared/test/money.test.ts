import { describe, expect, it } from 'vitest'
import { formatFen, sumFen, toFen, yuan } from '../src/money'

describe('money: yuan strings from the API, fen in the client, ¥ on screen', () => {
  it('parses the API amounts to integer fen without floating point', () => {
    expect(toFen('88.00')).toBe(8800)
    expect(toFen('0.10')).toBe(10)
    expect(toFen('0.1')).toBe(10)
    expect(toFen('19.99')).toBe(1999)
    expect(toFen('-5.50')).toBe(-550)
    expect(toFen(0.3)).toBe(30)
    expect(toFen(null)).toBe(0)
    expect(toFen('')).toBe(0)
  })

  it('refuses what is not an amount', () => {
    expect(() => toFen('1.234')).toThrow(TypeError)
    expect(() => toFen('abc')).toThrow(TypeError)
  })

  it('formats fen as ¥ with two decimals and thousands separators', () => {
    expect(formatFen(8800)).toBe('¥88.00')
    expect(formatFen(5)).toBe('¥0.05')
    expect(formatFen(123456789)).toBe('¥1,234,567.89')
    expect(formatFen(-550)).toBe('-¥5.50')
    expect(formatFen(8800, { compact: true })).toBe('¥88')
    expect(formatFen(8850, { compact: true })).toBe('¥88.50')
    expect(formatFen(300, { sign: true })).toBe('+¥3.00')
    expect(() => formatFen(1.5)).toThrow(TypeError)
  })

  it('sums amounts exactly (0.1 + 0.2 is 0.30)', () => {
    expect(sumFen(['0.10', '0.20'])).toBe(30)
    expect(yuan('0.10')).toBe('¥0.10')
  })
})
