from home_service.integrations.wechat.client import WeChatMiniProgram, WxPhone, WxSession
