import { request } from './client'

export interface StoredFile {
  id: string
  name: string
  content_type: string
  size: number
}

/** Puts an evidence photo or PDF into the file store for an enterprise (the server checks what it is). */
export const uploadEvidence = (enterpriseUscc: string, file: File) =>
  request<StoredFile>('POST', '/api/v1/files', { rawBody: file, query: { enterprise_uscc: enterpriseUscc, name: file.name }, quiet: true })
    .then((r) => r.data)
