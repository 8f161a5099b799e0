import { environmentNames, environments } from '../../environments';
import { ClusterClient } from '../../lib/cluster-client';
import type { LocatedObject } from '../../lib/validate';
import { ApiServer, startApiServer } from './api-server';
import { applyAll, createNamespace, environmentObjects, installSharedCrds, knownWarningCount, problems } from './cluster-helpers';

/**
 * Every object of every environment, server-side applied to a real kube-apiserver with strict
 * field validation: first as a dry run, then for real in stage order, then once more (which must
 * change nothing). Any rejection or warning fails, printed as `file: Kind/name /field: message`,
 * except the few warnings of known-warnings.ts, each accepted for a stated reason.
 */
describe('every environment on a real API server', () => {
  let server: ApiServer;
  let client: ClusterClient;
  const tally = { objects: 0, environments: 0, rejected: 0, warnings: 0, known: 0 };

  beforeAll(async () => {
    server = await startApiServer();
    client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    await installSharedCrds(client);
  });
  afterAll(async () => {
    await server?.stop();
    if (tally.environments > 0) {
      process.stdout.write(`cluster: ${tally.objects} objects applied in ${tally.environments} environments, ${tally.rejected} rejected, ` +
        `${tally.warnings} warnings (${tally.known} more known and accepted: test/cluster/known-warnings.ts)\n`);
    }
  });

  describe.each(environmentNames)('%s', (name) => {
    let objects: LocatedObject[];
    beforeAll(async () => {
      objects = environmentObjects(environments[name], name);
      await createNamespace(client, name);
    });

    test('a dry run (dryRun=All, fieldValidation=Strict) of every object: no rejection, no warning', async () => {
      const applied = await applyAll(client, objects, true);
      expect(problems(name, applied)).toEqual([]);
      // A dry run stores nothing.
      expect(await client.read(objects[0].object)).toBeUndefined();
    });

    test('applied for real in stage order: every object accepted without a warning', async () => {
      const applied = await applyAll(client, objects, false);
      const found = problems(name, applied);
      tally.environments += 1;
      tally.objects += applied.filter(({ result }) => !result.rejection).length;
      tally.rejected += applied.filter(({ result }) => result.rejection).length;
      tally.known += knownWarningCount(applied);
      tally.warnings += applied.reduce((n, { result }) => n + result.warnings.length, 0) - knownWarningCount(applied);
      expect(found).toEqual([]);
      for (const { located } of applied) expect(await client.read(located.object)).toBeDefined();
    });

    test('applying the same output again changes nothing (resourceVersion unchanged)', async () => {
      const before = await Promise.all(objects.map(({ object }) => client.read(object)));
      const again = await applyAll(client, objects, false);
      expect(problems(name, again)).toEqual([]);
      const changed = again
        .filter(({ result }, i) => result.applied?.metadata?.resourceVersion !== before[i]?.metadata?.resourceVersion)
        .map(({ located }) => `${located.object.kind}/${located.object.metadata.name}`);
      expect(changed).toEqual([]);
    });
  });
});
