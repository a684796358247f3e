import { ApiError, request } from './client'

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

/**
 * Every file chosen in a file input, into the store one after the other; the input is cleared for
 * the next choice. A file the server refuses is told through `refused` (its message) and the others
 * still go. Returns those stored.
 */
export async function uploadChosenFiles(enterpriseUscc: string, e: Event, refused: (message: string) => void) {
  const input = e.target as HTMLInputElement
  const stored: { id: string; name: string }[] = []
  for (const file of Array.from(input.files ?? [])) {
    try {
      const f = await uploadEvidence(enterpriseUscc, file)
      stored.push({ id: f.id, name: f.name })
    } catch (x) {
      if (!(x instanceof ApiError)) throw x
      refused(x.message)
    }
  }
  input.value = ''
  return stored
}
