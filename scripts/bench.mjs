// npm run bench: times synth as a user runs it (complete `node build/main.js` processes) for one
// environment, all environments, and generated environments at 10x, 100x and 1000x production and
// at helm's reference size; prints min/median/max, objects, bytes, the time per phase, and the floor
// (serializing the same objects with `yaml` alone); writes docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const YAML = require('yaml');
const jsyaml = require('js-yaml');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const quick = process.argv.includes('--quick');
// helm template of the Phalanx chart on these machines (issue "Fast synth"): one environment, ~3 000 objects.
const HELM = { oneEnvironment: 110, threeThousandObjects: 850 };

const step = (args, what) => {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
};
step(['scripts/build.mjs', '--force'], 'build');

// The generated environments, from the project's own TypeScript, bundled for this script.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-bench-'));
const casesModule = path.join(work, 'cases.cjs');
await build({ entryPoints: [path.join(root, 'bench', 'cases.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: casesModule, logLevel: 'warning' });
const { scaledEnvironmentFiles } = require(casesModule);
const cases = [
  { name: 'one environment (usdfprod-prompt-processing)', args: ['--env', 'usdfprod-prompt-processing'], runs: 15 },
  { name: 'all environments (3)', args: [], runs: 10 },
  ...scaledEnvironmentFiles().map(({ scale, json }) => {
    const file = path.join(work, `${scale.label}.json`);
    fs.writeFileSync(file, json);
    const runs = scale.label === '1000x' ? 3 : scale.label === '10x' ? 10 : 5;
    return { name: `${scale.label}: ${scale.topics} topics, ${scale.users} users`, args: ['--env-file', file], runs, scale };
  }),
].map((c) => (quick ? { ...c, runs: Math.min(c.runs, 3) } : c));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = path.join(work, 'out');

function runOnce(args) {
  fs.rmSync(out, { recursive: true, force: true });
  const start = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'build', 'main.js'), ...args, '--out', out], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ALERT_STREAM_TIMINGS: '1' }, maxBuffer: 64 * 1024 * 1024,
  });
  const wall = performance.now() - start;
  if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed: ${r.stderr}`);
  const timings = JSON.parse(/ALERT_STREAM_TIMINGS (.*)/.exec(r.stderr)[1]);
  return { wall, ...timings, exit: wall - timings.synthDone };
}

function written() {
  const files = fs.readdirSync(out, { recursive: true }).map((f) => path.join(out, f)).filter((f) => fs.statSync(f).isFile());
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const objects = texts.flatMap((t) => YAML.parseAllDocuments(t).map((d) => d.toJS()));
  return { files: files.length, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0), objects };
}

/** Median ms to serialize the objects with a function, in this process. */
function serializeTime(objects, serialize, runs) {
  return median(Array.from({ length: runs }, () => {
    const start = performance.now();
    for (const o of objects) serialize(o);
    return performance.now() - start;
  }));
}

const results = [];
for (const c of cases) {
  runOnce(c.args); // warm-up: writes V8's code cache, as after any build
  const runs = Array.from({ length: c.runs }, () => runOnce(c.args));
  const { files, bytes, objects } = written();
  const floorRuns = Math.min(c.runs, 5);
  const floor = serializeTime(objects, (o) => YAML.stringify(o, { keepUndefined: true, lineWidth: 0, version: '1.1' }), floorRuns);
  const jsYaml = serializeTime(objects, (o) => jsyaml.dump(o, { lineWidth: -1, noRefs: true, quotingType: '"' }), floorRuns);
  const phase = (k) => median(runs.map((r) => r[k]));
  const walls = runs.map((r) => r.wall);
  const result = {
    name: c.name, runs: c.runs, objects: objects.length, files, bytes,
    min: Math.min(...walls), median: median(walls), max: Math.max(...walls),
    processStart: phase('processStart'), moduleLoad: phase('moduleLoad'), construction: phase('construction'),
    rules: phase('rules'), serialization: phase('serialization'), writing: phase('writing'), exit: phase('exit'),
    floor, jsYaml,
  };
  results.push(result);
  console.log(`${c.name}: median ${result.median.toFixed(0)} ms (min ${result.min.toFixed(0)}, max ${result.max.toFixed(0)}), `
    + `${objects.length} objects, ${(bytes / 1024).toFixed(0)} KiB; floor (yaml alone) ${floor.toFixed(0)} ms`);
}
fs.rmSync(work, { recursive: true, force: true });

const ms = (x) => x.toFixed(0);
const one = results[0];
const helmSized = results.find((r) => r.name.startsWith('helm-reference'));
const scaled = results.filter((r) => /^\d+x/.test(r.name));
const perObject = scaled.map((r) => (r.median - one.processStart - one.moduleLoad) / r.objects);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const table = [
  '| case | runs | objects | bytes | min | median | max | process start | module load | construction | rules | serialization | writing | exit | floor: `yaml` alone | median / floor |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.name} | ${r.runs} | ${r.objects} | ${(r.bytes / 1024).toFixed(0)} KiB | ${ms(r.min)} | **${ms(r.median)}** | ${ms(r.max)} | `
    + `${ms(r.processStart)} | ${ms(r.moduleLoad)} | ${ms(r.construction)} | ${ms(r.rules)} | ${ms(r.serialization)} | ${ms(r.writing)} | ${ms(r.exit)} | ${ms(r.floor)} | ${(r.median / r.floor).toFixed(1)} |`),
];
const report = `# Synth benchmark

<!-- Written by \`npm run bench\`; numbers from the machine below. -->

Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.
Date: ${new Date().toISOString().slice(0, 10)}.

Each case is complete processes as a user runs them (\`node build/main.js ...\`, after one warm-up run
that writes V8's code cache, as the first run after every build does), writing into an empty folder;
times in ms. The split comes from the program itself (\`ALERT_STREAM_TIMINGS=1\`): process start is
Node's own start-up until our loader runs; module load is compiling and evaluating the bundle;
exit is the rest of the wall time. The floor is serializing the same objects with the \`yaml\`
package alone, in one warm process; synth writes with js-yaml, which took ${ms(helmSized.jsYaml)} ms for
the same ${helmSized.objects} objects the floor took ${ms(helmSized.floor)} ms for.

${table.join('\n')}

## Against \`helm template\`

| | helm template (measured on these machines) | synth (median) | ratio | budget |
| --- | ---: | ---: | ---: | --- |
| one environment | ${HELM.oneEnvironment} | ${ms(one.median)} | ${(one.median / HELM.oneEnvironment).toFixed(2)} | ≤ 1.5, ideally ≤ 1 |
| about 3 000 objects (${helmSized.objects}) | ${HELM.threeThousandObjects} | ${ms(helmSized.median)} | ${(helmSized.median / HELM.threeThousandObjects).toFixed(2)} | ≤ 1 |

Cost per object beyond start-up (median minus process start and module load, divided by objects):
${scaled.map((r, i) => `${r.name.split(':')[0]} ${perObject[i].toFixed(3)} ms`).join(', ')} — linear in the
number of objects when these stay about equal.
`;
fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
fs.writeFileSync(path.join(root, 'docs', 'benchmarks.md'), report);
console.log(`\none environment: ${ms(one.median)} ms (helm ${HELM.oneEnvironment}); ${helmSized.objects} objects: ${ms(helmSized.median)} ms (helm ${HELM.threeThousandObjects})`);
console.log('wrote docs/benchmarks.md');
