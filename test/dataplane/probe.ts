/**
 * test/dataplane/probe/DataPlaneProbe.java, compiled once per run against the fetched kafka-clients and run with
 * one JSON request per call (see that file for the requests).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { javaClasspath } from './kafka-cluster';

export interface Probe {
  run<T>(request: Record<string, unknown>): Promise<T>;
  validateConfig(file: string): { valid: boolean; error?: string };
  dispose(): void;
}

export function compileProbe(kafkaHome: string): Probe {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-probe-'));
  const source = path.join(__dirname, 'probe', 'DataPlaneProbe.java');
  const javac = spawnSync('javac', ['-nowarn', '-d', dir, '-cp', javaClasspath(kafkaHome), source], { encoding: 'utf8' });
  if (javac.status !== 0) throw new Error(`javac ${source}:\n${javac.stderr}`);
  const classpath = javaClasspath(kafkaHome, dir);
  let n = 0;
  const java = (args: string[]) => ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Dorg.slf4j.simpleLogger.defaultLogLevel=error', '-cp', classpath, 'DataPlaneProbe', ...args];
  return {
    run<T>(request: Record<string, unknown>): Promise<T> {
      const file = path.join(dir, `request-${n++}.json`);
      fs.writeFileSync(file, JSON.stringify(request));
      return new Promise((resolve, reject) => {
        const child = spawn('java', java([file]), { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { err += d; });
        child.on('error', reject);
        child.on('exit', (code) => {
          const last = out.trim().split('\n').pop() ?? '';
          if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as T);
          else reject(new Error(`DataPlaneProbe ${request.action} exited ${code}:\n${err.split('\n').filter((l) => !/ INFO /.test(l)).slice(-30).join('\n')}`));
        });
      });
    },
    validateConfig(file: string) {
      const run = spawnSync('java', java(['validate-config', file]), { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`DataPlaneProbe validate-config exited ${run.status}:\n${run.stderr}`);
      return JSON.parse(run.stdout.trim().split('\n').pop()!);
    },
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
