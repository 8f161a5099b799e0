import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../constructs/rules';
import { formatPlan, PLAN_RULES, planChanges, PlanRule, synthesizedObjects } from '../lib/plan';
import { LocatedObject, ManifestFile, parseManifests } from '../lib/manifests';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { InputError } from './crds';
import { synthesizeAtRef } from './git-output';
import { runClusterPlan } from './plan-cluster';
import { DEFAULT_TIMEOUT_SECONDS, parseTimeout } from '../lib/deadline';

const RULE_NAMES = Object.keys(PLAN_RULES) as PlanRule[];

const usage = (names: readonly string[]) => `Usage: npm run plan -- --env <name> --from <folder or git ref> [--to <folder>] [--json] [--allow <rule>]...
       npm run plan -- --env <name> --from cluster [--synced <folder or git ref>] [--kubeconfig <file>] [--context <name>]
                       [--timeout <s>] [--field-manager <name>] [--fail-on-drift] [--to <folder>] [--json] [--allow <rule>]...

Compares the environment's output with a previous one and lists, per stage,
the objects added (+), changed (~) and removed (-), with field differences.
Changes that lose data or break clients are unsafe: the exit code is 1 unless
each is allowed by rule name.

  --from   a folder holding <env>/*.yaml (e.g. dist) or the files themselves,
           or a git ref whose code is synthesized (e.g. main, HEAD~1)
  --to     the new output folder (default: synthesize the working tree)
  --allow  accept the findings of one rule (repeatable)

--from cluster reads the environment's objects from a cluster (the kubeconfig's
current context, or --context; --kubeconfig, else $KUBECONFIG, else
~/.kube/config) and lists (1) drift: what the cluster has that the output Argo
CD last synced (--synced, default dist) does not say, and what is missing; and
(2) what a sync of the new output would change there, by server-side apply dry
runs (nothing is changed) as --field-manager (default argocd-controller), so
defaulted fields never show. The rules run against what runs; objects the API
server refuses exit 1 too. Drift alone exits 0 unless --fail-on-drift. Needs
get and patch on every kind of the output; each request waits at most
--timeout seconds (default ${DEFAULT_TIMEOUT_SECONDS}). A cluster that cannot be used exits 2.
(A folder or git ref named 'cluster': pass ./cluster or refs/heads/cluster.)

Rules: ${RULE_NAMES.join(', ')}
Environments: ${names.join(', ')}`;

/**
 * Runs `plan`; returns the exit code (0 safe, 1 unsafe or broken environment, 2 usage, input or cluster
 * unusable). `--from cluster` answers later.
 */
export function runPlan(argv: readonly string[], io: Io): number | Promise<number> {
  const parsed = parseCommand('plan', argv, io, {
    env: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    json: { type: 'boolean' }, allow: { type: 'string', multiple: true },
    synced: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, timeout: { type: 'string' },
    'field-manager': { type: 'string' }, 'fail-on-drift': { type: 'boolean' },
  }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  const missing = (['env', 'from'] as const).filter((k) => !args[k]);
  if (missing.length > 0) {
    io.stderr(`plan: ${missing.map((k) => `--${k}`).join(' and ')} required\n\n${usage(names)}\n`);
    return 2;
  }
  const env = args.env!;
  if (!knownEnvironmentNames('plan', [env], registry, io)) return 2;
  const badRules = (args.allow ?? []).filter((r) => !RULE_NAMES.includes(r as PlanRule));
  if (badRules.length > 0) {
    io.stderr(`plan: unknown rule ${badRules.map((r) => `'${r}'`).join(', ')} for --allow; rules: ${RULE_NAMES.join(', ')}\n`);
    return 2;
  }
  const repo = io.root ?? process.cwd();
  if (args.from === 'cluster') {
    const timeout = parseTimeout(args.timeout);
    if ('error' in timeout) {
      io.stderr(`plan: ${timeout.error}\n`);
      return 2;
    }
    return runClusterPlan({
      env: registry[env], allow: (args.allow ?? []) as PlanRule[], json: args.json === true, synced: args.synced, to: args.to,
      kubeconfig: args.kubeconfig, context: args.context, timeoutMs: timeout.ms, fieldManager: args['field-manager'],
      failOnDrift: args['fail-on-drift'] === true, repo,
    }, (source, cleanups, mayBeAbsent) => loadSide(source, env, repo, cleanups, mayBeAbsent), io);
  }
  const clusterOnly = (['synced', 'kubeconfig', 'context', 'timeout', 'field-manager', 'fail-on-drift'] as const).filter((k) => args[k] !== undefined);
  if (clusterOnly.length > 0) {
    io.stderr(`plan: ${clusterOnly.map((k) => `--${k}`).join(', ')} need --from cluster\n\n${usage(names)}\n`);
    return 2;
  }

  const cleanups: Array<() => void> = [];
  try {
    const before = loadSide(args.from!, env, repo, cleanups, true);
    const after = args.to ? loadSide(args.to, env, repo, cleanups, false) : synthesizedObjects(registry[env]);
    const plan = planChanges(before ?? [], after ?? [], (args.allow ?? []) as PlanRule[]);
    const note = before === undefined ? `${env} has no earlier output in ${args.from}: a new environment, everything is added\n` : '';
    io.stdout(args.json ? `${JSON.stringify({ env, from: args.from, to: args.to ?? '(working tree)', newEnvironment: before === undefined, ...plan }, null, 2)}\n` : `${note}${formatPlan(env, plan)}`);
    return plan.unsafe.some((u) => !u.allowed) ? 1 : 0;
  } catch (error) {
    if (error instanceof EnvironmentError) {
      io.stderr(`plan: the environment does not synthesize:\n${error.message}\n`);
      return 1;
    }
    if (error instanceof InputError) {
      io.stderr(`plan: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    cleanups.forEach((c) => c());
  }
}

/**
 * The objects of one side: a folder of manifests, or the output of a git ref. Undefined when `mayBeAbsent`
 * and the environment did not exist there (a folder without `<env>/` and without manifests, or a commit
 * whose code does not know the environment): then everything is new.
 */
function loadSide(source: string, env: string, repo: string, cleanups: Array<() => void>, mayBeAbsent: boolean): LocatedObject[] | undefined {
  let dir: string;
  if (fs.existsSync(source)) {
    if (!fs.statSync(source).isDirectory()) throw new InputError(`${source} is not a folder`);
    const envDir = path.join(source, env);
    dir = fs.existsSync(envDir) && fs.statSync(envDir).isDirectory() ? envDir : source;
  } else {
    const built = synthesizeAtRef(repo, source, env);
    cleanups.push(built.cleanup);
    if (built.dir === undefined) return undefined;
    dir = built.dir;
  }
  const files: ManifestFile[] = fs.readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && /\.ya?ml$/.test(f.name))
    .map((f) => f.name).sort().map((f) => ({ path: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  if (files.length === 0 && mayBeAbsent && dir === source) return undefined;
  if (files.length === 0) throw new InputError(`${dir} holds no manifests (*.yaml)`);
  const { objects, findings } = parseManifests(files);
  if (findings.length > 0) throw new InputError(`${path.join(dir, findings[0].file)}: ${findings[0].object} ${findings[0].path}: ${findings[0].message}`);
  return objects;
}

