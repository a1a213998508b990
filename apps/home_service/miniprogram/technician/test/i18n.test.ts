import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { t } from '@home-service/shared'
import '../i18n'
import { expectChineseForEveryKey } from '../../shared/test-support/i18n'

describe('technician app: Chinese first, English for every label', () => {
  it('every t() key the app uses has a Chinese line', () => {
    expectChineseForEveryKey(resolve(__dirname, '..'))
  })

  it('reads presence, steps and review states in Chinese, and in English when asked', () => {
    expect(t('Online')).toBe('接单中')
    expect(t('arrive')).toBe('到达打卡')
    expect(t('Waiting User Confirmation')).toBe('待确认收款')
    expect(t('{0} km away', 1.5)).toBe('距离 1.5 公里')
    expect(t('{0} km away', 'en', 1.5)).toBe('1.5 km away')
  })
})
