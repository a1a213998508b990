import { fileUrl } from '../api'

/** A file URL from the site (/files/…) as the platform can load it. */
export const imageUrl = fileUrl
