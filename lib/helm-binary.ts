import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root (this file is in lib/; the bundled build/ sits beside it too). */
const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * The folder of the built Go programs of tools/<name>/, as `tools/build.sh --cached <name>` finds it. It
 * never builds: a build takes minutes, so it is a step of its own before the tests (`npm run build:tools`,
 * and .ci/run's steps). Throws one line naming the command that builds it.
 */
export function toolFolder(name: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync('bash', [path.join(PROJECT_ROOT, 'tools', 'build.sh'), '--cached', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env }).trim();
  } catch {
    throw new Error(`${name} is not built: run \`bash tools/build.sh ${name}\` (or \`npm run build:tools\` for every tool) first; it needs Go and the Go module proxy`);
  }
}

/**
 * The path of a Go program of tools/<name>/: `$<variable>` when set (it must exist), else the one
 * `tools/build.sh <name>` built from the pins. Throws one line saying what is missing.
 */
export function builtTool(name: string, variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env[variable];
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`${variable} is set to ${given}, which does not exist; unset it to build ${name} with tools/build.sh ${name}`);
    return given;
  }
  try {
    return path.join(toolFolder(name, env), name);
  } catch (error) {
    throw new Error(`${(error as Error).message}, or set ${variable}`, { cause: error });
  }
}

/** A real helm 3: `$HELM`, else helm.sh/helm/v3 v3.17.4 built from tools/helm/. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  return builtTool('helm', 'HELM', env);
}

/** helm-docs, which writes Phalanx's chart READMEs: `$HELM_DOCS`, else v1.14.2 built from tools/helm-docs/. */
export function helmDocsBinary(env: NodeJS.ProcessEnv = process.env): string {
  return builtTool('helm-docs', 'HELM_DOCS', env);
}
