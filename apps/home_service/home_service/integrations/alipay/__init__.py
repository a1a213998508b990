from home_service.integrations.alipay.client import AlipayClient, AlipayIdentity
