import { reactive } from 'vue'
import { childRegions, region } from '../api/regions'

// Names of regions for every place the console shows one (上城区, not 330102). A county's name is
// learnt with its siblings (one request per city: GET /regions?parent=CITY), kept for the tab's
// life. Until it arrives the place shows "…", never a bare code.
const names = reactive<Record<string, string>>({ '100000': '全国' })
const parents = new Map<string, Promise<void>>()

function parentOf(code: string): string | undefined {
  if (code.endsWith('0000')) return undefined // a province: its siblings are the country's children
  if (code.endsWith('00')) return code.slice(0, 2) + '0000'
  return code.slice(0, 4) + '00'
}

const asked = new Set<string>()

// One region by itself, where its siblings could not be listed (a code whose parent is not the
// usual one): at most one request per code.
function learnAlone(code: string) {
  if (asked.has(code)) return
  asked.add(code)
  region(code)
    .then((r) => (names[code] = r.name))
    .catch(() => (names[code] = code))
}

function learn(code: string) {
  const parent = parentOf(code) ?? ''
  const known = parents.get(parent)
  if (known) {
    known.then(() => names[code] === undefined && learnAlone(code))
    return
  }
  const loading = childRegions(parent || undefined)
    .then((items) => {
      for (const r of items) names[r.code] = r.name
    })
    .catch(() => undefined)
    .then(() => {
      if (names[code] === undefined) learnAlone(code)
    })
  parents.set(parent, loading)
}

/** The name of a region ("上城区"), or "…" while it is being fetched. */
export function regionName(code: string | null | undefined): string {
  if (!code) return '—'
  const n = names[code]
  if (n !== undefined) return n
  learn(code)
  return '…'
}

/** "杭州市上城区": a county with its city, for lists that span several cities. */
export function regionPath(code: string | null | undefined): string {
  if (!code) return '—'
  const up = parentOf(code)
  const own = regionName(code)
  if (!up || up.endsWith('0000')) return own
  const city = regionName(up)
  return city === '…' || own === '…' ? '…' : city + own
}
