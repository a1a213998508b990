import { describe, expect, it, vi } from 'vitest'
import { ApiClient, encodeQuery, newIdempotencyKey, type HttpRequest, type HttpResponse } from '../src/client'
import { ApiError, messageOf, toApiError } from '../src/errors'
import { setLang } from '../src/i18n'
import { TokenStore, memoryStorage } from '../src/token'

function setup(answer: (request: HttpRequest) => HttpResponse | Promise<HttpResponse>) {
  const requests: HttpRequest[] = []
  const tokens = new TokenStore(memoryStorage(), () => Date.parse('2026-12-07T00:00:00Z'))
  const onUnauthenticated = vi.fn()
  const client = new ApiClient({
    baseUrl: 'https://hs.example.com/',
    tokens,
    onUnauthenticated,
    transport: async (request) => {
      requests.push(request)
      return answer(request)
    },
  })
  return { client, tokens, requests, onUnauthenticated }
}

describe('API client', () => {
  it('sends the token header, JSON body and returns `message`', async () => {
    const { client, tokens, requests } = setup(() => ({ status: 200, data: { message: { booking: 'B-1' } } }))
    tokens.save({ token: 'tok', expires_on: '2026-12-14 08:00:00' })
    const answer = await client.post('customer.bookings.create_booking', {
      items: [{ service_item: 'X', quantity: 1 }],
      address: 'A-1',
      window_start: '2026-12-08 09:00:00',
      idempotency_key: 'abcdefgh',
    })
    expect(answer.booking).toBe('B-1')
    expect(requests[0].url).toBe('https://hs.example.com/api/method/home_service.api.customer.bookings.create_booking')
    expect(requests[0].method).toBe('POST')
    expect(requests[0].headers['X-HS-Token']).toBe('tok')
    expect(requests[0].headers['Content-Type']).toBe('application/json')
  })

  it('puts GET arguments in the query string and leaves nulls out', async () => {
    const { client, requests } = setup(() => ({ status: 200, data: '{"message": {"days": []}}' }))
    const slots = await client.get('customer.bookings.get_slots', { item: '燃气灶', address: 'A 1', spec: null })
    expect(slots.days).toEqual([])
    expect(requests[0].url).toContain('?item=%E7%87%83%E6%B0%94%E7%81%B6&address=A%201')
    expect(requests[0].url).not.toContain('spec')
    expect(requests[0].headers['X-HS-Token']).toBeUndefined()
  })

  it('a guest call sends no token', async () => {
    const { client, tokens, requests } = setup(() => ({ status: 200, data: { message: [] } }))
    tokens.save({ token: 'tok', expires_on: '2026-12-14 08:00:00' })
    await client.get('public.categories', undefined, { guest: true })
    expect(requests[0].headers['X-HS-Token']).toBeUndefined()
  })

  it('turns the error shape into an ApiError with the server message', async () => {
    const { client } = setup(() => ({
      status: 409,
      data: { error: { code: 'CONFLICT', message: '该时段已约满，请选择其他时段', type: 'SchedulingError' } },
    }))
    const error = await client.post('customer.bookings.get_quote', { items: [], address: 'A' }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(409)
    expect(error.kind).toBe('conflict')
    expect(error.message).toBe('该时段已约满，请选择其他时段')
    expect(error.type).toBe('SchedulingError')
  })

  it('a 401 clears the session and asks the app to log in again', async () => {
    const { client, tokens, onUnauthenticated } = setup(() => ({
      status: 401,
      data: { error: { code: 'UNAUTHENTICATED', message: 'Invalid token' } },
    }))
    tokens.save({ token: 'tok', expires_on: '2026-12-14 08:00:00' })
    const error = await client.get('auth.me').catch((e) => e)
    expect(error.kind).toBe('unauthenticated')
    expect(error.message).toBe('登录已过期，请重新登录')
    expect(tokens.token()).toBeNull()
    expect(onUnauthenticated).toHaveBeenCalledOnce()
  })

  it('a refused login (401 with its own code) keeps its message and the session', async () => {
    const { client, tokens, onUnauthenticated } = setup(() => ({
      status: 401,
      data: { error: { code: 'INVALID_LOGIN_CODE', message: '验证码错误或已过期，请重新获取' } },
    }))
    tokens.save({ token: 'tok', expires_on: '2026-12-14 08:00:00' })
    const error = await client.post('auth.sms_login', { phone: '13800000000', code: '000000' }).catch((e) => e)
    expect(error.kind).toBe('other')
    expect(error.message).toBe('验证码错误或已过期，请重新获取')
    expect(tokens.token()).toBe('tok')
    expect(onUnauthenticated).not.toHaveBeenCalled()
  })

  it('no answer at all is a retryable network error', async () => {
    const { client } = setup(() => Promise.reject({ timeout: true }))
    const error = await client.get('public.categories').catch((e) => e)
    expect(error.code).toBe('TIMEOUT')
    expect(error.retryable).toBe(true)
    expect(messageOf(error)).toBe('网络不可用，请检查网络后重试')
  })

  it('mints idempotency keys the server accepts, new each time', () => {
    const a = newIdempotencyKey()
    expect(a).toMatch(/^[A-Za-z0-9_.:-]{8,64}$/)
    expect(newIdempotencyKey()).not.toBe(a)
  })

  it('encodes lists and objects as JSON', () => {
    expect(encodeQuery({ a: [1, 2], b: true, c: undefined })).toBe('a=%5B1%2C2%5D&b=true')
  })
})

describe('error mapping', () => {
  it('falls back to a message of ours when the body is not the API shape', () => {
    setLang('zh-CN')
    expect(toApiError(502, '<html>Bad gateway</html>').message).toBe('服务繁忙，请稍后再试')
    expect(toApiError(500, null).code).toBe('HTTP_500')
    setLang('en')
    expect(toApiError(429, {}, 'en').message).toBe('Too many attempts. Please wait a minute and try again.')
    expect(messageOf(new Error('x'), 'en')).toBe('Something went wrong. Please try again.')
    setLang('zh-CN')
  })

  it('keeps a 422 message that names the field, without markup', () => {
    const error = toApiError(422, { error: { code: 'INVALID', message: '<b>contact_phone</b>: 请输入有效的手机号' } })
    expect(error.kind).toBe('invalid')
    expect(error.message).toBe('contact_phone: 请输入有效的手机号')
  })
})
