/**
 * A stand-in for a Vault server (test code: no Vault runs here), speaking the
 * part of the KV version 2 HTTP API that `secrets --check` uses, on 127.0.0.1:
 * LIST and GET of `/v1/<mount>/metadata/<path>` and GET of `/v1/<mount>/data/<path>`,
 * with `X-Vault-Token` checked and Vault's error bodies (`{"errors": [...]}`).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInSecret {
  readonly data: Record<string, string>;
  /** Marks the current version deleted (soft delete). */
  readonly deleted?: boolean;
}

export interface VaultKv2StandIn {
  readonly address: string;
  /** Every request, as `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the stand-in with one KV v2 mount and its secrets (`path -> secret`), on an ephemeral port. */
export async function startVaultKv2StandIn(mount: string, secrets: Record<string, StandInSecret>, token: string): Promise<VaultKv2StandIn> {
  const requests: string[] = [];
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const list = req.method === 'LIST' || (req.method === 'GET' && url.searchParams.has('list'));
    requests.push(`${list ? 'LIST' : req.method} ${url.pathname}`);
    if (req.headers['x-vault-token'] !== token) return send(res, 403, { errors: ['permission denied'] });
    const match = new RegExp(`^/v1/${mount}/(metadata|data)/(.*?)/?$`).exec(url.pathname);
    if (!match) return send(res, 404, { errors: [] });
    const [, kind, path] = match;
    if (list && kind === 'metadata') {
      const prefix = path ? `${path}/` : '';
      const keys = [...new Set(Object.keys(secrets).filter((p) => p.startsWith(prefix))
        .map((p) => p.slice(prefix.length)).map((rest) => (rest.includes('/') ? `${rest.split('/')[0]}/` : rest)))].sort();
      return keys.length > 0 ? send(res, 200, { data: { keys } }) : send(res, 404, { errors: [] });
    }
    const secret = secrets[path];
    if (!secret || req.method !== 'GET') return send(res, 404, { errors: [] });
    const version = { created_time: '2026-01-01T00:00:00Z', deletion_time: secret.deleted ? '2026-02-01T00:00:00Z' : '', destroyed: false };
    if (kind === 'metadata') {
      return send(res, 200, { data: { current_version: 1, oldest_version: 1, versions: { 1: version }, custom_metadata: null } });
    }
    if (secret.deleted) return send(res, 404, { errors: [], data: { data: null, metadata: { ...version, version: 1 } } });
    return send(res, 200, { data: { data: secret.data, metadata: { ...version, version: 1 } } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
