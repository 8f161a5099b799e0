import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root (this file is in lib/; the bundled build/ sits beside it too). */
const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * The path of a real helm 3 binary: `$HELM` when set (it must exist), else the
 * one `tools/build.sh helm` builds from the pins in tools/helm/ (helm.sh/helm/v3
 * v3.17.4, via the Go module proxy; cached under ~/.cache/alert-stream-deploy/tools,
 * so only the first call builds). Needs Go when `$HELM` is not set.
 * Throws one line saying what is missing.
 */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HELM) {
    if (!fs.existsSync(env.HELM)) throw new Error(`HELM is set to ${env.HELM}, which does not exist; unset it to build helm with tools/build.sh helm`);
    return env.HELM;
  }
  let folder: string;
  try {
    folder = execFileSync('bash', [path.join(PROJECT_ROOT, 'tools', 'build.sh'), 'helm'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    throw new Error(`could not build helm with tools/build.sh helm (needs Go and the Go module proxy), or set HELM to a helm 3 binary: ${(error as Error).message.split('\n')[0]}`);
  }
  return path.join(folder, 'helm');
}
