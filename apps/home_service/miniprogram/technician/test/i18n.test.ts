import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ZH, t } from '@home-service/shared'
import '../i18n'

const root = resolve(__dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (['node_modules', 'dist', 'test'].includes(name)) return []
    return statSync(path).isDirectory() ? sources(path) : /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

describe('technician app: Chinese first, English for every label', () => {
  it('every t() key the app uses has a Chinese line', () => {
    const keys = new Set<string>()
    for (const file of sources(root)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([^']+)'/g)) keys.add(match[1])
    }
    expect(keys.size).toBeGreaterThan(3) // the scan finds the keys at all
    expect([...keys].filter((key) => !(key in ZH))).toEqual([])
  })

  it('reads presence, steps and review states in Chinese, and in English when asked', () => {
    expect(t('Online')).toBe('接单中')
    expect(t('arrive')).toBe('到达打卡')
    expect(t('Waiting User Confirmation')).toBe('待确认收款')
    expect(t('{0} km away', 1.5)).toBe('距离 1.5 公里')
    expect(t('{0} km away', 'en', 1.5)).toBe('1.5 km away')
  })
})
