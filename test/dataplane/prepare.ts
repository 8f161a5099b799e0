// jest globalSetup of the data-plane tier: fetches, once, the Kafka jars at every USDF environment's kafka.version
// and the pinned Python packages (tools/dataplane.sh: Maven Central and PyPI, cached by a hash of the pins), with
// its progress on the terminal. A warm run only finds them. Needs Java 17, Maven, openssl and Python 3.11.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { environments } from '../../lib/environments';

const USDF = ['usdfdev-prompt-processing', 'usdfprod-prompt-processing'] as const;

export default function prepare(): void {
  const script = path.resolve(__dirname, '..', '..', 'tools', 'dataplane.sh');
  const missing = ['java', 'javac', 'mvn', 'openssl', 'python3'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) throw new Error(`npm run test:dataplane needs ${missing.join(', ')} on the PATH (Java 17 with javac, Maven, openssl, Python 3.11)`);
  const versions = [...new Set(USDF.map((name) => environments[name].kafka.version))];
  for (const args of [...versions.map((v) => ['kafka', v]), ['python']]) {
    const run = spawnSync('bash', [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`tools/dataplane.sh ${args.join(' ')} failed (exit ${run.status}): see its output above`);
  }
}
