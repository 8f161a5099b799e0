import Ajv from 'ajv';
import { diffLines } from 'diff';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { runPhalanx } from '../cli/phalanx';
import { environments } from '../lib/environments';
import { helmBinary, helmDocsBinary } from '../lib/helm-binary';
import { escapeForHelm } from '../lib/phalanx/escape';
import { phalanxEnvironmentNames } from '../lib/phalanx/change';
import { vaultRequirements } from '../lib/secrets';
import { setScalar } from '../lib/phalanx/text-edits';
import { valueRows } from '../lib/phalanx/readme-rows';
import { compareTags } from '../lib/phalanx/image-tags';
import { synthesizeEnvironment } from '../lib/synthesize';
import { filesUnder, PHALANX_REFERENCE, SASQUATCH_CHART, scratchPhalanx } from './phalanx-tree';
import { runCommand } from './helpers';

/** Our environments that Phalanx has (a values-<env>.yaml in its sasquatch chart): from the registry, not listed here. */
const PHALANX_ENVS = phalanxEnvironmentNames(environments, { read: (f) => (fs.existsSync(path.join(SASQUATCH_CHART, f)) ? fs.readFileSync(path.join(SASQUATCH_CHART, f), 'utf8') : undefined) }) as Array<keyof typeof environments>;
let tree: ReturnType<typeof scratchPhalanx>;
let first: ReturnType<typeof runCommand>;
let afterFirst: Map<string, string>;

beforeAll(() => {
  tree = scratchPhalanx();
  first = runCommand(runPhalanx, ['--phalanx', tree.root]);
  afterFirst = filesUnder(tree.sasquatch);
});
afterAll(() => tree.remove());

const original = (file: string) => fs.readFileSync(path.join(SASQUATCH_CHART, file), 'utf8');
const written = (file: string) => afterFirst.get(file) as string;

test('writes the sub-chart, the umbrella edits and the secrets of both Phalanx environments, skipping local-bootstrap', () => {
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('local-bootstrap: no Phalanx environment (no values-local-bootstrap.yaml), skipped');
  const changed = [...afterFirst.keys()].filter((f) => !fs.existsSync(path.join(SASQUATCH_CHART, f)) || original(f) !== afterFirst.get(f));
  expect(changed.filter((f) => !f.startsWith('charts/alert-stream/')).sort()).toEqual([
    'Chart.yaml',
    'README.md',
    'values.yaml',
    ...PHALANX_ENVS.map((e) => `secrets-${e}.yaml`),
    ...PHALANX_ENVS.map((e) => `values-${e}.yaml`),
  ].sort());
  // One template per stage for every environment (stage 0 holds only the umbrella's VaultSecret), and checks.yaml.
  expect(changed.filter((f) => f.startsWith('charts/alert-stream/templates/')).sort()).toEqual([
    ...new Set(PHALANX_ENVS.flatMap((e) => synthesizeEnvironment(environments[e]).filter((m) => m.stage > 0).map((m) => `charts/alert-stream/templates/${m.fileName.replace('.k8s', '')}`))),
    'charts/alert-stream/templates/checks.yaml',
  ].sort());
});

