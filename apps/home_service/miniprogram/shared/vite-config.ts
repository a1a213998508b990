/**
 * Both apps' Vite config (each app's vite.config.ts calls it with what differs): uni-app's plugin,
 * the platform as __HS_PLATFORM__, the H5 base where the site serves the build, the dev server.
 *
 * VITE_HS_BASE_URL: the API's origin, fixed at build time. Empty on H5 served by the site at its short
 * path (same origin); the site's HTTPS origin in mini-program builds (README: WeChat / Alipay).
 */
import uniPlugin from '@dcloudio/vite-plugin-uni'
import { defineConfig, loadEnv, type UserConfigFnObject } from 'vite'

// @dcloudio/vite-plugin-uni is published as CommonJS: its default export sits one level down
const uni = ((uniPlugin as unknown as { default?: typeof uniPlugin }).default ?? uniPlugin) as typeof uniPlugin

export function appConfig(app: {
  /** where the site serves the H5 build: /m (customer), /t (technician); assets under /assets/home_service/<short>/ */
  short: string
  /** the dev server's port (`npm run dev:h5`), one per app so both can run */
  port: number
}): UserConfigFnObject {
  return defineConfig(({ mode }) => {
    const env = loadEnv(mode, process.cwd(), 'VITE_')
    const platform = process.env.UNI_PLATFORM || 'h5'
    return {
      base: platform === 'h5' && mode === 'production' ? `/assets/home_service/${app.short}/` : '/',
      plugins: [uni()],
      define: {
        __HS_PLATFORM__: JSON.stringify(platform),
      },
      server: {
        port: app.port,
        // `npm run dev:h5`: the API of a local bench through the dev server (no CORS needed)
        proxy: env.VITE_HS_DEV_PROXY ? { '/api': { target: env.VITE_HS_DEV_PROXY, changeOrigin: false } } : undefined,
      },
    }
  })
}
