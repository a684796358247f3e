import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildUrl, configureClient, request } from './client'

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

describe('api client', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('sends the token and returns data with the ETag', async () => {
    const fetchMock = vi.fn().mockResolvedValue(reply(200, { uscc: 'X' }, { etag: '"3"' }))
    vi.stubGlobal('fetch', fetchMock)
    configureClient({ token: () => 'tok' })
    const r = await request<{ uscc: string }>('GET', '/api/v1/enterprises/X')
    expect(r).toEqual({ data: { uscc: 'X' }, etag: '"3"' })
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe('Bearer tok')
  })

  it('turns the error body into an ApiError with code and field, and toasts it', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(reply(400, { error: { code: 'invalid_uscc', message: '应为 A', field: 'uscc' } })))
    const notify = vi.fn()
    configureClient({ notify })
    await expect(request('POST', '/api/v1/enterprises', { body: {} })).rejects.toMatchObject({
      status: 400, code: 'invalid_uscc', field: 'uscc', message: '应为 A',
    })
    expect(notify).toHaveBeenCalledWith('应为 A')
  })

  it('with no network, says so once rather than for every request', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    vi.stubGlobal('navigator', { onLine: false })
    const notify = vi.fn()
    configureClient({ notify })
    for (let i = 0; i < 3; i++) await expect(request('GET', '/api/v1/notifications')).rejects.toMatchObject({ code: 'network' })
    expect(notify).toHaveBeenCalledTimes(1)
    expect(notify.mock.calls[0][0]).toMatch(/离线/)
    // Online but the server is away: each failure says so.
    vi.stubGlobal('navigator', { onLine: true })
    await expect(request('GET', '/api/v1/notifications')).rejects.toMatchObject({ code: 'network' })
    expect(notify).toHaveBeenLastCalledWith('无法连接服务器，请检查网络')
  })

  it('leaves field errors to a quiet caller', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(reply(400, { error: { code: 'invalid_field', message: 'm', field: 'name' } })))
    const notify = vi.fn()
    configureClient({ notify })
    await expect(request('POST', '/x', { quiet: true })).rejects.toBeInstanceOf(ApiError)
    expect(notify).not.toHaveBeenCalled()
  })

  it('shows an error once: a quiet caller shows every error itself, with or without a field', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(reply(409, { error: { code: 'conflict', message: '已存在' } })))
    const notify = vi.fn()
    configureClient({ notify })
    await expect(request('POST', '/x', { quiet: true })).rejects.toMatchObject({ message: '已存在' })
    expect(notify).not.toHaveBeenCalled()
  })

  it('sends the user to log in on 401', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(reply(401, { error: { code: 'unauthenticated', message: '未登录' } })))
    const onUnauthorized = vi.fn()
    configureClient({ onUnauthorized })
    await expect(request('GET', '/api/v1/enterprises')).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalled()
  })

  it('builds query strings without empty values', () => {
    expect(buildUrl('/a', { q: '化工', page: 2, industry: '', x: undefined })).toBe('/a?q=%E5%8C%96%E5%B7%A5&page=2')
  })
})
