#!/usr/bin/env bash
# Regenerates the rehearsal's baseline: the AWS stacks <commit> synthesizes from the rehearsal
# configuration (see README.md next to this script).
set -euo pipefail
commit="${1:?usage: synthesize-baseline.sh <commit>}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone --quiet "$root" "$scratch/repo"
git -C "$scratch/repo" checkout --quiet "$commit"
(cd "$scratch/repo" && npm ci --no-audit --no-fund >/dev/null)
(cd "$scratch/repo" && CRDB_ORY_CONFIG=tools/rehearsal/config/rehearsal.config.json \
  node --conditions=@crdb-ory/source --require @crdb-ory/workspace/register apps/us-east-1/src/main.ts --outdir "$scratch/out")
for stack in state network cockroach-pki cockroach-backup cockroach eks; do
  mkdir -p "$here/stacks/$stack"
  cp "$scratch/out/stacks/$stack/cdk.tf.json" "$here/stacks/$stack/cdk.tf.json"
done
git -C "$scratch/repo" rev-parse HEAD > "$here/COMMIT"
echo "baseline: the stacks of $(cat "$here/COMMIT")"
