import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../constructs/rules';
import { formatPlan, PLAN_RULES, planChanges, PlanRule, synthesizedObjects } from '../lib/plan';
import { addedAllowances, Allowance, ALLOWANCES_FILE, applyAllowances, describeAllowance, parseAllowances } from '../lib/plan-allowances';
import { EnvironmentPlan, formatPlanMarkdown } from '../lib/plan-markdown';
import { LocatedObject, ManifestFile, parseManifests } from '../lib/manifests';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { InputError } from './crds';
import { synthesizeAtRef } from './git-output';
import { runClusterPlan } from './plan-cluster';
import { DEFAULT_TIMEOUT_SECONDS, parseTimeout } from '../lib/deadline';

const RULE_NAMES = Object.keys(PLAN_RULES) as PlanRule[];

const FORMATS = ['text', 'json', 'markdown'] as const;

const usage = (names: readonly string[]) => `Usage: npm run plan -- --from <folder or git ref> [--env <name>]... [--to <folder>]
                     [--format text|json|markdown] [--allow <rule>]... [--allowances <file>]
       npm run plan -- --env <name> --from cluster [--synced <folder or git ref>] [--kubeconfig <file>] [--context <name>]
                       [--timeout <s>] [--field-manager <name>] [--fail-on-drift] [--to <folder>] [--json] [--allow <rule>]...

Compares each environment's output with a previous one and lists, per stage,
the objects added (+), changed (~) and removed (-), with field differences.
Changes that lose data or break clients are unsafe: the exit code is 1 unless
each is allowed.

  --from        a folder holding <env>/*.yaml (e.g. dist) or the files themselves,
                or a git ref whose code is synthesized (e.g. main, HEAD~1); a ref's
                output is kept in build/refs, keyed by its tree hash
  --env         this environment (repeatable; default: every environment)
  --to          the new output folder (default: synthesize the working tree)
  --format      text (default), json, or markdown: the pull-request comment (unsafe
                changes first, what the change needs outside the repository, then
                per environment and stage what is added, changed and removed)
  --json        the same as --format json
  --allow       accept every finding of one rule (repeatable)
  --allowances  the reviewed declarations of unsafe changes (${ALLOWANCES_FILE}): each
                entry names env, rule, optionally object, the reason and the procedure
                followed. Only entries the change adds (absent from the file at --from,
                when it is a git ref) allow anything, once; an added entry that allows
                nothing is a finding (exit 1)

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
    env: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' },
    json: { type: 'boolean' }, format: { type: 'string' }, allow: { type: 'string', multiple: true }, allowances: { type: 'string' },
    synced: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, timeout: { type: 'string' },
    'field-manager': { type: 'string' }, 'fail-on-drift': { type: 'boolean' },
  }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  if (!args.from) {
    io.stderr(`plan: --from required\n\n${usage(names)}\n`);
    return 2;
  }
  const envs = [...new Set(args.env ?? names)];
  if (!knownEnvironmentNames('plan', envs, registry, io)) return 2;
  if (args.to && envs.length > 1) {
    io.stderr('plan: --to names one environment\'s output: give one --env with it\n');
    return 2;
  }
  const format = args.json ? 'json' : (args.format ?? 'text');
  if (!(FORMATS as readonly string[]).includes(format)) {
    io.stderr(`plan: unknown --format '${format}'; formats: ${FORMATS.join(', ')}\n`);
    return 2;
  }
  const badRules = (args.allow ?? []).filter((r) => !RULE_NAMES.includes(r as PlanRule));
  if (badRules.length > 0) {
    io.stderr(`plan: unknown rule ${badRules.map((r) => `'${r}'`).join(', ')} for --allow; rules: ${RULE_NAMES.join(', ')}\n`);
    return 2;
  }

  const repo = io.root ?? process.cwd();
  if (args.from === 'cluster') {
    if (envs.length !== 1) {
      io.stderr('plan: --from cluster reads one environment\'s objects: give one --env\n');
      return 2;
    }
    if (format === 'markdown' || args.allowances) {
      io.stderr(`plan: ${format === 'markdown' ? '--format markdown' : '--allowances'} is for a change's review, not --from cluster\n`);
      return 2;
    }
    const env = envs[0];
    const timeout = parseTimeout(args.timeout);
    if ('error' in timeout) {
      io.stderr(`plan: ${timeout.error}\n`);
      return 2;
    }
    return runClusterPlan({
      env: registry[env], allow: (args.allow ?? []) as PlanRule[], json: format === 'json', synced: args.synced, to: args.to,
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
    const declared = args.allowances ? readAllowances(args.allowances, args.from, repo, names) : { added: [], inert: [] };
    if (typeof declared === 'string') {
      io.stderr(declared);
      return 2;
    }
    const plans: EnvironmentPlan[] = [];
    const unused: Allowance[] = [];
    for (const env of envs) {
      const before = loadSide(args.from, env, repo, cleanups, true);
      const after = args.to ? loadSide(args.to, env, repo, cleanups, false)! : synthesizedObjects(registry[env]);
      const applied = applyAllowances(env, planChanges(before ?? [], after, (args.allow ?? []) as PlanRule[]), declared.added);
      unused.push(...applied.unused);
      plans.push({ env, plan: applied.plan, before: before ?? [], after, newEnvironment: before === undefined });
    }
    const problems = unused.map((a) => `plan: ${args.allowances}: ${describeAllowance(a)} allows nothing this change does: remove it (a declaration names an unsafe change the change makes)`);
    const notes = declared.inert.length > 0
      ? [`${args.allowances}: ${declared.inert.length} entr${declared.inert.length === 1 ? 'y' : 'ies'} from earlier changes allow nothing again (${declared.inert.map(describeAllowance).join('; ')}); delete ${declared.inert.length === 1 ? 'it' : 'them'}`]
      : [];
    if (format === 'markdown') {
      io.stdout(formatPlanMarkdown(plans, args.from, [...notes, ...problems.map((p) => p.replace(/^plan: /, ''))]));
    } else if (format === 'json') {
      const json = plans.map(({ env, plan, newEnvironment }) => ({ env, from: args.from, to: args.to ?? '(working tree)', newEnvironment, ...plan }));
      io.stdout(`${JSON.stringify(json.length === 1 && args.env ? json[0] : json, null, 2)}\n`);
    } else {
      io.stdout(plans.map(({ env, plan, newEnvironment }) =>
        `${newEnvironment ? `${env} has no earlier output in ${args.from}: a new environment, everything is added\n` : ''}${formatPlan(env, plan)}`).join('\n'));
      for (const note of notes) io.stdout(`note: ${note}\n`);
    }
    for (const problem of problems) io.stderr(`${problem}\n`);
    return plans.some(({ plan }) => plan.unsafe.some((u) => !u.allowed)) || problems.length > 0 ? 1 : 0;
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
 * The declarations of `file` that the change adds: those absent from the same file at `from` when it is
 * a git ref (a folder has no history: every entry is the change's). A problem is returned as the text to print.
 */
function readAllowances(file: string, from: string, repo: string, names: readonly string[]): { added: Allowance[]; inert: Allowance[] } | string {
  const absolute = path.resolve(repo, file);
  const head = parseAllowances(fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : undefined, file, names);
  if (head.problems.length > 0) return head.problems.map((p) => `plan: ${p}\n`).join('');
  let baseText: string | undefined;
  if (!fs.existsSync(path.resolve(repo, from))) {
    const relative = path.relative(repo, absolute).split(path.sep).join('/');
    const shown = spawnSync('git', ['show', `${from}:${relative}`], { cwd: repo, encoding: 'utf8' });
    baseText = shown.status === 0 ? shown.stdout : undefined;
  }
  // The base's entries only say what was consumed before; an entry there that no longer parses allows nothing either way.
  const base = parseAllowances(baseText, `${from}:${file}`, names).allowances;
  return addedAllowances(head.allowances, base);
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

