"""Edits enterprises at a county node at a set rate and reads its link's lag (bench/run-exchange-lag)."""
import http.client, json, statistics, sys, threading, time, os
from urllib.parse import urlparse

url = urlparse(sys.argv[1])
rate, seconds = int(os.environ["RATE"]), int(os.environ["SECONDS_RUN"])

def conn():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)

def call(c, method, path, body=None, headers=None):
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
    r = c.getresponse()
    return r.status, r.getheader("ETag"), r.read()

c = conn()
status, _, body = call(c, "POST", "/api/v1/auth/login", {"username": "x330102_inspector", "password": "Demo@2026"})
token = json.loads(body)["token"]
auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
status, _, body = call(c, "GET", "/api/v1/enterprises?page_size=200", headers=auth)
usccs = [e["uscc"] for e in json.loads(body)["items"]]
assert usccs, "the county has enterprises"

done = [0]
stop = threading.Event()

def writer(mine, per_second):
    c = conn()
    versions = {}
    n = 0
    start = time.monotonic()
    while not stop.is_set():
        u = mine[n % len(mine)]
        if u not in versions:
            _, etag, _ = call(c, "GET", f"/api/v1/enterprises/{u}", headers=auth)
            versions[u] = etag
        s, etag, _ = call(c, "PATCH", f"/api/v1/enterprises/{u}", {"employees": 10 + n % 500}, {**auth, "If-Match": versions[u]})
        if s == 200:
            versions[u] = etag
            done[0] += 1
        else:
            versions.pop(u, None)
        n += 1
        wait = start + n / per_second - time.monotonic()
        if wait > 0:
            time.sleep(wait)

threads = min(int(os.environ.get("THREADS", "16")), len(usccs))
workers = [threading.Thread(target=writer, args=(usccs[i::threads], rate / threads)) for i in range(threads)]
for w in workers:
    w.start()
lags, backlogs = [], []
m = conn()
t0 = time.monotonic()
while time.monotonic() - t0 < seconds:
    time.sleep(1)
    _, _, text = call(m, "GET", "/metrics")
    for line in text.decode().splitlines():
        if line.startswith("anjian_exchange_lag_seconds{") and 'direction="up"' in line:
            lags.append(float(line.rsplit(" ", 1)[1]))
        if line.startswith("anjian_exchange_backlog{") and 'direction="up"' in line:
            backlogs.append(float(line.rsplit(" ", 1)[1]))
stop.set()
for w in workers:
    w.join()
elapsed = time.monotonic() - t0
steady = lags[len(lags) // 5:]  # the first fifth is the start
print(f"edits: {done[0] / elapsed:.0f}/s asked {rate}/s; lag of the county's link up over {len(steady)} s after the start: "
      f"median {statistics.median(steady):.1f} s, max {max(steady):.1f} s; backlog median {statistics.median(backlogs):.0f}")
