import { describe, expect, it } from 'vitest'
import { PhotoQueue, type Photo } from '../../src/technician/photos'

/** An uploader whose uploads the test finishes or fails one by one. */
function controlled() {
  const calls: Array<{ photo: Photo; progress: (p: number) => void; ok: (url: string) => void; fail: (e: Error) => void }> = []
  const upload = (photo: Photo, progress: (p: number) => void) =>
    new Promise<string>((ok, fail) => calls.push({ photo, progress, ok, fail }))
  return { calls, upload }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('photo queue', () => {
  it('uploads one at a time with progress, then lists what complete takes', async () => {
    const { calls, upload } = controlled()
    let changes = 0
    const queue = new PhotoQueue(upload, () => (changes += 1))
    queue.add('/tmp/before.jpg', 'Before')
    queue.add('/tmp/after.jpg', 'After')
    const drained = queue.drain()
    await tick()
    expect(calls).toHaveLength(1) // one at a time
    calls[0].progress(40)
    expect(queue.photos[0]).toMatchObject({ state: 'uploading', progress: 40 })
    calls[0].progress(20) // progress never goes back
    expect(queue.photos[0].progress).toBe(40)
    calls[0].ok('/private/files/before.jpg')
    await tick()
    expect(calls).toHaveLength(2)
    expect(queue.readyFor('After')).toBe(false)
    calls[1].ok('/private/files/after.jpg')
    await drained
    expect(queue.readyFor('After')).toBe(true)
    expect(queue.uploaded()).toEqual([
      { file_url: '/private/files/before.jpg', stage: 'Before' },
      { file_url: '/private/files/after.jpg', stage: 'After' },
    ])
    expect(changes).toBeGreaterThan(4)
  })

  it('keeps a failed upload with a retry, and is not ready until it went through', async () => {
    const { calls, upload } = controlled()
    const queue = new PhotoQueue(upload)
    const photo = queue.add('/tmp/after.jpg', 'After')
    let drained = queue.drain()
    await tick()
    calls[0].fail(new Error('网络不可用'))
    await drained
    expect(queue.photos[0]).toMatchObject({ state: 'failed', error: '网络不可用' })
    expect(queue.failed).toHaveLength(1)
    expect(queue.readyFor('After')).toBe(false)
    queue.retry(photo.id)
    drained = queue.drain()
    await tick()
    expect(calls[1].photo.path).toBe('/tmp/after.jpg')
    calls[1].ok('/private/files/after.jpg')
    await drained
    expect(queue.readyFor('After')).toBe(true)
  })

  it('uses the retaken picture even when the old upload finishes later', async () => {
    const { calls, upload } = controlled()
    const queue = new PhotoQueue(upload)
    const photo = queue.add('/tmp/blurred.jpg', 'After')
    const drained = queue.drain()
    await tick()
    queue.retake(photo.id, '/tmp/sharp.jpg')
    calls[0].ok('/private/files/blurred.jpg') // the old upload ends after the retake
    await tick()
    expect(calls).toHaveLength(2)
    expect(calls[1].photo.path).toBe('/tmp/sharp.jpg')
    expect(queue.photos[0].file_url).toBeNull()
    calls[1].ok('/private/files/sharp.jpg')
    await drained
    expect(queue.uploaded()).toEqual([{ file_url: '/private/files/sharp.jpg', stage: 'After' }])
  })

  it('forgets a removed photo, even mid-upload', async () => {
    const { calls, upload } = controlled()
    const queue = new PhotoQueue(upload)
    const photo = queue.add('/tmp/x.jpg', 'Before')
    const drained = queue.drain()
    await tick()
    queue.remove(photo.id)
    calls[0].ok('/private/files/x.jpg')
    await drained
    expect(queue.photos).toEqual([])
    expect(queue.uploaded()).toEqual([])
  })
})
