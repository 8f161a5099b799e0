// jest globalSetup of the data-plane tier: finds (never fetches) the Kafka jars at the kafka.version of every
// environment the tier runs and the pinned Python packages; `npm run build:dataplane` fetches them first
// (scripts/dataplane-tools.cjs, tools/dataplane.sh: Maven Central and PyPI, cached by a hash of the pins, with
// progress on the terminal). Needs Java 17, Maven, openssl and Python 3.11.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { environments } from '../../lib/environments';
import { DATAPLANE_ENVIRONMENTS } from './environments';


export default function prepare(): void {
  const script = path.resolve(__dirname, '..', '..', 'tools', 'dataplane.sh');
  const missing = ['java', 'javac', 'mvn', 'openssl', 'python3'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) throw new Error(`npm run test:dataplane needs ${missing.join(', ')} on the PATH (Java 17 with javac, Maven, openssl, Python 3.11)`);
  const versions = [...new Set(DATAPLANE_ENVIRONMENTS.map((name) => environments[name].kafka.version))];
  for (const args of [...versions.map((v) => ['kafka', v]), ['python']]) {
    const run = spawnSync('bash', [script, '--cached', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (run.status !== 0) throw new Error(`the data-plane tier's ${args.join(' ')} is not fetched: run \`npm run build:dataplane\` first (Maven Central and PyPI; cached afterwards)`);
  }
}
