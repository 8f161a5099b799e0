/**
 * A stand-in for the schema registry's Confluent REST API, only the calls the schema-sync Job makes
 * (lsst-alert-packet's syncAllSchemasToRegistry, and the Job's wait and check scripts): GET /config, GET /mode,
 * PUT /mode/<subject>, GET /subjects, DELETE /subjects/<subject>, POST /subjects/<subject>/versions (IMPORT mode
 * keeps the id and version it is given; otherwise a schema already known keeps its id), GET /schemas/ids/<id>,
 * GET /subjects/<subject>/versions and GET /subjects/<subject>/versions/latest. Answers as Confluent's registry
 * documents them (404 with error_code 40401 for an unknown subject, 40403 for an unknown schema id).
 *
 * Why a stand-in: a real Confluent-API registry was not built for this tier yet. Confluent's own registry is not on
 * Maven Central; Apicurio Registry (whose ccompat API speaks Confluent's) is published there as a Quarkus
 * application, and making a runnable server of it from Maven alone was not attempted. The stand-in is never the
 * thing under test: the Job's own commands and lsst-alert-packet's own entry point are, and what they stored is
 * read back through the same API.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Stored { id: number; version: number; schema: string; metadata?: unknown }

export interface RegistryStandIn {
  readonly url: string;
  /** Every request, `METHOD path`, in order. */
  readonly calls: string[];
  readonly subjects: Map<string, Stored[]>;
  readonly modes: Map<string, string>;
  stop(): Promise<void>;
}

export async function startRegistryStandIn(): Promise<RegistryStandIn> {
  const subjects = new Map<string, Stored[]>();
  const modes = new Map<string, string>();
  const ids = new Map<number, string>();
  const calls: string[] = [];
  let nextId = 1;

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      calls.push(`${req.method} ${url.pathname}`);
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify(value));
      };
      const notFound = (code: number, message: string) => send(404, { error_code: code, message });
      const key = `${req.method} ${parts[0] ?? ''}`;
      if (key === 'GET config' && parts.length === 1) return send(200, { compatibilityLevel: 'BACKWARD' });
      if (key === 'GET mode' && parts.length === 1) return send(200, { mode: 'READWRITE' });
      if (key === 'PUT mode' && parts.length === 2) {
        const { mode } = JSON.parse(body);
        modes.set(parts[1], mode);
        return send(200, { mode });
      }
      if (key === 'GET subjects' && parts.length === 1) return send(200, [...subjects.keys()]);
      if (key === 'DELETE subjects' && parts.length === 2) {
        const versions = subjects.get(parts[1]);
        if (!versions) return notFound(40401, `Subject '${parts[1]}' not found.`);
        if (url.searchParams.get('permanent') === 'true') subjects.delete(parts[1]);
        return send(200, versions.map((v) => v.version));
      }
      if (key === 'POST subjects' && parts.length === 3 && parts[2] === 'versions') {
        const request = JSON.parse(body) as { schema: string; id?: number; version?: number; metadata?: unknown };
        const versions = subjects.get(parts[1]) ?? [];
        const imported = modes.get(parts[1]) === 'IMPORT';
        const known = [...ids].find(([, schema]) => schema === request.schema)?.[0];
        const id = imported && request.id !== undefined ? request.id : known ?? nextId++;
        if (imported && request.id === undefined) return send(422, { error_code: 42205, message: 'IMPORT mode needs an id' });
        ids.set(id, request.schema);
        const existing = versions.find((v) => v.schema === request.schema);
        if (!existing) versions.push({ id, version: request.version ?? versions.length + 1, schema: request.schema, metadata: request.metadata });
        subjects.set(parts[1], versions);
        return send(200, { id });
      }
      if (key === 'GET schemas' && parts[1] === 'ids' && parts.length === 3) {
        const schema = ids.get(Number(parts[2]));
        return schema === undefined ? notFound(40403, 'Schema not found') : send(200, { schema });
      }
      if (key === 'GET subjects' && parts[2] === 'versions') {
        const versions = subjects.get(parts[1]);
        if (!versions) return notFound(40401, `Subject '${parts[1]}' not found.`);
        if (parts.length === 3) return send(200, versions.map((v) => v.version));
        if (parts.length === 4 && parts[3] === 'latest') {
          const v = versions[versions.length - 1];
          return send(200, { subject: parts[1], id: v.id, version: v.version, schema: v.schema, metadata: v.metadata });
        }
      }
      return send(404, { error_code: 404, message: `the stand-in does not serve ${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    subjects,
    modes,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
