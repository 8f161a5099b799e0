/**
 * scripts/environment-fast.cjs: the subset of environment files an edit recompiles alone (no type check of the
 * program, no bundle). Everything it takes must be what the full build makes of the file; everything whose
 * typing the schema cannot decide alone is left to the full build (undefined here).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { environmentSources } from '../generated/environments';
import { environments } from '../lib/environments';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fastModule, compileWithEsbuild } = require('../scripts/environment-fast.cjs') as {
  fastModule: (text: string, constant: string) => string | undefined;
  compileWithEsbuild: (text: string, file: string) => string;
};

const root = path.resolve(__dirname, '..');
const HEADER = "import type { Environment } from '../constructs/alert-stream-props';\n";
const fileWith = (...lines: string[]) => `${HEADER}${lines.join('\n')}\n`;

/** What a module text exports, run as the bundle's require would run it. */
function exportsOf(code: string): Record<string, unknown> {
  const module_ = { exports: {} as Record<string, unknown> };
  vm.runInThisContext(`(function (exports, module) {${code}\n})`)(module_.exports, module_);
  return module_.exports;
}

describe('every environment file is in the subset, and its module is what the full build makes of it', () => {
  test.each(Object.entries(environmentSources))('%s', (name, source) => {
    const text = fs.readFileSync(path.join(root, source.file), 'utf8');
    const constant = /^export const (\w+)/m.exec(text)![1];
    const code = fastModule(text, constant);
    expect(typeof code).toBe('string');
    const value = exportsOf(code!)[constant];
    expect(value).toEqual(exportsOf(compileWithEsbuild(text, source.file))[constant]);
    expect(value).toEqual(environments[name as keyof typeof environments]);
    // Lines are kept (what is blanked becomes spaces): a line of the module is the line of the file.
    const squeeze = (l: string) => l.replace(/\s+/g, ' ').trim();
    expect(code!.split('\n').slice(0, text.split('\n').length - 1).map(squeeze)).toEqual(text.split('\n').slice(0, -1).map((l, i) => (
      i === 0 ? '"use strict";' : squeeze(l.replace(/^export const (\w+): Environment/, 'const $1'))
    )));
  });
});

describe('the subset', () => {
  test('literals, arrays, templates, numeric arithmetic, spreads and earlier helper constants are in it', () => {
    const code = fastModule(fileWith(
      "const topics = ['a', `b-${2}`];",
      "const more = [...topics, 'c'];",
      'const retention = 7 * 24 * -60;',
      "export const e: Environment = { name: 'e', list: [...more], n: retention, u: undefined, z: null, t: true, 'k-y': 1, t2: `x${retention}` };",
    ), 'e');
    expect(exportsOf(code!).e).toEqual({ name: 'e', list: ['a', 'b-2', 'c'], n: -10080, u: undefined, z: null, t: true, 'k-y': 1, t2: 'x-10080' });
  });

  test.each([
    ['a syntax error', "export const e: Environment = { name: 'e', };;}"],
    ['a name the file does not declare (the compiler: Cannot find name)', "export const e: Environment = { name: 'e', size: summitSize };"],
    ['a constant used before its declaration', "export const e: Environment = { name: 'e', list: later };\nconst later = ['a'];"],
    ['an unused helper constant (noUnusedLocals)', "const unused = 1;\nexport const e: Environment = { name: 'e' };"],
    ['an object literal in a helper constant (the compiler widens its literals)', "const base = { podAntiAffinity: 'required' };\nexport const e: Environment = { ...base, name: 'e' };"],
    ['a property a later spread may overwrite', "export const e: Environment = { name: 'e', ...{ name: 'f' } };"],
    ['a key given twice', "export const e: Environment = { name: 'e', name: 'f' };"],
    ['a computed key', "export const e: Environment = { name: 'e', ['k']: 1 };"],
    ['a __proto__ key', "export const e: Environment = { name: 'e', __proto__: null };"],
    ['a type assertion', "export const e: Environment = { name: 'e' } as unknown as Environment;"],
    ['as const in a helper', "const t = ['a'] as const;\nexport const e: Environment = { name: 'e', t };"],
    ['satisfies', "export const e: Environment = { name: 'e' } satisfies Environment;"],
    ['an annotated helper constant', "const t: string[] = ['a'];\nexport const e: Environment = { name: 'e', t };"],
    ['another annotation on the export', "export const e: Partial<Environment> = { name: 'e' };"],
    ['an interface', "interface X { a: number }\nexport const e: Environment = { name: 'e' };"],
    ['arithmetic on a string', "export const e: Environment = { name: 'e', n: 'a' * 2 };"],
    ['a property read of a constant', "const t = ['a'];\nexport const e: Environment = { name: 'e', n: t.length };"],
    ['a call', "export const e: Environment = { name: 'e', n: [1].map((x) => x) };"],
    ['a hole in an array', "export const e: Environment = { name: 'e', n: [1, , 2] };"],
    ['a bigint', "export const e: Environment = { name: 'e', n: 10n };"],
    ['a let', "let x = 1;\nexport const e: Environment = { name: 'e', x };"],
    ['a statement that runs code', "export const e: Environment = { name: 'e' };\nconsole.log(1);"],
    ['another constant name than the registry\'s', "export const f: Environment = { name: 'e' };"],
  ])('not: %s', (_what, body) => {
    expect(fastModule(fileWith(body), 'e')).toBeUndefined();
  });

  test.each([
    ['a value import', "import { x } from '../constructs/alert-stream-props';\nexport const e: Environment = { name: 'e', x };"],
    ['a type import from elsewhere', "import type { Environment } from './other';\nexport const e: Environment = { name: 'e' };"],
  ])('not: %s', (_what, text) => {
    expect(fastModule(text, 'e')).toBeUndefined();
  });
});