test('running it again changes nothing', () => {
  const again = runCommand(runPhalanx, ['--phalanx', tree.sasquatch]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('already up to date');
  expect(filesUnder(tree.sasquatch)).toEqual(afterFirst);
});

describe("Phalanx's config_test.py checks, applied to the change", () => {
  test('test_application_version: the sub-chart is version 1.0.0 like its siblings', () => {
    expect(parse(written('charts/alert-stream/Chart.yaml'))).toMatchObject({ apiVersion: 'v2', name: 'alert-stream', version: '1.0.0' });
    for (const sibling of fs.readdirSync(path.join(SASQUATCH_CHART, 'charts'))) {
      expect(parse(original(`charts/${sibling}/Chart.yaml`)).version).toBe('1.0.0');
    }
  });

  test('values.yaml and values-<env>.yaml exist for every environment the sub-chart serves', () => {
    expect(afterFirst.has('values.yaml')).toBe(true);
    for (const env of PHALANX_ENVS) {
      expect(parse(written(`values-${env}.yaml`))['alert-stream']).toMatchObject({
        enabled: true, environment: env, expected: { host: environments[env].host, vaultSecretsPath: environments[env].vaultPathPrefix },
      });
    }
  });

  test.each(PHALANX_ENVS)('secrets: every Vault key %s reads is declared, with a description, and nothing else', (env) => {
    const declared = { ...parse(written('secrets.yaml')), ...parse(written(`secrets-${env}.yaml`)) };
    const needed = vaultRequirements(environments[env]).flatMap((r) => r.keys.map((k) => k.key));
    expect(needed.length).toBeGreaterThan(10);
    for (const key of needed) expect(declared[key]?.description).toEqual(expect.any(String));
    expect(Object.keys(parse(written(`secrets-${env}.yaml`))).sort()).toEqual([...needed].sort());
    // Phalanx merges secrets.yaml and secrets-<env>.yaml: no key may be declared twice.
    expect(Object.keys(parse(written(`secrets-${env}.yaml`))).filter((k) => k in parse(original('secrets.yaml')))).toEqual([]);
  });

  test.each(PHALANX_ENVS)('secrets of %s: KafkaUser passwords generated, S3 keys static, all conditional on alert-stream.enabled', (env) => {
    const secrets = parse(written(`secrets-${env}.yaml`));
    expect(secrets['alerce-usdf-password']).toMatchObject({ if: 'alert-stream.enabled', generate: { type: 'password' } });
    expect(secrets.AWS_ACCESS_KEY_ID.generate).toBeUndefined();
    for (const spec of Object.values<any>(secrets)) expect(spec.if).toBe('alert-stream.enabled');
  });

  test('every secrets file is valid against Phalanx\'s secrets.json', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(PHALANX_REFERENCE, 'secrets.json'), 'utf8'));
    // pydantic marks secret values `format: password`: a UI hint, not a constraint.
    const validate = new Ajv({ strict: false, allErrors: true }).addFormat('password', true).compile(schema);
    for (const file of [...afterFirst.keys()].filter((f) => /^secrets.*\.yaml$/.test(f))) {
      expect({ file, valid: validate(parse(written(file))), errors: validate.errors ?? null }).toEqual({ file, valid: true, errors: null });
    }
    expect(validate({ 'x-password': { description: 'd', generate: { type: 'no-such-type' } } })).toBe(false);
  });
});

