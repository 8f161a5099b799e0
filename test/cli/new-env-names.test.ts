import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runNewEnv } from '../../cli/new-env';
import { runCommand } from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dataOnlyProblem } = require('../../scripts/environment-index.js') as { dataOnlyProblem: (text: string, file: string) => string | undefined };

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'new-env-names-'));
  fs.cpSync(path.join(__dirname, '..', '..', 'environments'), path.join(root, 'environments'), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const scaffold = (name: string) => runCommand(runNewEnv, [name, '--from', 'usdfdev-prompt-processing'], { root });
const written = () => fs.readdirSync(path.join(root, 'environments')).sort();

test.each([
  ['consecutive hyphens', 'summit--alerts', /no '--'/],
  ['a trailing hyphen', 'summit-', /none at either end/],
  ['a leading hyphen', '-summit', /Unknown option|none at either end/],
  ['upper case', 'Summit', /lowercase letters/],
  ['a dot', 'summit.alerts', /lowercase letters/],
  ['too long', `a${'-b'.repeat(40)}`, /at most 63 characters/],
  ['control bytes', 'x\u001b[2J', /'x\\u001b\[2J'/],
])('a name with %s is refused, naming the rule, and nothing is written', (_what, name, message) => {
  const before = written();
  const result = scaffold(name);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  // eslint-disable-next-line no-control-regex
  expect(result.stderr).not.toMatch(/\u001b/);
  expect(written()).toEqual(before);
});

test.each(['class', 'default', 'null', 'let', 'await', 'eval', 'undefined', 'enum'])("'%s' would export a reserved word: refused", (name) => {
  const before = written();
  expect(scaffold(name)).toMatchObject({ code: 2, stderr: `new-env: '${name}' would export \`const ${name}\`, a reserved word of JavaScript; choose another name (e.g. '${name}-alerts')\n` });
  expect(written()).toEqual(before);
});

test.each(['summit', 'summit-alerts', 'usdf-summit-2', '7ops', 'class-alerts', 'a1-b2-c3'])("'%s' is scaffolded into a data-only file whose export is an identifier", (name) => {
  expect(scaffold(name).code).toBe(0);
  const text = fs.readFileSync(path.join(root, 'environments', `${name}.ts`), 'utf8');
  const exported = /^export const (\S+)\s*:\s*Environment\b/m.exec(text)?.[1];
  expect(exported).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
  expect(dataOnlyProblem(text, `${name}.ts`)).toBeUndefined();
  // The name inside is the file's name, as loading requires.
  expect(text).toContain(`name: '${name}'`);
});
