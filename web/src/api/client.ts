// The one place that knows how to talk to the server: base path, the session token, the error
// format {"error":{code,message,field}}, and what a 401 means.

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message)
  }
}

type Hooks = {
  token: () => string | null
  onUnauthorized: () => void
  notify: (message: string) => void
}
let hooks: Hooks = { token: () => null, onUnauthorized: () => {}, notify: () => {} }

/** Wires the client to the session store, the router and the toast (done once in main.ts). */
export function configureClient(h: Partial<Hooks>) {
  hooks = { ...hooks, ...h }
}

export interface RequestOptions {
  body?: unknown
  rawBody?: BodyInit
  ifMatch?: string
  /** The caller shows the error itself (a form puts it on its field): no toast. */
  quiet?: boolean
  query?: Record<string, string | number | boolean | undefined | null>
}

export interface ApiResponse<T> {
  data: T
  etag: string | null
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

// With no network at all (an inspector on site), say so once, not for every request that fails;
// the next time the network goes, say it again.
let toldOffline = false
if (typeof window !== 'undefined') window.addEventListener('online', () => (toldOffline = false))
function notifyNetwork(message: string) {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    if (toldOffline) return
    toldOffline = true
    return hooks.notify('当前离线：已保存的内容会在联网后提交')
  }
  hooks.notify(message)
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {}
  const token = hooks.token()
  if (token) headers.Authorization = `Bearer ${token}`
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch
  let body: BodyInit | undefined = opts.rawBody
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body })
  } catch {
    const err = new ApiError(0, 'network', '无法连接服务器，请检查网络')
    if (!opts.quiet) notifyNetwork(err.message)
    throw err
  }
  const text = await res.text()
  let data: unknown = null
  if (text && (res.headers.get('content-type') ?? '').includes('json')) data = JSON.parse(text)
  if (!res.ok) {
    const e = (data as { error?: { code: string; message: string; field?: string } } | null)?.error
    const err = new ApiError(res.status, e?.code ?? 'http_' + res.status, e?.message ?? `请求失败（${res.status}）`, e?.field)
    if (res.status === 401 && !path.endsWith('/auth/login')) hooks.onUnauthorized()
    else if (!opts.quiet) hooks.notify(err.message)
    throw err
  }
  return { data: (data ?? text) as T, etag: res.headers.get('etag') }
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => request<T>('GET', path, { query }).then((r) => r.data),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }).then((r) => r.data),
}

/** Fetches a file with the session: a plain link or <img src> would carry no token. */
export async function fetchBlob(path: string, query?: RequestOptions['query']): Promise<Blob> {
  const token = hooks.token()
  const res = await fetch(buildUrl(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  if (!res.ok) {
    const err = new ApiError(res.status, 'http_' + res.status, `下载失败（${res.status}）`)
    hooks.notify(err.message)
    throw err
  }
  return res.blob()
}

/** Fetches a file with the session and hands it to the browser. */
export async function download(path: string, filename: string, query?: RequestOptions['query']) {
  const url = URL.createObjectURL(await fetchBlob(path, query))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  URL.revokeObjectURL(url)
}
