// A quick report (事故快报) committed, graded and pushed to three levels' consoles (issue 16): from
// the POST of a 较大 accident by a county to the accident.changed message on a WebSocket of the
// county, its city and its province. Run by `bench/run-accidents` (node --experimental-websocket).
// Prints p50/p90/p99/max of N samples.
const [url, samples = '200'] = process.argv.slice(2)
const login = async (username) =>
  (await (await fetch(url + '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password: 'Demo@2026' }) })).json()).token
const [county, city, province] = await Promise.all(['x330102_inspector', 'c330100_inspector', 'p330000_admin'].map(login))
const waiting = new Map()  // accident id → { left, done }
const early = new Map()    // messages that arrived before the POST's answer
const sockets = []
for (const token of [county, city, province]) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/api/v1/stream?token=' + encodeURIComponent(token))
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail })
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data)
    if (m.type !== 'accident.changed' || m.data.change !== 'reported') return
    const at = performance.now()
    const w = waiting.get(m.data.id)
    if (w) { if (--w.left === 0) w.done(at) } else early.set(m.data.id, [...(early.get(m.data.id) ?? []), at])
  }
  sockets.push(ws)
}
const body = (i) => ({
  party: { name: `基准测试施工队${i}`, address: '上城区' }, region_code: '330102', occurred_at: new Date(Date.now() - 600_000).toISOString(),
  industry: 'building_materials', kind: '坍塌', deaths: 3, missing: 0, serious_injuries: 1, minor_injuries: 0, direct_loss_yuan: 2_000_000,
  description: '基坑坍塌。', reporter: { name: '值班员', phone: '0571-00000000' },
})
const latencies = []
for (let i = 0; i < Number(samples); i++) {
  const t0 = performance.now()
  const r = await fetch(url + '/api/v1/accidents', { method: 'POST', headers: { Authorization: 'Bearer ' + county }, body: JSON.stringify(body(i)) })
  const a = await r.json()
  if (r.status !== 201) throw new Error('not reported: ' + JSON.stringify(a))
  const seen = early.get(a.id) ?? []
  early.delete(a.id)
  const t1 = seen.length === 3 ? Math.max(...seen) : await Promise.race([
    new Promise((done) => waiting.set(a.id, { left: 3 - seen.length, done })),
    new Promise((ok) => setTimeout(() => ok(null), 5000)),
  ])
  if (t1 === null) throw new Error('not on all three consoles within 5 s')
  waiting.delete(a.id)
  latencies.push(t1 - t0)
}
latencies.sort((a, b) => a - b)
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1)
console.log(`快报 to 3 consoles over ${latencies.length} reports: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms`)
for (const ws of sockets) ws.close()
