/**
 * What Phalanx runs on every pull request, run on the change `npm run phalanx` writes: the checks of
 * its pre-commit (../shared/reference/phalanx/pre-commit-config.yaml) at its pins, and the tests of its
 * tests/config_test.py that apply to a chart.
 *   yamllint 1.38.0 with Phalanx's .yamllint.yml; check-jsonschema 0.38.0 with secrets.json on
 *   secrets*.yaml; trailing-whitespace and check-merge-conflict of pre-commit-hooks v6.0.0 (from PyPI:
 *   `bash tools/build.sh phalanx-pre-commit`); helm-docs v1.14.2 with Phalanx's helm-docs.md.gotmpl and
 *   --document-dependency-values (from its Go module: `bash tools/build.sh helm-docs`).
 *   config_test.py: test_application_names, test_application_version, test_secrets_defined,
 *   test_shared_subcharts, run by Python 3.11 (test/tools/phalanx-config-test.py).
 * Not run, and why: ruff, uv-lock and blacken-docs check Phalanx's Python, which the change does not
 * touch; check-toml (no TOML written); check-jsonschema on environments/values*.yaml (the change writes
 * no file of environments/); config_test.py's test_application_projects, test_enviroments, test_projects
 * and test_applications_enabled need Phalanx's own package (Python >= 3.13, not on these machines)
 * and the whole checkout's environments/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runPhalanx } from '../../cli/phalanx';
import { helmDocsBinary, toolFolder } from '../../lib/helm-binary';
import { runCommand } from '../helpers';
import { filesUnder, PHALANX_REFERENCE, SASQUATCH_CHART, scratchPhalanx } from '../phalanx-tree';

let bin: string;
let helmDocs: string;
let tree: ReturnType<typeof scratchPhalanx>;
/** Files of applications/sasquatch the change wrote or changed, relative to the checkout. */
let changed: string[];

const run = (command: string, args: readonly string[], cwd: string) => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

/** A Phalanx checkout as its pre-commit and tests see it: the sasquatch chart, and Phalanx's own config files where Phalanx keeps them. */
function checkout() {
  const t = scratchPhalanx();
  fs.copyFileSync(path.join(PHALANX_REFERENCE, 'yamllint.yml'), path.join(t.root, '.yamllint.yml'));
  fs.copyFileSync(path.join(PHALANX_REFERENCE, 'helm-docs.md.gotmpl'), path.join(t.root, 'helm-docs.md.gotmpl'));
  fs.mkdirSync(path.join(t.root, 'tests'));
  fs.copyFileSync(path.join(PHALANX_REFERENCE, 'config_test.py'), path.join(t.root, 'tests', 'config_test.py'));
  fs.mkdirSync(path.join(t.root, 'charts'));
  execFileSync('git', ['init', '-q', t.root], { stdio: 'pipe', timeout: 30_000 }); // pre-commit runs in a git checkout
  return t;
}

beforeAll(() => {
  bin = path.join(toolFolder('phalanx-pre-commit'), 'venv', 'bin');
  helmDocs = helmDocsBinary();
  tree = checkout();
  const r = runCommand(runPhalanx, ['--phalanx', tree.root]);
  if (r.code !== 0) throw new Error(r.stderr);
  const before = filesUnder(SASQUATCH_CHART);
  changed = [...filesUnder(tree.sasquatch)].filter(([f, text]) => before.get(f) !== text).map(([f]) => path.join('applications', 'sasquatch', f));
}, 120_000);
afterAll(() => tree?.remove());

test('the change is not empty (the checks below are not vacuous)', () => {
  expect(changed.filter((f) => f.includes('charts/alert-stream/templates/')).length).toBeGreaterThan(5);
  expect(changed).toEqual(expect.arrayContaining(['applications/sasquatch/values-usdfprod-prompt-processing.yaml', 'applications/sasquatch/secrets-usdfprod-prompt-processing.yaml']));
});

