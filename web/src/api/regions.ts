import { api } from './client'
import type { Region } from './types'

export const childRegions = (parent?: string) => api.get<{ items: Region[] }>('/api/v1/regions', { parent }).then((r) => r.items)
export const region = (code: string) => api.get<Region & { path: Region[] }>(`/api/v1/regions/${code}`)
