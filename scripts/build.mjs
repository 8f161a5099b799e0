// Bundles the programs into build/: one file each to load, imports tree-shaken, no TypeScript at run time.
//   main.ts    -> build/main.js  (synth: npm run synth, cdk8s synth)
//   cli/run.ts -> build/cli.js   (the other tools: npm run secrets, validate, plan, docs, diagram)
// Each build/<name>.js is a small loader that runs build/<name>.bundle.js with V8's code cache.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const entries = { main: 'main.ts', cli: 'cli/run.ts' };
const inputsFile = 'build/inputs.json';

/** The bundles are newer than every file they were built from (and than this script): nothing to do. */
function upToDate() {
  if (process.argv.includes('--force') || !existsSync(inputsFile)) return false;
  const outputs = Object.keys(entries).flatMap((name) => [`build/${name}.js`, `build/${name}.bundle.js`]);
  if (!outputs.every(existsSync)) return false;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const inputs = [...JSON.parse(readFileSync(inputsFile, 'utf8')), 'scripts/build.mjs', 'scripts/code-cache-loader.cjs', 'package-lock.json'];
  return inputs.every((f) => existsSync(f) && statSync(f).mtimeMs <= built);
}

if (upToDate()) process.exit(0);

/**
 * cdk8s carries its own copy of `yaml`; when it is the very version the project uses,
 * bundle one copy instead of two (less to parse at every start).
 */
const oneYaml = {
  name: 'one-yaml',
  setup(b) {
    const ours = require.resolve('yaml');
    const version = (p) => JSON.parse(readFileSync(p, 'utf8')).version;
    b.onResolve({ filter: /^yaml$/ }, (args) => {
      const theirs = require.resolve('yaml/package.json', { paths: [args.resolveDir] });
      return version(theirs) === version(require.resolve('yaml/package.json')) ? { path: ours } : undefined;
    });
  },
};

const result = await build({
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [`${name}.bundle`, file])),
  outdir: 'build',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: process.env.BUILD_MINIFY !== '0',
  sourcemap: 'linked',
  plugins: [oneYaml],
  // The docs command transpiles environment files with the TypeScript compiler, a dev dependency.
  // `validate --server` imports the Kubernetes client (an ES module, large) at run time, only then.
  external: ['typescript', '@kubernetes/client-node'],
  metafile: true,
  logLevel: 'warning',
});

const loader = readFileSync(new URL('./code-cache-loader.cjs', import.meta.url), 'utf8');
for (const name of Object.keys(entries)) {
  writeFileSync(`build/${name}.js`, loader.replace('BUNDLE_NAME', JSON.stringify(`${name}.bundle.js`)));
}
writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs).sort()));
