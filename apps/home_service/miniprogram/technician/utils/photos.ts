/** Job photos: chosen from the camera or album, uploaded through upload_photo with progress. */
import { PhotoQueue, type Photo } from '@home-service/shared/src/technician'
import { uploadFile } from '../api'

export function photoQueue(booking: string, onChange: () => void): PhotoQueue {
  return new PhotoQueue(async (photo: Photo, onProgress) => {
    const answer = await uploadFile('technician.jobs.upload_photo', photo.path, { booking }, onProgress)
    return String(answer.file_url)
  }, onChange)
}

/** One picture from the camera or the album (the platform asks which). */
export function choosePicture(): Promise<string | null> {
  return new Promise((resolve) =>
    uni.chooseImage({
      count: 1,
      sizeType: ['compressed'],
      sourceType: ['camera', 'album'],
      success: (r) => resolve((r.tempFilePaths as string[])[0] ?? null),
      fail: () => resolve(null),
    }),
  )
}
