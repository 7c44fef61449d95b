// A mapped value's text read as its attribute's type, as the reference's
// siddhi-core AttributeConverter.getPropertyValue reads it (the csv and json
// source mappers hand it every custom-mapped value).

import type { AttributeType } from '../../ast/index.js';
import { parseAs } from '../../runtime/values.js';
import { clip } from './parse-payload.js';

/**
 * Integer/Long.parseInt: digits with an optional sign, no blanks; Double/Float.parseDouble: blanks (chars up to
 * ' ') trimmed, NaN and ±Infinity taken; Boolean.parseBoolean: 'true' in any case, anything else false (never an
 * error); string and object: the text. Throws naming the attribute when the text is not of the type.
 */
export function convertText(text: string, type: AttributeType, name: string): unknown {
  const fail = (): never => {
    throw new Error(`attribute '${name}': '${clip(text, 40)}' is not a ${type}`);
  };
  switch (type) {
    case 'int':
      return /^[+-]?\d+$/.test(text) ? (parseAs(text, type) ?? fail()) : fail();
    case 'long':
      // Long.parseLong: beyond the 64-bit range is an error, not a rounded number.
      return /^[+-]?\d+$/.test(text) && BigInt.asIntN(64, BigInt(text)) === BigInt(text) ? (parseAs(text, type) ?? fail()) : fail();
    case 'float':
    case 'double': {
      const t = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
      // String.trim() removes only chars up to ' '; other blanks left around the number (NBSP, U+3000) fail it.
      if (/^\s|\s$/.test(t)) return fail();
      const special = /^([+-]?)(NaN|Infinity)$/.exec(t);
      if (special) return special[2] === 'NaN' ? NaN : special[1] === '-' ? -Infinity : Infinity;
      return parseAs(t, type) ?? fail();
    }
    case 'bool':
      return text.toLowerCase() === 'true';
    case 'string':
    case 'object':
      return text;
  }
}
