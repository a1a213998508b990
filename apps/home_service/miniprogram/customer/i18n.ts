/** The customer app's own lines for t() (shared/src/i18n.ts has the shared ones). */
import { addMessages } from '@home-service/shared'
import './strings/me'

addMessages({
  'Log in': '登录',
  'Log out': '退出登录',
  'My orders': '我的订单',
})
