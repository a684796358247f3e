import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { ApiError, api, request } from '../../api/client'
import { submitInspection, taskBundle, type Inspection, type TaskBundle } from '../../api/enforcement'

// The inspector's phone, offline (issue 15 §4). Today's tasks are downloaded with all an
// inspection needs (TaskBundle); on site the inspection is a draft in IndexedDB — answers, photos
// and signatures as blobs — that survives a reload with no network. Sending it puts it in the
// outbox; sync() sends what is queued when the server answers: each photo once (asked for by its
// SHA-256 first, its file id kept), then the record under the client's id, which the server keeps
// once however often it arrives. A refusal (the task reassigned or done by a colleague) is kept on
// the draft and shown, never dropped.

export interface PhotoRef {
  key: string
  name: string
}
export interface Answer {
  result: 'pass' | 'fail' | 'not_applicable' | ''
  note: string
  photos: PhotoRef[]
}
export interface Draft {
  task_id: string
  client_id: string
  enterprise_uscc: string
  /** The enterprise record as downloaded (its version, name and address), to tell of a change. */
  enterprise_seen: { version: number; name: string; address: string }
  started_at: string
  place: string
  present: { name: string; title: string; phone: string }[]
  summary: string
  answers: Record<number, Answer>
  findings: { description: string; photos: PhotoRef[] }[]
  position: { lon: number; lat: number; accuracy_m?: number } | null
  inspector_id: string
  inspector_signature: PhotoRef | null
  unit_signature: PhotoRef | null
  unit_signer: string
  recheck: { complied: boolean | null; note: string }
  /** draft → queued (sent when the network allows) → sent; conflict: the server refused it. */
  state: 'draft' | 'queued' | 'sent' | 'conflict'
  message: string
  inspection_id: string
  updated_at: string
}
interface Blob_ {
  key: string
  blob: Blob
  name: string
  type: string
  sha256: string
  file_id: string
}
interface Schema extends DBSchema {
  bundles: { key: string; value: TaskBundle & { downloaded_at: string } }
  drafts: { key: string; value: Draft }
  blobs: { key: string; value: Blob_ }
}

let db: Promise<IDBPDatabase<Schema>> | null = null
const open = () =>
  (db ??= openDB<Schema>('anjian-inspections', 1, {
    upgrade(d) {
      d.createObjectStore('bundles', { keyPath: 'task.id' })
      d.createObjectStore('drafts', { keyPath: 'task_id' })
      d.createObjectStore('blobs', { keyPath: 'key' })
    },
  }))

const uuid = () => crypto.randomUUID()
const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('')

/** Downloads the task's bundle for use with no network; answers with the kept one when offline. */
export async function fetchBundle(taskId: string): Promise<TaskBundle | null> {
  const d = await open()
  try {
    const b = await taskBundle(taskId)
    await d.put('bundles', { ...b, downloaded_at: new Date().toISOString() })
    return b
  } catch (e) {
    if (e instanceof ApiError && e.code !== 'network') throw e
    return (await d.get('bundles', taskId)) ?? null
  }
}
export async function keptBundles() {
  return (await open()).getAll('bundles')
}

/** The task's draft on this phone, or a new one by the inspector `inspectorId` (who signs it). */
export async function loadDraft(bundle: TaskBundle, inspectorId: string): Promise<Draft> {
  const d = await open()
  const kept = await d.get('drafts', bundle.task.id)
  if (kept) return kept
  const answers: Record<number, Answer> = {}
  for (const it of bundle.checklist?.items ?? []) answers[it.seq] = { result: '', note: '', photos: [] }
  return {
    task_id: bundle.task.id,
    client_id: uuid(),
    enterprise_uscc: bundle.enterprise.uscc,
    enterprise_seen: { version: bundle.enterprise.version, name: bundle.enterprise.name, address: bundle.enterprise.address },
    started_at: new Date().toISOString(),
    place: bundle.enterprise.address || '',
    present: [{ name: bundle.enterprise.safety_manager_name || '', title: '安全管理人员', phone: '' }],
    summary: '',
    answers,
    findings: [],
    position: null,
    inspector_id: inspectorId,
    inspector_signature: null,
    unit_signature: null,
    unit_signer: bundle.enterprise.safety_manager_name || '',
    recheck: { complied: null, note: '' },
    state: 'draft',
    message: '',
    inspection_id: '',
    updated_at: new Date().toISOString(),
  }
}
export async function saveDraft(draft: Draft) {
  draft.updated_at = new Date().toISOString()
  await (await open()).put('drafts', JSON.parse(JSON.stringify(draft)) as Draft)
}
export async function drafts() {
  return (await open()).getAll('drafts')
}

