// Alarm latency: from the POST of a reading that crosses a threshold to the alarm.raised message
// on a WebSocket client, while the simulator keeps the background load flowing. Run by
// `bench/run-load latency` (node --experimental-websocket). Prints p50/p90/p99/max of N samples.
const [url, token, key, point, samples = '300'] = process.argv.slice(2)
const ws = new WebSocket(url.replace('http', 'ws') + '/api/v1/stream?token=' + encodeURIComponent(token))
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail })
let waiting = null
ws.onmessage = (e) => {
  const m = JSON.parse(e.data)
  if (waiting && m.type === 'alarm.raised' && m.data.point === point) waiting(performance.now())
}
const send = (ts, value) => fetch(url + '/api/v1/monitoring/readings', {
  method: 'POST', headers: { Authorization: 'ApiKey ' + key },
  body: JSON.stringify({ readings: [{ point, ts, value }] }),
}).then((r) => r.json())
const latencies = []
let ts = Date.now() - 3_600_000
for (let i = 0; i < Number(samples); i++) {
  const raised = new Promise((ok) => { waiting = ok })
  const t0 = performance.now()
  const r = await send(ts += 1000, 16)  // above the high of 15
  if (r.alarms_raised !== 1) throw new Error('no alarm raised: ' + JSON.stringify(r))
  const t1 = await Promise.race([raised, new Promise((ok) => setTimeout(() => ok(null), 5000))])
  if (t1 === null) throw new Error('alarm.raised did not arrive within 5 s')
  latencies.push(t1 - t0)
  waiting = null
  await send(ts += 1000, 10)  // back to normal: the alarm recovers
  await new Promise((ok) => setTimeout(ok, 20))
}
latencies.sort((a, b) => a - b)
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1)
console.log(`alarm latency over ${latencies.length} alarms: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms`)
ws.close()
