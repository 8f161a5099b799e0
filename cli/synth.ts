import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAcrossEnvironments, EnvironmentError, formatProblem, quote } from '../constructs/rules';
import { Environment, EnvironmentLoadError, loadAll } from '../lib/environments';
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
  // What each environment file held as it was read: the synth cache replays a run only while they still hold it.
  const inputs = new Map<string, string>();
  const read = (file: string) => {
    const text = (io.readFile ?? ((f) => fs.readFileSync(f, 'utf8')))(file);
    inputs.set(file, text);
    return text;
  };
  const fromFiles = readEnvironmentFiles(args['environment-file'] ?? [], new Set(requested), read, io);
  if (typeof fromFiles === 'number') return fromFiles;

  const timer = io.timer ?? NO_TIMER;
  const failures: string[] = [];
  const selected: Array<[string, Environment]> = [];
  for (const n of new Set(requested)) {
    try {
      selected.push([n, registry[n]]);
    } catch (error) {
      if (!(error instanceof EnvironmentLoadError)) throw error;
      failures.push(error.message);
    }
  }
  const folders = new Map<string, FolderContents>();
  for (const [name, env] of [...selected, ...fromFiles]) {
    try {
      const manifests = synthesizeEnvironment(env, timer);
      folders.set(name, timer.time('serialization', () => new Map(manifests.map((m) => [m.fileName, renderManifest(m)]))));
    } catch (error) {
      failures.push(error instanceof EnvironmentError ? error.message : `${name}: ${(error as Error).message}`);
    }
  }
  // Each environment against every other one known (environments/ and the files given): no shared addresses.
  // An environment file that cannot be loaded cannot be compared with: that is refused, never skipped.
  const written = new Set(folders.keys());
  const others = loadAll(registry, new Set(requested));
  if (written.size > 0) {
    failures.push(...others.errors.map((e) => `${e} (every environment written is compared with every other one, so it must load)`));
  }
  const everyEnvironment = [...others.loaded.filter(([n]) => !written.has(n)), ...selected, ...fromFiles].map(([, env]) => env);
  failures.push(...checkAcrossEnvironments(everyEnvironment).filter((p) => written.has(p.env)).map(formatProblem));
  if (failures.length > 0) {
    io.stderr(`synth: refused; nothing was written.\n${failures.join('\n')}\n`);
    return 1;
  }

  const outdir = args.out ?? io.defaultOutdir ?? 'dist';
  const { unsafe, unreadable } = timer.time('rules', () => againstEarlierOutput(outdir, folders));
  if ((unsafe.length > 0 || unreadable.length > 0) && args.strict) {
    io.stderr(`synth: refused (--strict); nothing was written. Against the earlier output:\n${[...unreadable.map((u) => `${u}: cannot be compared with, so an unsafe change cannot be ruled out; fix or remove it`), ...unsafe].join('\n')}\n`);
    return 1;
  }
  for (const line of unreadable) io.stderr(`synth: warning: ${line}: the safety comparison with it was not made (\`--strict\` refuses)\n`);
  for (const line of unsafe) io.stderr(`synth: warning: ${line}\n`);
  if (unsafe.length > 0) io.stderr('synth: warning: these changes are unsafe; `npm run plan -- --env <name> --from <ref>` prints the procedure for each (`--strict` refuses them)\n');
  try {
    timer.time('writing', () => replaceFolders(outdir, folders));
  } catch (error) {
    io.stderr(`synth: could not write ${outdir}: ${(error as Error).message}; the previous output is unchanged\n`);
    return 1;
  }
  const report = [...folders].map(([name, files]) => `${name}: ${[...files.keys()].join(', ')} -> ${outdir}/${name}\n`).join('');
  io.stdout(report);
  // For the synth cache: what was written, from what the environment files held. A run that warned about the
  // earlier output depended on that output too, which the cache cannot replay.
  if (unsafe.length === 0 && unreadable.length === 0) io.record?.({ outdir, folders, stdout: report, inputs });
  return 0;
}

