import { checkStaticIps } from '../../constructs/rules';
import { environments, PinnedBroker } from '../../lib/environments';
import { loadBalancer, withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];
const listener = loadBalancer(prod);
const withBrokers = (brokers: PinnedBroker[]) =>
  withChanges(prod, { externalListener: { ...listener, brokers } });
const brokers = () => listener.brokers.map((b) => ({ ...b }));

describe('static IPs: every broker MUST point to a pinned IP and host', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkStaticIps(env)).toEqual([]);
  });

  test('fails when a broker of the broker pool has no pinned IP and host', () => {
    expect(checkStaticIps(withBrokers(brokers().filter((b) => b.nodeId !== 6)))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers',
      message: "broker 6 has no pinned load-balancer IP and host; add { nodeId: 6, host: '<DNS name>', ip: '<static IPv4>' } " +
        '(the brokers MUST have static IPs, or a restart hands out a new address and DNS and TLS break)',
    }]);
  });

  test('fails when a broker is added to the pool without an address', () => {
    const env = withChanges(prod, { brokers: { nodeIds: [5, 6, 7, 8, 9, 10] } });
    expect(checkStaticIps(env)).toEqual([expect.objectContaining({ field: 'externalListener.brokers', message: expect.stringMatching(/^broker 10 has no pinned/) })]);
  });

  test('fails when an entry names a node id that is not a broker', () => {
    const list = brokers();
    list[4] = { ...list[4], nodeId: 2 };
    expect(checkStaticIps(withBrokers(list))).toEqual([
      expect.objectContaining({ field: 'externalListener.brokers', message: expect.stringMatching(/^broker 9 has no pinned/) }),
      {
        env: 'usdfprod-prompt-processing',
        resource: 'Kafka/sasquatch',
        field: 'externalListener.brokers[4].nodeId',
        message: 'broker 2 is not a node of the broker pool (brokers.nodeIds: [5, 6, 7, 8, 9]); node 2 is a controller; remove the entry or fix its nodeId',
      },
    ]);
  });

  test('an entry naming a node of no pool says only that', () => {
    const list = brokers();
    list[4] = { ...list[4], nodeId: 42 };
    expect(checkStaticIps(withBrokers(list)).map((p) => p.message)).toContain(
      'broker 42 is not a node of the broker pool (brokers.nodeIds: [5, 6, 7, 8, 9]); remove the entry or fix its nodeId; while broker 42 is being removed, list it in brokers.removing instead (its address stays until Strimzi removed it)');
  });

  test('host names: one-letter labels and 253 characters pass, 254 characters do not', () => {
    const list = brokers();
    list[0] = { ...list[0], host: 'a.b.example.org' };
    expect(checkStaticIps(withBrokers(list))).toEqual([]);
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    list[0] = { ...list[0], host: long };
    expect(checkStaticIps(withBrokers(list))).toEqual([]);
    list[0] = { ...list[0], host: `${long}d` };
    expect(checkStaticIps(withBrokers(list)).map((p) => p.field)).toEqual(['externalListener.brokers[0].host']);
  });

  test('fails when a broker is pinned twice', () => {
    const list = [...brokers(), { nodeId: 5, host: 'extra.slac.stanford.edu', ip: '134.79.23.250' }];
    expect(checkStaticIps(withBrokers(list))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers[5].nodeId',
      message: 'broker 5 is pinned twice (also externalListener.brokers[0]); keep one entry per broker',
    }]);
  });

  test('fails when two brokers share an IP', () => {
    const list = brokers();
    list[3] = { ...list[3], ip: list[0].ip };
    expect(checkStaticIps(withBrokers(list))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers[3].ip',
      message: 'broker 8: IP 134.79.23.212 is also pinned to broker 5; every load balancer needs its own address',
    }]);
  });

  test('fails when a broker shares the bootstrap IP', () => {
    const list = brokers();
    list[1] = { ...list[1], ip: listener.bootstrap.ip };
    expect(checkStaticIps(withBrokers(list))).toEqual([expect.objectContaining({
      field: 'externalListener.brokers[1].ip',
      message: 'broker 6: IP 134.79.23.209 is also pinned to bootstrap; every load balancer needs its own address',
    })]);
  });

  test('fails when two entries share a host, whatever the letter case', () => {
    const list = brokers();
    list[2] = { ...list[2], host: list[1].host.toUpperCase() };
    expect(checkStaticIps(withBrokers(list))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers[2].host',
      message: 'broker 7: host RUBIN-ALERT-STREAM-BROKER-6.SLAC.STANFORD.EDU is also used by broker 6; each needs its own DNS name',
    }]);
  });

  test.each([
    ['134.79.23.300'],
    ['134.79.23'],
    ['134.079.23.212'],
    ['rubin-alert-stream-broker-5'],
    [''],
  ])('fails when a broker IP is not a valid IPv4 address: %p', (ip) => {
    const list = brokers();
    list[0] = { ...list[0], ip };
    expect(checkStaticIps(withBrokers(list))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers[0].ip',
      message: `broker 5: '${ip}' is not a valid IPv4 address; use four numbers 0-255 without leading zeros, e.g. 134.79.23.201`,
    }]);
  });

  test('fails when the bootstrap IP is not a valid IPv4 address', () => {
    const env = withChanges(prod, { externalListener: { bootstrap: { ip: '2001:db8::1' } } });
    expect(checkStaticIps(env)).toEqual([expect.objectContaining({
      field: 'externalListener.bootstrap.ip',
      message: expect.stringMatching(/^bootstrap: '2001:db8::1' is not a valid IPv4 address/),
    })]);
  });

  test('fails when a host is not a DNS name', () => {
    const list = brokers();
    list[0] = { ...list[0], host: 'broker 5.slac' };
    expect(checkStaticIps(withBrokers(list))).toEqual([expect.objectContaining({
      field: 'externalListener.brokers[0].host',
      message: "broker 5: 'broker 5.slac' is not a valid DNS name; use the fully qualified name of its A record",
    })]);
  });

  test('reports every problem at once, not only the first', () => {
    const list = brokers().slice(0, 3);
    list[0] = { ...list[0], ip: 'x' };
    list[1] = { ...list[1], nodeId: 42 };
    expect(checkStaticIps(withBrokers(list)).map((p) => p.field)).toEqual([
      'externalListener.brokers',
      'externalListener.brokers',
      'externalListener.brokers',
      'externalListener.brokers[1].nodeId',
      'externalListener.brokers[0].ip',
    ]);
  });
});

