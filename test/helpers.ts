import { App, Chart } from 'cdk8s';
import * as path from 'node:path';
import type { Io } from '../cli/command';
import type { Environment } from '../lib/environments';
import type { LoadBalancerListenerOptions } from '../constructs/external-listener';
import { loadCrdCatalog } from '../cli/crds';
import type { CrdCatalog } from '../lib/schema-validation';
import { KubeObject, StageManifest, synthesizeEnvironment } from '../lib/synthesize';

/** The CRDs beside the project (`../shared/crds`), never copied into it. */
export const SHARED_CRDS = path.resolve(__dirname, '../../shared/crds');

/** The CRD catalog of `../shared/crds`, as `validate --crds` reads it (once per test file). */
export function sharedCrdCatalog(): CrdCatalog {
  return loadCrdCatalog(SHARED_CRDS);
}

/** Every object of a synthesized environment, in file order. */
export function allObjects(manifests: readonly StageManifest[]): KubeObject[] {
  return manifests.flatMap((m) => m.objects);
}

/** The one object of this kind and name; fails the test if there is not exactly one. */
export function findObject(source: Environment | readonly StageManifest[], kind: string, name: string): any {
  const manifests = Array.isArray(source) ? source : synthesizeEnvironment(source as Environment);
  const found = allObjects(manifests).filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

/** A copy of `env` with some fields replaced (deeply, for plain objects). */
export function withChanges(env: Environment, changes: DeepPartial<Environment>): Environment {
  return merge(env, changes) as Environment;
}

export type DeepPartial<T> = T extends readonly (infer _)[] ? T : T extends object ? { -readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

function merge(base: any, change: any): any {
  if (change === undefined) return base;
  if (Array.isArray(change) || typeof change !== 'object' || change === null || typeof base !== 'object' || base === null) return change;
  const out: any = { ...base };
  for (const [k, v] of Object.entries(change)) out[k] = merge(base[k], v);
  return out;
}

/** An App for tests; unlike `Testing.app()` it creates no temporary folder, since nothing is written. */
export function testApp(): App {
  return new App({ outdir: 'test-output-is-never-written' });
}

/** A chart in a fresh test App. */
export function testChart(): Chart {
  return new Chart(testApp(), 'test');
}

/** The environment's load-balancer listener; fails the test if it has another kind. */
export function loadBalancer(env: Environment): LoadBalancerListenerOptions {
  if (env.externalListener.type !== 'loadbalancer') throw new Error(`${env.name} has no load-balancer listener`);
  return env.externalListener;
}

/** What a command printed and returned. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Command = (argv: readonly string[], io: Io) => number | Promise<number>;

/** Runs a command (`runSynth`, `runPlan`, ...) with captured output and optional extra I/O settings. */
export function runCommand(command: Command, argv: readonly string[], io: Partial<Io> = {}): CommandResult {
  const out: string[] = [];
  const err: string[] = [];
  const code = command(argv, { ...io, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  if (typeof code !== 'number') throw new Error('the command went on asynchronously (validate --server): use runCommandAsync');
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** `runCommand` for a command that may finish later (`validate --server` talks to a cluster). */
export async function runCommandAsync(command: Command, argv: readonly string[], io: Partial<Io> = {}): Promise<CommandResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, { ...io, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
