import { api } from './client'
import type { Me } from './types'

export interface Signed {
  token: string
  expires_at: string
  user: Me
}
/** The password was right and the account has a second factor: the code comes next, with this challenge. */
export interface Challenged {
  second_factor_required: true
  challenge: string
  expires_at: string
}
export const login = (username: string, password: string) =>
  api.post<Signed | Challenged>('/api/v1/auth/login', { username, password }, { quiet: true })
export const loginSecondFactor = (challenge: string, code: string) =>
  api.post<Signed>('/api/v1/auth/login/second-factor', { challenge, code }, { quiet: true })
export interface SecondFactorState {
  enabled: boolean
  enabled_at: string | null
  recovery_codes_left: number
  required: boolean
}
export const secondFactor = () => api.get<SecondFactorState>('/api/v1/auth/second-factor')
export const enrolSecondFactor = () =>
  api.post<{ secret: string; otpauth_uri: string; qr_svg: string }>('/api/v1/auth/second-factor/enrol')
export const confirmSecondFactor = (code: string) =>
  api.post<{ recovery_codes: string[] }>('/api/v1/auth/second-factor/confirm', { code }, { quiet: true })
export const logout = () => api.post<void>('/api/v1/auth/logout')
export const me = () => api.get<Me>('/api/v1/auth/me')
export const changePassword = (old_password: string, new_password: string) =>
  api.post<void>('/api/v1/auth/password', { old_password, new_password }, { quiet: true })
/** A one-time ticket to open the stream with: the session token never goes into a URL. */
export const streamTicket = () => api.post<{ ticket: string; expires_at: string }>('/api/v1/stream/ticket', undefined, { quiet: true })
