#!/bin/sh
# The outside measurement of issue 26: the real binary in tmux at 80x24, a clerk's session
# (log in, search, open a card, open the application form, the review queue), then the
# process's peak resident memory (VmHWM in /proc/PID/status), as the kernel counts it.
#
#   sh docs/tools/outside-rss.sh .build/release/jiuzhu /tmp/bench26/bench-100000.sqlite [user] [runs]
#   FORM=0 sh docs/tools/outside-rss.sh … county.sqlite shenpi 3   (the county's approver: no form)
#   FORM=0 sh docs/tools/outside-rss.sh … bench.sqlite shenhe 3     (reviewer; also shenpi, the approver)
#   FORM=0 REVIEW=0 CASES=1 sh docs/tools/outside-rss.sh … duzha 3  (the supervisor: 对象查询, no queue)
#
# Every user searches 家庭户籍 and opens a card; FORM=1 (default) opens a new application form;
# REVIEW=1 (default) opens the review queue and its first case; CASES=1 searches 对象查询 and
# opens a case from it.
#
# The database is copied first (the session writes its login and a draft into the copy).
# Prints one line per run: "VmHWM <kB> kB VmRSS <kB> kB load <1-min load average>".
set -eu
BIN=$(readlink -f "$1"); DB=$2; USER_NAME=${3:-jingban}; RUNS=${4:-3}
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
COPY=$(mktemp "${TMPDIR:-/tmp}/outside-rss-XXXXXX.sqlite")
S=outside-rss-$$
# (a run that times out leaves no session or copy behind)
trap 'tmux kill-session -t "$S" 2>/dev/null; rm -f "$COPY" "$COPY-wal" "$COPY-shm" "$COPY.key" "$COPY.anchor"' EXIT
wait_for() {   # wait until the screen shows $1 (at most 60 s)
    i=0
    while ! tmux capture-pane -p -t "$S" | grep -q -- "$1"; do
        i=$((i + 1)); [ $i -gt 600 ] && { echo "timed out waiting for '$1'" >&2; tmux capture-pane -p -t "$S" >&2; exit 1; }
        sleep 0.1
    done
}
keys() { tmux send-keys -t "$S" "$@"; sleep 0.3; }
for run in $(seq 1 "$RUNS"); do
    rm -f "$COPY-wal" "$COPY-shm"   # (the last run's log would be replayed into the fresh copy)
    cp "$DB" "$COPY"; chmod 600 "$COPY"
    # (with its key and anchor: the store refuses a file whose audit key is missing)
    for x in key anchor; do [ -f "$DB.$x" ] && cp "$DB.$x" "$COPY.$x" && chmod 600 "$COPY.$x"; done
    tmux new-session -d -s "$S" -x 80 -y 24 "exec $BIN --db $COPY --lang zh"
    wait_for "用户名"
    PID=$(tmux list-panes -t "$S" -F '#{pane_pid}')
    keys -l "$USER_NAME"; keys Tab; keys -l demo; keys Enter
    wait_for "主菜单"
    # The clerk may land on its drafts (申请受理): back to the menu.
    tmux capture-pane -p -t "$S" | grep -q "草稿" && keys Escape
    keys 1; wait_for "共 "
    keys -l l; keys -l i; sleep 1
    keys Enter; wait_for "家庭成员"                 # the household card
    [ -n "${SHOW:-}" ] && tmux capture-pane -p -t "$S"
    keys Escape; keys Escape; keys Escape
    wait_for "主菜单"
    if [ "${FORM:-1}" = 1 ]; then                  # (FORM=0 for a user who takes no applications)
        keys 2; sleep 1; keys Home; keys Enter; sleep 1   # 申请受理: a new application form
        [ -n "${SHOW:-}" ] && tmux capture-pane -p -t "$S"
        keys Escape; sleep 0.5; keys y; sleep 0.5
        keys Escape; wait_for "主菜单"
    fi
    if [ "${CASES:-0}" = 1 ]; then                 # 对象查询: search, open a case, back
        keys 5; wait_for "共 "
        keys -l l; keys -l i; sleep 1
        keys Enter; wait_for "案件 #"
        keys Escape; keys Escape; keys Escape; wait_for "主菜单"
    fi
    if [ "${REVIEW:-1}" = 1 ]; then
        keys 3; sleep 2                            # 审核审批: the review queue
        keys Enter; sleep 1                        # its first case
        [ -n "${SHOW:-}" ] && tmux capture-pane -p -t "$S"
        keys Escape; sleep 0.5
    fi
    [ -n "${SHOW:-}" ] && tmux capture-pane -p -t "$S"   # SHOW=1: the last screen, to check the walk
    HWM=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
    RSS=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    echo "run $run: VmHWM $HWM kB VmRSS $RSS kB load $LOAD ($USER_NAME, 80x24, $(basename "$DB"))"
    tmux kill-session -t "$S"
    sleep 0.5
done