/**
 * Environments given as JSON files, by name; or the exit code when one cannot be read or two would
 * write the same folder.
 */
function readEnvironmentFiles(files: readonly string[], requested: ReadonlySet<string>, read: (file: string) => string, io: Io): Array<[string, Environment]> | number {
  const byName = new Map<string, [string, Environment]>();
  for (const file of files) {
    let env: Environment;
    try {
      env = JSON.parse(read(file)) as Environment;
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
 * Every change `plan` calls unsafe between what each output folder holds now and what would replace it
 * (a folder that is absent, or would be written unchanged, has none), and every earlier file that could
 * not be read for that comparison: an unreadable earlier output never counts as "nothing unsafe".
 */
function againstEarlierOutput(outdir: string, folders: ReadonlyMap<string, FolderContents>): { unsafe: string[]; unreadable: string[] } {
  const unsafe: string[] = [];
  const unreadable: string[] = [];
  for (const [name, files] of folders) {
    const folder = path.join(outdir, name);
    const earlier = readManifestFolder(folder);
    unreadable.push(...earlier.unreadable.map((u) => `${name}: ${u}`));
    if (earlier.files.length === 0 || (earlier.unreadable.length === 0 && sameFiles(earlier.files, files))) continue;
    // Loaded only here: most runs have no earlier output, or an unchanged one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { planChanges } = require('../lib/plan') as typeof Plan;
    const parsed = parseManifests(earlier.files);
    for (const f of parsed.findings) unreadable.push(`${name}: ${path.join(folder, f.file)} ${f.object} ${f.path}: ${f.message}`);
    // A file written again unchanged holds the objects just read from it: only the changed files are parsed.
    const earlierText = new Map(earlier.files.map((f) => [f.path, f.text]));
    const after = [...files].flatMap(([file, text]) => (earlierText.get(file) === text
      ? parsed.objects.filter((o) => o.file === file)
      : parseManifests([{ path: file, text }]).objects));
    for (const u of planChanges(parsed.objects, after).unsafe) {
      unsafe.push(`${name}: UNSAFE [${u.rule}] ${u.object}: ${u.before} -> ${u.after} (against ${folder})`);
    }
  }
  return { unsafe, unreadable };
}

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/m;

/**
 * The manifest files of an earlier output folder, and why any of them cannot be read as one: a folder or
 * file that cannot be read, a file that is not UTF-8 text (binary), holds merge-conflict markers, or ends
 * mid-line (truncated). A folder that does not exist (or whose parent is a file) is no earlier output, and not unreadable.
 */
export function readManifestFolder(folder: string): { files: ManifestFile[]; unreadable: string[] } {
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { files: [], unreadable: code === 'ENOENT' || code === 'ENOTDIR' ? [] : [`${folder}: cannot be read (${code ?? (error as Error).message})`] };
  }
  const files: ManifestFile[] = [];
  const unreadable: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const name of names) {
    const file = path.join(folder, name);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      unreadable.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      continue;
    }
    let text: string;
    try {
      if (bytes.includes(0)) throw new Error('not text: it holds NUL bytes (a binary file)');
      text = decoder.decode(bytes);
    } catch (error) {
      unreadable.push(`${file}: ${(error as Error).message.startsWith('not text') ? (error as Error).message : 'not text: it is not UTF-8'}`);
      continue;
    }
    if (CONFLICT_MARKER.test(text)) unreadable.push(`${file}: holds merge-conflict markers (<<<<<<<, =======, >>>>>>>)`);
    else if (text.length > 0 && !text.endsWith('\n')) unreadable.push(`${file}: truncated: it ends in the middle of a line`);
    else files.push({ path: name, text });
  }
  return { files, unreadable };
}

const sameFiles = (earlier: readonly ManifestFile[], files: FolderContents) =>
  earlier.length === files.size && earlier.every((f) => files.get(f.path) === f.text);
