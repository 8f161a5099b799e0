import { printable } from './printable';
import type { VaultRequirements } from './secrets';

/** The calls of a Vault client (node-vault) the check makes: KV v2 list, read-metadata and read. */
export interface KvClient {
  list(path: string): Promise<any>;
  read(path: string): Promise<any>;
}

/** What Vault holds for one environment's secret: key names only. */
export interface VaultKeyCheck {
  readonly env: string;
  readonly vaultPath: string;
  /** Needed keys that are not in Vault, with the objects that read them. */
  readonly missing: ReadonlyArray<{ readonly key: string; readonly readBy: readonly string[] }>;
  /** Keys in Vault that no object reads (left over, or read by something outside this project). */
  readonly unread: readonly string[];
  /** Why nothing could be read at all, e.g. the secret does not exist; then every key is missing. */
  readonly absent?: string;
}

/** The check could not run (Vault refused, or answered what the API does not promise): one line for the user. */
export class VaultCheckError extends Error {}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The answer's `data` member, when the answer is what KV v2 promises (a JSON object with an object `data`). */
function kvData(answer: unknown, what: string, apiPath: string): Record<string, any> {
  if (!isObject(answer) || !isObject(answer.data)) {
    const got = typeof answer === 'string' ? `text (${printable(answer, 60)})` : isObject(answer) ? 'JSON without a data object' : JSON.stringify(answer) ?? typeof answer;
    throw new VaultCheckError(`could not check: Vault's answer to ${what} ${apiPath} is not a KV v2 answer (got ${got}); is VAULT_ADDR the Vault API, and the mount a KV v2 engine?`);
  }
  return answer.data;
}

const statusOf = (error: unknown): number | undefined => (error as { response?: { statusCode?: number } }).response?.statusCode;

/** `secret/rubin/x/sasquatch` -> mount `secret`, path `rubin/x/sasquatch` (a KV v2 engine mounted at the first segment). */
export function splitKvPath(vaultPath: string): { mount: string; path: string } {
  const [mount, ...rest] = vaultPath.split('/').filter(Boolean);
  if (!mount || rest.length === 0) throw new VaultCheckError(`Vault path '${vaultPath}' has no secret under its mount (expected <mount>/<path>)`);
  return { mount, path: rest.join('/') };
}

/**
 * Compares the keys an environment needs with those its Vault secret holds.
 * The secret's metadata says whether it exists and its current version is
 * live; reading it is the only way KV v2 gives the key names, so the values
 * are dropped at once and only the names leave this function.
 */
export async function checkVaultKeys(requirement: VaultRequirements, client: KvClient): Promise<VaultKeyCheck> {
  if (!requirement.vaultPath) throw new VaultCheckError(`${requirement.env} has no Vault: Secret ${requirement.secretName} is created by hand, so there is nothing to check`);
  const { mount, path } = splitKvPath(requirement.vaultPath);
  const call = async <T>(what: string, apiPath: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return undefined;
      if (status === undefined) throw error; // no answer at all: the caller says Vault cannot be reached
      const why = status === 403 ? 'permission denied (403): check the token and its policy' : `HTTP ${status}: ${printable((error as Error).message, 120)}`;
      throw new VaultCheckError(`Vault refused to ${what} ${apiPath}: ${why}`);
    }
  };
  const result = (absent: string | undefined, present: readonly string[]): VaultKeyCheck => {
    const have = new Set(present);
    const needed = new Set(requirement.keys.map((k) => k.key));
    return {
      env: requirement.env,
      vaultPath: requirement.vaultPath!,
      missing: requirement.keys.filter((k) => !have.has(k.key)),
      unread: [...have].filter((k) => !needed.has(k)).sort(),
      absent,
    };
  };

  const metadataPath = `${mount}/metadata/${path}`;
  const metadata = await call('read the metadata of', metadataPath, () => client.read(metadataPath));
  if (!metadata) {
    const parent = path.split('/').slice(0, -1).join('/');
    const listPath = `${mount}/metadata/${parent}`;
    const listing = await call('list', listPath, () => client.list(listPath));
    const keys = listing === undefined ? [] : kvData(listing, 'list', listPath).keys ?? [];
    const siblings: string[] = Array.isArray(keys) ? keys.map((k) => printable(k, 100)) : [];
    return result(`no secret at ${requirement.vaultPath}${siblings.length > 0 ? ` (${mount}/${parent} holds: ${siblings.join(', ')})` : ''}`, []);
  }
  const meta = kvData(metadata, 'read the metadata of', metadataPath);
  const current = meta.current_version;
  const version = meta.versions?.[String(current)];
  if (version && (version.destroyed || (version.deletion_time && version.deletion_time !== ''))) {
    return result(`the current version (${current}) of ${requirement.vaultPath} is ${version.destroyed ? 'destroyed' : 'deleted'}`, []);
  }
  const dataPath = `${mount}/data/${path}`;
  const secret = await call('read', dataPath, () => client.read(dataPath));
  if (secret === undefined) return result(`no current version of ${requirement.vaultPath} could be read (404)`, []);
  const data = kvData(secret, 'read', dataPath).data;
  if (!isObject(data)) throw new VaultCheckError(`could not check: Vault's answer to read ${dataPath} has no data.data object (is the mount a KV v2 engine?)`);
  const names = Object.keys(data).map((k) => printable(k, 100));
  return result(undefined, names);
}
