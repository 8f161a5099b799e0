import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSynth } from '../../cli/synth';
import { environments } from '../../lib/environments';
import { loadBalancer, runCommand, withChanges } from '../helpers';

const run = (argv: string[], environments?: Record<string, any>) => runCommand(runSynth, argv, { environments });

const STAGE_FILES = [
  '0001-controller-pool.k8s.yaml',
  '0002-broker-pool.k8s.yaml',
  '0003-kafka.k8s.yaml',
  '0004-schema-registry.k8s.yaml',
  '0005-registry-ingress.k8s.yaml',
  '0006-schema-sync.k8s.yaml',
  '0007-services.k8s.yaml',
];

const WITH_VAULT = ['0000-secrets.k8s.yaml', ...STAGE_FILES];

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('npm run synth', () => {
  test('writes every environment in stage order', () => {
    const result = run(['--out', outdir]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    // local-bootstrap has no Vault: its stage 0 (the VaultSecret) is empty and not written.
    expect(listFiles(outdir)).toEqual([
      ...STAGE_FILES.map((f) => `local-bootstrap/${f}`),
      ...WITH_VAULT.map((f) => `usdfdev-prompt-processing/${f}`),
      ...WITH_VAULT.map((f) => `usdfprod-prompt-processing/${f}`),
    ]);
  });

  test('--env writes only that environment and leaves the others alone', () => {
    fs.mkdirSync(path.join(outdir, 'usdfdev-prompt-processing'));
    fs.writeFileSync(path.join(outdir, 'usdfdev-prompt-processing', 'keep.yaml'), 'x');
    expect(run(['--env', 'usdfprod-prompt-processing', '--out', outdir]).code).toBe(0);
    expect(listFiles(outdir)).toEqual([
      'usdfdev-prompt-processing/keep.yaml',
      ...WITH_VAULT.map((f) => `usdfprod-prompt-processing/${f}`),
    ]);
  });

  test('an environment folder is replaced as a whole: stale files disappear', () => {
    const envDir = path.join(outdir, 'usdfprod-prompt-processing');
    fs.mkdirSync(envDir);
    fs.writeFileSync(path.join(envDir, '0009-stale.k8s.yaml'), 'x');
    run(['--env', 'usdfprod-prompt-processing', '--out', outdir]);
    expect(fs.existsSync(path.join(envDir, '0009-stale.k8s.yaml'))).toBe(false);
    expect(fs.readdirSync(outdir)).toEqual(['usdfprod-prompt-processing']);
  });

  test('two runs write byte-identical files', () => {
    run(['--out', outdir]);
    const first = listFiles(outdir).map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'));
    run(['--out', outdir]);
    expect(listFiles(outdir).map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'))).toEqual(first);
  });

  test('fails when the environment is unknown, listing the known ones', () => {
    const result = run(['--env', 'usdfdev', '--out', outdir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`synth: unknown environment 'usdfdev'; known environments: ${Object.keys(environments).join(', ')}\n`);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('fails on an unknown option with the usage text', () => {
    const result = run(['--environment', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^synth: Unknown option '--environment'/);
    expect(result.stderr).toContain('Usage: npm run synth');
  });

  test('fails when an environment breaks a rule, naming it, and leaves the previous output untouched', () => {
    expect(run(['--out', outdir]).code).toBe(0);
    const before = listFiles(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]);
    const prod = environments['usdfprod-prompt-processing'];
    const broken = withChanges(prod, {
      externalListener: { ...loadBalancer(prod), brokers: loadBalancer(prod).brokers.filter((b) => b.nodeId !== 6) },
    });
    const result = run(['--out', outdir], { ...environments, 'usdfprod-prompt-processing': broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'synth: refused; nothing was written.\n' +
      "usdfprod-prompt-processing: Kafka/sasquatch externalListener.brokers: broker 6 has no pinned load-balancer IP and host; add { nodeId: 6, host: '<DNS name>', ip: '<static IPv4>' } " +
      '(the brokers MUST have static IPs, or a restart hands out a new address and DNS and TLS break)\n');
    expect(listFiles(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')])).toEqual(before);
  });

  test('every refusal names the environment, the resource and the field', () => {
    const broken = withChanges(environments['usdfdev-prompt-processing'], { name: 'broken', controllers: { nodeIds: [] } });
    const result = run(['--out', outdir], { broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken: KafkaNodePool/controller controllers.nodeIds: no node ids');
  });

  test('--help prints the usage', () => {
    expect(run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining(`Environments: ${Object.keys(environments).join(', ')}`) });
  });
});

test('fails without a stack trace when the output folder cannot be written', () => {
  const file = path.join(outdir, 'not-a-folder');
  fs.writeFileSync(file, 'x');
  const result = run(['--out', path.join(file, 'dist')]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^synth: could not write .*not-a-folder\/dist: .*; the previous output is unchanged\n$/);
});

describe('--environment-file', () => {
  const prod = environments['usdfprod-prompt-processing'];
  const files = new Map<string, string>();
  const runWithFiles = (argv: string[]) => runCommand(runSynth, argv, {
    readFile: (f) => {
      if (!files.has(f)) throw new Error(`ENOENT: no such file '${f}'`);
      return files.get(f)!;
    },
  });

  test('synthesizes an environment given as JSON, into the folder of its name', () => {
    // A copy keeps prod's addresses: it must say it replaces prod (test/rules/across-environments.test.ts).
    files.set('staging.json', JSON.stringify({ ...prod, name: 'usdf-staging', replaces: prod.name }));
    expect(runWithFiles(['--environment-file', 'staging.json', '--out', outdir]).code).toBe(0);
    expect(fs.readdirSync(outdir)).toEqual(['usdf-staging']);
  });

  test('checks it like any environment: a name that is not a DNS label is refused', () => {
    files.set('bad.json', JSON.stringify({ ...prod, name: '../elsewhere' }));
    const result = runWithFiles(['--environment-file', 'bad.json', '--out', outdir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("../elsewhere: Environment name: '../elsewhere' is not a DNS label");
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('fails with one line when the file is missing or not JSON', () => {
    files.set('broken.json', '{ name: ');
    expect(runWithFiles(['--environment-file', 'nope.json'])).toMatchObject({ code: 2, stderr: "synth: cannot read environment file 'nope.json': ENOENT: no such file 'nope.json'\n" });
    expect(runWithFiles(['--environment-file', 'broken.json'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^synth: cannot read environment file 'broken\.json': .*JSON/) });
  });

  test('a copy that keeps another environment\'s addresses is refused, naming them', () => {
    files.set('copy.json', JSON.stringify({ ...prod, name: 'usdf-staging' }));
    const result = runWithFiles(['--environment-file', 'copy.json', '--out', outdir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`usdf-staging: Environment vaultPathPrefix: Vault path ${prod.vaultPathPrefix} is also environment ${prod.name}'s`);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('two environments of one name are refused: they would write one folder', () => {
    files.set('a.json', JSON.stringify({ ...prod, name: 'usdf-staging' }));
    files.set('b.json', JSON.stringify({ ...prod, name: 'usdf-staging' }));
    expect(runWithFiles(['--environment-file', 'a.json', '--environment-file', 'b.json', '--out', outdir])).toMatchObject({
      code: 2, stderr: "synth: environment file 'b.json' is named 'usdf-staging', as is environment file 'a.json'; both would write 'usdf-staging': give each a name of its own\n" });
    files.set('prod.json', JSON.stringify(prod));
    expect(runWithFiles(['--env', prod.name, '--environment-file', 'prod.json', '--out', outdir])).toMatchObject({ code: 2, stderr: expect.stringContaining('as is the environment of environments/') });
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('synth against an earlier output that cannot be read', () => {
  const PROD = 'usdfprod-prompt-processing';
  const KAFKA = '0003-kafka.k8s.yaml';
  const target = () => path.join(outdir, PROD, KAFKA);
  // Each member of the class: the earlier file exists but is no manifest synth can compare with.
  const damages: Array<[string, (text: string) => string | Buffer, RegExp]> = [
    ['merge-conflict markers', (t) => `<<<<<<< HEAD\n${t}=======\n${t}>>>>>>> other\n`, /holds merge-conflict markers/],
    ['a conflict that keeps only the marker lines of one side', (t) => `${t}>>>>>>> 1234abc (a commit)\n`, /holds merge-conflict markers/],
    ['truncation mid-line', (t) => t.slice(0, Math.floor(t.length / 2)).replace(/\n[^\n]*$/, '\n  replicas: 3'), /truncated: it ends in the middle of a line/],
    ['a binary file', () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x0a]), /not text: it holds NUL bytes/],
    ['bytes that are not UTF-8', (t) => Buffer.concat([Buffer.from(t), Buffer.from([0xff, 0xfe, 0x0a])]), /not text: it is not UTF-8/],
    ['invalid YAML', (t) => `${t}  bad: [unclosed\n`, /not valid YAML/],
    ['a document that is no object', (t) => `${t}---\n- a list\n`, /not a Kubernetes object/],
  ];

  test.each(damages)('%s: --strict refuses and names the file; without it, a warning says the comparison was not made', (_what, damage, reason) => {
    expect(run(['--env', PROD, '--out', outdir]).code).toBe(0);
    fs.writeFileSync(target(), damage(fs.readFileSync(target(), 'utf8')));
    const damaged = fs.readFileSync(target());

    const strict = run(['--env', PROD, '--out', outdir, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^synth: refused \(--strict\); nothing was written\./);
    expect(strict.stderr).toContain(`${PROD}: ${target()}`);
    expect(strict.stderr).toMatch(reason);
    expect(strict.stderr).toContain('cannot be compared with, so an unsafe change cannot be ruled out');
    expect(fs.readFileSync(target())).toEqual(damaged);

    const lenient = run(['--env', PROD, '--out', outdir]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(new RegExp(`^synth: warning: ${PROD}: .*${KAFKA.replace(/\./g, '\\.')}.*: the safety comparison with it was not made`, 'm'));
    expect(lenient.stderr).toMatch(reason);
    expect(fs.readFileSync(target(), 'utf8')).not.toEqual(damaged.toString('utf8'));
  });

  test('a folder that cannot be read is named too', () => {
    fs.mkdirSync(path.join(outdir, PROD, '0003-kafka.k8s.yaml'), { recursive: true });
    const strict = run(['--env', PROD, '--out', outdir, '--strict']);
    expect(strict).toMatchObject({ code: 1, stderr: expect.stringContaining(`${target()}: cannot be read (EISDIR)`) });
  });

  test('unsafe changes in the files that can be read are still reported beside the unreadable one', () => {
    expect(run(['--env', PROD, '--out', outdir]).code).toBe(0);
    const pool = path.join(outdir, PROD, '0002-broker-pool.k8s.yaml');
    fs.writeFileSync(pool, fs.readFileSync(pool, 'utf8').replace('size: 35Ti', 'size: 36Ti'));
    fs.writeFileSync(target(), '\0');
    const strict = run(['--env', PROD, '--out', outdir, '--strict']);
    expect(strict.stderr).toContain('UNSAFE [storage-decrease] KafkaNodePool/kafka: volume 0: 36Ti -> 35Ti');
    expect(strict.stderr).toContain(`${target()}: not text`);
  });

  test('no earlier folder, or an unchanged one, is no warning', () => {
    expect(run(['--env', PROD, '--out', outdir, '--strict'])).toMatchObject({ code: 0, stderr: '' });
    expect(run(['--env', PROD, '--out', outdir, '--strict'])).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('what synth gives the synth cache to record (scripts/synth-cache.cjs replays it)', () => {
  const PROD = 'usdfprod-prompt-processing';
  const recorded = (argv: string[], io: Parameters<typeof runCommand>[2] = {}) => {
    const results: unknown[] = [];
    const outcome = runCommand(runSynth, argv, { ...io, record: (r) => results.push(r) });
    return { outcome, results: results as Array<{ outdir: string; folders: Map<string, Map<string, string>>; stdout: string; inputs: Map<string, string> }> };
  };

  test('a run that succeeds: the folder, every file as written, and exactly what it printed', () => {
    const { outcome, results } = recorded(['--env', PROD, '--out', outdir]);
    expect(outcome.code).toBe(0);
    expect(results).toHaveLength(1);
    const [{ outdir: out, folders, stdout }] = results;
    expect(out).toBe(outdir);
    expect(stdout).toBe(outcome.stdout);
    expect([...folders.keys()]).toEqual([PROD]);
    for (const [file, text] of folders.get(PROD)!) expect(fs.readFileSync(path.join(outdir, PROD, file), 'utf8')).toBe(text);
    expect([...folders.get(PROD)!.keys()]).toEqual(listFiles(path.join(outdir, PROD)));
  });

  test('a run over an earlier output it warns about is not recorded (its output depended on that folder)', () => {
    expect(run(['--env', PROD, '--out', outdir]).code).toBe(0);
    const pool = path.join(outdir, PROD, '0002-broker-pool.k8s.yaml');
    fs.writeFileSync(pool, fs.readFileSync(pool, 'utf8').replace('size: 35Ti', 'size: 36Ti'));
    const { outcome, results } = recorded(['--env', PROD, '--out', outdir]);
    expect(outcome).toMatchObject({ code: 0, stderr: expect.stringContaining('UNSAFE [storage-decrease]') });
    expect(results).toEqual([]);
  });

  test('a run with environment files: the text of each, as read (the cache replays only while the files still hold it)', () => {
    const prod = environments[PROD];
    const text = JSON.stringify({ ...prod, name: 'usdf-staging', replaces: prod.name });
    const { outcome, results } = recorded(['--environment-file', 'staging.json', '--out', outdir], { readFile: () => text });
    expect(outcome.code).toBe(0);
    expect(results).toHaveLength(1);
    expect([...results[0].inputs]).toEqual([['staging.json', text]]);
    expect([...results[0].folders.keys()]).toEqual(['usdf-staging']);
    // A run of environments/ alone read no file of its own.
    expect([...recorded(['--env', PROD, '--out', outdir]).results[0].inputs]).toEqual([]);
  });

  test('a run that fails, or only prints help, is not recorded', () => {
    expect(recorded(['--env', 'nope', '--out', outdir]).results).toEqual([]);
    expect(recorded(['--help']).results).toEqual([]);
    const bad = withChanges(environments[PROD], { kafka: { replicationFactor: 9 } });
    expect(recorded(['--env', PROD, '--out', outdir], { environments: { [PROD]: bad } })).toMatchObject({ outcome: { code: 1 }, results: [] });
  });
});
