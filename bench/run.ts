/**
 * `npm run bench`: the `synth` script against `helm template` of Phalanx's real sasquatch chart, in the
 * same run on the same machine, with the same workload on both sides: usdfdev-prompt-processing plus
 * N topics and 2N community users (for helm, added to the values of its `alert-brokers` sub-chart).
 * Runs alternate in pairs, the order swapped every other pair (synth, helm, helm, synth, …): on this
 * machine the second of two back-to-back runs is a few ms faster, which a fixed order would hand to one
 * side. The figure is the median of the per-pair ratios.
 * First the loop of a person who edits (`--env` unchanged, and `--env` right after an edit of the environment
 * file) against the same helm run at N = 0.
 * Writes docs/benchmarks.md. `--quick` runs fewer pairs; `--edit` runs the edit loop only.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { environments } from '../lib/environments';
import { helmBinary } from '../lib/helm-binary';
import { scratchPhalanx } from '../test/phalanx-tree';
import { scaledEnvironment } from './scaled-environments';

const ROOT = path.resolve(__dirname, '..');
const ENV = 'usdfdev-prompt-processing';
const quick = process.argv.includes('--quick');
/** `--edit`: only the cases of the edit loop (unchanged and edit → synth). */
const editOnly = process.argv.includes('--edit');

/**
 * The loop of a person who edits, at N = 0: `--env` on the unchanged tree, and `--env` right after one value of
 * the environment file was changed (the edit is written before the clock starts, a different value every run;
 * the synth pays for everything the edit makes it do: checking the file and compiling it alone).
 */
// The unchanged tree is measured twice: as a user runs it (the synth cache replays the output: scripts/synth-cache.cjs),
// and with the cache off, a full synth every time (reported, without a goal of its own).
const EDIT_CASES: ReadonlyArray<{ label: string; edit: boolean; cache: boolean; goal?: number; pairs: number }> = [
  { label: 'unchanged, --env', edit: false, cache: true, goal: 0.85, pairs: quick ? 5 : 21 },
  { label: 'unchanged, --env, synth cache off', edit: false, cache: false, pairs: quick ? 5 : 21 },
  { label: 'edit → synth, --env', edit: true, cache: true, goal: 2.0, pairs: quick ? 5 : 21 },
];
/** The value the edit changes in environments/<ENV>.ts (each run writes it with another number). */
const EDITED = "'log.retention.minutes': 10080,";

/** N, the goal (synth / helm at most), and the pairs to run. */
const SIZES: ReadonlyArray<{ n: number; goal: number; pairs: number }> = [
  { n: 0, goal: 1.0, pairs: quick ? 5 : 21 },
  { n: 100, goal: 0.85, pairs: quick ? 5 : 15 },
  { n: 1000, goal: 0.7, pairs: quick ? 3 : 9 },
  { n: 10000, goal: 0.6, pairs: quick ? 1 : 5 },
];

/** The command the `synth` script runs, exactly as package.json has it. */
const SYNTH_SCRIPT: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth;

const pad = (i: number) => String(i).padStart(5, '0');
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Side { readonly command: string; readonly output: string; readonly objects: () => number; readonly before?: () => void }

/** GNU time, to read each run's CPU time (user + system of the shell and everything it ran), when the machine has it. */
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** The CPU time of the last run, in ms (NaN without GNU time). */
let lastCpuMs = NaN;

/**
 * Runs a side's shell command on an empty output (removed before the clock starts); returns its wall time in ms.
 * The CPU time goes to lastCpuMs: on a machine other work shares, the ratio of CPU times is the steadier figure.
 */
function timed(side: Side): number {
  fs.rmSync(side.output, { recursive: true, force: true });
  side.before?.();
  const command = side.command;
  const cpuFile = path.join(os.tmpdir(), `alert-stream-bench-cpu-${process.pid}`); // removed after the read
  const [file, args] = TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, 'sh', '-c', command]] : ['sh', ['-c', command]];
  const start = performance.now();
  const result = spawnSync(file, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`failed (${result.status}): ${command}\n${result.stderr}`);
  if (TIME) {
    lastCpuMs = fs.readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000;
    fs.rmSync(cpuFile, { force: true });
  }
  return ms;
}

