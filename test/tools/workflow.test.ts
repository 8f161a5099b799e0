/**
 * The GitHub workflow: actionlint (built from its Go module by tools/build.sh actionlint) finds nothing, and the
 * step that posts the plan updates its own comment instead of adding one per push (its script run here against a
 * stand-in of GitHub's REST client: test code, since GitHub's API cannot be reached from here).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { toolFolder } from '../../lib/helm-binary';
import { PLAN_COMMENT_MARKER } from '../../lib/plan-markdown';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const actionlint = () => path.join(toolFolder('actionlint'), 'actionlint');
const lint = (files: string[]) => spawnSync(actionlint(), ['-no-color', ...files], { encoding: 'utf8', timeout: 60_000 });

test('actionlint finds nothing in any workflow', () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(WORKFLOWS, f));
  expect(files.length).toBeGreaterThan(0);
  const r = lint(files);
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('actionlint does find a broken workflow (the check can fail)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-'));
  try {
    const broken = path.join(dir, 'ci.yml');
    fs.writeFileSync(broken, fs.readFileSync(path.join(WORKFLOWS, 'ci.yml'), 'utf8').replace('github.event_name', 'github.event_nam'));
    const r = lint([broken]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('event_nam');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The post step's script, run as actions/github-script runs it (an async function of github, context, require). */
async function post(existing: Array<{ id: number; user: { type: string }; body: string }>, plan: string) {
  const workflow = parse(fs.readFileSync(path.join(WORKFLOWS, 'ci.yml'), 'utf8'));
  const step = workflow.jobs.ci.steps.find((s: any) => String(s.uses ?? '').startsWith('actions/github-script@'));
  const calls: Array<[string, any]> = [];
  const github = {
    paginate: async (_: unknown, params: any) => { calls.push(['list', params]); return existing; },
    rest: { issues: {
      listComments: {},
      updateComment: async (params: any) => { calls.push(['update', params]); },
      createComment: async (params: any) => { calls.push(['create', params]); },
    } },
  };
  const context = { repo: { owner: 'lsst', repo: 'alert-stream-deploy' }, issue: { number: 7 } };
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
  const previous = process.cwd();
  try {
    fs.mkdirSync(path.join(cwd, 'project', '.ci', 'out'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'project', '.ci', 'out', 'plan.md'), plan);
    process.chdir(cwd);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    await new AsyncFunction('github', 'context', 'require', step.with.script)(github, context, require);
  } finally {
    process.chdir(previous);
    fs.rmSync(cwd, { recursive: true, force: true });
  }
  return { step, calls };
}

test('the post step runs on pull requests only, also when CI failed, and its marker is the plan\'s', async () => {
  const { step } = await post([], `${PLAN_COMMENT_MARKER}\nplan`);
  expect(step.if).toBe("always() && github.event_name == 'pull_request' && hashFiles('project/.ci/out/plan.md') != ''");
  expect(step.with.script).toContain(`const marker = '${PLAN_COMMENT_MARKER}';`);
});

test('the first push creates the comment; later pushes update it; nobody else\'s comment is touched', async () => {
  const body = `${PLAN_COMMENT_MARKER}\n## Plan against \`main\`: safe\n`;
  const first = await post([{ id: 1, user: { type: 'User' }, body: `${PLAN_COMMENT_MARKER} quoted by a person` }], body);
  expect(first.calls.filter(([k]) => k !== 'list')).toEqual([['create', { owner: 'lsst', repo: 'alert-stream-deploy', issue_number: 7, body }]]);
  const later = await post([
    { id: 1, user: { type: 'User' }, body: 'looks good' },
    { id: 42, user: { type: 'Bot' }, body: `${PLAN_COMMENT_MARKER}\nold plan` },
  ], body);
  expect(later.calls.filter(([k]) => k !== 'list')).toEqual([['update', { owner: 'lsst', repo: 'alert-stream-deploy', comment_id: 42, body }]]);
});

test('a plan longer than a comment may be is cut, saying where the rest is', async () => {
  const { calls } = await post([], `${PLAN_COMMENT_MARKER}\n${'x'.repeat(70_000)}`);
  const body = calls.find(([k]) => k === 'create')![1].body as string;
  expect(body.length).toBeLessThan(65_536);
  expect(body.endsWith("(cut: the whole plan is in the job's log and the manifests artifact)")).toBe(true);
});

test('the checkout fetches the history the plan gate compares with', () => {
  const workflow = parse(fs.readFileSync(path.join(WORKFLOWS, 'ci.yml'), 'utf8'));
  const project = workflow.jobs.ci.steps.find((s: any) => s.with?.path === 'project');
  expect(project.with['fetch-depth']).toBe(0);
  expect(workflow.jobs.ci.permissions['pull-requests']).toBe('write');
});
