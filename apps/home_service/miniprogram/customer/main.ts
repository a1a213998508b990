import { createSSRApp } from 'vue'
import { setLang } from '@home-service/shared'
import './i18n'
import * as Pinia from 'pinia'
import App from './App.vue'
import { langOf } from './utils/lang'

export function createApp() {
  // labels and the API's messages (Accept-Language) follow the phone's language: English or Chinese
  setLang(langOf(uni.getLocale?.()))
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  return { app, Pinia }
}
