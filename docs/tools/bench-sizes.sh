#!/bin/bash
# Issue 26's measurements at each size, one after another (run it on a quiet machine):
# `jiuzhu bench --runs 3` (report and JSON), the outside memory of each role's session in tmux,
# `roster make` and `verify` three times each on a copy. The files go to DIR (default /tmp/b26),
# where `jiuzhu demo --households N --db DIR/bench-N.sqlite` made the databases first; then
# `python3 docs/tools/bench-table.py DIR` prints the growth table of docs/benchmarks.md.
#
#   DIR=/tmp/b26 SIZES="10000 100000 300000" bash docs/tools/bench-sizes.sh
set -u
DIR=${DIR:-/tmp/b26}
cd "$(dirname "$0")/../.."
J=${JIUZHU:-$PWD/.build/release/jiuzhu}
L=$DIR/progress.log
log() { echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) $*" >> $L; }
for n in ${SIZES:-10000 100000 300000}; do
  DB=$DIR/bench-$n.sqlite
  log "bench $n start"
  /usr/bin/time -v $J bench --db $DB --households $n --runs 3 --json-out $DIR/bench-$n.json > $DIR/bench-$n.txt 2> $DIR/bench-$n.err
  log "bench $n done rc=$?"
  O=$DIR/outside-$n.txt; : > $O
  sh docs/tools/outside-rss.sh $J $DB jingban 3 >> $O 2>&1
  FORM=0 sh docs/tools/outside-rss.sh $J $DB shenhe 3 >> $O 2>&1
  FORM=0 sh docs/tools/outside-rss.sh $J $DB shenpi 3 >> $O 2>&1
  FORM=0 REVIEW=0 CASES=1 sh docs/tools/outside-rss.sh $J $DB duzha 3 >> $O 2>&1
  log "outside $n done"
  C=$DIR/copy-$n.sqlite
  cp $DB $C; cp $DB.key $C.key; cp $DB.anchor $C.anchor
  R=$DIR/roster-$n.txt; : > $R
  for i in 1 2 3; do
    echo "load $(cut -d' ' -f1 /proc/loadavg)" >> $R
    echo demo | /usr/bin/time -f "wall %e s user %U s sys %S s maxrss %M kB" $J roster make --db $C --program rural_dibao --month 2026-12 --user jingban --password-stdin >> $R 2>&1
  done
  log "roster $n done"
  V=$DIR/verify-$n.txt; : > $V
  for i in 1 2 3; do
    echo "load $(cut -d' ' -f1 /proc/loadavg)" >> $V
    /usr/bin/time -f "wall %e s user %U s sys %S s maxrss %M kB" $J verify --db $C >> $V 2>&1
  done
  log "verify $n done"
  rm -f $C $C-wal $C-shm $C.key $C.anchor
done
log "all done"
