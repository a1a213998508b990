import type { Lang } from '@home-service/shared'

/** The app's language from the platform's locale (uni.getLocale: "zh-Hans", "en", "en-US" …):
 * English for an English locale, Chinese for everything else (Chinese first). */
export function langOf(locale: string | null | undefined): Lang {
  return /^en\b|^en[-_]/i.test(locale ?? '') ? 'en' : 'zh-CN'
}