/** Keeps a photo or a signature with its digest; returns how the draft refers to it. */
export async function keepBlob(blob: Blob, name: string): Promise<PhotoRef> {
  const key = uuid()
  const sha256 = hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))
  await (await open()).put('blobs', { key, blob, name, type: blob.type || 'application/octet-stream', sha256, file_id: '' })
  return { key, name }
}
export async function blobUrl(ref: PhotoRef) {
  const b = await (await open()).get('blobs', ref.key)
  return b ? URL.createObjectURL(b.blob) : ''
}

// A photo into the file store once: asked for by its digest, sent only when the store lacks it.
async function fileIdOf(uscc: string, ref: PhotoRef): Promise<string> {
  const d = await open()
  const b = await d.get('blobs', ref.key)
  if (!b) throw new ApiError(0, 'missing_photo', `照片 ${ref.name} 已不在本机`)
  if (b.file_id) return b.file_id
  const found = await api.get<{ items: { id: string }[] }>('/api/v1/files', { enterprise_uscc: uscc, sha256: b.sha256 })
  const id =
    found.items[0]?.id ??
    (await request<{ id: string }>('POST', '/api/v1/files', { rawBody: b.blob, query: { enterprise_uscc: uscc, name: b.name }, quiet: true })).data.id
  await d.put('blobs', { ...b, file_id: id })
  return id
}

async function bodyOf(draft: Draft): Promise<Record<string, unknown>> {
  const files = (refs: PhotoRef[]) => Promise.all(refs.map((r) => fileIdOf(draft.enterprise_uscc, r)))
  const results = []
  for (const [seq, a] of Object.entries(draft.answers))
    results.push({ seq: Number(seq), result: a.result, note: a.note, files: await files(a.photos) })
  const findings = []
  for (const f of draft.findings) findings.push({ description: f.description, files: await files(f.photos) })
  const body: Record<string, unknown> = {
    client_id: draft.client_id,
    task_id: draft.task_id,
    started_at: draft.started_at,
    ended_at: draft.updated_at,
    place: draft.place,
    present: draft.present.filter((p) => p.name),
    summary: draft.summary,
    results,
    findings,
  }
  if (draft.enterprise_seen?.version) body.enterprise_version = draft.enterprise_seen.version
  if (draft.position) body.position = draft.position
  const signatures: Record<string, unknown> = {}
  if (draft.inspector_signature)
    signatures.inspectors = [{ user_id: draft.inspector_id, file: await fileIdOf(draft.enterprise_uscc, draft.inspector_signature) }]
  if (draft.unit_signature) signatures.unit = { name: draft.unit_signer || '现场负责人', file: await fileIdOf(draft.enterprise_uscc, draft.unit_signature) }
  if (Object.keys(signatures).length) body.signatures = signatures
  if (draft.recheck.complied !== null) body.recheck = { complied: draft.recheck.complied, note: draft.recheck.note }
  return body
}

/** Queues the draft for sending (the end time is now) and tries at once. */
export async function queue(draft: Draft) {
  draft.state = 'queued'
  draft.message = ''
  await saveDraft(draft)
  return sync()
}

// The enterprise changed while the inspector was out: the record is kept, and the phone says what
// changed so the inspector can check it against what was seen on site.
function changeOf(draft: Draft, kept: Inspection): string {
  if (!kept.enterprise_changed) return ''
  const seen = draft.enterprise_seen
  const diff = seen && seen.name !== kept.enterprise_name ? `（企业名称：${seen.name} → ${kept.enterprise_name}）` : ''
  return kept.enterprise_changed.message + diff
}

let running: Promise<{ sent: number; waiting: number }> | null = null
/** Sends what is queued; safe to call any time (one pass at a time). */
export function sync(): Promise<{ sent: number; waiting: number }> {
  running ??= (async () => {
    let sent = 0
    let waiting = 0
    for (const draft of await drafts()) {
      if (draft.state !== 'queued') continue
      try {
        const kept: Inspection = await submitInspection(await bodyOf(draft))
        draft.state = 'sent'
        draft.inspection_id = kept.id
        draft.message = changeOf(draft, kept)
        ++sent
      } catch (e) {
        if (!(e instanceof ApiError)) throw e
        if (e.code === 'network' || e.status >= 500) {
          ++waiting
          continue
        }
        draft.state = 'conflict'
        draft.message = e.message
      }
      await (await open()).put('drafts', draft)
    }
    return { sent, waiting }
  })().finally(() => (running = null))
  return running
}

/** A conflicted draft back to editing (e.g. to keep it for the record after a reassignment). */
export async function reopen(draft: Draft) {
  draft.state = 'draft'
  await saveDraft(draft)
}
