export * from '@home-service/shared/src/uni/ui'
