import fc from 'fast-check';
import { isIPv4 as nodeIsIPv4 } from 'node:net';
import { isIPv4 } from '../constructs/rules/ipv4';

describe('isIPv4: the rules\' own check, equal to net.isIPv4', () => {
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map(String),
    fc.integer({ min: 256, max: 1000 }).map(String),
    fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`),
    fc.constantFrom('', ' 1', '1 ', '-1', '+1', 'a', '0x1', '1e2', '٣'),
  );
  const separator = fc.constantFrom('.', '.', '.', '.', ',', '..', ':', '');
  const address = fc.tuple(fc.array(fc.tuple(octet, separator), { minLength: 0, maxLength: 5 }), octet, fc.constantFrom('', '', '\n', ' ', '/24'))
    .map(([parts, last, tail]) => `${parts.map(([o, s]) => `${o}${s}`).join('')}${last}${tail}`);

  test('agrees on generated near-addresses (property)', () => {
    fc.assert(fc.property(fc.oneof(address, fc.string()), (text) => {
      expect(isIPv4(text)).toBe(nodeIsIPv4(text));
    }), { numRuns: 20000 });
  });

  test.each([
    ['134.79.23.201', true], ['0.0.0.0', true], ['255.255.255.255', true], ['1.2.3.4', true], ['10.0.0.99', true], ['192.168.100.199', true], ['249.250.251.252', true],
    ['256.1.1.1', false], ['1.2.3.04', false], ['1.2.3', false], ['1.2.3.4.5', false], ['1.2.3.4\n', false], ['', false], ['a.b.c.d', false], ['1.2.3.260', false], ['300.2.3.4', false],
  ])('%s: %s', (text, expected) => {
    expect(isIPv4(text)).toBe(expected);
    expect(nodeIsIPv4(text)).toBe(expected);
  });
});
