import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAcrossEnvironments, EnvironmentError, formatProblem, quote } from '../constructs/rules';
import type { Environment } from '../lib/environments';
import type * as Plan from '../lib/plan';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';
import { ManifestFile, parseManifests } from '../lib/manifests';
import { NO_TIMER } from '../lib/timing';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { FolderContents, replaceFolders } from './output';

export type { Io } from './command';

const usage = (names: readonly string[]) => `Usage: npm run synth -- [--env <name>]... [--out <dir>] [--strict]

Writes dist/<env>/000N-<stage>.k8s.yaml for each environment (all by default).
(For Phalanx, npm run phalanx writes the alert-stream sub-chart of sasquatch.)
Nothing is written unless every requested environment synthesizes.

  --env <name>     only this environment (repeatable)
  --environment-file <f>
                   an environment as JSON, shaped like constructs/alert-stream-props.ts
                   and checked like one (repeatable)
  --out <dir>      output folder (default: $CDK8S_OUTDIR or dist)
  --strict         refuse, instead of warning, when the new output makes a change
                   that \`npm run plan\` calls unsafe against what <dir>/<env> holds
  --help           show this text

Environments: ${names.join(', ')}`;

/** Runs `synth`; returns the exit code (0 ok, 1 environment problems, 2 usage). */
export function runSynth(argv: readonly string[], io: Io): number {
  const parsed = parseCommand('synth', argv, io, {
    env: { type: 'string', multiple: true },
    // Not \`--env-file\`: Node 20 takes that option from anywhere on its command line.
    'environment-file': { type: 'string', multiple: true },
    out: { type: 'string' },
    strict: { type: 'boolean' },
  }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  const requested = args.env ?? (args['environment-file'] ? [] : names);
  if (!knownEnvironmentNames('synth', requested, registry, io)) return 2;
  const fromFiles = readEnvironmentFiles(args['environment-file'] ?? [], new Set(requested), io);
  if (typeof fromFiles === 'number') return fromFiles;

  const timer = io.timer ?? NO_TIMER;
  const selected: Array<[string, Environment]> = [...new Set(requested)].map((n) => [n, registry[n]]);
  const folders = new Map<string, FolderContents>();
  const failures: string[] = [];
  for (const [name, env] of [...selected, ...fromFiles]) {
    try {
      const manifests = synthesizeEnvironment(env, timer);
      folders.set(name, timer.time('serialization', () => new Map(manifests.map((m) => [m.fileName, renderManifest(m)]))));
    } catch (error) {
      failures.push(error instanceof EnvironmentError ? error.message : `${name}: ${(error as Error).message}`);
    }
  }
  // Each environment against every other one known (environments/ and the files given): no shared addresses.
  const written = new Set(folders.keys());
  const everyEnvironment = [...Object.entries(registry).filter(([n]) => !written.has(n)), ...selected, ...fromFiles].map(([, env]) => env);
  failures.push(...checkAcrossEnvironments(everyEnvironment).filter((p) => written.has(p.env)).map(formatProblem));
  if (failures.length > 0) {
    io.stderr(`synth: refused; nothing was written.\n${failures.join('\n')}\n`);
    return 1;
  }

  const outdir = args.out ?? io.defaultOutdir ?? 'dist';
  const unsafe = timer.time('rules', () => unsafeAgainstEarlierOutput(outdir, folders));
  if (unsafe.length > 0 && args.strict) {
    io.stderr(`synth: refused (--strict); nothing was written. Against the earlier output:\n${unsafe.join('\n')}\n`);
    return 1;
  }
  for (const line of unsafe) io.stderr(`synth: warning: ${line}\n`);
  if (unsafe.length > 0) io.stderr('synth: warning: these changes are unsafe; `npm run plan -- --env <name> --from <ref>` prints the procedure for each (`--strict` refuses them)\n');
  try {
    timer.time('writing', () => replaceFolders(outdir, folders));
  } catch (error) {
    io.stderr(`synth: could not write ${outdir}: ${(error as Error).message}; the previous output is unchanged\n`);
    return 1;
  }
  for (const [name, files] of folders) {
    io.stdout(`${name}: ${[...files.keys()].join(', ')} -> ${outdir}/${name}\n`);
  }
  return 0;
}

/**
 * Environments given as JSON files, by name; or the exit code when one cannot be read or two would
 * write the same folder.
 */
function readEnvironmentFiles(files: readonly string[], requested: ReadonlySet<string>, io: Io): Array<[string, Environment]> | number {
  const byName = new Map<string, [string, Environment]>();
  for (const file of files) {
    let env: Environment;
    try {
      env = JSON.parse((io.readFile ?? ((f) => fs.readFileSync(f, 'utf8')))(file)) as Environment;
    } catch (error) {
      io.stderr(`synth: cannot read environment file ${quote(file)}: ${quote((error as Error).message, 200).slice(1, -1)}\n`);
      return 2;
    }
    const name = typeof env?.name === 'string' ? env.name : file;
    const earlier = byName.get(name)?.[0];
    if (earlier !== undefined || requested.has(name)) {
      io.stderr(`synth: environment file ${quote(file)} is named ${quote(name)}, as is ${earlier !== undefined ? `environment file ${quote(earlier)}` : `the environment of environments/`}; both would write ${quote(name)}: give each a name of its own\n`);
      return 2;
    }
    byName.set(name, [file, env]);
  }
  return [...byName].map(([name, [, env]]) => [name, env]);
}

/**
 * Every change `plan` calls unsafe between what each output folder holds now and what would replace it;
 * a folder that is absent, or would be written unchanged, has none.
 */
function unsafeAgainstEarlierOutput(outdir: string, folders: ReadonlyMap<string, FolderContents>): string[] {
  const lines: string[] = [];
  for (const [name, files] of folders) {
    const earlier = readManifestFolder(path.join(outdir, name));
    if (earlier.length === 0 || sameFiles(earlier, files)) continue;
    // Loaded only here: most runs have no earlier output, or an unchanged one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { planChanges } = require('../lib/plan') as typeof Plan;
    const before = parseManifests(earlier).objects;
    const after = parseManifests([...files].map(([file, text]) => ({ path: file, text }))).objects;
    for (const u of planChanges(before, after).unsafe) {
      lines.push(`${name}: UNSAFE [${u.rule}] ${u.object}: ${u.before} -> ${u.after} (against ${path.join(outdir, name)})`);
    }
  }
  return lines;
}

function readManifestFolder(folder: string): ManifestFile[] {
  try {
    return fs.readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort()
      .map((f) => ({ path: f, text: fs.readFileSync(path.join(folder, f), 'utf8') }));
  } catch {
    return [];
  }
}

const sameFiles = (earlier: readonly ManifestFile[], files: FolderContents) =>
  earlier.length === files.size && earlier.every((f) => files.get(f.path) === f.text);
