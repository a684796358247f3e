#!/usr/bin/env python3
"""Adds N alarm events (default 1,000,000) to an anjian SQLite database, spread over its
enterprises and the last 40 days (about 2 % still open): the history the risk benchmark recomputes
from. Usage: bench/gen_alarm_history.py DB [N]"""
import random, sqlite3, sys, time

db, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
c = sqlite3.connect(db)
usccs = [u for (u,) in c.execute("SELECT uscc FROM enterprises")]
rng = random.Random(20261129)
now = int(time.time() * 1000)
kinds = [("threshold", "high"), ("threshold", "high_high"), ("threshold", "low"), ("offline", "none"), ("fault", "none"), ("rate", "none")]
def rows():
    for i in range(n):
        t, lvl = rng.choice(kinds)
        state = "raised" if rng.random() < 0.02 else "closed"
        yield (f"bench{i:08d}", rng.choice(usccs), f"p{i % 5000}", f"P{i % 5000}", t, lvl, state, 1.0,
               now - rng.randrange(40 * 86_400_000), 1)
c.executemany("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, state, value, raised_at, version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
c.commit()
print(f"{n} alarm events over {len(usccs)} enterprises")
