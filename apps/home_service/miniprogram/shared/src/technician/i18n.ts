/** The technician app's labels for t() (English key, Chinese line), registered on import. */
import { addMessages } from '../i18n'

addMessages({
  // presence
  Online: '接单中',
  Offline: '已下线',
  Busy: '服务中',
  // application review (HS Technician.review_status, HS Qualification.review_state)
  Pending: '待审核',
  'Under Review': '审核中',
  Approved: '已通过',
  Rejected: '未通过',
  Suspended: '已停用',
  Submitted: '已提交',
  Expired: '已过期',
  'ID Card': '身份证',
  'Trade Certificate': '职业资格证',
  'Health Certificate': '健康证',
  Other: '其他',
  // steps (steps.ts)
  depart: '出发',
  arrive: '到达打卡',
  start_service: '开始服务',
  complete: '完工',
  // photo stages
  Before: '服务前',
  During: '服务中',
  After: '服务后',
  // extra charges
  Proposed: '待客户确认',
  Declined: '客户已拒绝',
  // withdrawals (api/technician/withdrawals.py STATUSES)
  'Pending Approval': '待审核',
  Processing: '打款中',
  'Waiting User Confirmation': '待确认收款',
  Failed: '失败',
  'WeChat Pay': '微信',
  Alipay: '支付宝',
  'Another step is being sent: {0}': '正在提交其他步骤：{0}',
  'No network: the step will be sent again': '网络不可用，步骤将重新提交',
  '{0} km away': '距离 {0} 公里',
})
