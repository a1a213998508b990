/**
 * For each app's i18n test: every t('…') key its sources use must have a Chinese line (Chinese is
 * the apps' first language). Outside shared/tsconfig.json's files: it reads the disk with node:fs,
 * and the shared package has no Node types.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect } from 'vitest'
import { ZH } from '@home-service/shared'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (['node_modules', 'dist', 'test'].includes(name)) return []
    return statSync(path).isDirectory() ? sources(path) : /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

/** The t() keys used under `root` (an app's folder; its tests, build output and packages left out). */
export function keysUsed(root: string): Set<string> {
  const keys = new Set<string>()
  for (const file of sources(root)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([^']+)'/g)) keys.add(match[1])
  }
  return keys
}

/** What of the shared package the apps show: its t() keys must have a Chinese line in every app. */
export const SHARED_UI = [resolve(__dirname, '../src/uni'), resolve(__dirname, '../components')]

/** Every t() key used under the app's folder and the shared UI has a Chinese line (the app's i18n loaded). */
export function expectChineseForEveryKey(root: string): void {
  const keys = new Set([root, ...SHARED_UI].flatMap((dir) => [...keysUsed(dir)]))
  expect(keys.size).toBeGreaterThan(3) // the scan finds the keys at all
  expect([...keys].filter((key) => !(key in ZH))).toEqual([])
}