describe('node ports: pinned like the IPs, for clusters without MetalLB', () => {
  const local = environments['local-bootstrap'];
  const nodePorts = local.externalListener as Extract<typeof local.externalListener, { type: 'nodeport' }>;
  const withPorts = (change: Partial<typeof nodePorts>) => withChanges(local, { externalListener: { ...nodePorts, ...change } });

  test('the local environment passes', () => {
    expect(checkStaticIps(local)).toEqual([]);
  });

  test('fails when a broker has no node port', () => {
    expect(checkStaticIps(withPorts({ brokers: nodePorts.brokers.slice(0, 1) }))).toEqual([{
      env: 'local-bootstrap',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers',
      message: 'broker 2 has no pinned node port; add { nodeId: 2, nodePort: <30000-32767> }',
    }]);
  });

  test('fails when a node port is outside the range or used twice', () => {
    expect(checkStaticIps(withPorts({ bootstrapNodePort: 9094, brokers: [{ nodeId: 1, nodePort: 31091 }, { nodeId: 2, nodePort: 31091 }] }))).toEqual([
      expect.objectContaining({ field: 'externalListener.bootstrapNodePort', message: 'bootstrap: node port 9094 is outside 30000-32767' }),
      expect.objectContaining({ field: 'externalListener.brokers[1].nodePort', message: 'broker 2: node port 31091 is also used by broker 1' }),
    ]);
  });

  test('fails when an entry names a node that is not a broker', () => {
    expect(checkStaticIps(withPorts({ brokers: [...nodePorts.brokers, { nodeId: 0, nodePort: 31099 }] }))).toEqual([
      expect.objectContaining({ field: 'externalListener.brokers[2].nodeId', message: 'broker 0 is not a node of the broker pool (brokers.nodeIds: [1, 2])' }),
    ]);
  });
  test('the node-port range is 30000 to 32767 inclusive', () => {
    const problems = (bootstrapNodePort: number, first: number, second: number) =>
      checkStaticIps(withPorts({ bootstrapNodePort, brokers: [{ nodeId: 1, nodePort: first }, { nodeId: 2, nodePort: second }] })).map((p) => p.message);
    expect(problems(30000, 32767, 31000)).toEqual([]);
    expect(problems(29999, 32768, 30000.5)).toEqual([
      'bootstrap: node port 29999 is outside 30000-32767',
      'broker 1: node port 32768 is outside 30000-32767',
      'broker 2: node port 30000.5 is outside 30000-32767',
    ]);
  });

  test('a broker sharing the bootstrap node port names the bootstrap', () => {
    expect(checkStaticIps(withPorts({ brokers: [{ nodeId: 1, nodePort: 31090 }, { nodeId: 2, nodePort: 31092 }] }))).toEqual([{
      env: 'local-bootstrap',
      resource: 'Kafka/sasquatch',
      field: 'externalListener.brokers[0].nodePort',
      message: 'broker 1: node port 31090 is also used by bootstrap',
    }]);
  });
});
