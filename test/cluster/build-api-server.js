// jest globalSetup of the cluster tier: builds (or finds in the cache) the test API server
// before the tests start, so the first, slow build counts against no test's timeout.
const { execFileSync, spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error('npm run test:cluster needs Go >= 1.24 on the PATH: tools/build.sh builds kube-apiserver from its Go modules');
  }
  for (const tool of ['kube-apiserver', 'sync-engine']) {
    execFileSync('bash', [path.join(__dirname, '..', '..', 'tools', 'build.sh'), tool], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
};
