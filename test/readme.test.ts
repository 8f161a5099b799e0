/**
 * The documentation's example outputs (README.md and docs/*.md) are what the commands print: each
 * `$ npm run ...` block is reproduced here (in process, the same code the scripts run) and compared
 * line for line, so the documentation cannot drift. (The compile-error example is reproduced by test/cli/stale-code.test.ts, the `validate
 * --server` one by test/cluster/validate-server.test.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPlan } from '../cli/plan';
import { runSecrets } from '../cli/secrets';
import { runSynth } from '../cli/synth';
import { runValidate } from '../cli/validate';
import { environments } from '../lib/environments';
import { runCommand, SHARED_CRDS } from './helpers';
import { documentation, exampleAfter, readmeExample } from './readme-examples';

const prod = environments['usdfprod-prompt-processing'];

let work: string;
beforeAll(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-')); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('synth refusing a broker without a pinned IP', () => {
  const withoutBroker6 = structuredClone(prod) as any;
  withoutBroker6.externalListener.brokers = withoutBroker6.externalListener.brokers.filter((b: any) => b.nodeId !== 6);
  const result = runCommand(runSynth, ['--out', path.join(work, 'refused')], { environments: { ...environments, [prod.name]: withoutBroker6 } });
  expect(result.code).toBe(1);
  expect(result.stderr.trimEnd().split('\n')).toEqual(exampleAfter('with broker 6'));
});

test('validate of a damaged folder', () => {
  const dist = path.join(work, 'dist');
  expect(runCommand(runSynth, ['--env', prod.name, '--out', dist]).code).toBe(0);
  const folder = path.join(dist, prod.name);
  const edit = (file: string, from: RegExp, to: string) => fs.writeFileSync(path.join(folder, file), fs.readFileSync(path.join(folder, file), 'utf8').replace(from, to));
  edit('0002-broker-pool.k8s.yaml', /replicas: 5/, 'replicas: five');
  edit('0003-kafka.k8s.yaml', / {4}authorization:/, '    authorisation:');
  const result = runCommand(runValidate, ['--env', prod.name, '--dir', dist, '--crds', SHARED_CRDS]);
  expect(result.code).toBe(1);
  const shown = result.stdout.split(dist).join('/tmp/broken').split(SHARED_CRDS).join('../shared/crds');
  expect(shown.trimEnd().split('\n')).toEqual(readmeExample('npm run validate -- --env usdfprod-prompt-processing --dir /tmp/broken'));
});

test('plan of a volume shrink', () => {
  const before = path.join(work, 'main');
  const larger = structuredClone(prod) as any;
  larger.brokers.storageSize = '40Ti';
  expect(runCommand(runSynth, ['--env', prod.name, '--out', before], { environments: { ...environments, [prod.name]: larger } }).code).toBe(0);
  const result = runCommand(runPlan, ['--env', prod.name, '--from', before]);
  expect(result.code).toBe(1);
  expect(result.stdout.trimEnd().split('\n')).toEqual(readmeExample('npm run plan -- --env usdfprod-prompt-processing --from main'));
});

test('secrets of production (the lines the README shows, in order, with "..." for the ones it leaves out)', () => {
  const result = runCommand(runSecrets, ['--env', prod.name]);
  expect(result.code).toBe(0);
  const printed = result.stdout.trimEnd().split('\n');
  const shown = exampleAfter('never declared');
  let at = 0;
  for (const line of shown) {
    if (line.trim() === '...') continue;
    const found = printed.indexOf(line, at);
    expect([line, found >= at]).toEqual([line, true]);
    at = found + 1;
  }
  expect(printed[0]).toBe(shown[0]);
});

test("docs/speed.md quotes npm run bench's last table, row for row (docs/benchmarks.md)", () => {
  const rows = (text: string) => text.split('\n').filter((line) => /^\| [^|]+ \| \d+ \/ \d+ \|/.test(line));
  const bench = rows(fs.readFileSync(path.join(__dirname, '..', 'docs', 'benchmarks.md'), 'utf8'));
  // The edit loop and every size of the --environment-file workload, each with the synth cache and without.
  expect(bench.length).toBe(12);
  expect(rows(documentation('docs/speed.md'))).toEqual(bench);
});