describe('the umbrella files keep every other byte', () => {
  /** Lines removed and added by the edit. */
  const changes = (before: string, after: string) => {
    const parts = diffLines(before, after);
    const lines = (added: boolean) => parts.filter((p) => (added ? p.added : p.removed)).flatMap((p) => p.value.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
    return { removed: lines(false), added: lines(true) };
  };

  test('Chart.yaml: a condition on strimzi-kafka and the alert-stream dependency, nothing else', () => {
    expect(changes(original('Chart.yaml'), written('Chart.yaml'))).toEqual({
      removed: [],
      added: ['    condition: strimzi-kafka.enabled', '  - name: alert-stream', '    condition: alert-stream.enabled', '    version: 1.0.0'],
    });
  });

  test('values.yaml: alert-stream.enabled documented and false, beside its siblings', () => {
    const { removed, added } = changes(original('values.yaml'), written('values.yaml'));
    expect(removed).toEqual([]);
    expect(added).toEqual([
      'alert-stream:',
      '  # -- Whether to enable the alert-stream subchart (generated by alert-stream-deploy), which replaces',
      '  # strimzi-kafka, alert-brokers, alert-database, alert-stream-schema-sync, kafbat and schema-registry',
      '  enabled: false',
      '',
    ]);
    expect(written('values.yaml')).toContain('  enabled: false\n\nalert-stream:\n');
  });

  test('README.md: only the alert-stream rows of the values table are added (helm-docs agrees: npm run test:tools)', () => {
    const { removed, added } = changes(original('README.md'), written('README.md'));
    expect(removed).toEqual([]);
    expect(added.length).toBeGreaterThan(5);
    for (const line of added) expect(line).toMatch(/^\| alert-stream\.[A-Za-z.-]+ \| (bool|string|object|list) \| .* \|$/);
  });

  test.each(PHALANX_ENVS)('values-%s.yaml: the blocks of the replaced sub-charts removed, those still on switched off, alert-stream appended', (env) => {
    const before = parse(original(`values-${env}.yaml`));
    const values = parse(written(`values-${env}.yaml`));
    // Not vacuous: Phalanx's file configures every replaced sub-chart today.
    for (const sub of ['strimzi-kafka', 'alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat', 'schema-registry']) expect([sub, Object.keys(before[sub]).length > 1]).toEqual([sub, true]);
    // Dead keys are gone: only the switches that still matter remain.
    for (const sub of ['alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat', 'schema-registry']) expect([sub, values[sub]]).toEqual([sub, undefined]);
    expect(values['strimzi-kafka']).toEqual({ enabled: false, connect: { enabled: false } });
    expect(values.registry).toEqual({ enabled: false });
    // Every other key, and every line outside the removed blocks, is kept.
    for (const key of Object.keys(before).filter((k) => !['strimzi-kafka', 'alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat', 'schema-registry', 'registry'].includes(k))) {
      expect([key, values[key]]).toEqual([key, before[key]]);
    }
    expect(written(`values-${env}.yaml`)).toMatch(/\n\nstrimzi-kafka:\n {2}enabled: false\n {2}connect:\n {4}enabled: false\n\nregistry:\n {2}enabled: false\n\nalert-stream:\n( {2}.*\n)+$/);
    expect(changes(original(`values-${env}.yaml`), written(`values-${env}.yaml`)).removed.length).toBeGreaterThan(50);
  });

  test("each environment's own values are in its values-<env>.yaml: the pinned broker addresses, not in the templates", () => {
    const templates = [...afterFirst].filter(([f]) => f.startsWith('charts/alert-stream/templates/')).map(([, t]) => t).join('\n');
    for (const env of PHALANX_ENVS) {
      const ips = (JSON.stringify(synthesizeEnvironment(environments[env])).match(/\d+\.\d+\.\d+\.\d+/g) ?? []).filter((ip) => !ip.startsWith('0.'));
      expect(ips.length).toBeGreaterThan(3);
      const own = written(`values-${env}.yaml`) + written('charts/alert-stream/values.yaml');
      for (const ip of ips) {
        expect([env, ip, templates.includes(ip)]).toEqual([env, ip, false]);
        expect([env, ip, own.includes(ip)]).toEqual([env, ip, true]);
      }
    }
  });

  test('no template branches on an environment: none names one, none reads alert-stream.environment', () => {
    const templates = [...afterFirst].filter(([f]) => f.startsWith('charts/alert-stream/templates/'));
    expect(templates.length).toBeGreaterThan(1);
    expect(templates.flatMap(([file, text]) => Object.keys(environments).filter((name) => text.includes(name)).map((name) => [file, name]))).toEqual([]);
    // checks.yaml alone compares what Argo CD injects with the environment's own values.
    expect(templates.filter(([, text]) => text.includes('.Values.environment')).map(([file]) => file)).toEqual(['charts/alert-stream/templates/checks.yaml']);
  });

  test('--env enables the alert stream in one environment only', () => {
    const one = scratchPhalanx();
    try {
      expect(runCommand(runPhalanx, ['--phalanx', one.root, '--env', 'usdfdev-prompt-processing']).code).toBe(0);
      expect(fs.readFileSync(path.join(one.sasquatch, 'values-usdfprod-prompt-processing.yaml'), 'utf8')).toBe(original('values-usdfprod-prompt-processing.yaml'));
      expect(fs.existsSync(path.join(one.sasquatch, 'secrets-usdfprod-prompt-processing.yaml'))).toBe(false);
      // The sub-chart still holds both environments, so enabling prod later changes no template.
      expect(filesUnder(path.join(one.sasquatch, 'charts', 'alert-stream'))).toEqual(filesUnder(path.join(tree.sasquatch, 'charts', 'alert-stream')));
    } finally {
      one.remove();
    }
  });
});

describe('the sub-chart', () => {
  test('images are values (repository and tag under <name>.image, as Renovate finds them) and the templates use them', () => {
    const values = parse(written('charts/alert-stream/values.yaml'));
    expect(values.lsstAlertPacket.image).toEqual({ repository: 'lsstdm/lsst_alert_packet', tag: environments['usdfprod-prompt-processing'].schemaSync?.imageTag });
    expect(values.alertDatabaseIngester.image.tag).toBe(environments['usdfprod-prompt-processing'].alertDatabase?.ingester.imageTag);
    const templates = [...afterFirst].filter(([f]) => f.startsWith('charts/alert-stream/templates/0')).map(([, t]) => t).join('\n');
    expect(templates).not.toMatch(/image: (?!\{\{ \$\.Values\.)/);
    expect(templates).not.toMatch(/namespace: sasquatch|\.sasquatch:\d/);
    expect(templates).toContain('sasquatch-kafka-bootstrap.{{ $.Release.Namespace }}:9093');
    expect(templates).not.toMatch(/usdf(dev|prod)-prompt-processing\.slac/);
    expect(templates).toContain('- host: {{ $.Values.global.host }}');
  });

  test('values.yaml documents every value in helm-docs style, and README.md lists them', () => {
    const text = written('charts/alert-stream/values.yaml');
    const lines = text.split('\n');
    // Every key up to the documented level has its `# --` comment (helm-docs lists a documented mapping as one row).
    const documented = valueRows(written('charts/alert-stream/README.md')).map((row) => row.split('|')[1].trim());
    expect(documented).toEqual(expect.arrayContaining(['lsstAlertPacket.image.tag', 'kafkaUsers', 'kafka.sasquatch']));
    const values = parse(text);
    const covered = (pathParts: string[]) => documented.some((d) => pathParts.join('.').startsWith(d));
    const walk = (value: unknown, at: string[]): void => {
      if (covered(at)) return;
      if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
      else expect([at.join('.'), 'undocumented']).toEqual([at.join('.'), 'documented']);
    };
    walk(values, []);
    const keyLines = lines.map((line, i) => [line, i] as const).filter(([line]) => /^\s*[a-zA-Z-]+: \S/.test(line) && !line.startsWith('    '));
    expect(keyLines.length).toBeGreaterThan(0);
    expect(keyLines.filter(([, i]) => !lines.slice(Math.max(0, i - 2), i).some((l) => l.trim().startsWith('# --'))).map(([line]) => line)).toEqual([]);
  });

  test('braces in a manifest survive helm', () => {
    expect(escapeForHelm('message: "{{ x }}"\n')).toBe('message: "{{ "{{" }} x {{ "}}" }}"\n');
  });
});

describe('refusals', () => {
  test('an environment without a Phalanx environment is refused by name', () => {
    const r = runCommand(runPhalanx, ['--phalanx', tree.root, '--env', 'local-bootstrap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^phalanx: local-bootstrap has no Phalanx environment \(no values-local-bootstrap.yaml in .*\); environments there: usdfdev-prompt-processing, usdfprod-prompt-processing\n$/);
  });

  test('a folder that is not Phalanx is refused', () => {
    const r = runCommand(runPhalanx, ['--phalanx', PHALANX_REFERENCE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is neither a Phalanx checkout');
  });

  test('a secrets-<env>.yaml written by someone else stops everything: nothing is written', () => {
    const other = scratchPhalanx();
    try {
      fs.writeFileSync(path.join(other.sasquatch, 'secrets-usdfprod-prompt-processing.yaml'), 'x-password:\n  description: by hand\n');
      const before = filesUnder(other.sasquatch);
      const r = runCommand(runPhalanx, ['--phalanx', other.root]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('phalanx: refused; nothing was written.\nsecrets-usdfprod-prompt-processing.yaml: exists and was not written by alert-stream-deploy; merge the keys of `npm run secrets -- --env usdfprod-prompt-processing` into it by hand\n');
      expect(filesUnder(other.sasquatch)).toEqual(before);
    } finally {
      other.remove();
    }
  });

  test('a value that cannot be edited in place is named with its file and key', () => {
    expect(() => setScalar('kafbat: {enabled: true}\n', ['kafbat', 'enabled'], 'false', 'values-x.yaml')).not.toThrow();
    expect(() => setScalar('kafbat: {}\n', ['kafbat', 'enabled'], 'false', 'values-x.yaml')).toThrow('values-x.yaml: kafbat is a flow mapping; set kafbat.enabled: false by hand');
  });
});

test("the environment files' host and Vault prefix are Phalanx's (phalanx-inventory.md §0), which Argo CD injects", () => {
  const inventory = fs.readFileSync(path.join(PHALANX_REFERENCE, '..', 'phalanx-inventory.md'), 'utf8');
  const row = (label: string) => {
    const line = inventory.split('\n').find((l) => l.startsWith(`| ${label}`)) as string;
    return line.split('|').slice(2, 4).map((c) => c.trim().replace(/`/g, ''));
  };
  expect(row('fqdn')).toEqual(PHALANX_ENVS.map((e) => environments[e].host));
  expect(row('vaultPathPrefix')).toEqual(PHALANX_ENVS.map((e) => environments[e].vaultPathPrefix));
});

test('helmBinary: $HELM is used when set, and a missing one is named', () => {
  expect(helmDocsBinary({ HELM_DOCS: process.execPath })).toBe(process.execPath);
  expect(helmBinary({ HELM: process.execPath })).toBe(process.execPath);
  expect(() => helmBinary({ HELM: '/nonexistent/helm' })).toThrow('HELM is set to /nonexistent/helm, which does not exist; unset it to build helm with tools/build.sh helm');
});

describe('image tags: one source of truth with Renovate', () => {
  test('tags are ordered by their numbers when they have the same shape; others cannot be ordered', () => {
    expect(compareTags('v1.10.0', 'v1.9.3')).toBe(1);
    expect(compareTags('w.2026.28', 'w.2026.30')).toBe(-1);
    expect(compareTags('v4.2.0', 'v4.2.0')).toBe(0);
    expect(compareTags('latest', 'v1.0.0')).toBeUndefined();
    expect(compareTags('v4.2', '4.2.1')).toBeUndefined();
    expect(compareTags('main', 'dev')).toBeUndefined();
  });

  /** A scratch Phalanx after a first run, with the kafka-ui tag of the sub-chart's values.yaml (as Renovate edits it) set to `tag`. */
  const bumped = (tag: string) => {
    const copy = scratchPhalanx();
    expect(runCommand(runPhalanx, ['--phalanx', copy.root]).code).toBe(0);
    const file = path.join(copy.sasquatch, 'charts', 'alert-stream', 'values.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const ours = parse(text).kafkaUi.image.tag as string;
    fs.writeFileSync(file, text.replace(`tag: "${ours}"`, `tag: "${tag}"`));
    return { copy, ours, file };
  };

  test('a newer tag in Phalanx (Renovate) is refused, naming the image and both tags; nothing is written', () => {
    const { copy, ours } = bumped('v99.0.0');
    try {
      const before = filesUnder(copy.sasquatch);
      const r = runCommand(runPhalanx, ['--phalanx', copy.root]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`phalanx: refused; nothing was written.\n${PHALANX_ENVS.map((env) => `${env}: image ghcr.io/kafbat/kafka-ui: Phalanx runs v99.0.0 (Renovate?), newer than ${ours} of environments/${env}.ts; set v99.0.0 there, or run again with --take-newer-tags to keep Phalanx's`).join('\n')}\n`);
      expect(filesUnder(copy.sasquatch)).toEqual(before);
    } finally {
      copy.remove();
    }
  });

  test('--take-newer-tags keeps the newer tag and says so', () => {
    const { copy, ours, file } = bumped('v99.0.0');
    try {
      const r = runCommand(runPhalanx, ['--phalanx', copy.root, '--take-newer-tags']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usdfprod-prompt-processing: kept Phalanx's ghcr.io/kafbat/kafka-ui:v99.0.0, newer than ${ours} of environments/usdfprod-prompt-processing.ts; set it there so both agree`);
      expect(parse(fs.readFileSync(file, 'utf8')).kafkaUi.image.tag).toBe('v99.0.0');
    } finally {
      copy.remove();
    }
  });

  test('an older tag in Phalanx is replaced by ours; a tag that cannot be ordered is refused even with --take-newer-tags', () => {
    const older = bumped('v0.0.1');
    try {
      expect(runCommand(runPhalanx, ['--phalanx', older.copy.root]).code).toBe(0);
      expect(parse(fs.readFileSync(older.file, 'utf8')).kafkaUi.image.tag).toBe(older.ours);
    } finally {
      older.copy.remove();
    }
    const other = bumped('latest');
    try {
      const r = runCommand(runPhalanx, ['--phalanx', other.copy.root, '--take-newer-tags']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`usdfdev-prompt-processing: image ghcr.io/kafbat/kafka-ui: Phalanx runs latest and environments/usdfdev-prompt-processing.ts says ${other.ours}, which cannot be ordered`);
    } finally {
      other.copy.remove();
    }
  });

  test('with --env, the environments that run the sub-chart already are checked too (its defaults are theirs)', () => {
    const { copy } = bumped('v99.0.0');
    try {
      const r = runCommand(runPhalanx, ['--phalanx', copy.root, '--env', 'usdfdev-prompt-processing']);
      expect(r.code).toBe(1);
      for (const env of PHALANX_ENVS) expect(r.stderr).toContain(`${env}: image ghcr.io/kafbat/kafka-ui: Phalanx runs v99.0.0`);
    } finally {
      copy.remove();
    }
  });

  test("an environment's own tag in values-<env>.yaml counts over the sub-chart's default", () => {
    const copy = scratchPhalanx();
    try {
      expect(runCommand(runPhalanx, ['--phalanx', copy.root]).code).toBe(0);
      const file = path.join(copy.sasquatch, 'values-usdfprod-prompt-processing.yaml');
      fs.appendFileSync(file, '  kafkaUi:\n    image:\n      repository: ghcr.io/kafbat/kafka-ui\n      tag: "v77.0.0"\n');
      const r = runCommand(runPhalanx, ['--phalanx', copy.root]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('usdfprod-prompt-processing: image ghcr.io/kafbat/kafka-ui: Phalanx runs v77.0.0 (Renovate?)');
      expect(r.stderr).not.toContain('usdfdev-prompt-processing: image');
    } finally {
      copy.remove();
    }
  });
});
