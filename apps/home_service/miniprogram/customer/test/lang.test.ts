import { afterEach, describe, expect, it } from 'vitest'
import { setLang, t } from '@home-service/shared'
import '../i18n'
import { langOf } from '../utils/lang'

describe('the app language', () => {
  afterEach(() => setLang('zh-CN'))

  it('is English on an English phone and Chinese otherwise', () => {
    expect(['en', 'en-US', 'EN_gb'].map(langOf)).toEqual(['en', 'en', 'en'])
    expect(['zh-Hans', 'zh-CN', 'zh_TW', 'fr', 'english?', '', null, undefined].map(langOf)).toEqual(Array(8).fill('zh-CN'))
  })

  it('shows the English label in English and the Chinese line otherwise', () => {
    expect(t('Add address')).toBe('新增地址')
    expect(t('Uploading {0}%', 40)).toBe('上传中 40%')
    setLang(langOf('en-US'))
    expect(t('Add address')).toBe('Add address')
    expect(t('Uploading {0}%', 40)).toBe('Uploading 40%')
  })
})

describe('times in lists', () => {
  afterEach(() => setLang('zh-CN'))

  it('read as month and day in the app language', async () => {
    const { shortTime } = await import('../utils/ui')
    expect(shortTime('2026-12-08 09:00:00')).toBe('12月08日 09:00')
    setLang('en')
    expect(shortTime('2026-12-08 09:00:00')).toBe('12-08 09:00')
    expect(shortTime('soon')).toBe('soon')
    expect(shortTime(null)).toBe('')
  })
})
