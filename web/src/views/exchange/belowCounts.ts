// What the nodes below reported, counted for a module's home card (一数一源: their records stay
// theirs; the card only sums them up). null when nothing came from below — a county's cards show
// no 下级报送 line at all.
import { exchangeRecordCounts, type ReplicaCounts } from '../../api/exchange'
import type { StreamMessage } from '../../stores/stream'

export type CountRow = ReplicaCounts['items'][number]

export async function countsBelow(type: string, by: string[]): Promise<CountRow[] | null> {
  const c = await exchangeRecordCounts(type, by)
  return c.total ? c.items : null
}

export function sumWhere(rows: CountRow[], keep: (values: Record<string, string>) => boolean): number {
  return rows.filter((r) => keep(r.values)).reduce((n, r) => n + r.count, 0)
}

// Whether a stream message says that records of `type` just arrived from below (a batch applied at
// this node; the server sends it only to users whose jurisdiction covers the records' region).
export function receivedFromBelow(m: StreamMessage, type: string): boolean {
  return m.type === 'exchange.received' && (m.data as { record_type?: string } | undefined)?.record_type === type
}
