// validate.json's reader against what Gson 2.8.0's fromJson(s, Object.class) (the
// reference's isValidJson) accepts and refuses.

import { describe, expect, it } from 'vitest';
import { gsonLenientValid } from '../../src/io/mappers/gson-lenient.js';

describe('gsonLenientValid', () => {
  it.each([
    '{"Symbol":WSO2}', '{"event":{"price":NaN}}', '{"p":undefined}', "{'a':1}", '[1,]', '[,]', 'hello', '', '  ',
    '{a:1}', '{"a"=>1;"b"=2}', '[1;2]', '{"a":1} // c', '{"a":1} # c', '/* c */ {"a":1}', 'null x', ")]}'\n{}",
    '{"a":"x\\qy"}', '{"a":-Infinity}', '{"a":NULL} ', '{"a":"b\nc"}', '{"a":01}', '{"a":1,"a":2}',
  ])('accepts %j', (s) => expect(gsonLenientValid(s)).toBe(true));

  it.each([
    '{"a":}', '{"a":1', '{"a":1, ', '{"a":1} x', '{"a":1}{"b":2}', '{"s":a b}', '{"a":1,}', '{"a":]}', '"abc',
    '{"a":"\\u12"}', '[1 2]', '/', '{"a" 1}', '{,}', '{"a":1}}', '/* c', 'nullx y',
  ])('refuses %j', (s) => expect(gsonLenientValid(s)).toBe(false));
});
