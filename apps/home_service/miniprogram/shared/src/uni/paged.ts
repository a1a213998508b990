/**
 * One paged list for every page that shows one (orders, points, wallet, messages, catalogue, jobs): the first
 * page through useLoad (loading, error with retry), the next pages on reaching the bottom with
 * wot-design-uni's <wd-loadmore :state="more" @reload="next">.
 *
 * A reload (pull to refresh, a new tab, sort or filter) starts a new generation: an answer of an
 * earlier one that arrives late is dropped, so rows of one tab never end up under another.
 */
import { ref, type Ref } from 'vue'
import type { Paged } from '../models'
import { useLoad } from './ui'

/** wd-loadmore's states; undefined shows nothing (more to load on reaching the bottom). */
export type MoreState = 'loading' | 'finished' | 'error' | undefined

export function usePagedList<T, A extends Paged<T> = Paged<T>>(
  fetchPage: (page: number) => Promise<A>,
  /** the first page's whole answer, for what comes with it (an unread count, a balance) */
  onFirstPage?: (answer: A) => void,
) {
  const rows = ref([]) as Ref<T[]>
  const page = ref(1)
  const more = ref<MoreState>()
  const { loading, error, retryable, run } = useLoad()
  let generation = 0

  /** Page 1 again; resolves once it is shown (or failed: `error` says why). */
  async function reload(): Promise<void> {
    const mine = ++generation
    more.value = undefined
    await run(async () => {
      const answer = await fetchPage(1)
      if (mine !== generation) return
      rows.value = answer.items
      page.value = 1
      more.value = answer.has_more ? undefined : 'finished'
      onFirstPage?.(answer)
    })
  }

  /** The next page, once: a call while one is loading or after the last page does nothing. */
  async function next(): Promise<void> {
    if (loading.value || error.value || more.value === 'finished' || more.value === 'loading') return
    const mine = generation
    more.value = 'loading'
    try {
      const answer = await fetchPage(page.value + 1)
      if (mine !== generation) return
      page.value += 1
      rows.value.push(...answer.items)
      more.value = answer.has_more ? undefined : 'finished'
    } catch {
      if (mine === generation) more.value = 'error' // wd-loadmore offers "tap to retry" → next()
    }
  }

  return { rows, page, more, loading, error, retryable, reload, next }
}
