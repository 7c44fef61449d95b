import { describe, expect, it } from 'vitest';
import { acceptorFor, formatDouble, formatFloat, parseAs, REJECTED } from '../../src/runtime/values.js';
import { convertValue } from '../../src/runtime/functions/type-functions.js';
import { javaFloatText } from './float-oracle.js';

describe('Java-compatible value forms', () => {
  it('formats doubles like Double.toString', () => {
    expect(formatDouble(3)).toBe('3.0');
    expect(formatDouble(55.6)).toBe('55.6');
    expect(formatDouble(1e21)).toBe('1.0E21');
    expect(formatDouble(0.0001)).toBe('1.0E-4');
    expect(formatDouble(-2.5)).toBe('-2.5');
  });

  it('formats floats with the shortest digits that read back', () => {
    expect(formatFloat(Math.fround(55.6))).toBe('55.6');
    expect(formatFloat(Math.fround(2))).toBe('2.0');
    expect(formatFloat(Math.fround(0.1))).toBe('0.1');
  });

  const fromBits = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0]!;

  it('breaks a tie between two nearest decimals towards the even digit, as Java does (toPrecision rounds half up)', () => {
    expect(formatFloat(Math.fround(469738.125))).toBe('469738.12');
    expect(formatFloat(Math.fround(1048576.25))).toBe('1048576.2');
    expect(formatFloat(Math.fround(-438273.625))).toBe('-438273.62');
  });

  it('writes the closest of one or two digits when one digit would read back (the smallest subnormals)', () => {
    expect(formatFloat(fromBits(1))).toBe('1.4E-45');
    expect(formatFloat(fromBits(2))).toBe('2.8E-45');
    expect(formatFloat(fromBits(3))).toBe('4.2E-45');
    expect(formatFloat(-fromBits(1))).toBe('-1.4E-45');
  });

  it('finds the shorter decimal above a power of two, where the interval below is half as wide', () => {
    expect(formatFloat(fromBits(0x0f800000))).toBe('1.2621775E-29');
    expect(formatFloat(fromBits(0x6b000000))).toBe('1.5474251E26');
  });

  it('follows JDK 19+, not the longer digits of JDK 8-17', () => {
    expect(formatFloat(Math.fround(67108872))).toBe('6.710887E7');
    expect(formatFloat(Math.fround(1e7))).toBe('1.0E7');
    expect(formatFloat(Math.fround(0.001))).toBe('0.001');
    expect(formatFloat(fromBits(0x7f7fffff))).toBe('3.4028235E38');
  });

  it('agrees with an exact statement of the JDK 19+ rule on random floats', () => {
    let seed = 20261205;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const misses: string[] = [];
    for (let i = 0; i < 6000; i++) {
      // Every third a short binary fraction below 2^24, where ties between decimals live; else any finite float.
      let bits = ((next() << 8) ^ next()) & 0x7fffffff;
      if (i % 3 === 0) bits = new Uint32Array(new Float32Array([(next() % (1 << 24)) / 2 ** (next() % 9)]).buffer)[0]!;
      if (bits === 0 || bits >>> 23 === 255) continue;
      const expected = javaFloatText(bits);
      if (formatFloat(fromBits(bits)) !== expected) misses.push(`${bits.toString(16)}: ${formatFloat(fromBits(bits))} ≠ ${expected}`);
    }
    expect(misses).toEqual([]);
  });

  it('parses like Java and returns null on failure', () => {
    expect(parseAs('WSO2', 'int')).toBeNull();
    expect(parseAs('42', 'int')).toBe(42);
    expect(parseAs('4.5', 'int')).toBeNull();
    expect(parseAs('4.5', 'double')).toBe(4.5);
    expect(parseAs('TRUE', 'bool')).toBe(true);
    expect(parseAs('yes', 'bool')).toBe(false);
  });

  it('converts between types as convert() does', () => {
    expect(convertValue(2, 'float', 'string')).toBe('2.0');
    expect(convertValue(4, 'int', 'string')).toBe('4');
    expect(convertValue(3.9, 'double', 'int')).toBe(3);
    expect(convertValue(-3.9, 'double', 'long')).toBe(-3);
    expect(convertValue(2, 'float', 'bool')).toBe(false);
    expect(convertValue(1, 'int', 'bool')).toBe(true);
    expect(convertValue(true, 'bool', 'double')).toBe(1);
    expect(convertValue(null, 'double', 'string')).toBeNull();
  });

  it('checks values against attribute types', () => {
    expect(acceptorFor('int')(1.5)).toBe(REJECTED);
    expect(acceptorFor('int')(2 ** 31)).toBe(REJECTED);
    expect(acceptorFor('long')(2 ** 31)).toBe(2 ** 31);
    expect(acceptorFor('long')(5n)).toBe(5);
    expect(acceptorFor('double')('x')).toBe(REJECTED);
    expect(acceptorFor('string')(null)).toBeNull();
    expect(acceptorFor('string')(undefined)).toBeNull();
    expect(acceptorFor('bool')(true)).toBe(true);
    expect(acceptorFor('float')(55.6)).toBe(Math.fround(55.6));
  });
});
