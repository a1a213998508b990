"""Outbound clients for the providers the mini-programs depend on.

wechat   mini-program login (code2session), phone number (getuserphonenumber), access_token cache
alipay   alipay.system.oauth.token with RSA2 request signing and response verification
sms      one `SmsProvider` interface; Aliyun, Tencent and a development console provider

Each client reads its base URL from site config (`hs_wechat_api_base`, `hs_alipay_gateway`,
`hs_aliyun_sms_endpoint`, `hs_tencent_sms_endpoint`) so tests point it at local fakes, and its
credentials from HS Settings. Failures surface as `ProviderError` (see base.py) whose message never
carries a credential, a code or a provider response.
"""
