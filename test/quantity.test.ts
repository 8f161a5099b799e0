import DecimalJs from 'decimal.js';
import fc from 'fast-check';
import { compareQuantities, compareVersions, parseQuantity } from '../lib/quantity';

/** The oracle: decimal.js with enough digits that nothing here is rounded. */
const Decimal = DecimalJs.clone({ precision: 200 });

const bytes = (q: unknown) => parseQuantity(q)?.toFixed();

describe('parseQuantity: every form Kubernetes accepts, exactly', () => {
  test.each([
    ['35Ti', '38482906972160'], ['1.5Gi', '1610612736'], ['1Ki', '1024'], ['1Ei', '1152921504606846976'],
    ['1e12', '1000000000000'], ['1E3', '1000'], ['1e-3', '0.001'], ['100n', '0.0000001'], ['250u', '0.00025'],
    ['500m', '0.5'], ['2k', '2000'], ['3M', '3000000'], ['4G', '4000000000'], ['5T', '5000000000000'],
    ['6P', '6000000000000000'], ['7E', '7000000000000000000'], ['.5', '0.5'], ['.25', '0.25'], ['5.', '5'], ['15.', '15'], ['1.e3', '1000'], ['+1Ki', '1024'],
    ['-1Ki', '-1024'], ['0', '0'], ['123456789012345678901234567890', '123456789012345678901234567890'], [42, '42'],
  ])('%s is %s', (q, expected) => expect(bytes(q)).toBe(expected));

  test.each(['', ' 1Gi', '1Gi ', '1 Gi', '1gi', '1KI', '1Ki2', 'Gi', '1.2.3', '1e', '1e1.5', '0x10', '1Zi', 'NaN', '1e99999'])('%j is not a quantity', (q) => expect(parseQuantity(q)).toBeUndefined());

  test.each([NaN, Infinity, null, undefined, {}, [], true, ['1Gi']])('%p is not a quantity', (q) => expect(parseQuantity(q)).toBeUndefined());

  test('exponents up to 1000 either way are read; larger ones are refused', () => {
    expect(parseQuantity('1e1000')!.equals(new Decimal(10).pow(1000))).toBe(true);
    expect(parseQuantity('1e-1000')!.equals(new Decimal(10).pow(-1000))).toBe(true);
    expect(parseQuantity('1e1001')).toBeUndefined();
    expect(parseQuantity('1e-1001')).toBeUndefined();
  });

  test('no float rounding: 2^60 + 1 bytes is larger than 1Ei', () => {
    expect(compareQuantities('1152921504606846977', '1Ei')).toBe(1);
    expect(compareQuantities('1152921504606846976', '1Ei')).toBe(0);
  });

  test('every unit multiplies by its own factor (property, against decimal.js)', () => {
    const units: Array<[string, DecimalJs]> = [
      ['Ki', new Decimal(2).pow(10)], ['Mi', new Decimal(2).pow(20)], ['Gi', new Decimal(2).pow(30)], ['Ti', new Decimal(2).pow(40)],
      ['Pi', new Decimal(2).pow(50)], ['Ei', new Decimal(2).pow(60)], ['n', new Decimal('1e-9')], ['u', new Decimal('1e-6')],
      ['m', new Decimal('1e-3')], ['', new Decimal(1)], ['k', new Decimal(1e3)], ['M', new Decimal(1e6)], ['G', new Decimal(1e9)],
      ['T', new Decimal(1e12)], ['P', new Decimal(1e15)], ['E', new Decimal(1e18)],
    ];
    fc.assert(fc.property(fc.nat(10 ** 9), fc.nat(999), fc.constantFrom(...units), (whole, frac, [unit, factor]) => {
      const text = `${whole}.${String(frac).padStart(3, '0')}`;
      expect(parseQuantity(`${text}${unit}`)!.equals(new Decimal(text).times(factor))).toBe(true);
    }));
  });

  test('comparison agrees with the exact values across units (property)', () => {
    const quantity = fc.tuple(fc.nat(100_000), fc.constantFrom('Ki', 'Mi', 'Gi', 'Ti', 'k', 'M', 'G', 'T', '', 'm')).map(([n, u]) => `${n}${u}`);
    fc.assert(fc.property(quantity, quantity, (a, b) => {
      expect(compareQuantities(a, b)).toBe(parseQuantity(a)!.comparedTo(parseQuantity(b)!));
      expect(compareQuantities(b, a)).toBe(-compareQuantities(a, b)! || 0);
    }));
  });

  test('an unreadable side makes the comparison unknown, not "equal"', () => {
    expect(compareQuantities('35Ti', '35 TB')).toBeUndefined();
    expect(compareQuantities(undefined, '1Gi')).toBeUndefined();
  });
});

describe('compareVersions: semantic versions', () => {
  test.each([
    ['4.10.0', '4.9.0', 1], ['4.9.0', '4.10.0', -1], ['4.1.0', '4.1.0', 0], ['10.0.0', '9.99.99', 1], ['4.1.1', '4.1.0', 1],
  ])('%s vs %s is %d', (a, b, order) => expect(compareVersions(a, b)).toBe(order));

  test.each([['4.1', '4.1.0'], ['latest', '4.1.0'], ['4.1.0', undefined], [4, '4.0.0'], [['4.1.0'], '4.1.0'], ['4.1.0', ['4.1.0']]])('%p vs %p cannot be compared', (a, b) => {
    expect(compareVersions(a, b)).toBeUndefined();
  });
});
