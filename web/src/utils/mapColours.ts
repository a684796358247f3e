// The colour of each enterprise on the map (一张图) when it is coloured by regulatory industry (by
// risk level it takes utils/riskLevels.ts's four colours).
export const industryColours: Record<string, string> = {
  coal_mine: '#3d3d3d', metal_nonmetal_mine: '#8c6d46', oil_gas: '#b5651d', hazchem_production: '#d62728',
  hazchem_operation: '#ff7f0e', hazchem_use: '#e377c2', fireworks: '#bcbd22', metallurgy: '#7f7f7f',
  nonferrous: '#17becf', building_materials: '#9467bd', machinery: '#1f77b4', light_industry: '#2ca02c',
  textile: '#98df8a', tobacco: '#8c564b', commerce: '#aec7e8', other: '#c7c7c7',
}
