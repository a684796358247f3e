// Instants as people read them in China: "2026-11-30 18:58", in Asia/Shanghai whatever the
// browser's own time zone (the server writes ISO 8601; an epoch in milliseconds works too).
const SHANGHAI_MS = 8 * 3600 * 1000

export function shanghaiTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '—'
  const ms = typeof at === 'number' ? at : Date.parse(at)
  if (Number.isNaN(ms)) return String(at)
  return new Date(ms + SHANGHAI_MS).toISOString().slice(0, 16).replace('T', ' ')
}

// With seconds, where they matter (a reading's time).
export function shanghaiTimeSeconds(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '—'
  const ms = typeof at === 'number' ? at : Date.parse(at)
  if (Number.isNaN(ms)) return String(at)
  return new Date(ms + SHANGHAI_MS).toISOString().slice(0, 19).replace('T', ' ')
}
