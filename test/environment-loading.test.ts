import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSecrets } from '../cli/secrets';
import { runSynth } from '../cli/synth';
import { deepFreeze, Environment, EnvironmentLoadError, environments, lazyEnvironments, loadAll, loadEnvironment } from '../lib/environments';
import type { EnvironmentSource } from '../lib/environment-source';
import { runCommand } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dataOnlyProblem } = require('../scripts/environment-index.js') as { dataOnlyProblem: (text: string, file: string) => string | undefined };

const HEADER = "import type { Environment } from '../constructs/alert-stream-props';\n";
const fileWith = (body: string) => `${HEADER}${body}\n`;

describe('environment files hold data only (scripts/environment-index.js)', () => {
  test.each(fs.readdirSync(path.join(__dirname, '..', 'environments')).filter((f) => f.endsWith('.ts')))('%s is data only', (file) => {
    expect(dataOnlyProblem(fs.readFileSync(path.join(__dirname, '..', 'environments', file), 'utf8'), file)).toBeUndefined();
  });

  test('literals, objects, arrays, spreads, templates, arithmetic and the file\'s own constants are data', () => {
    expect(dataOnlyProblem(fileWith([
      "const topics = ['a', `b-${2}`] as const;",
      'const base = { partitions: 3 * 15, retention: -1, big: 10n };',
      'interface Extra { readonly x?: number }',
      'type Alias = Extra;',
      "export const e: Environment = { ...base, name: 'e', list: [...topics, , 'c'], n: base.partitions, u: undefined, z: null, t: true, 'k-y': 1 } as unknown as Environment;",
    ].join('\n')), 'e.ts')).toBeUndefined();
  });

  // Each member of the class "code that reaches outside the file or runs something".
  test.each([
    ['a value import of another environment', "import { usdfprodPromptProcessing } from './usdfprod-prompt-processing';", 'a value import', 'import { usdfprodPromptProcessing } from'],
    ['a side-effect import', "import './usdfprod-prompt-processing';", 'a value import', "import './usdfprod-prompt-processing';"],
    ['a default import', "import prod from './usdfprod-prompt-processing';", 'a value import', 'import prod from'],
    ['a namespace import', "import * as prod from './usdfprod-prompt-processing';", 'a value import', 'import * as prod from'],
    ['a re-export', "export * from './usdfprod-prompt-processing';", 'a statement that runs code', 'export * from'],
    ['a statement', 'process.exit(3);', 'a statement that runs code', 'process.exit(3);'],
    ['Object.assign on something', 'const x = Object.assign({}, {});', 'a call', '(Object.assign({}, {}))'],
    ['a call hidden in a value', "export const e: Environment = { name: 'e', n: [1].map((x) => x) } as any;", 'a call', '([1].map((x) => x))'],
    ['a constructor', "const f = new Function('return 1');", 'a call', "(new Function('return 1'))"],
    ['a tagged template', 'const t = String.raw`x`;', 'a call', '(String.raw`x`)'],
    ['a global', 'const p = globalThis;', "'globalThis', which this file does not declare", '(globalThis)'],
    ['require', "const r = require;", "'require', which this file does not declare", '(require)'],
    ['a function', 'const f = () => 1;', 'a function', '(() => 1)'],
    ['a function declaration', 'function f() { return 1; }', 'a statement that runs code', 'function f()'],
    ['a class', 'class C {}', 'a statement that runs code', '(class C {})'],
    ['a let', 'let x = 1;', 'a `let` or `var`', '(let x = 1;)'],
    ['an assignment', 'const o = { a: 1 }; const p = (o.a = 2);', 'an assignment', '(o.a = 2)'],
    ['a getter', 'const o = { get a() { return 1; } };', 'a method or accessor', '(get a() { return 1; })'],
    ['a computed key', "const k = 'a'; const o = { [k]: 1 };", 'a computed key', '([k])'],
    ['a delete', 'const o = { a: 1 }; const d = delete o.a;', 'this delete expression', '(delete o.a)'],
    ['a comparison', 'const b = 1 < 2;', 'this binary expression', '(1 < 2)'],
    ['an optional chain', 'const o = { a: 1 }; const b = o?.a;', 'this property access expression', '(o?.a)'],
    ['an element access', "const o = { a: 1 }; const b = o['a'];", 'this element access expression', "(o['a'])"],
  ])('%s is refused, naming file, line and the text', (_what, code, kind, shown) => {
    const problem = dataOnlyProblem(fileWith(code), 'bad.ts');
    expect(problem).toMatch(new RegExp(`^environments/bad\\.ts:2: not data: ${kind.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}`));
    expect(problem).toContain(shown);
    expect(problem!.split('\n')).toHaveLength(1);
  });

  test('control bytes in the quoted text are escaped, and the quote is cut', () => {
    const problem = dataOnlyProblem(fileWith(`process.stdout.write("\x1b[2J${'x'.repeat(200)}");`), 'bad.ts')!;
    // eslint-disable-next-line no-control-regex
    expect(problem).not.toMatch(/[\u0000-\u001f]/);
    expect(problem).toContain('\\u001b');
    expect(problem.length).toBeLessThan(300);
  });
});

