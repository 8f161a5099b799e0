import * as fs from 'node:fs';
import { EnvironmentError } from '../constructs/rules';
import type { Environment } from '../environments';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';
import { NO_TIMER } from '../lib/timing';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { FolderContents, replaceFolders } from './output';

export type { Io } from './command';

const usage = (names: readonly string[]) => `Usage: npm run synth -- [--env <name>]... [--out <dir>]

Writes dist/<env>/000N-<stage>.k8s.yaml for each environment (all by default).
(For Phalanx, npm run phalanx writes the alert-stream sub-chart of sasquatch.)
Nothing is written unless every requested environment synthesizes.

  --env <name>     only this environment (repeatable)
  --env-file <f>   an environment as JSON, shaped like environments/environment.ts
                   and checked like one (repeatable)
  --out <dir>      output folder (default: $CDK8S_OUTDIR or dist)
  --help           show this text

Environments: ${names.join(', ')}`;

/** Runs `synth`; returns the exit code (0 ok, 1 environment problems, 2 usage). */
export function runSynth(argv: readonly string[], io: Io): number {
  const parsed = parseCommand('synth', argv, io, {
    env: { type: 'string', multiple: true },
    'env-file': { type: 'string', multiple: true },
    out: { type: 'string' },
  }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  const fromFiles: Record<string, Environment> = {};
  for (const file of args['env-file'] ?? []) {
    try {
      const env = JSON.parse((io.readFile ?? ((f) => fs.readFileSync(f, 'utf8')))(file)) as Environment;
      fromFiles[typeof env?.name === 'string' ? env.name : file] = env;
    } catch (error) {
      io.stderr(`synth: cannot read environment file ${file}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const requested = args.env ?? (args['env-file'] ? [] : names);
  if (!knownEnvironmentNames('synth', requested, registry, io)) return 2;

  const timer = io.timer ?? NO_TIMER;
  const selected: Array<[string, Environment]> = [...new Set(requested)].map((n) => [n, registry[n]]);
  const folders = new Map<string, FolderContents>();
  const failures: string[] = [];
  for (const [name, env] of [...selected, ...Object.entries(fromFiles)]) {
    try {
      const manifests = synthesizeEnvironment(env, timer);
      folders.set(name, timer.time('serialization', () => new Map(manifests.map((m) => [m.fileName, renderManifest(m)]))));
    } catch (error) {
      failures.push(error instanceof EnvironmentError ? error.message : `${name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) {
    io.stderr(`synth: refused; nothing was written.\n${failures.join('\n')}\n`);
    return 1;
  }

  const outdir = args.out ?? io.defaultOutdir ?? 'dist';
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
