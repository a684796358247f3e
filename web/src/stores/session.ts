import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as auth from '../api/auth'
import type { Me } from '../api/types'

const KEY = 'anjian.token'

// The signed-in user. The token lives in sessionStorage: closing the browser ends the session.
export const useSession = defineStore('session', () => {
  const token = ref<string | null>(sessionStorage.getItem(KEY))
  const user = ref<Me | null>(null)

  const can = (permission: string) => user.value?.permissions.includes(permission) ?? false
  const signedIn = computed(() => !!token.value)

  async function login(username: string, password: string) {
    const r = await auth.login(username, password)
    token.value = r.token
    sessionStorage.setItem(KEY, r.token)
    user.value = r.user
  }
  async function load() {
    if (token.value && !user.value) user.value = await auth.me()
  }
  function clear() {
    token.value = null
    user.value = null
    sessionStorage.removeItem(KEY)
  }
  async function logout() {
    try {
      await auth.logout()
    } finally {
      clear()
    }
  }
  return { token, user, can, signedIn, login, load, clear, logout }
})
