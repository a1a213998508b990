/**
 * Job photos, uploaded one at a time with progress, on a bad connection: a failed upload stays in
 * the list with a retry, a photo can be retaken (the new file replaces it, whatever state the old one
 * was in), and `complete` is only offered once every photo is uploaded. The uploader is the
 * platform's (uni.uploadFile with onProgressUpdate in the app, a fake in tests).
 */
export type PhotoStage = 'Before' | 'During' | 'After'
export type PhotoState = 'queued' | 'uploading' | 'done' | 'failed'

export interface Photo {
  id: number
  stage: PhotoStage
  /** the local file (a temp path from chooseImage / the camera, a blob: URL on H5) */
  path: string
  state: PhotoState
  /** 0–100 */
  progress: number
  file_url: string | null
  error: string | null
  /** bumped by a retake: an upload of the previous picture that ends later is ignored */
  generation?: number
}

export type Uploader = (photo: Photo, onProgress: (percent: number) => void) => Promise<string>

export class PhotoQueue {
  readonly photos: Photo[] = []
  private upload: Uploader
  private onChange: () => void
  private nextId = 1
  private working = false

  constructor(upload: Uploader, onChange: () => void = () => {}) {
    this.upload = upload
    this.onChange = onChange
  }

  add(path: string, stage: PhotoStage): Photo {
    const photo: Photo = { id: this.nextId++, stage, path, state: 'queued', progress: 0, file_url: null, error: null }
    this.photos.push(photo)
    this.changed()
    return photo
  }

  /** A new picture for this photo: uploaded again, the old file forgotten. */
  retake(id: number, path: string): void {
    const photo = this.find(id)
    photo.path = path
    photo.file_url = null
    photo.progress = 0
    photo.error = null
    photo.state = 'queued'
    photo.generation = (photo.generation ?? 0) + 1
    this.changed()
  }

  retry(id: number): void {
    const photo = this.find(id)
    if (photo.state !== 'failed') return
    photo.state = 'queued'
    photo.error = null
    photo.progress = 0
    this.changed()
  }

  remove(id: number): void {
    const at = this.photos.findIndex((p) => p.id === id)
    if (at >= 0) this.photos.splice(at, 1)
    this.changed()
  }

  /** Upload what is queued, one by one; resolves when nothing is left to send. */
  async drain(): Promise<void> {
    if (this.working) return
    this.working = true
    try {
      for (let photo = this.nextQueued(); photo; photo = this.nextQueued()) {
        await this.uploadOne(photo)
      }
    } finally {
      this.working = false
    }
  }

  get busy(): boolean {
    return this.photos.some((p) => p.state === 'queued' || p.state === 'uploading')
  }

  get failed(): Photo[] {
    return this.photos.filter((p) => p.state === 'failed')
  }

  /** Every photo uploaded and at least one of `stage` (complete needs an After photo). */
  readyFor(stage: PhotoStage): boolean {
    return !this.busy && this.failed.length === 0 && this.photos.some((p) => p.stage === stage && p.state === 'done')
  }

  /** What `complete` takes: the uploaded photos with their stage. */
  uploaded(): Array<{ file_url: string; stage: PhotoStage }> {
    return this.photos.filter((p) => p.state === 'done' && p.file_url).map((p) => ({ file_url: p.file_url!, stage: p.stage }))
  }

  private nextQueued(): Photo | undefined {
    return this.photos.find((p) => p.state === 'queued')
  }

  private async uploadOne(photo: Photo): Promise<void> {
    const generation = photo.generation ?? 0
    photo.state = 'uploading'
    photo.progress = 0
    this.changed()
    const current = () => this.photos.includes(photo) && (photo.generation ?? 0) === generation
    try {
      const url = await this.upload({ ...photo }, (percent) => {
        if (!current()) return
        photo.progress = Math.max(photo.progress, Math.min(100, Math.round(percent)))
        this.changed()
      })
      if (!current()) return // retaken or removed while it was uploading: the new picture counts
      photo.file_url = url
      photo.progress = 100
      photo.state = 'done'
    } catch (e) {
      if (!current()) return
      photo.state = 'failed'
      photo.error = (e as Error)?.message ?? String(e)
    }
    this.changed()
  }

  private find(id: number): Photo {
    const photo = this.photos.find((p) => p.id === id)
    if (!photo) throw new Error(`no photo ${id}`)
    return photo
  }

  private changed(): void {
    this.onChange()
  }
}
