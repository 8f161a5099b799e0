/**
 * The review gate that .ci/run and the GitHub workflow run (scripts/plan-gate.sh), on real commits of a copy of
 * the project: a safe commit passes; a commit that shrinks storage fails naming the rule, the environment and the
 * object; the same commit with its reviewed declaration passes; the declaration allows that change once only.
 * Each plan builds the base commit's tree (kept by tree hash), so this runs in the tools tier, not in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectCopy } from '../project-copy';

jest.setTimeout(600_000);

const PROD = 'usdfprod-prompt-processing';
let copy: ReturnType<typeof projectCopy>;
let project: string;

const git = (...args: string[]) => {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: project, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const edit = (file: string, from: string, to: string) => {
  const target = path.join(project, file);
  const text = fs.readFileSync(target, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(target, text.replace(from, to));
};
const allow = (entries: string) => fs.writeFileSync(path.join(project, 'plan-allowances.yaml'), `allowances:\n${entries}`);
const gate = () => spawnSync('bash', ['scripts/plan-gate.sh'], {
  cwd: project, encoding: 'utf8', env: { ...process.env, PLAN_BASE: '', GITHUB_BASE_REF: '', PLAN_MARKDOWN: path.join(project, 'plan.md') },
});
const envFile = `environments/${PROD}.ts`;
const shrink = `  - env: ${PROD}\n    rule: storage-decrease\n    object: KafkaNodePool/kafka\n    reason: the brokers were given more disk than the volumes hold\n    procedure: docs/operations.md, storage\n`;

beforeAll(() => {
  copy = projectCopy('plan-gate-');
  project = copy.dir;
  fs.rmSync(path.join(project, 'build', 'refs'), { recursive: true, force: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
});
afterAll(() => copy.remove());

test('a commit with no parent has nothing to compare with: the gate says so and passes', () => {
  const r = gate();
  expect(r.stdout).toContain('plan-gate: HEAD has no parent commit');
  expect(r.status).toBe(0);
});

test('a safe commit passes, and the plan it prints shows the change', () => {
  edit(envFile, "{ name: 'alerts-simulated', partitions: 45 }", "{ name: 'alerts-simulated', partitions: 60 }");
  git('commit', '-qam', 'more partitions');
  const r = gate();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('## Plan against `HEAD~1`: safe');
  expect(r.stdout).toContain('- `spec.partitions`: `45` → `60`');
  expect(fs.readFileSync(path.join(project, 'plan.md'), 'utf8')).toContain('<!-- alert-stream-deploy plan -->');
});

test('a commit that shrinks storage fails with storage-decrease, naming the environment and the object', () => {
  edit(envFile, "storageSize: '35Ti'", "storageSize: '30Ti'");
  git('commit', '-qam', 'shrink');
  const r = gate();
  expect(r.status).toBe(1);
  expect(r.stdout).toContain(`- **REFUSED** \`storage-decrease\` in ${PROD}, \`KafkaNodePool/kafka\``);
  expect(r.stderr).toContain('plan-gate: refused');
});

test('the same commit with the reviewed declaration passes', () => {
  allow(shrink);
  git('add', '-A');
  git('commit', '-q', '--amend', '--no-edit');
  const r = gate();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`- **allowed** \`storage-decrease\` in ${PROD}, \`KafkaNodePool/kafka\``);
});

test('the declaration is consumed: the next commit shrinking storage again fails, and plan says the entry allows nothing again', () => {
  edit(envFile, "storageSize: '30Ti'", "storageSize: '25Ti'");
  git('commit', '-qam', 'shrink again');
  const r = gate();
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('**REFUSED** `storage-decrease`');
  expect(r.stdout).toContain(`plan-allowances.yaml: 1 entry from earlier changes allow nothing again (${PROD}: storage-decrease on KafkaNodePool/kafka); delete it`);
});

test('a declaration added that allows nothing the change does fails, named', () => {
  allow(`${shrink}  - env: ${PROD}\n    rule: topic-removal\n    reason: r\n    procedure: p\n`);
  git('add', '-A');
  git('commit', '-q', '--amend', '--no-edit');
  const r = gate();
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`plan: plan-allowances.yaml: ${PROD}: topic-removal allows nothing this change does: remove it`);
});

test('in a pull request the base is the merge base with the base branch; one that cannot be found stops the gate (exit 2)', () => {
  const r = spawnSync('bash', ['scripts/plan-gate.sh'], { cwd: project, encoding: 'utf8', env: { ...process.env, PLAN_BASE: '', GITHUB_BASE_REF: 'no-such-branch' } });
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('plan-gate: no merge base of HEAD and origin/no-such-branch (fetch it: actions/checkout with fetch-depth: 0)\n');
});

test('.ci/run runs the gate', () => {
  expect(fs.readFileSync(path.join(project, '.ci', 'run'), 'utf8')).toMatch(/^step plan-gate bash scripts\/plan-gate\.sh$/m);
});
