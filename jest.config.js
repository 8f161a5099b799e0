const fs = require('node:fs');

// The tests' scratch folders (os.tmpdir(): Phalanx checkouts, project copies, earlier outputs) on the machine's RAM
// disk when it has one and TMPDIR is not set: on these machines a copy of the sasquatch chart costs 5x the CPU on
// the disk (kernel time), and the suite makes hundreds. Set here, before jest starts its workers, which inherit it.
if (!process.env.TMPDIR) {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    if (fs.statSync('/dev/shm').isDirectory()) process.env.TMPDIR = '/dev/shm';
  } catch {
    // No RAM disk: the default temporary folder.
  }
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/tools and test/cluster need Go-built tools (helm, an API server): npm run test:tools and test:cluster.
  // test/end-to-end runs the commands as a user does, on a built copy of the project (full builds: most of
  // the suite's CPU); npm run test:tools runs it, in CI too.
  // test/dataplane needs Java, Maven and Python (real Kafka): npm run test:dataplane.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/tools/', '<rootDir>/test/cluster/', '<rootDir>/test/end-to-end/', '<rootDir>/test/dataplane/'],
  transform: {
    '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild-transform.js',
    // The Lua VM the Argo CD health checks are tested in (test/argocd-health.test.ts) loads its
    // WebAssembly with `await import()`, which jest refuses without its ES-module mode: the same
    // transform turns it into require().
    '/node_modules/wasmoon/dist/index\\.js$': '<rootDir>/scripts/jest-esbuild-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!wasmoon/dist/)'],
  // Pulumi keeps runtime state on globals; jest 30 would soft-delete them between files.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // Jest defaults to one worker fewer than the cores: on these 2-core machines that is one worker.
  maxWorkers: '100%',
};
