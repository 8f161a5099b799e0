/**
 * Adding an environment as the README says: the scaffold writes one file with the values that must
 * change marked, synth refuses it (naming each) until they are set, and refuses values another
 * environment already owns; then synth and validate pass, with no other file edited by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectCopy } from '../project-copy';

jest.setTimeout(300_000);

const NAME = 'summit-alerts';
let project: ReturnType<typeof projectCopy>;
const file = () => path.join(project.dir, 'environments', `${NAME}.ts`);

beforeAll(() => {
  project = projectCopy('new-environment-');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: project.dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'base');
});
afterAll(() => project.remove());

test('the scaffold writes one file, with every value another environment owns marked', () => {
  const result = project.npm('new-env', [NAME, '--from', 'usdfdev-prompt-processing']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain(`environments/${NAME}.ts: written from environments/usdfdev-prompt-processing.ts, 17 values marked "SET ME: ..."`);
  expect(result.stdout).toContain(`npm run synth -- --env ${NAME}`);
  const text = fs.readFileSync(file(), 'utf8');
  expect(text).toContain(`name: '${NAME}'`);
  expect(text).toContain('export const summitAlerts: Environment');
  expect(project.npm('new-env', [NAME, '--from', 'usdfdev-prompt-processing'])).toMatchObject({ status: 2, stderr: expect.stringContaining('exists already') });
});

test('synth refuses it, one line per value still to set, and writes nothing', () => {
  const result = project.npm('synth', ['--env', NAME, '--out', 'out']);
  expect(result.status).toBe(1);
  const lines = String(result.stderr).trim().split('\n').slice(1);
  expect(lines).toHaveLength(17);
  expect(lines).toContain(`${NAME}: Environment vaultPathPrefix: is not set yet: the Vault path prefix of this environment (Phalanx vaultSecretsPath) (usdfdev-prompt-processing has secret/rubin/usdf-prompt-processing-dev)`);
  expect(fs.existsSync(path.join(project.dir, 'out'))).toBe(false);
});

test('a value kept from another environment is refused, naming the other', () => {
  let n = 0;
  const text = fs.readFileSync(file(), 'utf8')
    .replace(/'SET ME: a static IPv4[^']*'/g, () => `'198.51.100.${10 + n++}'`)
    .replace(/(\b(host)\s*:\s*)'SET ME: [^']*'/g, () => `host: 'summit-${n++}.example.org'`)
    .replace(/'SET ME: the Vault path prefix[^']*'/, "'secret/rubin/usdf-prompt-processing-dev'")
    .replace(/'SET ME: a StorageClass[^']*'/g, "'standard'");
  expect(text).not.toContain('SET ME');
  fs.writeFileSync(file(), text);
  const result = project.npm('synth', ['--env', NAME, '--out', 'out']);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`${NAME}: Environment vaultPathPrefix: Vault path secret/rubin/usdf-prompt-processing-dev is also environment usdfdev-prompt-processing's; give this environment its own, or declare \`replaces: 'usdfdev-prompt-processing'\` if it takes over from it`);
});

test('set, it synthesizes and validates, and only its own file (and the registry the build keeps) changed', () => {
  fs.writeFileSync(file(), fs.readFileSync(file(), 'utf8').replace("'secret/rubin/usdf-prompt-processing-dev'", "'secret/rubin/summit-alerts'"));
  const synth = project.npm('synth', ['--out', 'out']);
  expect(synth.stderr).toBe('');
  expect(synth.status).toBe(0);
  expect(fs.readdirSync(path.join(project.dir, 'out', NAME)).length).toBeGreaterThan(5);
  const validate = project.npm('validate', ['--env', NAME, '--crds', path.resolve(__dirname, '../../../shared/crds')]);
  expect(validate.status).toBe(0);
  const changed = execFileSync('git', ['status', '--porcelain'], { cwd: project.dir, encoding: 'utf8' }).split('\n').filter((l) => l && !l.includes('out/'));
  expect(changed.sort()).toEqual([' M generated/environments.ts', `?? environments/${NAME}.ts`]);
});

test('the tests about every environment pass with it, once its picture and snapshots are written (README step 4)', () => {
  expect(project.npm('diagram', ['--env', NAME]).status).toBe(0);
  // Not --ci: jest writes the new environment's snapshots, as `npm test -- -u` does for a reviewer.
  const suites = ['test/stages.test.ts', 'test/determinism.test.ts', 'test/diagram.test.ts', 'test/environments.test.ts',
    'test/environment-schema.test.ts', 'test/schemas.test.ts', 'test/rules/', 'test/argocd-health.test.ts', 'test/yaml.test.ts'];
  const jest = spawnSync(process.execPath, [path.join(project.dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--silent', '--ci=false', ...suites], { cwd: project.dir, encoding: 'utf8' });
  expect(jest.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
  expect(jest.status).toBe(0);
  expect(fs.readFileSync(path.join(project.dir, 'test', '__snapshots__', 'stages.test.ts.snap'), 'utf8')).toContain(NAME);
});
