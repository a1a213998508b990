"""The HTTP surface for the mini-programs: thin functions that authorise, validate, delegate, shape.

public     catalogue, guest, rate-limited
auth       login (WeChat, Alipay, SMS), tokens
customer   the customer mini-program
technician the technician mini-program
openapi    the OpenAPI 3 document generated from the functions registered here
"""
