/** What only the technician app uses (import '@home-service/shared/src/technician'). */
export * from './countdown'
export * from './steps'
export * from './photos'
export * from './money'
export * from './models'
export * from './i18n'
