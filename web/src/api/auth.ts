import { api } from './client'
import type { Me } from './types'

export const login = (username: string, password: string) =>
  api.post<{ token: string; expires_at: string; user: Me }>('/api/v1/auth/login', { username, password }, { quiet: true })
export const logout = () => api.post<void>('/api/v1/auth/logout')
export const me = () => api.get<Me>('/api/v1/auth/me')
export const changePassword = (old_password: string, new_password: string) =>
  api.post<void>('/api/v1/auth/password', { old_password, new_password }, { quiet: true })
/** A one-time ticket to open the stream with: the session token never goes into a URL. */
export const streamTicket = () => api.post<{ ticket: string; expires_at: string }>('/api/v1/stream/ticket', undefined, { quiet: true })
