import { appConfig } from '../shared/vite-config'

// H5: the site serves index.html at /t and the build's files as /assets/home_service/t/ (public/t)
export default appConfig({ short: 't', port: 5174 })
