/** scripts/build.cjs: what the bundle changes in generated code, held equal to the generated code. */
import fc from 'fast-check';
import * as childProcess from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lateSpawnSync, lazyModuleSource, linearFilters } = require('../scripts/build.cjs') as {
  lateSpawnSync: (text: string) => string;
  lazyModuleSource: (name: string) => string;
  linearFilters: (text: string) => string;
};

const root = path.resolve(__dirname, '..');
const QUADRATIC = 'return Object.entries(o).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
/** The filter as `cdk8s import` generates it, and as the bundle has it. */
 
const [generated, bundled] = [QUADRATIC, linearFilters(QUADRATIC)].map((body) => new Function('o', body) as (o: object) => object);
const REMAINING = /Object\.entries\([\w.]+\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\)/;

describe('the linear filter of undefined fields the bundle puts in generated imports', () => {
  test('is not the generated text, and gives what the generated reduce gives (property)', () => {
    expect(linearFilters(QUADRATIC)).not.toContain('reduce');
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '0', '10', '1.5', 'toString'));
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 2 }));
    fc.assert(fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (entries) => {
      const input: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(input, k, { value: v, enumerable: true, writable: true, configurable: true });
      const [a, b] = [generated(input), bundled(input)];
      expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
      expect(Object.entries(b)).toEqual(Object.entries(a));
      expect(b).not.toBe(input);
    }), { numRuns: 2000 });
  });

  test.each([
    ...fs.readdirSync(path.join(root, 'imports')).filter((f) => f.endsWith('.ts')).map((f) => path.join('imports', f)),
    'node_modules/cdk8s-plus-28/lib/imports/k8s.js',
  ])('%s: every such filter is replaced', (file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    expect(text).toMatch(REMAINING);
    expect(linearFilters(text)).not.toMatch(REMAINING);
  });

  test('text without the filter is left as it is', () => {
    const text = 'export const x = Object.entries(y).reduce((a, b) => a, {});';
    expect(linearFilters(text)).toBe(text);
  });
});

/** The require a bundled module is given (the stand-ins below load through it). */
const requireModule = createRequire(__filename);

describe('the stand-in the bundle gives node_modules for crypto and child_process', () => {
  /** The stand-in module's exports, and whether it has loaded the real module yet. */
  function standIn(name: string) {
    let loads = 0;
    const module_ = { exports: {} as Record<string | symbol, unknown> };
    const require_ = (id: string) => { loads += 1; return requireModule(id); };
    new Function('module', 'require', lazyModuleSource(name))(module_, require_);
    return { exports: module_.exports, loads: () => loads };
  }

  test.each(['crypto', 'child_process'])('%s: nothing is loaded until it is used; then it is the real module, loaded once', (name) => {
    const lazy = standIn(name);
    expect(lazy.loads()).toBe(0);
    // What TypeScript's __importStar and __importDefault ask first: the stand-in itself is the namespace.
    expect(lazy.exports.__esModule).toBe(true);
    expect(lazy.loads()).toBe(0);
    const real = requireModule(`node:${name}`);
    expect(Reflect.ownKeys(lazy.exports)).toEqual(Reflect.ownKeys(real));
    for (const key of Reflect.ownKeys(real)) {
      expect(lazy.exports[key]).toBe(real[key]);
      expect(key in lazy.exports).toBe(true);
      expect(Object.getOwnPropertyDescriptor(lazy.exports, key)?.value).toBe(Object.getOwnPropertyDescriptor(real, key)?.value);
    }
    expect('no such export' in lazy.exports).toBe(false);
    expect(Object.getPrototypeOf(lazy.exports)).toBe(Object.getPrototypeOf(real));
    expect(lazy.exports.default).toBe(real);
    expect(lazy.loads()).toBe(1);
  });

  test('a call through it works as on the module itself', () => {
    const crypto = standIn('crypto').exports as unknown as typeof import('node:crypto');
    expect(crypto.createHash('sha256').update('x').digest('hex')).toBe(nodeCrypto.createHash('sha256').update('x').digest('hex'));
    expect({ ...crypto }).toEqual({ ...requireModule('node:crypto') });
  });
});

describe("cdk8s' _child_process in the bundle", () => {
  const file = path.join(root, 'node_modules', 'cdk8s', 'lib', '_child_process.js');

  test('reads spawnSync when it is used, and gives the real one', () => {
    const text = fs.readFileSync(file, 'utf8');
    const late = lateSpawnSync(text);
    expect(late).not.toBe(text);
    let loads = 0;
    const lazy = { exports: {} as Record<string, unknown> };
    new Function('module', 'require', lazyModuleSource('child_process'))(lazy, (id: string) => { loads += 1; return requireModule(id); });
    const module_ = { exports: {} as { _child_process: { spawnSync: unknown } } };
    new Function('exports', 'require', 'module', late)(module_.exports, (id: string) => (id === 'child_process' ? lazy.exports : requireModule(id)), module_);
    expect(loads).toBe(0);
    expect(module_.exports._child_process.spawnSync).toBe(childProcess.spawnSync);
    expect(loads).toBe(1);
  });
});
