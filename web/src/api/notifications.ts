import { api } from './client'

// The user's inbox (GET /api/v1/notifications): what is addressed to their regulator's region.
export interface Notification {
  id: string
  kind: string
  title: string
  body: string
  enterprise_uscc: string | null
  link: string
  created_at: string
  read: boolean
}
export interface InboxPage {
  items: Notification[]
  total: number
  unread: number
}
export const inbox = (query: { unread?: boolean; page_size?: number } = {}) =>
  api.get<InboxPage>('/api/v1/notifications', { page_size: 10, ...query })
export const markRead = (id: string) => api.post<{ read: boolean }>(`/api/v1/notifications/${encodeURIComponent(id)}/read`)
export const markAllRead = () => api.post<{ marked: number }>('/api/v1/notifications/read-all')
