// Jest transform for a CommonJS package that loads a Node module with `await import(...)`
// (wasmoon's WebAssembly loader): jest's module sandbox refuses dynamic import without
// --experimental-vm-modules, so esbuild rewrites it to a promised require().
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'node20',
      supported: { 'dynamic-import': false },
      sourcefile: filename,
      sourcemap: 'external',
    });
    return { code, map };
  },
};
