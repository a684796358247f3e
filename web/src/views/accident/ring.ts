import { ElNotification, type NotificationHandle } from 'element-plus'
import type { Router } from 'vue-router'
import { myDutyRegion, type Accident } from '../../api/accidents'
import type { Me } from '../../api/types'

// The duty room's ring (issue 16 §2): an accident report that reached the user's level and that
// nobody there has taken stays on screen and sounds every few seconds, for everyone of the org,
// until one of them takes it (接收) — then it stops for all of them.
export function createAccidentRing(router: Router, user: () => Me | null) {
  const open = new Map<string, NotificationHandle>()
  let beeper: ReturnType<typeof setInterval> | undefined
  function beep() {
    try {
      const ctx = new AudioContext()
      const o = ctx.createOscillator()
      const g = ctx.createGain()
      o.frequency.value = 880
      g.gain.value = 0.2
      o.connect(g).connect(ctx.destination)
      o.start()
      o.stop(ctx.currentTime + 0.4)
      o.onended = () => ctx.close()
    } catch {
      /* no sound allowed before the user touched the page: the notice stays */
    }
  }
  function sync() {
    if (open.size && !beeper) {
      beep()
      beeper = setInterval(beep, 5000)
    } else if (!open.size && beeper) {
      clearInterval(beeper)
      beeper = undefined
    }
  }
  return (a: Accident) => {
    const me = user()
    if (!me || me.org.kind !== 'regulator') return
    const ringing = a.ringing.includes(myDutyRegion(me.org))
    const shown = open.get(a.id)
    if (!ringing) {
      shown?.close()
      open.delete(a.id)
    } else if (!shown) {
      open.set(a.id, ElNotification({
        title: `事故信息：${a.grade_label}事故`,
        message: `${a.party.name} ${a.kind}，死亡 ${a.deaths} 人，重伤 ${a.serious_injuries} 人。点击查看并接收。`,
        type: 'error',
        duration: 0,
        customClass: 'accident-ring',
        position: 'bottom-right', // out of the way of the pages' own buttons, which sit at the top
        onClick: () => router.push(`/accidents/${a.id}`),
        onClose: () => open.delete(a.id),
      }))
    }
    sync()
  }
}
