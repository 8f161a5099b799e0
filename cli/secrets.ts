import { parseArgs } from 'node:util';
import { EnvironmentError } from '../constructs/rules';
import { Environment, environments as knownEnvironments } from '../environments';
import { vaultRequirements } from '../lib/secrets';
import type { Io } from './synth';

const usage = (names: readonly string[]) => `Usage: npm run secrets -- --env <name> [--json]

Lists every key the environment needs in Vault and the objects that read it.

Environments: ${names.join(', ')}`;

/** Runs `secrets`; returns the exit code (0 ok, 1 environment problems, 2 usage). */
export function runSecrets(argv: readonly string[], io: Io): number {
  const registry: Readonly<Record<string, Environment>> = io.environments ?? knownEnvironments;
  const names = Object.keys(registry);
  let args;
  try {
    args = parseArgs({ args: [...argv], options: { env: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    io.stderr(`secrets: ${(error as Error).message}\n\n${usage(names)}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${usage(names)}\n`);
    return 0;
  }
  if (!args.env) {
    io.stderr(`secrets: --env is required\n\n${usage(names)}\n`);
    return 2;
  }
  if (!Object.prototype.hasOwnProperty.call(registry, args.env)) {
    io.stderr(`secrets: unknown environment '${args.env}'; known environments: ${names.join(', ')}\n`);
    return 2;
  }
  let requirements;
  try {
    requirements = vaultRequirements(registry[args.env]);
  } catch (error) {
    io.stderr(`secrets: ${error instanceof EnvironmentError ? error.message : (error as Error).message}\n`);
    return 1;
  }
  if (args.json) {
    io.stdout(`${JSON.stringify(requirements, null, 2)}\n`);
    return 0;
  }
  for (const r of requirements) {
    const width = Math.max(...r.keys.map((k) => k.key.length), 3);
    if (r.vaultPath) {
      io.stdout(`${r.env}: ${r.keys.length} keys in Vault at ${r.vaultPath}\n`);
      io.stdout(`(VaultSecret ${r.secretName} writes them to Secret ${r.secretName})\n\n`);
    } else {
      io.stdout(`${r.env}: ${r.keys.length} keys in Secret ${r.secretName}, created by hand (no Vault in this environment):\n`);
      io.stdout(`  kubectl create secret generic ${r.secretName} --namespace ${r.namespace} ${r.keys.map((k) => `--from-literal=${k.key}=...`).join(' ')}\n\n`);
    }
    io.stdout(`  ${'KEY'.padEnd(width)}  READ BY\n`);
    for (const k of r.keys) io.stdout(`  ${k.key.padEnd(width)}  ${k.readBy.join(', ')}\n`);
  }
  return 0;
}
