// jest globalSetup of the cluster tier: stops at once, naming the command that builds them, when the Go
// tools it runs are not built. It builds nothing: a cold build takes minutes and belongs in its own
// step before the tests (`npm run build:tools`, or .ci/run's steps), with its progress on the terminal.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const TOOLS = ['kube-apiserver', 'sync-engine', 'pulumi', 'pulumi-kubernetes'];

module.exports = () => {
  const missing = TOOLS.filter((tool) => spawnSync('bash', [path.join(__dirname, '..', '..', 'tools', 'build.sh'), '--cached', tool], { stdio: 'ignore', env: process.env }).status !== 0);
  if (missing.length > 0) {
    throw new Error(`npm run test:cluster needs ${missing.join(', ')} built first: run \`npm run build:tools\` (or \`bash tools/build.sh <name>\` for each; Go >= 1.24 and the Go module proxy), then the tests again`);
  }
};
