#!/usr/bin/env python3
"""Sync of an inspection from the phone over loopback (issue 15's figure: 10 photos of 3 MB each
in < 2 s), as views/enforcement/outbox.ts does it: for each photo its SHA-256 is looked up
(GET /api/v1/files?sha256=), the photo is sent when the store lacks it, then the record is posted
under its client id. Then the same again (a resend after a lost answer): every photo is found, the
record is answered with what was kept. One keep-alive connection, as a browser uses.
usage: sync_bench.py PORT [RUNS]"""
import hashlib, http.client, json, os, statistics, sys, time, uuid, datetime

port = int(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

def call(method, path, body=None, token=None, ctype="application/json"):
    headers = {}
    if token: headers["Authorization"] = "Bearer " + token
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
    if body is not None: headers["Content-Type"] = ctype
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data and r.getheader("Content-Type", "").startswith("application/json") else data)

def login(user):
    s, b = call("POST", "/api/v1/auth/login", {"username": user, "password": "Demo@2026"})
    assert s == 200, (s, b)
    return b["token"]

city, county = login("c330100_inspector"), login("x330102_inspector")
_, me = call("GET", "/api/v1/auth/me", token=county)
_, cme = call("GET", "/api/v1/auth/me", token=city)
_, ents = call("GET", "/api/v1/enterprises?region_code=330102&page_size=1", token=county)
uscc = ents["items"][0]["uscc"]
photos = [b"\xff\xd8\xff\xe0" + os.urandom(3 * 1024 * 1024 - 4) for _ in range(10)]
iso = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat()
first, again = [], []
for run in range(runs):
    s, task = call("POST", "/api/v1/inspection-tasks", {"enterprise_uscc": uscc, "source": "other", "inspectors": [cme["id"], me["id"]],
                                                        "due_date": datetime.date.today().isoformat()}, token=city)
    assert s == 201, (s, task)
    photos = [p[:-8] + os.urandom(8) for p in photos]  # new photos for every inspection
    client_id = str(uuid.uuid4())
    for attempt in (first, again):
        t0 = time.perf_counter()
        ids = []
        for p in photos:
            s, found = call("GET", f"/api/v1/files?enterprise_uscc={uscc}&sha256={hashlib.sha256(p).hexdigest()}", token=county)
            if found["items"]:
                ids.append(found["items"][0]["id"])
            else:
                s, f = call("POST", f"/api/v1/files?enterprise_uscc={uscc}&name=photo.jpg", p, token=county, ctype="image/jpeg")
                assert s == 201, (s, f)
                ids.append(f["id"])
        now = time.time()
        s, rec = call("POST", "/api/v1/inspections", {"client_id": client_id, "task_id": task["id"], "started_at": iso(now - 3600), "ended_at": iso(now - 60),
                                                      "place": "生产车间", "findings": [{"description": f"问题 {i + 1}", "files": [ids[i]]} for i in range(10)]},
                      token=county)
        assert s in (200, 201), (s, rec)
        attempt.append(time.perf_counter() - t0)
print(f"sync of 10 photos of 3 MB and the record: median {statistics.median(first) * 1000:.0f} ms over {runs} runs "
      f"(min {min(first) * 1000:.0f}, max {max(first) * 1000:.0f})")
print(f"the same sent again (all photos found, the record answered from what was kept): median {statistics.median(again) * 1000:.0f} ms")
