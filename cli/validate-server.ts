import * as path from 'node:path';
import type { Environment } from '../lib/environments';
import { ClusterClient, ClusterError, ClusterTarget } from '../lib/cluster-client';
import { dryRunObjects } from '../lib/server-validate';
import { parseManifests } from '../lib/validate';
import type { Io } from './command';
import { environmentFiles, formatFinding } from './validate';

/**
 * `validate --server`: a server-side apply dry run of every object of each environment against
 * the user's cluster. Exit code 0 accepted, 1 findings, 2 input or cluster unusable (one line).
 */
export async function runServerValidation(environments: readonly Environment[], options: ClusterTarget & { readonly dir?: string }, io: Io): Promise<number> {
  let client: ClusterClient;
  let version: string;
  try {
    client = await ClusterClient.connect(options);
    version = await client.version();
  } catch (error) {
    if (!(error instanceof ClusterError)) throw error;
    io.stderr(`validate: ${error.message}\n`);
    return 2;
  }
  io.stdout(`server: ${client.serverUrl} (context ${client.context}, Kubernetes ${version}): server-side dry run, nothing is changed\n`);

  let errors = 0;
  for (const env of environments) {
    let files;
    try {
      files = environmentFiles(options.dir, env, io);
    } catch (error) {
      io.stderr(`validate: ${(error as Error).message}\n`);
      return 2;
    }
    if (!Array.isArray(files)) {
      errors += files.problems;
      continue;
    }
    const { objects, findings } = parseManifests(files);
    try {
      const check = await dryRunObjects(client, objects, env.ingressControllerPods?.namespace);
      findings.push(...check.findings);
      for (const f of findings) io.stdout(`${formatFinding(f)}\n`);
      const envErrors = findings.filter((f) => f.severity === 'error').length;
      errors += envErrors;
      const where = options.dir ? path.join(options.dir, env.name) : 'synthesized in memory';
      io.stdout(`${env.name}: ${objects.length} objects (${where}), ${check.accepted} accepted by the API server, ` +
        `${envErrors} errors, ${findings.length - envErrors} warnings\n`);
    } catch (error) {
      if (!(error instanceof ClusterError)) throw error;
      io.stderr(`validate: ${error.message}\n`);
      return 2;
    }
  }
  return errors > 0 ? 1 : 0;
}
