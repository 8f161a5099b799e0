// The ingester's probes run BROKER_CONNECTION_CHECK with the image's Python (3.11, as on these machines). Here it runs
// with this machine's python3 against a real TCP connection, the way the kubelet runs it in the pod.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects } from '../helpers';

const INGESTER = 'alert-database-ingester-1.0.0';
const withIngester = Object.values(environments).filter((env) => env.alertDatabase);

function ingesterContainer(env: (typeof withIngester)[number]) {
  const deployment = (allObjects(synthesizeEnvironment(env)) as any[]).find((o) => o.kind === 'Deployment' && o.metadata.name === INGESTER);
  return deployment.spec.template.spec.containers[0];
}

/** Runs the probe's command (python → python3) with `port` instead of the manifest's port (and other states); its exit code. */
function runCheck(command: string[], port: number, states = command[4]): number | null {
  const [, flag, script] = command;
  const run = spawnSync('python3', [flag, script, String(port), states], { timeout: 10_000 });
  if (run.error) throw run.error;
  return run.status;
}

/** Whether any connection of this machine has `port` as its remote port (the column the check reads). */
function inUseAsRemotePort(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) => {
    try {
      return fs.readFileSync(table, 'utf8').split('\n').slice(1).some((row) => row.trim().split(/\s+/)[2]?.endsWith(hex));
    } catch {
      return false;
    }
  });
}

/**
 * A server on a port no other connection of this machine talks to. In a pod the check sees only the pod's own
 * connections; here it sees the whole machine's, and another test's client may have this port as its own
 * (ephemeral) one, which its server's connection then shows as the remote port.
 */
async function listen(): Promise<net.Server> {
  for (;;) {
    const server = await new Promise<net.Server>((resolve) => {
      const s = net.createServer((socket) => socket.on('error', () => undefined));
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    if (!inUseAsRemotePort(portOf(server))) return server;
    await new Promise((resolve) => server.close(resolve));
  }
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const connect = (port: number) => new Promise<net.Socket>((resolve) => { const s = net.connect(port, '127.0.0.1', () => resolve(s)); });
const closed = (socket: net.Socket) => new Promise<void>((resolve) => { socket.once('close', () => resolve()); socket.destroy(); });

describe('the ingester probes on its broker connection', () => {
  test('every environment with an ingester probes the TLS listener port it consumes from, with python from the image', () => {
    expect(withIngester.length).toBeGreaterThan(0);
    for (const env of withIngester) {
      const container = ingesterContainer(env);
      const kafkaHost = container.args.find((a: string) => a.startsWith('--kafka-host=')) as string;
      const port = kafkaHost.slice(kafkaHost.lastIndexOf(':') + 1);
      const commands = Object.fromEntries(['startupProbe', 'readinessProbe', 'livenessProbe']
        .map((probe) => [probe, container[probe].exec.command.filter((_: string, i: number) => i !== 2)]));
      // Started and ready: connected (ESTABLISHED); alive: connected or connecting (SYN_SENT).
      expect({ env: env.name, commands }).toEqual({ env: env.name, commands: {
        startupProbe: ['python', '-c', port, '01'], readinessProbe: ['python', '-c', port, '01'], livenessProbe: ['python', '-c', port, '01,02'],
      } });
    }
  });

  test('liveness is the most patient: it restarts only after ten minutes without a broker, readiness drops after one', () => {
    const container = ingesterContainer(withIngester[0]);
    const patience = (probe: any) => probe.periodSeconds * probe.failureThreshold;
    expect(patience(container.readinessProbe)).toBe(60);
    expect(patience(container.livenessProbe)).toBe(600);
    expect(patience(container.startupProbe)).toBe(300);
  });

  test('the check passes while a connection to the port is established and fails before and after', async () => {
    const command = ingesterContainer(withIngester[0]).startupProbe.exec.command as string[];
    const server = await listen();
    const port = portOf(server);
    try {
      // Only listening (state 0A), nothing connected.
      expect(runCheck(command, port)).toBe(1);
      const client = await connect(port);
      try {
        expect(runCheck(command, port)).toBe(0);
        expect(runCheck(command, port, '01,02')).toBe(0);
        // Only the states asked for count: this connection is not connecting (SYN_SENT) any more.
        expect(runCheck(command, port, '02')).toBe(1);
      } finally {
        await closed(client);
      }
      // Closed: TIME_WAIT or gone, not ESTABLISHED.
      expect(runCheck(command, port)).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
