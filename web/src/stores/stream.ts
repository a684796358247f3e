import { defineStore } from 'pinia'
import { ref } from 'vue'
import { streamTicket } from '../api/auth'

// The real-time stream (WebSocket /api/v1/stream): alarms of the user's jurisdiction as they are
// raised and change. One connection per tab, reconnected with backoff; views subscribe by type.
export interface StreamMessage<T = unknown> {
  type: string
  data: T
}
type Listener = (m: StreamMessage) => void

export const useStream = defineStore('stream', () => {
  const connected = ref(false)
  const listeners = new Set<Listener>()
  let socket: WebSocket | null = null
  let token: string | null = null
  let retry = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let ended: (() => void) | undefined

  function retryLater() {
    // 1 s, 2 s, 4 s … up to 30 s: a restarting server is not hammered.
    timer = setTimeout(open, Math.min(30000, 1000 * 2 ** retry++))
  }
  async function open() {
    if (!token) return
    const opening = token
    let ticket: string
    try {
      ticket = (await streamTicket()).ticket
    } catch {
      if (token === opening) retryLater()
      return
    }
    if (token !== opening || socket) return // stopped or restarted meanwhile
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/stream?ticket=${encodeURIComponent(ticket)}`)
    socket.onopen = () => {
      connected.value = true
      retry = 0
    }
    socket.onmessage = (e) => {
      let m: StreamMessage
      try {
        m = JSON.parse(e.data as string)
      } catch {
        return
      }
      for (const l of listeners) l(m)
    }
    socket.onclose = (e: CloseEvent) => {
      connected.value = false
      socket = null
      if (!token) return
      // 4001: the session ended (logout elsewhere, revoked, disabled, password reset) — no retry.
      if (e.code === 4001) {
        token = null
        ended?.()
        return
      }
      retryLater()
    }
  }
  /** Connects with the session's token; `onEnded` runs when the server says the session ended. */
  function start(t: string, onEnded?: () => void) {
    ended = onEnded
    if (token === t && socket) return
    stop()
    token = t
    ended = onEnded
    open()
  }
  function stop() {
    token = null
    clearTimeout(timer)
    socket?.close()
    socket = null
    connected.value = false
  }
  /** Sends a message (a subscription) when connected; false otherwise. */
  function send(message: unknown): boolean {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false
    socket.send(JSON.stringify(message))
    return true
  }
  function on(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  return { connected, start, stop, on, send }
})
