/** scripts/build.cjs: what the bundle changes in generated code, held equal to the generated code. */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linearFilters } = require('../scripts/build.cjs') as { linearFilters: (text: string) => string };

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
