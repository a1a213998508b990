/**
 * Photos on a review or complaint form: each chosen picture is uploaded at once (with its progress),
 * can be retaken (another picture in its place) or removed, and a failed upload retried. The form
 * sends `urls` (the uploaded ones, in the order shown) and waits while `busy`.
 *
 * The uploader is the platform's (uni.uploadFile in the app, a fake in tests). An answer for a
 * picture that was retaken or removed meanwhile is dropped.
 */
import { computed, reactive } from 'vue'
import { messageOf } from '@home-service/shared'

export type Uploader = (path: string, onProgress: (percent: number) => void) => Promise<string>

export interface Photo {
  id: number
  /** the local picture (shown while and after it uploads: a private file cannot be shown by URL) */
  path: string
  url: string | null
  state: 'uploading' | 'done' | 'error'
  progress: number
  error: string | null
  /** which upload of this slot counts (a retake starts a new one) */
  attempt: number
}

export function usePhotoUploads(upload: Uploader, max = 9) {
  const photos = reactive<Photo[]>([])
  let ids = 0

  const urls = computed(() => photos.filter((p) => p.state === 'done' && p.url).map((p) => p.url as string))
  const busy = computed(() => photos.some((p) => p.state === 'uploading'))
  const failed = computed(() => photos.some((p) => p.state === 'error'))
  const room = computed(() => Math.max(0, max - photos.length))

  function start(photo: Photo): Promise<void> {
    const attempt = ++photo.attempt
    Object.assign(photo, { state: 'uploading', progress: 0, url: null, error: null })
    const current = () => photos.includes(photo) && photo.attempt === attempt
    return upload(photo.path, (percent) => {
      if (current()) photo.progress = Math.max(photo.progress, Math.min(100, Math.round(percent)))
    }).then(
      (url) => {
        if (current()) Object.assign(photo, { state: 'done', progress: 100, url })
      },
      (error) => {
        if (current()) Object.assign(photo, { state: 'error', error: messageOf(error) })
      },
    )
  }

  /** Add chosen pictures (beyond `max` they are left out); resolves when their uploads end. */
  function add(paths: string[]): Promise<void> {
    const added = paths.slice(0, room.value).map((path) => {
      photos.push({ id: ++ids, path, url: null, state: 'uploading', progress: 0, error: null, attempt: 0 })
      return photos[photos.length - 1]
    })
    return Promise.all(added.map(start)).then(() => undefined)
  }

  /** Another picture in place of photo `id`. */
  function retake(id: number, path: string): Promise<void> {
    const photo = photos.find((p) => p.id === id)
    if (!photo) return Promise.resolve()
    photo.path = path
    return start(photo)
  }

  function retry(id: number): Promise<void> {
    const photo = photos.find((p) => p.id === id)
    return photo && photo.state === 'error' ? start(photo) : Promise.resolve()
  }

  function remove(id: number): void {
    const index = photos.findIndex((p) => p.id === id)
    if (index >= 0) photos.splice(index, 1)
  }

  function clear(): void {
    photos.splice(0, photos.length)
  }

  return { photos, urls, busy, failed, room, add, retake, retry, remove, clear }
}
