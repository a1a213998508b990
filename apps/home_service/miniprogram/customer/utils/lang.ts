import type { Lang } from '@home-service/shared'

/** The app's language from the platform's locale (uni.getLocale: "zh-Hans", "en", "en-US" …):
 * English for an English locale, Chinese for everything else (Chinese first). */
export function langOf(locale: string | null | undefined): Lang {
  return /^en\b|^en[-_]/i.test(locale ?? '') ? 'en' : 'zh-CN'
}

/** The phone's (or browser's) language. Not uni.getLocale(): manifest.json fixes that to zh-Hans for
 * uni's own texts, whatever the phone says. */
export function phoneLanguage(): string | undefined {
  // #ifdef H5
  return typeof navigator !== 'undefined' ? navigator.language : undefined
  // #endif
  // #ifndef H5
  return uni.getSystemInfoSync().language // WeChat: its own language setting (zh_CN, en)
  // #endif
}
