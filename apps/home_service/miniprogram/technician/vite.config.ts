import uniPlugin from '@dcloudio/vite-plugin-uni'
import { defineConfig, loadEnv } from 'vite'

// @dcloudio/vite-plugin-uni is published as CommonJS: its default export sits one level down
const uni = ((uniPlugin as unknown as { default?: typeof uniPlugin }).default ?? uniPlugin) as typeof uniPlugin

// VITE_HS_BASE_URL: the API's origin, fixed at build time. Empty on H5 served by the site at /t
// (same origin); the site's HTTPS origin in mini-program builds (README: technician mini-program).
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_')
  const platform = process.env.UNI_PLATFORM || 'h5'
  return {
    // H5: the site serves index.html at /t and these files as /assets/home_service/t/ (public/t)
    base: platform === 'h5' && mode === 'production' ? '/assets/home_service/t/' : '/',
    plugins: [uni()],
    define: {
      __HS_PLATFORM__: JSON.stringify(platform),
    },
    server: {
      port: 5174,
      proxy: env.VITE_HS_DEV_PROXY ? { '/api': { target: env.VITE_HS_DEV_PROXY, changeOrigin: false } } : undefined,
    },
  }
})
