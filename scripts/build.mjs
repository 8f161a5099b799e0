// Bundles the programs into build/: one file each to load, imports tree-shaken, no TypeScript at run time.
//   main.ts    -> build/main.js  (synth: npm run synth, cdk8s synth)
//   cli/run.ts -> build/cli.js   (the other tools: npm run secrets, ...)
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'main.ts', cli: 'cli/run.ts' },
  outdir: 'build',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: 'linked',
  // The docs command transpiles environment files with the TypeScript compiler, a dev dependency.
  external: ['typescript'],
  logLevel: 'warning',
});
