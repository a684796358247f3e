// The four risk levels of 风险分级管控 (DOMAIN.md §4) as every page shows them: 红 橙 黄 蓝.
import type { RiskLevel } from '../api/risk'

export const riskLevels: RiskLevel[] = ['major', 'significant', 'general', 'low']
export const riskNames: Record<RiskLevel, string> = { major: '重大风险', significant: '较大风险', general: '一般风险', low: '低风险' }
export const riskShortNames: Record<RiskLevel, string> = { major: '重大', significant: '较大', general: '一般', low: '低' }
export const riskColours: Record<RiskLevel, string> = { major: '#d9001b', significant: '#f59a23', general: '#e6c300', low: '#2f6fed' }
// Region fills on the map: the same hues, light enough for the enterprises' dots to stay visible.
export const riskFills: Record<RiskLevel, string> = { major: '#f6b3b9', significant: '#fbd8a8', general: '#f6eba0', low: '#c5d6f8' }
// Enterprises the model has not scored yet (a new record, before the next pass).
export const unscoredColour = '#9aa3ad'
// The draw contract (issue 15) names 较大 `larger` where the risk model says `significant`.
export const drawRiskLevels: Record<'major' | 'larger' | 'general' | 'low', string> = {
  major: '重大风险',
  larger: '较大风险',
  general: '一般风险',
  low: '低风险',
}
