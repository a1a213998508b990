import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { statusLabel, t } from '@home-service/shared'
import '../i18n'
import { expectChineseForEveryKey } from '../../shared/test-support/i18n'

describe('Chinese first, English for every label', () => {
  it('every t() key the app uses has a Chinese line', () => {
    expectChineseForEveryKey(resolve(__dirname, '..'))
  })

  it('booking statuses read in Chinese when the server answered in English', () => {
    expect(statusLabel('Pending Dispatch', 'Pending Dispatch')).toBe('待派单')
    expect(statusLabel('Completed', null)).toBe('已完成')
    expect(statusLabel('质检', '质检')).toBe('质检') // a state an administrator named keeps its name
    expect(t('Completed', 'en')).toBe('Completed')
  })
})
