#!/bin/sh
# children-cpu.sh <command> [args...]: runs the command (terraform) as this shell's child and, once
# it has waited for it, writes this shell's own /proc/<pid>/stat to descriptor 3. Its `cutime` and
# `cstime` are then the CPU of the command and of every process the command waited for, terraform's
# providers (proc(5); hashicorp/go-plugin waits for each plugin process it started, client.go
# `cmd.Wait`). Without this shell the CPU is lost: Node reaps its children before anyone can read
# theirs. A TERM (the caller's timeout) is passed on to the command; an interrupt (Ctrl-C) reaches
# the command from the terminal itself, once, as without the shell. Exits with the command's status,
# or 143 after a TERM. Used by terraform-cli.ts (`measureCpu`).
trap 'term=1; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' TERM
"$@" &
pid=$!
[ -n "$term" ] && kill -TERM "$pid" 2>/dev/null
wait "$pid"
status=$?
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid"
  status=$?
done
read -r stat </proc/$$/stat
printf '%s\n' "$stat" >&3
[ -n "$term" ] && exit 143
exit "$status"
