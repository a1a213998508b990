import { describe, expect, it } from 'vitest'
import { fenToYuan, lineFen, parseKg, parseYuanInput, signedYuan, weighInPayout } from '../../src/technician/money'

describe('technician money', () => {
  it('reads an extra charge typed in yuan, refusing what is not an amount', () => {
    expect(parseYuanInput('20')).toBe(2000)
    expect(parseYuanInput(' 20.5 ')).toBe(2050)
    expect(parseYuanInput('0.01')).toBe(1)
    expect(parseYuanInput('0')).toBeNull()
    expect(parseYuanInput('20.555')).toBeNull()
    expect(parseYuanInput('-5')).toBeNull()
    expect(parseYuanInput('abc')).toBeNull()
    expect(fenToYuan(2050)).toBe('20.50')
    expect(fenToYuan(7)).toBe('0.07')
    expect(() => fenToYuan(1.5)).toThrow(TypeError)
  })

  it('prices a weigh-in line as the server does (fen, half up) without floating point', () => {
    expect(lineFen('1.20', '3.5')).toBe(420)
    expect(lineFen('0.85', '2.345')).toBe(199) // 199.325 fen → 199
    expect(lineFen('0.90', '0.005')).toBe(0) // 0.45 fen → 0
    expect(lineFen('0.10', '0.005')).toBe(0) // 0.05 fen
    expect(lineFen('1.00', '0.005')).toBe(1) // 0.5 fen → 1 (half up)
    expect(lineFen('2.35', 10.1)).toBe(2374) // 2373.5 → 2374
  })

  it('shows the payout before submitting, lines not weighed yet counting nothing', () => {
    expect(parseKg('3.456')).toBe(3.456)
    expect(parseKg('3.4567')).toBeNull()
    expect(parseKg('0')).toBeNull()
    const payout = weighInPayout([
      { waste_type: '纸类', price_per_kg: '1.20', weight: '3.5' },
      { waste_type: '塑料', price_per_kg: '0.85', weight: '' },
      { waste_type: '金属', price_per_kg: '2.35', weight: '10.1' },
    ])
    expect(payout.lines.map((l) => l.fen)).toEqual([420, null, 2374])
    expect(payout.totalFen).toBe(2794)
  })

  it('signs earnings and withdrawals', () => {
    expect(signedYuan('120.00')).toBe('+¥120.00')
    expect(signedYuan('50.00', true)).toBe('-¥50.00')
  })
})
