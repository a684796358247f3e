import { ElNotification } from 'element-plus'
import { h } from 'vue'
import type { Router } from 'vue-router'
import type { Alarm } from '../../api/monitoring'
import type { Me } from '../../api/types'
import { regionPath } from '../../stores/regionNames'
import { alarmLevels, alarmTypes, faultReasons } from '../../utils/labels'

// Which alarms pop up, and how. A pop-up says whose alarm it is, where, which point, the value with
// its unit and the limit it crossed; it sits below the header (never over its buttons); a burst
// becomes one summary. Each user chooses the levels that pop up; by default a county sees all of
// its own, a city or province only the highest level and the escalated (dozens a minute otherwise).

export type NoticeLevel = 'severe' | 'warning' | 'offline' | 'escalated'
export const noticeLevelNames: Record<NoticeLevel, string> = {
  severe: '最高级（高高报、低低报、断电、超限未断电）',
  warning: '一般超限（高报、低报、变化率、监控系统报警、馈电异常）',
  offline: '通信中断、联网中断与传感器故障',
  escalated: '升级到本级（超时未确认或持续未恢复）',
}

const SEVERE = ['high_high', 'low_low', 'power_off', 'no_power_off', 'reported_power_off']

export function levelOf(a: Pick<Alarm, 'type' | 'level'>): NoticeLevel {
  if (SEVERE.includes(a.level) || SEVERE.includes(a.type)) return 'severe'
  if (a.type === 'offline' || a.type === 'fault' || a.type === 'network_down') return 'offline'
  return 'warning'
}

export function defaultLevels(user: Me | null): NoticeLevel[] {
  const level = user?.org.level
  if (user?.org.kind === 'enterprise' || level === 'county') return ['severe', 'warning', 'offline', 'escalated']
  return ['severe', 'escalated']
}

const key = (user: Me | null) => `anjian.alarmNotices.${user?.id ?? ''}`
export function chosenLevels(user: Me | null): NoticeLevel[] {
  try {
    const saved = JSON.parse(localStorage.getItem(key(user)) ?? 'null')
    if (Array.isArray(saved)) return saved.filter((x): x is NoticeLevel => x in noticeLevelNames)
  } catch {
    /* a damaged setting: the defaults */
  }
  return defaultLevels(user)
}
export function chooseLevels(user: Me | null, levels: NoticeLevel[]) {
  localStorage.setItem(key(user), JSON.stringify(levels))
}

type StreamAlarm = Alarm & { unit?: string; threshold?: number; at?: string }

/** The kind of alarm in two or three words, without saying the same word twice (通信中断, not 通信中断 通信中断). */
export function alarmKind(a: Pick<Alarm, 'type' | 'level'> & { reason?: string }): string {
  if (a.type === 'threshold' || a.type === 'power_off') return alarmLevels[a.level] ?? alarmTypes[a.type] ?? a.level
  if (a.type === 'fault' && a.reason && faultReasons[a.reason]) return `传感器${faultReasons[a.reason]}`
  return alarmTypes[a.type] ?? a.type
}

/** Where: the point, or for a 联网中断 the whole connection. */
export function alarmWhere(a: Pick<Alarm, 'type' | 'point' | 'point_name'> & { silent_points?: number }): string {
  if (a.type === 'network_down') return `全部 ${a.silent_points ?? ''} 个测点`
  return a.point_name ? `${a.point_name}（${a.point}）` : a.point
}

export function noticeText(a: StreamAlarm): { title: string; message: string } {
  const unit = a.unit ?? ''
  const place = regionPath(a.region_code)
  const point = alarmWhere(a)
  const value = a.type === 'offline' || a.type === 'network_down' ? '无数据' : `：${a.value}${unit}`
  const limit = a.threshold !== undefined && a.threshold !== null ? `，限值 ${a.threshold}${unit}` : ''
  return {
    title: `${alarmKind(a)} · ${a.enterprise_name || a.enterprise_uscc}`,
    message: `${place} · ${point}${value}${limit}`,
  }
}

/** Pop-ups start below the header (px), so that they never cover its buttons. */
export const BELOW_HEADER = 64
const HEADER = BELOW_HEADER
const BURST_MS = 1500
const BURST_AT = 4 // this many within BURST_MS become one summary

export function createAlarmNotices(router: Router, user: () => Me | null) {
  let pending: { a: StreamAlarm; escalated: boolean }[] = []
  let timer: ReturnType<typeof setTimeout> | undefined

  function show(a: StreamAlarm, escalated: boolean) {
    const t = noticeText(a)
    ElNotification({
      title: escalated ? `报警升级：${t.title}` : t.title,
      // Rendered, not fixed text: the county's name fills in when it arrives.
      message: () => h('span', escalated ? `${noticeText(a).message}，已报上一级` : noticeText(a).message),
      type: escalated || levelOf(a) === 'severe' ? 'error' : 'warning',
      duration: escalated ? 0 : 8000,
      offset: HEADER,
      customClass: 'alarm-notice',
      onClick: () => router.push({ path: '/alarms', query: { enterprise_uscc: a.enterprise_uscc } }),
    })
  }
  function flush() {
    const batch = pending
    pending = []
    if (batch.length >= BURST_AT) {
      const severe = batch.filter((b) => b.escalated || levelOf(b.a) === 'severe').length
      ElNotification({
        title: `${batch.length} 条新报警`,
        message: severe ? `其中最高级或升级的 ${severe} 条，点击查看` : '点击查看',
        type: severe ? 'error' : 'warning',
        duration: 10000,
        offset: HEADER,
        customClass: 'alarm-notice alarm-summary',
        onClick: () => router.push({ path: '/alarms', query: { state: 'unhandled' } }),
      })
      return
    }
    for (const b of batch) show(b.a, b.escalated)
  }
  /** A stream message: pops up when its level is chosen; bursts are summed up. */
  return function onMessage(type: string, data: unknown) {
    if (type !== 'alarm.raised' && type !== 'alarm.escalated') return
    const a = data as StreamAlarm
    const escalated = type === 'alarm.escalated'
    if (!chosenLevels(user()).includes(escalated ? 'escalated' : levelOf(a))) return
    regionPath(a.region_code) // the name is asked for now, shown when the pop-up appears
    pending.push({ a, escalated })
    if (!timer)
      timer = setTimeout(() => {
        timer = undefined
        flush()
      }, pending.length >= BURST_AT ? 0 : BURST_MS)
  }
}
