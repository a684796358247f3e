// Starts a real `anjian demo` on a free loopback port with a fresh database and the built console.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))

// Starts `anjian ARGS` with a fresh data folder; resolves once it printed `count` listening lines
// (and `until`, when given): the URLs in the order printed.
export async function spawnAnjian(args, { count = 1, until = '' } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'anjian-e2e-'))
  const child = spawn(join(root, 'build/anjian'), args, {
    env: { ...process.env, ANJIAN_DATA: data, ANJIAN_ACCESS_LOG: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const urls = await new Promise((ok, fail) => {
    let out = ''
    const timer = setTimeout(() => fail(new Error('anjian did not start:\n' + out)), 90000)
    child.stdout.on('data', (d) => {
      out += d
      const found = [...out.matchAll(/anjian listening on (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1])
      if (found.length >= count && out.includes(until)) {
        clearTimeout(timer)
        ok(found)
      }
    })
    child.on('exit', (code) => fail(new Error(`anjian exited with ${code}:\n${out}`)))
  })
  return {
    urls,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      rmSync(data, { recursive: true, force: true })
    },
  }
}

export async function startServer() {
  const server = await spawnAnjian(['demo', '--listen', '127.0.0.1:0', '--web', join(root, 'web/dist'), '--enterprises', process.env.E2E_ENTERPRISES ?? '20000',
    // The demo's simulator stays off: alarms in these tests come when a test sends them.
    '--simulate-rate', '0'])
  return { url: server.urls[0], stop: server.stop }
}

export async function apiLogin(url, username, password = 'Demo@2026') {
  const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username, password }) })
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`)
  return (await r.json()).token
}

export async function apiGet(url, token, path) {
  const r = await fetch(url + path, { headers: { Authorization: `Bearer ${token}` } })
  return { status: r.status, etag: r.headers.get('etag'), body: await r.json() }
}

export async function apiPost(url, token, path, body) {
  const r = await fetch(url + path, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
  return { status: r.status, body: await r.json() }
}

export async function apiPatch(url, token, path, body, etag) {
  const r = await fetch(url + path, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'If-Match': etag }, body: JSON.stringify(body) })
  return { status: r.status, body: await r.json() }
}

export { root }
