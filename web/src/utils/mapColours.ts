// The colour of each enterprise on the map (一张图) when it is coloured by regulatory industry (by
// risk level it takes utils/riskLevels.ts's four colours). Chosen so that any two differ by at
// least 30 in CIELAB (ΔE*ab; the test says so): the earlier set had three greys and three browns
// that people could not tell apart on the map.
export const industryColours: Record<string, string> = {
  coal_mine: '#222222', metal_nonmetal_mine: '#a0522d', oil_gas: '#000080', hazchem_production: '#d62728',
  hazchem_operation: '#ff7f0e', hazchem_use: '#ff00ff', fireworks: '#f3c300', metallurgy: '#c2b280',
  nonferrous: '#00ced1', building_materials: '#9467bd', machinery: '#0067a5', light_industry: '#8db600',
  textile: '#ffb6c1', tobacco: '#008856', commerce: '#a1caf1', other: '#b3446c',
}

/** CIELAB (D65) of "#rrggbb", for telling colours apart as people see them. */
export function lab(hex: string): [number, number, number] {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255))
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116)
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
}
