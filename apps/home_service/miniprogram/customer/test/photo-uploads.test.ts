import { describe, expect, it } from 'vitest'
import { ApiError } from '@home-service/shared'
import { usePhotoUploads } from '../utils/photo-uploads'

/** An uploader whose uploads the test drives: progress, then success or failure. */
function fakeUploader() {
  const uploads: Array<{ path: string; progress: (p: number) => void; done: (url: string) => void; fail: (e: unknown) => void }> = []
  const upload = (path: string, progress: (p: number) => void) =>
    new Promise<string>((done, fail) => uploads.push({ path, progress, done, fail }))
  return { uploads, upload }
}
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('photos of a review or complaint', () => {
  it('uploads each chosen picture with its progress, and the form waits for them', async () => {
    const fake = fakeUploader()
    const p = usePhotoUploads(fake.upload, 9)
    p.add(['blob:a', 'blob:b'])
    expect(p.photos.map((x) => x.state)).toEqual(['uploading', 'uploading'])
    expect(p.busy.value).toBe(true)
    fake.uploads[0].progress(42.4)
    fake.uploads[0].progress(30) // progress never goes back
    expect(p.photos[0].progress).toBe(42)
    fake.uploads[1].done('/private/files/B.png')
    fake.uploads[0].done('/private/files/A.png')
    await tick()
    expect(p.busy.value).toBe(false)
    expect(p.urls.value).toEqual(['/private/files/A.png', '/private/files/B.png']) // the order shown
  })

  it('a failed upload shows the reason and can be retried', async () => {
    const fake = fakeUploader()
    const p = usePhotoUploads(fake.upload)
    p.add(['blob:big'])
    fake.uploads[0].fail(new ApiError(413, 'FILE_TOO_LARGE', 'The file is larger than 5.0 MB.'))
    await tick()
    expect(p.photos[0]).toMatchObject({ state: 'error', error: 'The file is larger than 5.0 MB.' })
    expect(p.failed.value).toBe(true)
    expect(p.urls.value).toEqual([])
    p.retry(p.photos[0].id)
    expect(fake.uploads.map((u) => u.path)).toEqual(['blob:big', 'blob:big'])
    fake.uploads[1].done('/private/files/X.png')
    await tick()
    expect(p.urls.value).toEqual(['/private/files/X.png'])
  })

  it('a retake replaces the picture; the late answer of the replaced upload is dropped', async () => {
    const fake = fakeUploader()
    const p = usePhotoUploads(fake.upload)
    p.add(['blob:blurred'])
    const id = p.photos[0].id
    p.retake(id, 'blob:sharp')
    fake.uploads[1].done('/private/files/sharp.png')
    fake.uploads[0].done('/private/files/blurred.png')
    await tick()
    expect(p.photos).toHaveLength(1)
    expect(p.photos[0].path).toBe('blob:sharp')
    expect(p.urls.value).toEqual(['/private/files/sharp.png'])
  })

  it('removed pictures are not sent, and no more than the maximum are added', async () => {
    const fake = fakeUploader()
    const p = usePhotoUploads(fake.upload, 3)
    p.add(['blob:1', 'blob:2', 'blob:3', 'blob:4'])
    expect(p.photos.map((x) => x.path)).toEqual(['blob:1', 'blob:2', 'blob:3'])
    expect(p.room.value).toBe(0)
    p.remove(p.photos[1].id)
    fake.uploads.forEach((u, i) => u.done(`/private/files/${i + 1}.png`))
    await tick()
    expect(p.urls.value).toEqual(['/private/files/1.png', '/private/files/3.png'])
    expect(p.room.value).toBe(1)
  })
})
