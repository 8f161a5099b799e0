// Bundles main.ts into build/main.js: one file to load, imports tree-shaken, no TypeScript at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['main.ts'],
  outfile: 'build/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
