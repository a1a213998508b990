import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ZH, statusLabel, t } from '@home-service/shared'
import '../i18n'

const root = resolve(__dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (['node_modules', 'dist', 'test'].includes(name)) return []
    return statSync(path).isDirectory() ? sources(path) : /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

describe('Chinese first, English for every label', () => {
  it('every t() key the app uses has a Chinese line', () => {
    const keys = new Set<string>()
    for (const file of sources(root)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([^']+)'/g)) keys.add(match[1])
    }
    expect([...keys].filter((key) => !(key in ZH))).toEqual([])
  })

  it('booking statuses read in Chinese when the server answered in English', () => {
    expect(statusLabel('Pending Dispatch', 'Pending Dispatch')).toBe('待派单')
    expect(statusLabel('Completed', null)).toBe('已完成')
    expect(statusLabel('质检', '质检')).toBe('质检') // a state an administrator named keeps its name
    expect(t('Completed', 'en')).toBe('Completed')
  })
})
