// The console's service worker (issue 15 §4: the inspector's phone works offline). The build fills
// VERSION and FILES (vite.config.ts, plugin "precache"): the app shell and every chunk except the
// map's boundary data. Pages are fetched from the network first and from the cache when there is
// none; hashed assets from the cache first (they never change). API calls are never cached: what
// the phone keeps for offline work is in IndexedDB, put there on purpose (views/enforcement/outbox.ts).
const VERSION = '__VERSION__'
const FILES = __FILES__
const CACHE = 'anjian-shell-' + VERSION

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['/', ...FILES]))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('anjian-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz') return
  if (request.mode === 'navigate') {
    // Every route of the console is index.html.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) caches.open(CACHE).then((cache) => cache.put('/', response.clone()))
          return response
        })
        .catch(() => caches.match('/')),
    )
    return
  }
  event.respondWith(
    caches.match(request).then(
      (hit) =>
        hit ||
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone()
            caches.open(CACHE).then((cache) => cache.put(request, copy))
          }
          return response
        }),
    ),
  )
})
