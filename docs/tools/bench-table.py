import json, re, sys, os
# The growth table of docs/benchmarks.md from docs/tools/bench-sizes.sh's files in DIR.
D=sys.argv[1] if len(sys.argv) > 1 else '/tmp/b26'
sizes=[10000,100000,300000]
R={}
for n in sizes:
    p=f'{D}/bench-{n}.json'
    if os.path.exists(p): R[n]=json.load(open(p))
have=[n for n in sizes if n in R]
def role(r,name): return next((x for x in r['roles'] if x['role']==name),None)
def cell(s,d=1):
    if s is None: return '—'
    if isinstance(s,(int,float)): return f'{s:,.{d}f}'
    return f"{s['worst']:,.{d}f} ({s['median']:,.{d}f})"
def med(s):
    if s is None: return None
    return s if isinstance(s,(int,float)) else s['median']
rows=[]
def add(label, get, d=1):
    vals=[get(R[n]) if n in R else None for n in sizes]
    g=[]
    for a,b in [(0,1),(1,2)]:
        ma,mb=med(vals[a]),med(vals[b])
        g.append(f'{mb/ma:.1f}×' if ma and mb is not None and ma>0 else '')
    rows.append((label,[cell(v,d) for v in vals],g))
def rf(name,key,d=1): return lambda r: (role(r,name) or {}).get(key)
add('households / persons', lambda r: None)
rows[-1]=('households / persons',[f"{R[n]['householdCount']:,} / {R[n]['personCount']:,}" if n in R else '—' for n in sizes],['',''])
add('database (MB)', lambda r: r['databaseMB'],0)
for name,label in [('clerk','clerk'),('reviewer','reviewer'),('approver','approver'),('supervisor','supervisor')]:
    rows.append((f'**{label}** — load before each run',[ '; '.join('/'.join(f'{x:.2f}' for x in l[:1]) for l in (role(R[n],name) or {}).get('loadAverages',[])) if n in R else '—' for n in sizes],['','']))
    add(f'{label}: peak RSS of the session (MB, bench probe)', rf(name,'peakRSSMB'))
    add(f'{label}: first screen from process start (ms)', rf(name,'startToFirstScreenMs'),0)
    add(f'{label}: login (ms)', rf(name,'loginMs'))
    add(f'{label}: keystroke p99, 80×24 (ms)', rf(name,'keyP99'),2)
    add(f'{label}: keystroke median (ms)', rf(name,'keyMedian'),2)
    add(f'{label}: count arrives, median (ms)', rf(name,'countMedian'))
    add(f'{label}: count arrives, p99 (ms)', rf(name,'countP99'))
    if name=='clerk':
        add('clerk: open a card (ms)', rf(name,'openCardMs'))
        add('clerk: open the form (ms)', rf(name,'openFormMs'))
        add('clerk: review queue (ms)', rf(name,'reviewQueueMs'))
    if name in ('reviewer','approver'):
        add(f'{label}: review queue (ms)', rf(name,'reviewQueueMs'))
        add(f'{label}: open a case from the queue, p99 (ms)', rf(name,'reviewOpenP99'))
    if name=='supervisor':
        add('supervisor: keystroke p99 at 200×60 (ms)', rf(name,'largeP99'),2)
        add('supervisor: case browser keystroke p99 (ms)', rf(name,'caseP99'),2)
        add('supervisor: case browser keystroke median (ms)', rf(name,'caseMedian'),2)
        add('supervisor: case count + sum, median (ms)', rf(name,'caseSummaryMedian'))
        add('supervisor: case count + sum, p99 (ms)', rf(name,'caseSummaryP99'))
        add('supervisor: slowest sort or new filter (ms)', rf(name,'sortWorst'))
        for i,pn in enumerate(['households','case sorts','case filters','sorts under filters']):
            add(f'  of which {pn} (ms)', (lambda pn: lambda r: next((p['ms'] for p in (role(r,'supervisor') or {}).get('sortParts',[]) if p['name']==pn),None))(pn))
        rows.append(('  slowest case sort / filter',[f"{(role(R[n],'supervisor') or {}).get('slowestSort','—')} / {(role(R[n],'supervisor') or {}).get('slowestFilter','—')}" if n in R else '—' for n in sizes],['','']))
        add('supervisor: open a case from the browser, p99 (ms)', rf(name,'caseOpenP99'))
add('household page query, app ÷ sqlite3 warm', lambda r: r.get('queryRatio'),2)
add('household keystroke ÷ sqlite3 paced (wall)', lambda r: r.get('pacedRatio'),2)
add('case page query, app ÷ sqlite3 warm', lambda r: r.get('caseQueryRatio'),2)
add('case keystroke ÷ sqlite3 paced (wall)', lambda r: r.get('casePacedRatio'),2)
add('export households (s)', lambda r: r.get('exportSeconds'),2)
add('  the same query in sqlite3 (s)', lambda r: r.get('exportSQLiteSeconds'),2)
add('export cases (s)', lambda r: r.get('exportCasesSeconds'),2)
add('  the same query in sqlite3 (s)', lambda r: r.get('exportCasesSQLiteSeconds'),2)
add('export cases ÷ sqlite3 (median)', lambda r: (r['exportCasesSeconds']['median']/r['exportCasesSQLiteSeconds']) if r.get('exportCasesSQLiteSeconds') else None,2)
add('spot-check draw, rural dibao at 50% (ms)', lambda r: r.get('spotCheckDrawMs'),0)
add('  cases drawn', lambda r: r.get('spotCheckSampled'),0)
add('survey form, 30 members: submit (ms)', lambda r: (r.get('form') or {}).get('submitMs'),1)
def parse(kind,n,pat):
    p=f'{D}/{kind}-{n}.txt'
    if not os.path.exists(p): return None
    xs=[float(x) for x in re.findall(pat,open(p).read())]
    if not xs: return None
    s=sorted(xs); return {'worst':s[-1],'median':s[(len(s)-1)//2],'runs':xs}
for u,l in [('jingban','clerk'),('shenhe','reviewer'),('shenpi','approver'),('duzha','supervisor')]:
    vals=[]
    for n in sizes:
        p=f'{D}/outside-{n}.txt'
        if not os.path.exists(p): vals.append(None); continue
        xs=[int(m)/1024 for m in re.findall(r'VmHWM (\d+) kB VmRSS \d+ kB load [\d.]+ \('+u+',',open(p).read())]
        s=sorted(xs); vals.append({'worst':s[-1],'median':s[(len(s)-1)//2]} if xs else None)
    g=[]
    for a,b in [(0,1),(1,2)]:
        g.append(f"{vals[b]['median']/vals[a]['median']:.1f}×" if vals[a] and vals[b] else '')
    rows.append((f'outside: {l} VmHWM, real binary in tmux 80×24 (MB)',[cell(v) for v in vals],g))
for kind,label,pat in [('roster','roster make, rural dibao 2026-12 (s, whole command)',r'wall ([\d.]+) s'),('verify','verify (s, whole command)',r'wall ([\d.]+) s')]:
    vals=[parse(kind,n,pat) for n in sizes]
    g=[]
    for a,b in [(0,1),(1,2)]:
        g.append(f"{vals[b]['median']/vals[a]['median']:.1f}×" if vals[a] and vals[b] else '')
    rows.append((label,[cell(v,2) for v in vals],g))
print('| figure: worst of 3 runs (median) | 10,000 | 100,000 | 300,000 | growth 10k→100k | 100k→300k |')
print('|---|---|---|---|---|---|')
for l,v,g in rows:
    print(f'| {l} | '+' | '.join(v)+' | '+' | '.join(g)+' |')
