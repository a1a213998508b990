/// <reference types="@dcloudio/types" />
/** What both apps show the same way: API errors as toasts, a page's load state, one action at a time. */
import { ref } from 'vue'
import { ApiError, messageOf, t } from '../index'

/** Show an API error's readable message (a 401 has already sent the user to log in). */
export function showError(error: unknown): void {
  if (error instanceof ApiError && error.kind === 'unauthenticated') return
  uni.showToast({ title: messageOf(error), icon: 'none', duration: 3000 })
}

export function showOk(title: string): void {
  uni.showToast({ title, icon: 'success', duration: 1500 })
}

/** A page's load: `loading`, `error` (shown with a retry button) and `run(fn)`. */
export function useLoad() {
  const loading = ref(false)
  const error = ref<string | null>(null)
  const retryable = ref(false)
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    loading.value = true
    error.value = null
    try {
      return await fn()
    } catch (e) {
      if (!(e instanceof ApiError && e.kind === 'unauthenticated')) {
        error.value = messageOf(e)
        retryable.value = !(e instanceof ApiError) || e.retryable || e.status >= 500
      }
      return undefined
    } finally {
      loading.value = false
    }
  }
  return { loading, error, retryable, run }
}

/** One action at a time: a second tap while the first is in flight does nothing (no double booking, no double check-in). */
export function useAction() {
  const busy = ref(false)
  async function act<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined
    busy.value = true
    try {
      return await fn()
    } catch (e) {
      showError(e)
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { busy, act }
}

export function confirmDialog(title: string, content: string, confirmText = t('OK')): Promise<boolean> {
  return new Promise((resolve) =>
    uni.showModal({ title, content, confirmText, cancelText: t('Cancel'), success: (r) => resolve(Boolean(r.confirm)), fail: () => resolve(false) }),
  )
}

/** "2026-12-08 09:00:00" → "12月08日 09:00" (English: "12-08 09:00") */
export function shortTime(moment: string | null | undefined): string {
  if (!moment) return ''
  const m = /^\d{4}-(\d{2})-(\d{2})[ T](\d{2}:\d{2})/.exec(moment)
  return m ? t('{0}-{1} {2}', m[1], m[2], m[3]) : moment
}
