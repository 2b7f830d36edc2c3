#!/usr/bin/env python3
"""Aggregates a speedscope JSON (dotnet-trace convert) to inclusive/self time of stacks that contain
PeerNet.Analyzers frames. usage: aggregate_speedscope.py trace.speedscope.json"""
import json, sys, collections
d = json.load(open(sys.argv[1]))
frames = d['shared']['frames']
incl = collections.Counter(); self_ = collections.Counter(); total = 0.0
for prof in d['profiles']:
    if prof['type'] != 'evented':
        continue
    stack = []; last = None
    opened = {}
    # evented: O/C events with at (ms)
    cur = []
    t_prev = None
    for ev in prof['events']:
        t = ev['at']
        if t_prev is not None and cur:
            dt = t - t_prev
            # only count samples inside analyzer callbacks
            names = [frames[f]['name'] for f in cur]
            if any(n.lower().startswith('peernet.analyzers!') for n in names):
                total += dt
                seen = set()
                for n in names:
                    if n not in seen:
                        incl[n] += dt; seen.add(n)
                self_[names[-1]] += dt
        t_prev = t
        if ev['type'] == 'O':
            cur.append(ev['frame'])
        else:
            # close: pop until frame
            if cur and cur[-1] == ev['frame']:
                cur.pop()
            elif ev['frame'] in cur:
                idx = len(cur) - 1 - cur[::-1].index(ev['frame']); cur = cur[:idx]
print(f"time in stacks containing PeerNet.Analyzers frames: {total:.0f} ms (all threads)")
print("-- inclusive (top 45)")
for n, v in incl.most_common(45):
    print(f"{v:9.0f} ms {100*v/total:5.1f}%  {n[:170]}")
print("-- self (top 20)")
for n, v in self_.most_common(20):
    print(f"{v:9.0f} ms {100*v/total:5.1f}%  {n[:170]}")
