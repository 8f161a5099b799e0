import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPlan } from '../../cli/plan';
import { runSynth } from '../../cli/synth';
import { runCommand } from '../helpers';

const root = path.resolve(__dirname, '../..');
const run = (argv: string[]) => runCommand(runPlan, argv, { root });

let work: string;
let dist: string;
const env = 'usdfprod-prompt-processing';
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-test-'));
  dist = path.join(work, 'dist');
  expect(runSynth(['--out', dist, '--env', env], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function copyWith(file: string, edit: (text: string) => string): string {
  const copy = fs.mkdtempSync(path.join(work, 'old-'));
  fs.cpSync(dist, copy, { recursive: true });
  const target = path.join(copy, env, file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  return copy;
}

describe('npm run plan', () => {
  test('passes an identical pair', () => {
    expect(run(['--env', env, '--from', dist])).toEqual({
      code: 0,
      stdout: `no changes\n\n${env}: 0 added, 0 changed, 0 removed; 0 unsafe (0 allowed)\n`,
      stderr: '',
    });
  });

  test('refuses a storage decrease, naming rule, object, old -> new and the procedure', () => {
    const old = copyWith('0002-broker-pool.k8s.yaml', (t) => t.replace('size: 35Ti', 'size: 40Ti'));
    const result = run(['--env', env, '--from', old]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe([
      'stage 2:',
      '  ~ KafkaNodePool/kafka',
      '      spec.storage.volumes[0].size: "40Ti" -> "35Ti"',
      '',
      'unsafe changes:',
      '  UNSAFE [storage-decrease] KafkaNodePool/kafka: volume 0: 40Ti -> 35Ti',
      '      Kubernetes volumes can only grow (DMTN-214, "Resizing Kafka broker disk storage": sizes can only be increased, never decreased).',
      '',
      `${env}: 0 added, 1 changed, 0 removed; 1 unsafe (0 allowed); refused: allow with --allow storage-decrease after following the procedure`,
      '',
    ].join('\n'));
  });

  test('--allow accepts the finding', () => {
    const old = copyWith('0002-broker-pool.k8s.yaml', (t) => t.replace('size: 35Ti', 'size: 40Ti'));
    expect(run(['--env', env, '--from', old, '--allow', 'storage-decrease']).code).toBe(0);
  });

  test('--json gives the same findings', () => {
    const old = copyWith('0002-broker-pool.k8s.yaml', (t) => t.replace('size: 35Ti', 'size: 40Ti'));
    const result = run(['--env', env, '--from', old, '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.unsafe).toEqual([{
      rule: 'storage-decrease', object: 'KafkaNodePool/kafka', before: 'volume 0: 40Ti', after: '35Ti',
      procedure: expect.stringContaining('can only grow'), allowed: false,
    }]);
    expect(json.changes).toHaveLength(1);
  });

  test('--to compares two folders; an environment folder can be given directly', () => {
    const old = copyWith('0007-services.k8s.yaml', (t) => t);
    expect(run(['--env', env, '--from', path.join(old, env), '--to', dist]).code).toBe(0);
  });

  test.each([
    [['--env', env], 'plan: --from required'],
    [['--from', 'dist', '--format', 'html'], "plan: unknown --format 'html'; formats: text, json, markdown"],
    [['--from', 'dist', '--to', 'dist'], "plan: --to names one environment's output: give one --env with it"],
    [['--env', 'nope', '--from', 'dist'], "plan: unknown environment 'nope'; known environments:"],
    [['--env', env, '--from', 'dist', '--allow', 'yolo'], "plan: unknown rule 'yolo' for --allow; rules: storage-decrease,"],
    [['--env', env, '--from', 'no-such-ref-or-folder'], `plan: 'no-such-ref-or-folder' is neither a folder nor a git commit of ${root}`],
  ])('exits 2 with one clear line for %p', (argv, message) => {
    const result = run(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
  });

  test('exits 2 on malformed old output, naming the file', () => {
    const old = copyWith('0003-kafka.k8s.yaml', (t) => `${t}\n  bad: [\n`);
    const result = run(['--env', env, '--from', old]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^plan: .*${env}/0003-kafka\\.k8s\\.yaml: Kafka/sasquatch line \\d+: not valid YAML`));
  });

  test('a folder without the environment is a new environment: everything is added, exit 0', () => {
    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    const result = run(['--env', env, '--from', empty]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${env} has no earlier output in ${empty}: a new environment, everything is added\n`));
    expect(result.stdout).toMatch(new RegExp(`\n${env}: \\d+ added, 0 changed, 0 removed; 0 unsafe`));
    const other = fs.mkdtempSync(path.join(work, 'other-'));
    fs.mkdirSync(path.join(other, 'usdfdev-prompt-processing'));
    expect(run(['--env', env, '--from', other]).code).toBe(0);
  });

  test('exits 2 when the environment folder exists but holds no manifests', () => {
    const dist = fs.mkdtempSync(path.join(work, 'dist-'));
    fs.mkdirSync(path.join(dist, env));
    expect(run(['--env', env, '--from', dist])).toMatchObject({ code: 2, stderr: `plan: ${path.join(dist, env)} holds no manifests (*.yaml)\n` });
  });
});
