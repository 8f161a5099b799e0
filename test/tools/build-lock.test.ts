/**
 * tools/build.sh: two builds of one tool at once do not race on the cache. The second waits for the first
 * (flock) and prints the first one's result. Real Go, on a tool of one small package (no module downloads).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '..', '..');

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script, 'hello'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('two builds of one tool at once: one builds, the other waits and prints the same folder', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'build-lock-'));
  try {
    // tools/build.sh as it is, beside a tool of our own.
    const tool = path.join(work, 'tools', 'hello');
    fs.mkdirSync(tool, { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'tools', 'build.sh'), path.join(work, 'tools', 'build.sh'));
    fs.writeFileSync(path.join(tool, 'go.mod'), 'module example.com/hello\n\ngo 1.24\n');
    fs.writeFileSync(path.join(tool, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n');
    fs.writeFileSync(path.join(tool, 'packages'), 'example.com/hello\n');
    const env = { ...process.env, ALERT_STREAM_TOOLS_CACHE: path.join(work, 'cache') };
    const script = path.join(work, 'tools', 'build.sh');
    const [a, b] = await Promise.all([run(script, env), run(script, env)]);
    expect([a.status, b.status]).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    const stderr = a.stderr + b.stderr;
    expect(stderr.match(/building hello/g)).toHaveLength(1);
    const folder = a.stdout.trim();
    expect(fs.readdirSync(folder).sort()).toEqual(['.complete', 'hello']);
    // Nothing half-built is left beside it.
    expect(fs.readdirSync(path.dirname(folder)).filter((f) => !f.endsWith('.lock'))).toEqual([path.basename(folder)]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