describe("Phalanx's pre-commit", () => {
  test('yamllint with .yamllint.yml: no error and no warning in a file of the change', () => {
    const r = run(path.join(bin, 'yamllint'), ['-c', '.yamllint.yml', '-f', 'parsable', 'applications'], tree.root);
    expect(r.out.split('\n').filter((line) => changed.some((f) => line.startsWith(`${f}:`)))).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('yamllint finds what Phalanx forbids (a truthy other than true/false, a repeated key)', () => {
    const bad = path.join(tree.root, 'applications', 'bad.yaml');
    fs.writeFileSync(bad, 'enabled: yes\nenabled: false\n');
    try {
      const r = run(path.join(bin, 'yamllint'), ['-c', '.yamllint.yml', '-f', 'parsable', 'applications/bad.yaml'], tree.root);
      expect(r.code).toBe(1);
      expect(r.out).toContain('[warning] truthy value should be one of [false, true] (truthy)');
      expect(r.out).toContain('[error] duplication of key "enabled" in mapping (key-duplicates)');
    } finally {
      fs.rmSync(bad);
    }
  });

  test("check-jsonschema: every secrets*.yaml of the application is valid against Phalanx's secrets.json", () => {
    const files = fs.readdirSync(tree.sasquatch).filter((f) => /^secrets(-[^./-]+)?\.yaml$|^secrets-.*\.yaml$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['secrets-usdfdev-prompt-processing.yaml', 'secrets-usdfprod-prompt-processing.yaml']));
    const schema = path.join(PHALANX_REFERENCE, 'secrets.json');
    const r = run(path.join(bin, 'check-jsonschema'), ['--schemafile', schema, ...files], tree.sasquatch);
    expect(r.out).toContain('ok -- validation done');
    expect(r.code).toBe(0);
    fs.writeFileSync(path.join(tree.root, 'secrets-bad.yaml'), 'x:\n  description: d\n  generate:\n    type: no-such-type\n');
    expect(run(path.join(bin, 'check-jsonschema'), ['--schemafile', schema, 'secrets-bad.yaml'], tree.root).code).toBe(1);
  });

  test('trailing-whitespace and check-merge-conflict find nothing in the change', () => {
    const files = changed.map((f) => path.join(tree.root, f));
    expect(run(path.join(bin, 'trailing-whitespace-fixer'), files, tree.root)).toEqual({ code: 0, out: '' });
    expect(run(path.join(bin, 'check-merge-conflict'), ['--assume-in-merge', ...files], tree.root)).toEqual({ code: 0, out: '' });
  });

  test("helm-docs v1.14.2 with Phalanx's template and arguments rewrites no README", () => {
    const before = filesUnder(tree.sasquatch);
    execFileSync(helmDocs, ['--chart-search-root=applications', '--template-files=../helm-docs.md.gotmpl', '--document-dependency-values=true', '--log-level', 'error'], { cwd: tree.root, stdio: 'pipe', timeout: 120_000 });
    const after = filesUnder(tree.sasquatch);
    expect([...after.keys()].filter((f) => after.get(f) !== before.get(f))).toEqual([]);
    expect(after.get('charts/alert-stream/README.md')).toContain('| kafkaUsers | list |');
  });
});

describe("Phalanx's tests/config_test.py, the tests that apply to a chart (Python 3.11)", () => {
  const TESTS = ['test_application_names', 'test_application_version', 'test_secrets_defined', 'test_shared_subcharts'];
  const configTest = (root: string) => run(path.join(bin, 'python'), [path.join(__dirname, 'phalanx-config-test.py'), path.join(root, 'tests', 'config_test.py'), ...TESTS], root);

  test('pass on the change', () => {
    const r = configTest(tree.root);
    expect(r.out).toBe(TESTS.map((t) => `PASS ${t}\n`).join(''));
    expect(r.code).toBe(0);
  });

  test('really run: an application with a VaultSecret and no secrets*.yaml fails test_secrets_defined', () => {
    const other = checkout();
    try {
      for (const f of fs.readdirSync(other.sasquatch).filter((f) => f.startsWith('secrets'))) fs.rmSync(path.join(other.sasquatch, f));
      const r = configTest(other.root);
      expect(r.code).toBe(1);
      expect(r.out).toContain('FAIL test_secrets_defined: Application sasquatch installs a VaultSecret resource but has no secrets.yaml configuration');
    } finally {
      other.remove();
    }
  });
});
