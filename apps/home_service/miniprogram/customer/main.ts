import { createSSRApp } from 'vue'
import { Locale } from 'wot-design-uni/locale'
import enUS from 'wot-design-uni/locale/lang/en-US'
import { setLang } from '@home-service/shared'
import './i18n'
import * as Pinia from 'pinia'
import App from './App.vue'
import { langOf, phoneLanguage } from './utils/lang'

export function createApp() {
  // labels and the API's messages (Accept-Language) follow the phone's language: English or Chinese
  const lang = langOf(phoneLanguage())
  setLang(lang)
  if (lang === 'en') Locale.use('en-US', enUS) // the component library's own texts (load more, pickers)
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  return { app, Pinia }
}
