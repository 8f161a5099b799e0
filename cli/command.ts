import { parseArgs, ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
/** The values `parseArgs` gives for these options. */
export type OptionValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];
import { Environment, environments as knownEnvironments } from '../lib/environments';
import type { PhaseTimer } from '../lib/timing';

/** Where a command writes and what it reads: injected, so tests need no real process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The environments to choose from. @default - every environment in environments/ */
  readonly environments?: Readonly<Record<string, Environment>>;
  /** `CDK8S_OUTDIR`, set by `cdk8s synth`. */
  readonly defaultOutdir?: string;
  /** Counts time per phase, for the benchmark. */
  readonly timer?: PhaseTimer;
  /** Reads a file named on the command line. */
  readonly readFile?: (file: string) => string;
  /** The project folder (git repository, docs/). @default - the working directory */
  readonly root?: string;
  /** Environment variables (`VAULT_ADDR`, `VAULT_TOKEN`, `HOME`). @default - the process's */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Given what a successful synth wrote, for the synth cache (scripts/synth-cache.cjs) to replay. @default - nothing is recorded */
  readonly record?: (result: SynthResult) => void;
}

/** What a synth wrote: the output folder, each environment's files, and what it printed; and the text of each environment file it read. */
export interface SynthResult {
  readonly outdir: string;
  readonly folders: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly stdout: string;
  readonly inputs: ReadonlyMap<string, string>;
}

/** A command line parsed, or the exit code to stop with (its message already printed). */
export type Parsed<T> = { readonly values: T; readonly registry: Readonly<Record<string, Environment>>; readonly names: string[] } | number;

/**
 * Parses a command's options (`--help` included) strictly; on a mistake it
 * prints the message and the usage and returns exit code 2, on `--help` the
 * usage and 0.
 */
export function parseCommand<O extends Options>(
  command: string, argv: readonly string[], io: Io, options: O, usage: (names: readonly string[]) => string,
): Parsed<OptionValues<O>> {
  const registry = io.environments ?? knownEnvironments;
  const names = Object.keys(registry);
  let values: OptionValues<O> & { help?: boolean };
  try {
    const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
    values = parseArgs({ args: [...argv], options: all, strict: true, allowPositionals: false }).values as OptionValues<O> & { help?: boolean };
  } catch (error) {
    io.stderr(`${command}: ${(error as Error).message}\n\n${usage(names)}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${usage(names)}\n`);
    return 0;
  }
  return { values, registry, names };
}

/** Whether every requested name is a known environment; otherwise prints which are not, and the known ones. */
export function knownEnvironmentNames(command: string, requested: readonly string[], registry: Readonly<Record<string, Environment>>, io: Io): boolean {
  const unknown = requested.filter((name) => !Object.prototype.hasOwnProperty.call(registry, name));
  if (unknown.length === 0) return true;
  io.stderr(`${command}: unknown environment ${unknown.map((n) => `'${n}'`).join(', ')}; known environments: ${Object.keys(registry).join(', ')}\n`);
  return false;
}
