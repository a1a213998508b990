import { messageOf } from '@home-service/shared'

export { confirmDialog, shortTime, showError, showOk, useAction, useLoad } from '@home-service/shared/src/uni/ui'
export { fileUrl } from '../api'

/** A refusal the technician must read and act on (too far, not online…): a dialog, not a toast. */
export function showRefusal(title: string, error: unknown): Promise<void> {
  return new Promise((resolve) =>
    uni.showModal({ title, content: messageOf(error), showCancel: false, confirmText: '知道了', complete: () => resolve() }),
  )
}

/** "09:00" of a server time */
export function clock(moment: string | null | undefined): string {
  const m = moment ? /[ T](\d{2}:\d{2})/.exec(moment) : null
  return m ? m[1] : ''
}