function main(): void {
  const helm = helmBinary();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-bench-'));
  const phalanx = scratchPhalanx(true);
  try {
    const base = environments[ENV];
    const valuesFile = path.join(phalanx.sasquatch, `values-${ENV}.yaml`);
    const brokers = parse(fs.readFileSync(valuesFile, 'utf8'))['alert-brokers'];
    // What Argo CD passes (application-template_sasquatch.yaml): both values files and the injected globals.
    const helmArgs = (overlay: string) => [
      'template', 'sasquatch', quote(phalanx.sasquatch), '-n', 'sasquatch',
      '-f', quote(path.join(phalanx.sasquatch, 'values.yaml')), '-f', quote(valuesFile), '-f', quote(overlay),
      '--set', quote(`global.host=${base.host}`), '--set', quote(`global.baseUrl=https://${base.host}`),
      '--set', quote(`global.vaultSecretsPath=${base.vaultPathPrefix}`),
    ].join(' ');

    const rows: string[] = [];
    const failures: string[] = [];
    const countObjects = (file: string) => fs.readFileSync(file, 'utf8').split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;
    /** Alternating pairs of two sides; the row's figures, and a failure when the median ratio misses the goal. */
    const measure = (label: string, synth: Side, helmSide: Side, goal: number | undefined, pairs: number): void => {
      // Warm-up of each (the first synth after a build writes V8's code cache), then the object counts.
      timed(synth);
      timed(helmSide);
      // helm renders today's Phalanx chart; synth writes what replaces it, which has more objects since the
      // hardening (a network policy per workload, a PodDisruptionBudget): synth may do more work, never less.
      const [synthObjects, helmObjects] = [synth.objects(), helmSide.objects()];
      if (synthObjects < helmObjects - 1) {
        throw new Error(`${label}: synth wrote ${synthObjects} objects and helm ${helmObjects}; synth would do less work than helm`);
      }
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      const synthMs: number[] = [];
      const helmMs: number[] = [];
      for (let i = 0; i < pairs; i++) {
        // Even pairs run synth first, odd pairs helm first.
        const first = i % 2 === 0 ? timed(synth) : timed(helmSide);
        const firstCpu = lastCpuMs;
        const second = i % 2 === 0 ? timed(helmSide) : timed(synth);
        const [a, b] = i % 2 === 0 ? [first, second] : [second, first];
        const [ca, cb] = i % 2 === 0 ? [firstCpu, lastCpuMs] : [lastCpuMs, firstCpu];
        synthMs.push(a);
        helmMs.push(b);
        ratios.push(a / b);
        cpuRatios.push(ca / cb);
      }
      const ratio = median(ratios);
      const met = goal === undefined || ratio <= goal;
      if (!met) failures.push(`${label}: ${ratio.toFixed(2)} > ${goal}`);
      const verdict = goal === undefined ? '| — | reported' : `| ≤ ${goal} | ${met ? 'met' : 'not met'}`;
      const row = `| ${label} | ${synthObjects} / ${helmObjects} | ${pairs} | ${median(synthMs).toFixed(0)} | ${median(helmMs).toFixed(0)} | **${ratio.toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) ${verdict} | ${median(cpuRatios).toFixed(2)} |`;
      process.stdout.write(`${row}\n`);
      rows.push(row);
    };

    // The loop of a person who edits: the environment file itself, restored whatever happens.
    const editedFile = path.join(ROOT, 'environments', `${ENV}.ts`);
    const original = fs.readFileSync(editedFile, 'utf8');
    if (!original.includes(EDITED)) throw new Error(`environments/${ENV}.ts no longer has ${EDITED}: update EDITED in bench/run.ts`);
    try {
      const overlay = path.join(work, 'helm-edit.yaml');
      fs.writeFileSync(overlay, '{}\n');
      const helmOut = path.join(work, 'helm-edit.out.yaml');
      const helmSide: Side = { command: `${quote(helm)} ${helmArgs(overlay)} > ${quote(helmOut)}`, output: helmOut, objects: () => countObjects(helmOut) };
      for (const { label, edit, cache, goal, pairs } of EDIT_CASES) {
        const out = path.join(work, `out-${edit ? 'edit' : 'unchanged'}`);
        let value = 10080;
        const synth: Side = {
          command: `${cache ? '' : 'ALERT_STREAM_SYNTH_CACHE=off '}${SYNTH_SCRIPT} --env ${ENV} --out ${quote(out)} >/dev/null`,
          output: out,
          objects: () => fs.readdirSync(path.join(out, ENV)).reduce((count, f) => count + countObjects(path.join(out, ENV, f)), 0),
          before: edit ? () => fs.writeFileSync(editedFile, original.replace(EDITED, EDITED.replace('10080', String(++value)))) : undefined,
        };
        measure(label, synth, helmSide, goal, pairs);
        if (edit && !fs.readFileSync(path.join(out, ENV, '0003-kafka.k8s.yaml'), 'utf8').includes(`log.retention.minutes: ${value}`)) {
          throw new Error(`${label}: the output does not have the edited value ${value}`);
        }
      }
    } finally {
      fs.writeFileSync(editedFile, original);
    }

    for (const { n, goal, pairs } of editOnly ? [] : SIZES) {
      const topics = Array.from({ length: n }, (_, i) => `bench-topic-${pad(i)}`);
      const users = Array.from({ length: 2 * n }, (_, i) => `bench-broker-${pad(i)}`);
      const envFile = path.join(work, `synth-${n}.json`);
      const env = scaledEnvironment(base, { label: `n${n}`, topics: base.topics.length + n, users: 0 });
      fs.writeFileSync(envFile, JSON.stringify({
        ...env, name: ENV,
        users: { ...env.users, communityBrokers: [...base.users.communityBrokers, ...users] },
      }));
      const overlay = path.join(work, `helm-${n}.yaml`);
      fs.writeFileSync(overlay, JSON.stringify({
        'alert-brokers': {
          topics: [...brokers.topics, ...topics.map((name) => ({ name, partitions: 6, replicas: 3, millisecondsRetained: '604800000' }))],
          users: [...brokers.users, ...users.map((username) => ({ username, topics: brokers.communityReadonlyTopics, groups: [username] }))],
        },
      }));
      const out = path.join(work, `out-${n}`);
      const helmOut = path.join(work, `helm-${n}.out.yaml`);
      const synthSide = (prefix: string, before?: () => void): Side => ({
        command: `${prefix}${SYNTH_SCRIPT} --environment-file ${quote(envFile)} --out ${quote(out)} >/dev/null`,
        output: out,
        objects: () => fs.readdirSync(path.join(out, ENV)).reduce((count, f) => count + countObjects(path.join(out, ENV, f)), 0),
        before,
      });
      const helmSide: Side = {
        command: `${quote(helm)} ${helmArgs(overlay)} > ${quote(helmOut)}`,
        output: helmOut,
        objects: () => countObjects(helmOut),
      };
      // As a user runs it (the file unchanged: the synth cache replays), then a full synth every run (reported).
      measure(`--environment-file, N=${n}`, synthSide(''), helmSide, goal, pairs);
      measure(`--environment-file, N=${n}, synth cache off`, synthSide('ALERT_STREAM_SYNTH_CACHE=off '), helmSide, undefined, pairs);
      if (n === 0) {
        // The file edited before every run (another retention each time): never replayed.
        const text = fs.readFileSync(envFile, 'utf8');
        const retention = `"log.retention.minutes":10080`;
        if (!text.includes(retention)) throw new Error(`the environment file no longer has ${retention}: update bench/run.ts`);
        let value = 10080;
        measure('edit → synth, --environment-file', synthSide('', () => fs.writeFileSync(envFile, text.replace(retention, `"log.retention.minutes":${++value}`))), helmSide, 2.0, pairs);
        fs.writeFileSync(envFile, text);
      }
    }
    if (!editOnly) writeReport(rows, helm);
    if (failures.length > 0) {
      process.stdout.write(`bench: goals not met: ${failures.join('; ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    phalanx.remove();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function writeReport(rows: readonly string[], helm: string): void {
  const helmVersion = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const text = `# Synth against helm template

<!-- Written by \`npm run bench\`${quick ? ' --quick' : ''}: every figure below comes from one run of it. -->

Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, helm ${helmVersion}. Date: ${new Date().toISOString().slice(0, 10)}.

Workload on both sides: ${ENV} plus N topics and 2N community users. synth runs the \`synth\` script as
package.json has it (\`${SYNTH_SCRIPT}\`, its staleness check included) with the environment as JSON
(\`--environment-file\` rows: the file unchanged as a user runs it, where the synth cache replays the output, with that
cache off, and at N = 0 with the file edited before every run) or by name (\`--env\` rows, N = 0: the tree unchanged, as a user runs it, where the synth
cache replays the output, and with that cache off, a full synth every run; and right after one value of
\`environments/${ENV}.ts\` was changed, a new value every run, written before the clock starts);
helm runs \`helm template\` of Phalanx's sasquatch chart (a copy of \`../shared/reference/phalanx/sasquatch-chart\`,
its unfetchable remote dependencies dropped) with \`values.yaml\`, \`values-${ENV}.yaml\`, the injected globals,
and the N topics and 2N users added to \`alert-brokers\`. Both write every object to disk, into an output removed before the clock starts. Runs alternate
in pairs, the order swapped every other pair (synth, helm, helm, synth …: the second of two back-to-back runs is a few ms faster here);
the ratio is the median of the per-pair ratios (range in brackets), times
in ms are the medians of each side. Object counts are shown: synth writes more than today's chart renders (a network policy per workload, a PodDisruptionBudget), and a run where it would write fewer is refused before timing. The last column is the median
of the per-pair ratios of CPU time (user + system, by GNU time), steadier than wall time when other work shares the machine.

| case | objects (synth / helm) | pairs | synth ms | helm ms | synth / helm | goal | | CPU synth / helm |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |
${rows.join('\n')}
`;
  fs.writeFileSync(path.join(ROOT, 'docs', 'benchmarks.md'), text);
}

try {
  main();
} catch (error) {
  // The benchmark could not run (helm not built, a side that failed, workloads that differ): what and why, no stack.
  process.stderr.write(`bench: could not run: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