const source = (load: () => unknown): EnvironmentSource => ({ file: 'environments/x.ts', load: load as () => Environment });

describe('loading an environment', () => {
  const prod = environments['usdfprod-prompt-processing'];

  test('a loaded environment is frozen all the way down: no other code can change it', () => {
    expect(Object.isFrozen(prod)).toBe(true);
    expect(Object.isFrozen(prod.kafka.config)).toBe(true);
    expect(Object.isFrozen(prod.topics[0])).toBe(true);
    expect(() => Object.assign(prod.kafka.config!, { 'x': 1 })).toThrow(TypeError);
    expect(() => { (prod.topics as any[]).push({ name: 'x', partitions: 1 }); }).toThrow(TypeError);
    expect(Reflect.deleteProperty(prod, 'host')).toBe(false);
    expect(prod.host).toBe('usdfprod-prompt-processing.slac.stanford.edu');
    expect((prod.kafka.config as any).x).toBeUndefined();
  });

  test('deepFreeze reaches arrays, nested objects and symbol keys, and leaves primitives alone', () => {
    const sym = Symbol('s');
    const value = { a: [{ b: 1 }], [sym]: { c: 2 } };
    deepFreeze(value);
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(value[sym])).toBe(true);
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBeNull();
  });

  test('a file that throws while loading is one line naming the file and the error, without a stack', () => {
    const load = () => loadEnvironment('x', source(() => { throw new TypeError('boom\n    at something (bundle.js:1:2)'); }));
    expect(load).toThrow(EnvironmentLoadError);
    expect(load).toThrow(/^environments\/x\.ts: throws while loading: TypeError: boom$/);
  });

  test('a thrown non-error and control bytes in a message are said printably', () => {
    expect(() => loadEnvironment('x', source(() => { throw 'plain \x1b[31m'; }))).toThrow('environments/x.ts: throws while loading: Error: plain \\u001b[31m');
  });

  test("an environment's name must be its file name", () => {
    expect(() => loadEnvironment('x', source(() => ({ ...prod })))).toThrow(
      "environments/x.ts: its name is \"usdfprod-prompt-processing\", but an environment's name must be its file name ('x'): set name: 'x'");
    expect(() => loadEnvironment('x', source(() => undefined))).toThrow('environments/x.ts: its export is not an environment object');
  });

  test('a file the registry refused is never loaded, and says its problem', () => {
    expect(() => loadEnvironment('x', { file: 'environments/x.ts', problem: 'environments/x.ts:3: not data: a call' })).toThrow('environments/x.ts:3: not data: a call');
  });

  test('reading one environment loads no other file', () => {
    const loads: string[] = [];
    const registry = lazyEnvironments({
      a: source(() => { loads.push('a'); return { name: 'a' }; }),
      b: source(() => { loads.push('b'); throw new Error('b is broken'); }),
    });
    expect(registry.a.name).toBe('a');
    expect(registry.a.name).toBe('a');
    expect(loads).toEqual(['a']);
    expect(() => registry.b).toThrow(EnvironmentLoadError);
    expect(loadAll(registry)).toEqual({ loaded: [['a', registry.a]], errors: ['environments/x.ts: throws while loading: Error: b is broken'] });
    expect(loadAll(registry, new Set(['b']))).toEqual({ loaded: [['a', registry.a]], errors: [] });
  });
});

describe('commands and a broken environment file', () => {
  const registry = (broken: EnvironmentSource) => lazyEnvironments({
    'usdfprod-prompt-processing': source(() => structuredClone(environments['usdfprod-prompt-processing'])),
    broken,
  });
  const throwing = { file: 'environments/broken.ts', load: () => { throw new RangeError('no'); } } as EnvironmentSource;

  test('synth of another environment refuses, naming the file: it must be compared with every other one', () => {
    const result = runCommand(runSynth, ['--env', 'usdfprod-prompt-processing', '--out', '/nonexistent/never-written'], { environments: registry(throwing) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('synth: refused; nothing was written.\nenvironments/broken.ts: throws while loading: RangeError: no (every environment written is compared with every other one, so it must load)\n');
  });

  test('synth of the broken environment itself says so once', () => {
    const result = runCommand(runSynth, ['--env', 'broken', '--out', '/nonexistent/never-written'], { environments: registry(throwing) });
    expect(result).toMatchObject({ code: 1, stderr: 'synth: refused; nothing was written.\nenvironments/broken.ts: throws while loading: RangeError: no\n' });
  });

  test('a command that needs only another environment runs', () => {
    const result = runCommand(runSecrets, ['--env', 'usdfprod-prompt-processing'], { environments: registry(throwing) });
    expect(result.code).toBe(0);
  });
});
