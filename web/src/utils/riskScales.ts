// The LEC and risk-matrix scales as the assessment form offers them (DOMAIN.md §4): only table
// values can be chosen; the server computes D or R and the level.
export const lecL: [number, string][] = [[10, '完全可以预料'], [6, '相当可能'], [3, '可能但不经常'], [1, '可能性小，完全意外'],
  [0.5, '很不可能，可以设想'], [0.2, '极不可能'], [0.1, '实际不可能']]
export const lecE: [number, string][] = [[10, '连续暴露'], [6, '每天工作时间内暴露'], [3, '每周一次或偶然暴露'], [2, '每月一次暴露'],
  [1, '每年几次暴露'], [0.5, '非常罕见地暴露']]
export const lecC: [number, string][] = [[100, '大灾难，许多人死亡'], [40, '灾难，数人死亡'], [15, '非常严重，一人死亡'], [7, '严重，重伤'],
  [3, '重大，致残'], [1, '引人注目，需要救护']]
export const matrixL: [number, string][] = [[5, '很可能'], [4, '可能'], [3, '偶尔'], [2, '不大可能'], [1, '极不可能']]
export const matrixS: [number, string][] = [[5, '特别重大'], [4, '重大'], [3, '较大'], [2, '一般'], [1, '轻微']]

export const riskPointKinds: Record<string, string> = { place: '场所', activity: '作业活动', equipment: '设备设施' }
export const responsibleLevels: Record<string, string> = { company: '公司级', workshop: '车间级', team: '班组级', post: '岗位级' }
export const measureKinds: Record<string, string> = { engineering: '工程技术', management: '管理', training: '培训教育', ppe: '个体防护', emergency: '应急处置' }
