import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClusterClient } from '../../lib/cluster-client';
import { ApiServer, startApiServer } from './api-server';

describe('the test API server', () => {
  let server: ApiServer | undefined;
  afterAll(() => server?.stop());

  test('starts on 127.0.0.1, answers with its kubeconfig, and stop() removes the process and its folder', async () => {
    server = await startApiServer();
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    expect(await client.version()).toMatch(/^v1\.34\.\d+$/);

    const folder = path.dirname(server.kubeconfigPath);
    await server.stop();
    expect(fs.existsSync(folder)).toBe(false);
    await expect(client.version()).rejects.toThrow(/cannot reach the cluster of context 'admin' at https:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    await server.stop();
  });
});
