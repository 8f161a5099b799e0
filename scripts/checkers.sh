#!/usr/bin/env bash
# The third-party checkers Kubernetes reviewers run, over every environment's synthesized objects (dist/<env>/):
#   kubeconform -strict  every object against its schema: the core kinds of Kubernetes 1.33 (PyPI's
#                        kubernetes-validate) and every CRD version in ../shared/crds, both closed against
#                        unknown fields, generated offline into a temporary folder (scripts/checker-schemas.cjs)
#   kube-score           a CRITICAL finding fails
#   checkov              --framework kubernetes: a failed check fails
# A finding is accepted only on its object, with its reason (scripts/checker-acceptances.cjs checks that,
# and that at most three distinct kube-score tests are ignored in all): kube-score's `kube-score/ignore`
# annotation, checkov's `checkov.io/skip<n>: <CHECK_ID>=<reason>` annotation (constructs/pod-security.ts).
# The tools come from the tools cache: `bash tools/build.sh kube-score`, `... kubeconform`, `... checkov`.
# Usage: scripts/checkers.sh [dist folder]   (after npm run synth). One line per finding, naming the
# environment, the object and the check. Exit 0 clean, 1 findings, 2 could not run.
set -uo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}

could_not_run() {
  echo "checkers: $*" >&2
  exit 2
}

