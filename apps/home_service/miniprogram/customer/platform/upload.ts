/**
 * A photo upload to customer.uploads.upload_photo with the client's uploadFile (multipart field `file`;
 * on H5 the picked picture is a blob: URL, which uni-h5 sends the same way). A 4xx shows the server's
 * message (413 too large, 415 not an image), a 401 logs the user out and sends them to log in.
 */
import { getLang, toApiError } from '@home-service/shared'
import { uploadFile } from '../api'
import type { Uploader } from '../utils/photo-uploads'

export function photoUploader(booking: string): Uploader {
  return async (path, onProgress) => {
    const answer = await uploadFile('customer.uploads.upload_photo', path, { booking }, onProgress)
    if (typeof answer.file_url === 'string' && answer.file_url) return answer.file_url
    // a 2xx without the file's URL: not the answer of this method (a proxy's page)
    throw toApiError(200, { message: answer }, getLang())
  }
}
