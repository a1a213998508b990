import { appConfig } from '../shared/vite-config'

// H5: the site serves index.html at /m and the build's files as /assets/home_service/m/ (public/m)
export default appConfig({ short: 'm', port: 5173 })
