import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root (this file is in lib/; the bundled build/ sits beside it too). */
const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * The path of a Go program of tools/<name>/: `$<variable>` when set (it must
 * exist), else the one `tools/build.sh <name>` builds from the pins (via the Go
 * module proxy; cached under ~/.cache/alert-stream-deploy/tools, so only the
 * first call builds). Needs Go when the variable is not set. Throws one line
 * saying what is missing.
 */
export function builtTool(name: string, variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env[variable];
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`${variable} is set to ${given}, which does not exist; unset it to build ${name} with tools/build.sh ${name}`);
    return given;
  }
  let folder: string;
  try {
    folder = execFileSync('bash', [path.join(PROJECT_ROOT, 'tools', 'build.sh'), name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    throw new Error(`could not build ${name} with tools/build.sh ${name} (needs Go and the Go module proxy), or set ${variable}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  return path.join(folder, name);
}

/** A real helm 3: `$HELM`, else helm.sh/helm/v3 v3.17.4 built from tools/helm/. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  return builtTool('helm', 'HELM', env);
}

/** helm-docs, which writes Phalanx's chart READMEs: `$HELM_DOCS`, else v1.14.2 built from tools/helm-docs/. */
export function helmDocsBinary(env: NodeJS.ProcessEnv = process.env): string {
  return builtTool('helm-docs', 'HELM_DOCS', env);
}
