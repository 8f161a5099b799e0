// jest globalSetup of the cluster tier: builds (or finds in the cache) the test API server
// before the tests start, so the first, slow build counts against no test's timeout.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  execFileSync('bash', [path.join(__dirname, '..', '..', 'tools', 'build.sh'), 'kube-apiserver'], { stdio: ['ignore', 'ignore', 'inherit'] });
};
