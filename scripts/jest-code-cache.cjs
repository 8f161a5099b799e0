// A V8 code cache for the modules jest compiles (docs/speed.md, npm test).
//
// Jest gives every test file its own module registry and compiles every module afresh for it with
// vm.compileFunction: cdk8s, cdk8s-plus' Kubernetes classes, the generated CRD imports and typescript were
// compiled 70 times each in one run of the suite, a fifth of its CPU. Here the first compile of a text in a
// process also produces V8's code cache for it, and a later compile of exactly that text (and those parameter
// names, under that file name) hands V8 the cache instead of parsing again. V8 checks the cache against the source and its own
// version and flags, and refuses one that does not match (cachedDataRejected): that compile is done afresh.
// In memory, per process: nothing is written anywhere.
const { createHash } = require('node:crypto');

/** Texts shorter than this are compiled as before: parsing them costs less than hashing and looking up. */
const MIN_LENGTH = 4096;

/**
 * Replaces `target.compileFunction` (node:vm's, in jest's workers) by one that goes through a code cache.
 * Returns the counts, and the cache (key → V8 code cache), for tests. Installing twice installs once.
 */
function installCodeCache(target, cache = new Map()) {
  if (target.compileFunction.codeCache) return target.compileFunction.codeCache;
  const compile = target.compileFunction;
  const state = { hits: 0, misses: 0, rejected: 0, cache };
  function compileFunction(code, params, options) {
    if (typeof code !== 'string' || code.length < MIN_LENGTH || options?.cachedData !== undefined || options?.produceCachedData) {
      return compile.apply(this, arguments);
    }
    // The file name is part of the key: a function V8 builds from a cache names the file of the compile that
    // made the cache in its stack traces.
    const key = createHash('sha256').update(JSON.stringify([options?.filename ?? '', params ?? []])).update('\0').update(code).digest('hex');
    const cachedData = cache.get(key);
    if (cachedData !== undefined) {
      const fn = compile.call(this, code, params, { ...options, cachedData });
      if (!fn.cachedDataRejected) {
        state.hits += 1;
        return fn;
      }
      state.rejected += 1;
      cache.delete(key);
    }
    state.misses += 1;
    const fn = compile.call(this, code, params, { ...options, produceCachedData: true });
    if (fn.cachedDataProduced && fn.cachedData) cache.set(key, fn.cachedData);
    return fn;
  }
  compileFunction.codeCache = state;
  compileFunction.original = compile;
  target.compileFunction = compileFunction;
  return state;
}

module.exports = { installCodeCache, MIN_LENGTH };
