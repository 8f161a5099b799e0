#!/usr/bin/env bash
# The review gate (.ci/run, the GitHub workflow): `plan` of every environment against the base of the change.
# Base: $PLAN_BASE if set; in a pull request the merge base with origin/$GITHUB_BASE_REF; otherwise (a push)
# the previous commit. An unsafe finding fails, naming the rule, the environment and the object, unless
# the change declares it in plan-allowances.yaml (each entry allows once: only entries the change adds count).
# Writes the plan as the pull-request comment to $PLAN_MARKDOWN (default .ci/out/plan.md) and prints it.
# Exit: plan's (0 safe, 1 unsafe or an unused declaration, 2 could not plan).
set -uo pipefail
cd "$(dirname "$0")/.."

base=${PLAN_BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
  if ! base=$(git merge-base HEAD "origin/$GITHUB_BASE_REF" 2>/dev/null); then
    echo "plan-gate: no merge base of HEAD and origin/$GITHUB_BASE_REF (fetch it: actions/checkout with fetch-depth: 0)" >&2
    exit 2
  fi
fi
if [ -z "$base" ]; then
  if ! git rev-parse --verify --quiet 'HEAD~1^{commit}' > /dev/null; then
    echo "plan-gate: HEAD has no parent commit, so there is no earlier output to compare with; nothing to check"
    exit 0
  fi
  base=HEAD~1
fi

out=${PLAN_MARKDOWN:-.ci/out/plan.md}
mkdir -p "$(dirname "$out")"
echo "plan-gate: every environment against $base ($(git rev-parse --short "$base" 2> /dev/null || echo "$base"))"
node scripts/launch.cjs cli plan --from "$base" --allowances plan-allowances.yaml --format markdown > "$out"
code=$?
cat "$out"
case $code in
  0) echo "plan-gate: safe against $base" ;;
  1) echo "plan-gate: refused: an unsafe change above is not declared in plan-allowances.yaml (or a declaration there allows nothing)" >&2 ;;
  *) echo "plan-gate: could not plan against $base (exit $code)" >&2 ;;
esac
exit $code