# The tools, from the tools cache (never built here). Every one that is missing is named, in one line.
missing=()
tool() { # tool <name> <variable to set to its folder>
  local folder
  if folder=$(bash tools/build.sh --cached "$1" 2>/dev/null); then printf -v "$2" '%s' "$folder"; else missing+=("$1"); fi
}
tool kube-score kube_score_folder
tool kubeconform kubeconform_folder
tool checkov checkov_folder
[ ${#missing[@]} -eq 0 ] || could_not_run "not built: ${missing[*]}; build each first with bash tools/build.sh <name> (Go and the Go module proxy; checkov: Python and PyPI)"
kube_score=$kube_score_folder/kube-score
kubeconform=$kubeconform_folder/kubeconform
checkov_venv=$checkov_folder/venv
# checkov's temporary folder is its own, beside its venv: the parser library it uses keeps a grammar cache there
# (.lark_cache_*.tmp), which would otherwise stay in the user's /tmp.
checkov_tmp=$checkov_folder/tmp
mkdir -p "$checkov_tmp"
core_schemas=$(echo "$checkov_venv"/lib/python3*/site-packages/kubernetes_validate/kubernetes-json-schema/v1.33.0-local-strict)
[ -f "$core_schemas/_definitions.json" ] || could_not_run "kubernetes-validate's Kubernetes 1.33 schemas are missing in $checkov_venv: bash tools/build.sh checkov"
[ -d ../shared/crds ] || could_not_run "../shared/crds is missing: the CRD schemas are generated from it"

# Every environment of the registry (environments/<name>.ts), each synthesized.
envs=()
for file in environments/*.ts; do
  env=$(basename "$file" .ts)
  [ -d "$dist/$env" ] || could_not_run "$dist/$env is missing: run npm run synth first"
  envs+=("$env")
done
[ "${#envs[@]}" -gt 0 ] || could_not_run "no environment in environments/"

schemas=$(mktemp -d)
trap 'rm -rf "$schemas"' EXIT
node scripts/checker-schemas.cjs "$core_schemas" ../shared/crds "$schemas" || exit 2

findings=0
report() { # <env> <tool>, the findings on stdin, one a line
  local line
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    echo "$1: $2: $line"
    findings=$((findings + 1))
  done
}

dirs=()
for env in "${envs[@]}"; do dirs+=("$dist/$env"); done
accept_out=$(node scripts/checker-acceptances.cjs "${dirs[@]}")
case $? in
  0) ;;
  1) while IFS= read -r line; do echo "acceptance: $line"; findings=$((findings + 1)); done <<< "$accept_out" ;;
  *) exit 2 ;;
esac

for env in "${envs[@]}"; do
  dir=$dist/$env
  start=$SECONDS
  # kubeconform: exit 1 for invalid objects and for objects it has no schema for (an error, not skipped).
  out=$("$kubeconform" -strict -summary -output json \
    -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" "$dir" 2>&1)
  rc=$?
  [ $rc -le 1 ] || could_not_run "kubeconform could not run on $dir: $out"
  parsed=$(node -e '
    let data;
    try { data = JSON.parse(require("node:fs").readFileSync(0, "utf8")); } catch (e) { console.error("kubeconform output is not JSON: " + e.message); process.exit(2); }
    const dir = process.argv[1] + "/";
    for (const r of data.resources ?? []) {
      if (r.status === "statusValid") continue;
      // The schema location adds nothing for the reader: keep what is wrong and where.
      const msg = String(r.msg).replace(/^problem validating schema\. Check JSON formatting: jsonschema validation failed with \S+ - /, "");
      console.log(`${r.filename.replace(dir, "")}: ${r.kind}/${r.name}: ${msg}`);
    }
    const s = data.summary ?? {};
    console.log(`#summary ${s.valid ?? 0} valid, ${s.invalid ?? 0} invalid, ${s.errors ?? 0} errors, ${s.skipped ?? 0} skipped`);
  ' "$dir" <<< "$out") || could_not_run "kubeconform's output for $dir could not be read: $out"
  summary=$(grep '^#summary' <<< "$parsed" | cut -d' ' -f2-)
  report "$env" kubeconform < <(grep -v '^#summary' <<< "$parsed")

  # kube-score: exit 1 on a CRITICAL finding; every CRITICAL line is a finding.
  out=$("$kube_score" score -o ci "$dir"/*.yaml 2>&1)
  rc=$?
  [ $rc -le 1 ] || could_not_run "kube-score could not run on $dir: $out"
  grep -q '^\[' <<< "$out" || could_not_run "kube-score printed no result for $dir: $out"
  critical=$(grep -c '^\[CRITICAL\]' <<< "$out")
  report "$env" kube-score < <(grep '^\[CRITICAL\]' <<< "$out")

  # checkov: JSON results; every failed check is a finding (skipped ones carry their reason on the object).
  out=$(TMPDIR="$checkov_tmp" timeout 300 "$checkov_venv/bin/checkov" --framework kubernetes -d "$dir" --skip-download --quiet --compact -o json 2>/dev/null)
  rc=$?
  [ $rc -le 1 ] || could_not_run "checkov could not run on $dir (exit $rc)"
  parsed=$(node -e '
    let data;
    try { data = JSON.parse(require("node:fs").readFileSync(0, "utf8")); } catch (e) { console.error("checkov output is not JSON: " + e.message); process.exit(2); }
    const reports = Array.isArray(data) ? data : [data];
    let passed = 0, skipped = 0;
    for (const r of reports) {
      passed += r.summary?.passed ?? 0; skipped += r.summary?.skipped ?? 0;
      for (const c of r.results?.failed_checks ?? []) console.log(`${c.resource}: ${c.check_id} ${c.check_name} (${c.file_path.replace(/^\//, "")})`);
    }
    console.log(`#summary ${passed} passed, ${skipped} accepted`);
  ' <<< "$out") || could_not_run "checkov's output for $dir could not be read"
  report "$env" checkov < <(grep -v '^#summary' <<< "$parsed")
  echo "$env: kubeconform $summary; kube-score $critical CRITICAL; checkov $(grep '^#summary' <<< "$parsed" | cut -d' ' -f2-) ($((SECONDS - start)) s)"
done

if [ "$findings" -gt 0 ]; then
  echo "checkers: $findings findings (accept one only on its object, with its reason: see README, Security)"
  exit 1
fi
echo "checkers: clean (${#envs[@]} environments)"
