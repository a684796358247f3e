// The command view's initial load (issue 16): GET /api/v1/incidents/{id}/view with 5,000 objects
// around the place — the demo's drill, with OBJECTS rescue resources imported around it (on top of
// the demo's enterprises, hazard sources and monitoring points there). Run by `bench/run-command-view`.
// Prints the count of objects and p50/p90/p99/max of N loads, timed at the client (loopback).
const [url, samples = '200', objects = '5000'] = process.argv.slice(2)
const login = async (username) =>
  (await (await fetch(url + '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password: 'Demo@2026' }) })).json()).token
const token = await login('x330102_inspector')
const get = async (path) => (await fetch(url + path, { headers: { Authorization: 'Bearer ' + token } })).json()
const drill = (await get('/api/v1/incidents?status=open&drill=true')).items[0]
if (!drill) throw new Error('the demo has no open drill')
// Resources around the place, within 20 km, as a register would bring them.
const kinds = ['救援队伍', '专家', '物资储备库', '避难场所', '医院']
const rows = ['资源类别,名称,行政区划代码,经度,纬度,联系人,联系电话,队伍类型,专业领域,储备物资,容纳人数,床位数']
for (let i = 0; i < Number(objects); i++) {
  const a = (i * 137.508 * Math.PI) / 180, r = 0.17 * Math.sqrt((i + 0.5) / Number(objects))
  const k = kinds[i % kinds.length]
  rows.push([k, `基准资源${i}`, drill.region_code, (drill.lon + r * Math.cos(a) / Math.cos((drill.lat * Math.PI) / 180)).toFixed(6),
    (drill.lat + r * Math.sin(a)).toFixed(6), '值班室', '0571-00000000', k === '救援队伍' ? '危化' : '', k === '专家' ? '危险化学品' : '',
    k === '物资储备库' ? '防化服:100:套' : '', k === '避难场所' ? '5000' : '', k === '医院' ? '300' : ''].join(','))
}
const imported = await (await fetch(url + '/api/v1/emergency/resources/import', {
  method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'text/csv' }, body: rows.join('\n') + '\n',
})).json()
if (!imported.committed) throw new Error('import failed: ' + JSON.stringify(imported).slice(0, 500))
const path = `/api/v1/incidents/${drill.id}/view?radius_m=20000`
const firstText = await (await fetch(url + path, { headers: { Authorization: 'Bearer ' + token } })).text()
const first = JSON.parse(firstText)
const count = first.resources.length + first.enterprises.length + first.hazard_sources.length + first.monitoring_points.length
const latencies = []
for (let i = 0; i < Number(samples); i++) {
  const t0 = performance.now()
  const r = await fetch(url + path, { headers: { Authorization: 'Bearer ' + token } })
  await r.arrayBuffer()
  if (r.status !== 200) throw new Error('view failed: ' + r.status)
  latencies.push(performance.now() - t0)
}
latencies.sort((a, b) => a - b)
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1)
console.log(`command view with ${count} objects (${first.resources.length} resources, ${first.enterprises.length} enterprises, ` +
  `${first.hazard_sources.length} hazard sources, ${first.monitoring_points.length} points) over ${latencies.length} loads: ` +
  `${(Buffer.byteLength(firstText) / 1e6).toFixed(2)} MB, p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms`)
