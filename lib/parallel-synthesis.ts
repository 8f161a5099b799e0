import { availableParallelism } from 'node:os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Environment } from '../constructs/alert-stream-props';
import { checkEnvironment, checkManifests, EnvironmentError } from '../constructs/rules';
import { toYaml } from '../constructs/yaml';
import { constructStages, KubeObject, prepareStages, PreparedStages, stageManifests } from './synthesize';
import { NO_TIMER, PhaseTimer } from './timing';

type Timer = Pick<PhaseTimer, 'time'>;

/**
 * Which of the later stages' objects (numbered across those stages in order) a thread turns into JSON
 * and YAML: those numbered `index`, `index + count`, `index + 2 * count` …
 */
export interface Share {
  readonly index: number;
  readonly count: number;
}

/** The JSON and YAML text of a share's objects, in their order. */
export interface ShareResult {
  readonly objects: KubeObject[];
  readonly yaml: string[];
}

/** The later stages' objects of one share, as JSON and as YAML. */
export function shareOf(prepared: PreparedStages, share: Share, timer: Timer = NO_TIMER): ShareResult {
  const all = prepared.later.flat();
  const objects: KubeObject[] = [];
  timer.time('construction', () => {
    for (let i = share.index; i < all.length; i += share.count) objects.push(all[i].toJson() as KubeObject);
  });
  return { objects, yaml: timer.time('serialization', () => objects.map(toYaml)) };
}

/**
 * What a helper thread computes: the environment's stages built again (the construct tree cannot cross
 * threads, and building it is deterministic), then its share. The main thread has checked the rules.
 */
export function synthesizeShare(env: Environment, share: Share): ShareResult {
  return shareOf(prepareStages(constructStages(env)), share);
}

/** How the helper thread is started: the program's own bundle, run again in the thread (scripts/launch.cjs). */
export interface Program {
  /** scripts/launch.cjs, which runs a bundle's source. */
  readonly launcher: string;
  readonly file: string;
  readonly source: string;
  readonly cachedData?: Buffer;
}

/** What main.ts gives a helper thread. */
export interface HelperData {
  readonly kind: 'synthesis-share';
  readonly env: Environment;
  readonly share: Share;
  readonly port: MessagePort;
  /** Set to 1 (and notified) once the result has been posted to `port`. */
  readonly done: Int32Array;
}

/** Below this many topics and users one thread is faster: starting a second one costs about what it saves. */
export const PARALLEL_FROM = 150;

/** Threads to synthesize this environment with: 2 for a large environment when the machine has 2 cores, else 1. */
export function threadsFor(env: Environment, program: Program | undefined, setting = process.env.ALERT_STREAM_THREADS): number {
  if (program === undefined || setting === '1' || availableParallelism() < 2) return 1;
  const users = env.users.communityBrokers.length + env.users.developers.length + env.users.readWrite.length + env.users.writeOnly.length;
  return setting === '2' || env.topics.length + users >= PARALLEL_FROM ? 2 : 1;
}

/** The program this process runs, when it was started by scripts/launch.cjs (not in tests, which run the sources). */
export function currentProgram(): Program | undefined {
  return (globalThis as Record<symbol, Program | undefined>)[Symbol.for('alert-stream.program')];
}

/** A helper thread computing one share; `result` blocks until it has posted it. */
function startHelper(program: Program, env: Environment, share: Share): { result: () => ShareResult; stop: () => void } {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const data: HelperData = { kind: 'synthesis-share', env, share, port: port2, done };
  const worker = new Worker(
    `require(${JSON.stringify(program.launcher)}).runSource(${JSON.stringify(program.file)}, require('node:worker_threads').workerData.source, require('node:worker_threads').workerData.cachedData)`,
    { eval: true, workerData: { ...data, source: program.source, cachedData: program.cachedData }, transferList: [port2], stdout: false, stderr: false },
  );
  worker.unref();
  return {
    result: () => {
      // Synchronous on purpose: synth stays one synchronous program. The helper posts, then sets `done`.
      if (Atomics.wait(done, 0, 0, HELPER_TIMEOUT_MS) === 'timed-out') throw new Error(`the helper thread gave no result within ${HELPER_TIMEOUT_MS / 1000} s (ALERT_STREAM_THREADS=1 synthesizes in one thread)`);
      const message = receiveMessageOnPort(port1)?.message as ShareResult | { error: string } | undefined;
      if (message === undefined) throw new Error('the helper thread ended without a result (ALERT_STREAM_THREADS=1 synthesizes in one thread)');
      if ('error' in message) throw new Error(`the helper thread failed: ${message.error}`);
      return message;
    },
    stop: () => {
      port1.close();
      void worker.terminate();
    },
  };
}

const HELPER_TIMEOUT_MS = 600_000;

/** The helper thread's side: compute the share, post it, signal. Never throws: a failure is posted as its message. */
export function runHelper(data: HelperData): void {
  try {
    data.port.postMessage(synthesizeShare(data.env, data.share));
  } catch (error) {
    data.port.postMessage({ error: (error as Error).message });
  } finally {
    Atomics.store(data.done, 0, 1);
    Atomics.notify(data.done, 0);
    data.port.close();
  }
}

/**
 * The stage files of one environment, by file name: what synth writes. Checks the rules first; a large
 * environment is built in two threads, each turning every other object into JSON and YAML (the slow
 * part), and the main thread checks all objects before anything is returned. The text is the same as
 * one thread's, byte for byte (test/parallel-synthesis.test.ts).
 */
export function renderEnvironment(env: Environment, timer: Timer = NO_TIMER, program = currentProgram()): Map<string, string> {
  const problems = timer.time('rules', () => checkEnvironment(env));
  if (problems.length > 0) throw new EnvironmentError(problems);
  const count = threadsFor(env, program);
  const helper = count > 1 && program ? startHelper(program, env, { index: 1, count }) : undefined;
  try {
    const prepared = timer.time('construction', () => prepareStages(constructStages(env)));
    const mine = shareOf(prepared, { index: 0, count }, timer);
    const theirs = helper ? timer.time('construction', helper.result) : { objects: [], yaml: [] };
    const shares = [mine, theirs];
    const later = prepared.later.flat().map((_, i) => i);
    const objects = [...prepared.first, ...later.map((i) => shares[i % count].objects[Math.floor(i / count)])];
    const problemsFound = timer.time('rules', () => checkManifests(env, objects));
    if (problemsFound.length > 0) throw new EnvironmentError(problemsFound);
    return timer.time('serialization', () => {
      const yaml = [...prepared.first.map(toYaml), ...later.map((i) => shares[i % count].yaml[Math.floor(i / count)])];
      let next = 0;
      return new Map(stageManifests(prepared, objects).map((m) => {
        next += m.objects.length;
        return [m.fileName, yaml.slice(next - m.objects.length, next).join('---\n')];
      }));
    });
  } finally {
    helper?.stop();
  }
}
