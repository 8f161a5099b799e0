// The code cache of the tests' environment (scripts/jest-code-cache.cjs): a function compiled from the cache
// behaves as one compiled afresh, a cache entry serves exactly the text (and parameter names) it was made from,
// and a cache V8 refuses is compiled afresh.
import * as vm from 'node:vm';
import * as fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installCodeCache, MIN_LENGTH } = require('../scripts/jest-code-cache.cjs');

interface CodeCache {
  hits: number;
  misses: number;
  rejected: number;
  cache: Map<string, Buffer>;
}
type Compile = (code: string, params?: string[], options?: vm.CompileFunctionOptions) => (...args: unknown[]) => unknown;

/** node:vm's own compileFunction: this file runs in the tests' environment, which installed the cache on node:vm. */
const original = (vm.compileFunction as unknown as { original: typeof vm.compileFunction }).original;

test('the tests\' environment compiles modules through the cache', () => {
  expect(typeof original).toBe('function');
  expect(original).not.toBe(vm.compileFunction);
});

/** A fresh stand-in for node:vm holding the real compileFunction, with the cache installed on it. */
function cached(): { compile: Compile; state: CodeCache } {
  const target = { compileFunction: original };
  const state = installCodeCache(target) as CodeCache;
  return { compile: target.compileFunction as unknown as Compile, state };
}

/** A module body long enough to be cached, returning `value`. */
const body = (value: string) => `${'// padding\n'.repeat(Math.ceil(MIN_LENGTH / 11))}return ${value};`;

test('the second compile of a text is served from the cache and runs as the first', () => {
  const { compile, state } = cached();
  const first = compile(body('a + b'), ['a', 'b'], { filename: 'one.js' });
  const second = compile(body('a + b'), ['a', 'b'], { filename: 'one.js' });
  expect([first(1, 2), second(1, 2)]).toEqual([3, 3]);
  expect([state.hits, state.misses, state.rejected]).toEqual([1, 1, 0]);
});

test('the same text under another file name is compiled for itself: its stack traces name its own file', () => {
  const { compile, state } = cached();
  const stackOf = (filename: string) => {
    try {
      compile(body('(() => { throw new Error("x"); })()'), [], { filename })();
    } catch (error) {
      return (error as Error).stack?.split('\n')[1];
    }
    return undefined;
  };
  expect([stackOf('three.js'), stackOf('four.js'), stackOf('four.js')]).toEqual([expect.stringMatching(/three\.js:/), expect.stringMatching(/four\.js:/), expect.stringMatching(/four\.js:/)]);
  expect([state.hits, state.misses]).toEqual([1, 2]);
});

test('a text that differs by one character, or other parameter names, is compiled for itself', () => {
  const { compile, state } = cached();
  expect(compile(body('a + 1'), ['a'])(1)).toBe(2);
  expect(compile(body('a + 2'), ['a'])(1)).toBe(3);
  expect(compile(body('a + 1'), ['b', 'a'])(5, 1)).toBe(2);
  expect([state.hits, state.misses, state.cache.size]).toEqual([0, 3, 3]);
});

test('a short text, or a caller that brings its own cache, is compiled as before, not counted or kept', () => {
  const { compile, state } = cached();
  expect(compile('return 1;')()).toBe(1);
  expect(compile('return 1;')()).toBe(1);
  const produced = compile(body('2'), [], { produceCachedData: true }) as unknown as { cachedData?: Buffer };
  expect(produced.cachedData).toBeInstanceOf(Buffer);
  expect([state.hits, state.misses, state.cache.size]).toEqual([0, 0, 0]);
});

test('a cache V8 refuses is compiled afresh and replaced', () => {
  const { compile, state } = cached();
  compile(body('7'), []);
  const [key] = [...state.cache.keys()];
  state.cache.set(key, Buffer.from('not a code cache'));
  expect(compile(body('7'), [])()).toBe(7);
  expect([state.hits, state.misses, state.rejected]).toEqual([0, 2, 1]);
  expect(state.cache.get(key)?.toString()).not.toBe('not a code cache');
  expect(compile(body('7'), [])()).toBe(7);
  expect(state.hits).toBe(1);
});

test('installing twice installs once', () => {
  const target = { compileFunction: original };
  const state = installCodeCache(target);
  const patched = target.compileFunction;
  expect(installCodeCache(target)).toBe(state);
  expect(target.compileFunction).toBe(patched);
});

test('property: for any value, the function from the cache returns what a fresh compile returns', () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    const { compile } = cached();
    const text = body(JSON.stringify(value) ?? 'undefined');
    const fresh = original(text)();
    compile(text);
    expect(compile(text)()).toEqual(fresh);
  }), { numRuns: 50 });
});
