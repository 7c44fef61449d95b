import { describe, expect, it } from 'vitest';
import { acceptorFor, formatDouble, formatFloat, parseAs, REJECTED } from '../../src/runtime/values.js';
import { convertValue } from '../../src/runtime/functions/type-functions.js';

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
