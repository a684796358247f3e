import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as auth from '../api/auth'
import { ApiError } from '../api/client'
import type { Me } from '../api/types'

const KEY = 'anjian.token'
const USER_KEY = 'anjian.user'

// The signed-in user. The token lives in sessionStorage: closing the browser ends the session.
export const useSession = defineStore('session', () => {
  const token = ref<string | null>(sessionStorage.getItem(KEY))
  const user = ref<Me | null>(null)

  const can = (permission: string) => user.value?.permissions.includes(permission) ?? false
  const signedIn = computed(() => !!token.value)

  function signedIn_(r: auth.Signed) {
    token.value = r.token
    sessionStorage.setItem(KEY, r.token)
    user.value = r.user
    sessionStorage.setItem(USER_KEY, JSON.stringify(r.user))
  }
  /** Signs in, or returns the challenge when the account asks for its second factor next. */
  async function login(username: string, password: string): Promise<string | null> {
    const r = await auth.login(username, password)
    if ('second_factor_required' in r) return r.challenge
    signedIn_(r)
    return null
  }
  async function loginSecondFactor(challenge: string, code: string) {
    signedIn_(await auth.loginSecondFactor(challenge, code))
  }
  /** After enrolling: the server no longer asks for it. */
  async function reload() {
    user.value = await auth.me()
    sessionStorage.setItem(USER_KEY, JSON.stringify(user.value))
  }
  // Offline (an inspector on site reloading the page), the user last seen in this tab stands in:
  // nothing is sent until the network returns, and the server checks the session then.
  async function load() {
    if (!token.value || user.value) return
    try {
      user.value = await auth.me()
      sessionStorage.setItem(USER_KEY, JSON.stringify(user.value))
    } catch (e) {
      const kept = sessionStorage.getItem(USER_KEY)
      if (e instanceof ApiError && e.code === 'network' && kept) user.value = JSON.parse(kept) as Me
      else throw e
    }
  }
  function clear() {
    token.value = null
    user.value = null
    sessionStorage.removeItem(KEY)
    sessionStorage.removeItem(USER_KEY)
  }
  async function logout() {
    try {
      await auth.logout()
    } finally {
      clear()
    }
  }
  return { token, user, can, signedIn, login, loginSecondFactor, reload, load, clear, logout }
})
