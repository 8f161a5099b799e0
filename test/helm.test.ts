import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { runSynth } from '../cli/synth';
import { environmentNames } from '../environments';
import { escapeForHelm, renderEscaped } from '../lib/helm';

let out: string;
const quiet = { stdout: () => undefined, stderr: () => undefined };
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-test-'));
  expect(runSynth(['--out', out], quiet)).toBe(0);
  expect(runSynth(['--out', out, '--format', 'helm'], quiet)).toBe(0);
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const objectsIn = (dir: string, render: (t: string) => string = (t) => t) => fs.readdirSync(dir).sort()
  .flatMap((f) => parseAllDocuments(render(fs.readFileSync(path.join(dir, f), 'utf8'))).map((d) => d.toJS()));

describe.each(environmentNames)('helm chart of %s', (env) => {
  const chart = () => path.join(out, 'charts', env);

  test('has Chart.yaml, values.yaml and one template per stage file', () => {
    expect(parse(fs.readFileSync(path.join(chart(), 'Chart.yaml'), 'utf8'))).toMatchObject({ apiVersion: 'v2', name: `alert-stream-${env}`, type: 'application' });
    expect(fs.existsSync(path.join(chart(), 'values.yaml'))).toBe(true);
    expect(fs.readdirSync(path.join(chart(), 'templates')).map((f) => f.replace(/\.yaml$/, '.k8s.yaml')))
      .toEqual(fs.readdirSync(path.join(out, env)).sort());
  });

  test('the templates hold exactly the objects of dist/<env>, in the same order', () => {
    expect(objectsIn(path.join(chart(), 'templates'), renderEscaped)).toEqual(objectsIn(path.join(out, env)));
  });

  test('the templates contain no template action but the escapes (helm renders them verbatim)', () => {
    for (const f of fs.readdirSync(path.join(chart(), 'templates'))) {
      const text = fs.readFileSync(path.join(chart(), 'templates', f), 'utf8');
      expect(text.replace(/\{\{ "(\{\{|\}\})" \}\}/g, '')).not.toMatch(/\{\{|\}\}/);
    }
  });
});

test('braces in a manifest survive Helm', () => {
  const text = 'message: "{{ not a template }}"\n';
  expect(escapeForHelm(text)).toBe('message: "{{ "{{" }} not a template {{ "}}" }}"\n');
  expect(renderEscaped(escapeForHelm(text))).toBe(text);
});

test('an unknown format is refused', () => {
  const err: string[] = [];
  expect(runSynth(['--format', 'kustomize'], { stdout: () => undefined, stderr: (t) => err.push(t) })).toBe(2);
  expect(err.join('')).toBe("synth: unknown --format 'kustomize'; use manifests or helm\n");
});
