import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../constructs/rules';
import { phalanxChange, phalanxEnvironmentNames, UmbrellaFolder } from '../lib/phalanx/change';
import { subchartStates } from '../lib/phalanx/ownership';
import { SUBCHART } from '../lib/phalanx/subchart';
import { withHealthChecks } from '../lib/phalanx/argocd-values';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { helmBinary } from '../lib/helm-binary';
import { synthesizeEnvironment } from '../lib/synthesize';
import { injectedValues, renderDifferences, renderSubchart } from '../lib/phalanx/check';
import type { Environment } from '../constructs/alert-stream-props';
import { parse } from 'yaml';
import { replaceFolders } from './output';

const usage = (names: readonly string[]) => `Usage: npm run phalanx -- --phalanx <Phalanx checkout or its applications/sasquatch> [--env <name>]... [--take-newer-tags]
       npm run phalanx -- --check <Phalanx checkout or its applications/sasquatch> [--env <name>]...

Writes the alert stream into Phalanx's sasquatch application, ready for a pull request:
  charts/${SUBCHART}/           the sub-chart: one set of templates for every environment; what
                                 differs between environments is values (defaults in its values.yaml)
  Chart.yaml                     its dependency (condition ${SUBCHART}.enabled), and a condition on strimzi-kafka
  values.yaml, README.md         ${SUBCHART}.enabled documented, and its rows of the values table (as helm-docs writes them)
  values-<env>.yaml              ${SUBCHART} enabled with the environment's own values; the blocks of the
                                 sub-charts it replaces removed, those still on switched off (other lines untouched)
  secrets-<env>.yaml             every Vault key the environment reads, for Phalanx's secrets tooling
  ../argocd/values-<env>.yaml    the Argo CD health checks of the kinds it applies (docs/argocd-health.yaml),
                                 in the enabled environments only, when --phalanx is a whole checkout
Nothing is written unless all of it can be. Running it twice changes nothing.

  --phalanx <dir>  a Phalanx checkout, or its applications/sasquatch folder
  --env <name>     enable the alert stream in this environment only (repeatable;
                   default: every environment that has a values-<env>.yaml there)
  --replace <keys> comma-separated sub-charts (values keys) enabled there that the
                   alert stream takes over and disables; without it, an environment
                   whose values enable any sub-chart this project does not own (e.g.
                   summit's EFD telemetry on the same Kafka) is refused, exit 1
  --take-newer-tags where Phalanx runs a newer image tag than environments/<env>.ts (Renovate bumped
                   it there), keep Phalanx's; without it such a tag is refused, exit 1, naming the
                   image and both tags (a tag that cannot be ordered is always refused)
  --check <dir>    write nothing: render the sub-chart in <dir> with real helm as Phalanx would (its
                   values files, and what Argo CD injects: environments/values-<env>.yaml of the
                   checkout) and list every difference from what this project synthesizes, one line
                   each; exit 1 when there is one (a hand edit), 2 when helm cannot be found
  --help           show this text

Environments: ${names.join(', ')} (those without a Phalanx environment are skipped)`;

/** applications/sasquatch of a checkout, or the folder itself; undefined if neither. */
function sasquatchFolder(dir: string): string | undefined {
  for (const candidate of [path.join(dir, 'applications', 'sasquatch'), dir]) {
    const chart = path.join(candidate, 'Chart.yaml');
    if (fs.existsSync(chart) && /^name: sasquatch$/m.test(fs.readFileSync(chart, 'utf8'))) return candidate;
  }
  return undefined;
}

/** Writes every file (absolute path -> text) beside its target first, then renames them all into place; returns those changed. */
function writeFiles(files: ReadonlyMap<string, string>): string[] {
  const changed = [...files].filter(([target, text]) => !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text);
  const staged: Array<[string, string]> = [];
  try {
    for (const [target, text] of changed) {
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
      fs.writeFileSync(temp, text);
      staged.push([temp, target]);
    }
  } catch (error) {
    for (const [temp] of staged) fs.rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, target] of staged) fs.renameSync(temp, target);
  return changed.map(([target]) => target);
}

