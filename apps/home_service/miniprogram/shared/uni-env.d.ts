// What both apps' sources may use beyond TypeScript's own: .vue modules, the build-time env, the platform.
/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

interface ImportMetaEnv {
  /** the API origin ('' = same origin, H5 served by the site) */
  readonly VITE_HS_BASE_URL?: string
  /** X-Frappe-Site-Name for a multi-site bench in development */
  readonly VITE_HS_SITE_NAME?: string
  /** mp-weixin: subscription-message template ids asked for after paying, comma separated */
  readonly VITE_HS_WX_TEMPLATES?: string
}
interface ImportMeta {
  readonly env: ImportMetaEnv
}
declare const __HS_PLATFORM__: 'h5' | 'mp-weixin' | 'mp-alipay'
