/**
 * Chinese first, English for every label: the English text is the key (as Frappe's own `_()`),
 * the Chinese line lives in ZH. A missing Chinese line shows the English text (and a unit test
 * lists every key the pages use without one).
 */
export type Lang = 'zh-CN' | 'en'

let current: Lang = 'zh-CN'

export const ZH: Record<string, string> = {
  // both apps' common UI (uni/ui.ts, components/StateView.vue)
  OK: '确定',
  Cancel: '取消',
  'Loading…': '加载中…',
  'Retry': '重试',
  'Nothing here yet': '暂无内容',
  '{0}-{1} {2}': '{0}月{1}日 {2}',
  // errors (errors.ts)
  'Your login has expired. Please log in again.': '登录已过期，请重新登录',
  'This changed in the meantime. Please refresh and try again.': '信息已变化，请刷新后重试',
  'Please check what you entered.': '请检查填写的内容',
  'Network unavailable. Check your connection and try again.': '网络不可用，请检查网络后重试',
  'Too many attempts. Please wait a minute and try again.': '操作太频繁，请稍后再试',
  'The service is busy right now. Please try again shortly.': '服务繁忙，请稍后再试',
  'Something went wrong. Please try again.': '出错了，请重试',
  // slots (slots.ts)
  Today: '今天',
  Tomorrow: '明天',
  'Full': '已约满',
  'Only {0} left': '仅剩{0}个',
  'Available': '可预约',
  Sun: '周日',
  Mon: '周一',
  Tue: '周二',
  Wed: '周三',
  Thu: '周四',
  Fri: '周五',
  Sat: '周六',
  // booking statuses (booking/lifecycle.py Status): the server's label is used when it is translated
  'Pending Payment': '待支付',
  'Pending Dispatch': '待派单',
  Offered: '派单中',
  Assigned: '已接单',
  'On The Way': '师傅在路上',
  Arrived: '师傅已到达',
  'In Service': '服务中',
  'Awaiting Confirmation': '待确认',
  Completed: '已完成',
  Cancelled: '已取消',
  Refunded: '已退款',
  Exception: '异常处理中',
  Paid: '已支付',
  Unpaid: '未支付',
  'Partly Refunded': '部分退款',
  // points entry types (marketing/points.py)
  Payment: '消费得积分',
  Review: '评价得积分',
  Recycling: '回收得积分',
  Redemption: '积分抵扣',
  Return: '退回积分',
  Expiry: '积分过期',
  Adjustment: '积分调整',
}

export function setLang(lang: Lang): void {
  current = lang
}

export function getLang(): Lang {
  return current
}

/** Register more lines (each app adds its own labels). */
export function addMessages(lines: Record<string, string>): void {
  Object.assign(ZH, lines)
}

/** The label in `lang`; `{0}`, `{1}` … are replaced by `args`. */
export function t(text: string, langOrArg?: Lang | string | number, ...args: Array<string | number>): string {
  let lang = current
  if (langOrArg === 'zh-CN' || langOrArg === 'en') lang = langOrArg
  else if (langOrArg !== undefined) args = [langOrArg, ...args]
  const line = lang === 'zh-CN' ? (ZH[text] ?? text) : text
  return line.replace(/\{(\d+)\}/g, (whole, i) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole))
}

/** A booking state as the apps show it: the server's translated label, else ours for the status,
 * else the state's own name (a state an administrator added in the site's Workflow). */
export function statusLabel(state: string | null | undefined, label?: string | null, lang: Lang = current): string {
  const key = state ?? ''
  if (label && label !== key) return label
  return t(key, lang)
}
