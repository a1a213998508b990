/**
 * A photo upload to customer.uploads.upload_photo with uni.uploadFile (multipart field `file`; on
 * H5 the picked picture is a blob: URL, which uni-h5 sends the same way). The answer is read like
 * every API answer: a 4xx shows the server's message (413 too large, 415 not an image), a 401 logs
 * the user out and sends them to log in.
 */
import { getLang, networkError, toApiError } from '@home-service/shared'
import { api, goLogin, tokens } from '../api'
import type { Uploader } from '../utils/photo-uploads'

export function photoUploader(booking: string): Uploader {
  return (path, onProgress) =>
    new Promise<string>((resolve, reject) => {
      const lang = getLang()
      const header: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang, ...api.options.headers }
      const token = tokens.token()
      if (token) header['X-HS-Token'] = token
      const task = uni.uploadFile({
        url: api.url('customer.uploads.upload_photo'),
        filePath: path,
        name: 'file',
        formData: { booking },
        header,
        timeout: 60_000,
        success: (answer) => {
          let body: unknown = answer.data
          try {
            body = typeof answer.data === 'string' ? JSON.parse(answer.data) : answer.data
          } catch {
            // not JSON (a proxy's page): toApiError gives the status's own message
          }
          const message = (body as { message?: { file_url?: string } } | null)?.message
          if (answer.statusCode >= 200 && answer.statusCode < 300 && message?.file_url) {
            resolve(message.file_url)
            return
          }
          const error = toApiError(answer.statusCode, body, lang)
          if (error.kind === 'unauthenticated') {
            tokens.clear()
            goLogin()
          }
          reject(error)
        },
        fail: (failure) => reject(networkError(/timeout/i.test(failure?.errMsg ?? ''), lang)),
      })
      task?.onProgressUpdate?.((update) => onProgress(update.progress))
    })
}
