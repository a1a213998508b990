import uniPlugin from '@dcloudio/vite-plugin-uni'
import { defineConfig, loadEnv } from 'vite'

// @dcloudio/vite-plugin-uni is published as CommonJS: its default export sits one level down
const uni = ((uniPlugin as unknown as { default?: typeof uniPlugin }).default ?? uniPlugin) as typeof uniPlugin

// VITE_HS_BASE_URL: the API's origin, fixed at build time. Empty on H5 served by the site at /m
// (same origin); the site's HTTPS origin in mini-program builds (README: WeChat / Alipay).
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_')
  const platform = process.env.UNI_PLATFORM || 'h5'
  return {
    // H5: the site serves index.html at /m and these files as /assets/home_service/m/ (public/m)
    base: platform === 'h5' && mode === 'production' ? '/assets/home_service/m/' : '/',
    plugins: [uni()],
    define: {
      __HS_PLATFORM__: JSON.stringify(platform),
    },
    server: {
      port: 5173,
      // `npm run dev:h5`: the API of a local bench through the dev server (no CORS needed)
      proxy: env.VITE_HS_DEV_PROXY ? { '/api': { target: env.VITE_HS_DEV_PROXY, changeOrigin: false } } : undefined,
    },
  }
})
