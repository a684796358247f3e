// The server writes instants as ISO 8601 in Asia/Shanghai (+08:00): shown as "YYYY-MM-DD hh:mm:ss"
// whatever the browser's own time zone.
export const shanghaiTime = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 19) : '—')
