// npm run build:dataplane: fetches what the data-plane tier runs (tools/dataplane.sh, with its progress on the
// terminal): the Kafka jars at the kafka.version of every environment the tier runs (those with a vaultPathPrefix,
// read from the synthesized Kafka resources of dist/, so run `npm run synth` first) and the pinned Python packages.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseAllDocuments } = require('yaml');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
if (!fs.existsSync(dist)) {
  console.error('build:dataplane: no dist/: run `npm run synth` first');
  process.exit(2);
}
const versions = new Set();
for (const env of fs.readdirSync(dist)) {
  const dir = path.join(dist, env);
  if (!fs.statSync(dir).isDirectory()) continue;
  const objects = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
  if (!objects.some((o) => o && o.kind === 'VaultSecret')) continue;
  for (const o of objects) if (o && o.kind === 'Kafka' && o.spec?.kafka?.version) versions.add(String(o.spec.kafka.version));
}
for (const args of [...[...versions].sort().map((v) => ['kafka', v]), ['python']]) {
  const run = spawnSync('bash', [path.join(root, 'tools', 'dataplane.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) {
    console.error(`build:dataplane: tools/dataplane.sh ${args.join(' ')} failed (exit ${run.status})`);
    process.exit(1);
  }
}
console.log(`build:dataplane: Kafka ${[...versions].join(', ')} and the Python packages are in the tools cache`);
