import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../constructs/rules';
import { phalanxChange, phalanxEnvironmentNames, UmbrellaFolder } from '../lib/phalanx/change';
import { subchartStates } from '../lib/phalanx/ownership';
import { SUBCHART } from '../lib/phalanx/subchart';
import { withHealthChecks } from '../lib/phalanx/argocd-values';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { replaceFolders } from './output';

const usage = (names: readonly string[]) => `Usage: npm run phalanx -- --phalanx <Phalanx checkout or its applications/sasquatch> [--env <name>]...

Writes the alert stream into Phalanx's sasquatch application, ready for a pull request:
  charts/${SUBCHART}/           the sub-chart, every Phalanx environment's objects (chosen by values)
  Chart.yaml                     its dependency (condition ${SUBCHART}.enabled), and a condition on strimzi-kafka
  values.yaml, README.md         ${SUBCHART}.enabled documented, and its rows of the values table (as helm-docs writes them)
  values-<env>.yaml              ${SUBCHART} enabled, the sub-charts it replaces disabled (other lines untouched)
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
  const parsed = parseCommand('phalanx', argv, io, { phalanx: { type: 'string' }, env: { type: 'string', multiple: true }, replace: { type: 'string', multiple: true } }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
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
    change = phalanxChange(registry, umbrella, [...new Set(requested)], replace);
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
