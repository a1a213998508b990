import { describe, expect, it } from 'vitest'
import { ApiError, type Paged } from '@home-service/shared'
import { usePagedList } from '../../src/uni/paged'

/** A server of `total` numbered rows, `size` a page, whose answers the test releases one by one. */
function server(total: number, size = 2) {
  const calls: number[] = []
  const pending: Array<{ page: number; resolve: () => void; reject: (e: unknown) => void }> = []
  const fetchPage = (page: number) =>
    new Promise<Paged<number> & { extra: string }>((resolve, reject) => {
      calls.push(page)
      const items = Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => (page - 1) * size + i + 1)
      pending.push({
        page,
        resolve: () => resolve({ items, page, page_size: size, total, has_more: page * size < total, extra: `p${page}` }),
        reject,
      })
    })
  const release = async (fail?: unknown, index = 0) => {
    const [call] = pending.splice(index, 1)
    if (fail) call.reject(fail)
    else call.resolve()
    await new Promise((r) => setTimeout(r, 0))
  }
  return { calls, pending, fetchPage, release }
}

describe('usePagedList (points, wallet, messages, orders, catalogue)', () => {
  it('loads page 1, then each next page once, until the last', async () => {
    const s = server(5)
    const extras: string[] = []
    const list = usePagedList(s.fetchPage, (answer) => extras.push(answer.extra))
    const first = list.reload()
    expect(list.loading.value).toBe(true)
    await s.release()
    await first
    expect(list.rows.value).toEqual([1, 2])
    expect(list.more.value).toBeUndefined()
    expect(extras).toEqual(['p1'])

    const second = list.next()
    list.next() // a second reach-bottom while page 2 loads asks nothing more
    expect(list.more.value).toBe('loading')
    expect(s.calls).toEqual([1, 2])
    await s.release()
    await second
    const third = list.next()
    await s.release()
    await third
    expect(list.rows.value).toEqual([1, 2, 3, 4, 5])
    expect(list.more.value).toBe('finished')
    await list.next()
    expect(s.calls).toEqual([1, 2, 3])
    expect(extras).toEqual(['p1']) // only the first page's answer is handed over
  })

  it('a failed next page offers a retry that asks for the same page', async () => {
    const s = server(6)
    const list = usePagedList(s.fetchPage)
    const first = list.reload()
    await s.release()
    await first
    const failing = list.next()
    await s.release(new Error('offline'))
    await failing
    expect(list.more.value).toBe('error')
    expect(list.page.value).toBe(1)
    const retry = list.next()
    await s.release()
    await retry
    expect(s.calls).toEqual([1, 2, 2])
    expect(list.rows.value).toEqual([1, 2, 3, 4])
  })

  it('a failed first page shows the error and asks for no next page', async () => {
    const s = server(6)
    const list = usePagedList(s.fetchPage)
    const first = list.reload()
    await s.release(new ApiError(503, 'SERVICE_UNAVAILABLE', '服务繁忙，请稍后再试'))
    await first
    expect(list.error.value).toBe('服务繁忙，请稍后再试')
    expect(list.retryable.value).toBe(true)
    await list.next()
    expect(s.calls).toEqual([1])
  })

  it('a reload drops a late answer of the list it replaced (a tab or sort changed)', async () => {
    const s = server(10)
    const list = usePagedList(s.fetchPage)
    const first = list.reload()
    await s.release()
    await first
    const stale = list.next() // page 2 of the old list is on its way
    const fresh = list.reload()
    await s.release(undefined, 1) // the new page 1 first
    await fresh
    await s.release() // then the old page 2
    await stale
    expect(list.rows.value).toEqual([1, 2])
    expect(list.page.value).toBe(1)
    expect(list.more.value).toBeUndefined()
  })
})