/**
 * The Argo CD health checks in applications/argocd/values-<env>.yaml of each
 * enabled environment, when `folder` is the sasquatch application of a checkout
 * that has applications/argocd; undefined otherwise.
 */
function argoCdValues(folder: string, names: readonly string[]): Map<string, string> | undefined {
  const argocd = path.join(folder, '..', 'argocd');
  if (!fs.existsSync(path.join(argocd, 'Chart.yaml'))) return undefined;
  return new Map(names.map((name) => {
    const file = path.join(argocd, `values-${name}.yaml`);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    return [file, withHealthChecks(text, `applications/argocd/values-${name}.yaml`)];
  }));
}

/** Runs `phalanx`; returns the exit code (0 ok, 1 environment or Phalanx problems, 2 usage). */
export function runPhalanx(argv: readonly string[], io: Io): number {
  const parsed = parseCommand('phalanx', argv, io, {
    phalanx: { type: 'string' }, env: { type: 'string', multiple: true }, replace: { type: 'string', multiple: true },
    'take-newer-tags': { type: 'boolean' }, check: { type: 'string' },
  }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  if (args.check !== undefined) {
    if (args.phalanx) {
      io.stderr(`phalanx: --check and --phalanx exclude each other: --check writes nothing\n\n${usage(names)}\n`);
      return 2;
    }
    return runCheck(args.check, args.env, registry, io);
  }
  if (!args.phalanx) {
    io.stderr(`phalanx: --phalanx is required\n\n${usage(names)}\n`);
    return 2;
  }
  const folder = sasquatchFolder(args.phalanx);
  if (!folder) {
    io.stderr(`phalanx: ${args.phalanx} is neither a Phalanx checkout (applications/sasquatch/Chart.yaml) nor the sasquatch chart folder\n`);
    return 2;
  }
  const umbrella: UmbrellaFolder = { read: (file) => (fs.existsSync(path.join(folder, file)) ? fs.readFileSync(path.join(folder, file), 'utf8') : undefined) };
  const available = phalanxEnvironmentNames(registry, umbrella);
  const requested = args.env ?? available;
  if (!knownEnvironmentNames('phalanx', requested, registry, io)) return 2;
  const missing = requested.filter((n) => !available.includes(n));
  if (missing.length > 0) {
    io.stderr(missing.map((n) => `phalanx: ${n} has no Phalanx environment (no values-${n}.yaml in ${folder}); environments there: ${available.join(', ') || 'none'}\n`).join(''));
    return 2;
  }
  const replace = (args.replace ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  const keys = new Set(requested.flatMap((n) => subchartStates(umbrella, n).map((s) => s.key)));
  const unknown = replace.filter((r) => !keys.has(r));
  if (unknown.length > 0) {
    io.stderr(`phalanx: --replace names no sub-chart of ${folder}/Chart.yaml: ${unknown.join(', ')}\n`);
    return 2;
  }
  let change;
  let health: Map<string, string> | undefined;
  try {
    change = phalanxChange(registry, umbrella, [...new Set(requested)], replace, { takeNewerTags: args['take-newer-tags'] });
    health = argoCdValues(folder, [...new Set(requested)]);
  } catch (error) {
    io.stderr(`phalanx: refused; nothing was written.\n${error instanceof EnvironmentError ? error.message : (error as Error).message}\n`);
    return 1;
  }
  let written: string[];
  try {
    const subchartChanged = !sameFolder(path.join(folder, 'charts', SUBCHART), change.subchart);
    const files = new Map([...change.files].map(([file, text]) => [path.join(folder, file), text]));
    for (const [file, text] of health ?? []) files.set(file, text);
    const changed = writeFiles(files);
    replaceFolders(path.join(folder, 'charts'), new Map([[SUBCHART, change.subchart]]));
    written = [...(subchartChanged ? [`charts/${SUBCHART}/`] : []), ...changed.map((file) => path.relative(folder, file))];
  } catch (error) {
    io.stderr(`phalanx: could not write ${folder}: ${(error as Error).message}\n`);
    return 1;
  }
  if (!health) io.stdout(`${folder}: no applications/argocd beside it, so the Argo CD health checks were not written; add docs/argocd-health.yaml to applications/argocd/values-<env>.yaml of ${[...new Set(requested)].join(', ')}\n`);
  for (const note of change.notes) io.stdout(`${note}\n`);
  for (const name of change.skipped) io.stdout(`${name}: no Phalanx environment (no values-${name}.yaml), skipped\n`);
  io.stdout(written.length === 0 ? `${folder}: already up to date\n` : `${folder}: wrote ${written.join(', ')}\n`);
  return 0;
}

function sameFolder(dir: string, files: ReadonlyMap<string, string>): boolean {
  try {
    const present = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    return present.length === files.size && [...files].every(([f, t]) => fs.readFileSync(path.join(dir, f), 'utf8') === t);
  } catch {
    return false;
  }
}

/**
 * `--check <dir>`: what Phalanx renders from the sub-chart in each environment
 * that enables it (or each --env), against what this project synthesizes.
 */
function runCheck(dir: string, requested: readonly string[] | undefined, registry: Readonly<Record<string, Environment>>, io: Io): number {
  const folder = sasquatchFolder(dir);
  if (!folder) {
    io.stderr(`phalanx: ${dir} is neither a Phalanx checkout (applications/sasquatch/Chart.yaml) nor the sasquatch chart folder\n`);
    return 2;
  }
  if (!fs.existsSync(path.join(folder, 'charts', SUBCHART, 'Chart.yaml'))) {
    io.stderr(`phalanx: ${folder} has no charts/${SUBCHART}: nothing to check; write it with npm run phalanx -- --phalanx ${dir}\n`);
    return 1;
  }
  const enabledIn = (name: string) => {
    const file = path.join(folder, `values-${name}.yaml`);
    if (!fs.existsSync(file)) return false;
    try {
      return (parse(fs.readFileSync(file, 'utf8')) as Record<string, { enabled?: unknown }> | null)?.[SUBCHART]?.enabled === true;
    } catch {
      return true; // a file that does not parse is reported by helm, with its name
    }
  };
  const names = requested ?? Object.keys(registry).filter(enabledIn);
  if (!knownEnvironmentNames('phalanx', names, registry, io)) return 2;
  if (names.length === 0) {
    io.stderr(`phalanx: no values-<env>.yaml in ${folder} enables ${SUBCHART} for an environment of this project (${Object.keys(registry).join(', ')})\n`);
    return 1;
  }
  let helm: string;
  try {
    helm = helmBinary();
  } catch (error) {
    io.stderr(`phalanx: --check needs helm: ${(error as Error).message}\n`);
    return 2;
  }
  const checkout = path.basename(path.dirname(folder)) === 'applications' ? path.dirname(path.dirname(folder)) : undefined;
  const lines: string[] = [];
  for (const name of names) {
    const env = registry[name];
    const injected = injectedValues(checkout, env);
    let rendered;
    try {
      rendered = renderSubchart(helm, folder, env, injected);
    } catch (error) {
      lines.push((error as Error).message);
      continue;
    }
    let synthesized;
    try {
      synthesized = synthesizeEnvironment(env).flatMap((m) => m.objects);
    } catch (error) {
      io.stderr(`phalanx: ${error instanceof EnvironmentError ? error.message : (error as Error).message}\n`);
      return 1;
    }
    const found = renderDifferences(env, rendered, synthesized);
    lines.push(...found);
    if (found.length === 0) io.stdout(`${name}: Phalanx renders exactly what this project synthesizes (${rendered.length} objects; injected values from ${injected.source})\n`);
  }
  if (lines.length > 0) {
    io.stderr(`${lines.join('\n')}\nphalanx: ${lines.length} difference(s) between ${folder} and this project; regenerate with npm run phalanx, or carry a change made in Phalanx into environments/<env>.ts\n`);
    return 1;
  }
  return 0;
}
