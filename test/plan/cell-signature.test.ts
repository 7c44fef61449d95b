import { describe, expect, it } from 'vitest';
import { joinedSignature, signatureOf } from '../../src/plan/cell-signature.js';

describe('signatureOf', () => {
  const input = () => signatureOf('input', { kind: 'single', stream: 'S', loc: { line: 1, column: 2 } }, [['S', false, [{ name: 'a', type: 'int' }]]]);

  it('gives the texts checkpoints of earlier versions carry (computed when signatures were eager)', () => {
    const inner = input();
    expect(inner()).toBe('d2ZUJafQFfM2Grx2P4gIdi');
    expect(signatureOf('selector', inner, [{ kind: 'call', name: 'sum', args: [], big: 5n }], undefined)()).toBe('w0ywdYM2MMTDsCmKFH_6Mf');
  });

  it('reads its parts only when first asked, and once', () => {
    let reads = 0;
    const part = { toJSON: () => (reads++, 'p') };
    const signature = signatureOf('x', part);
    expect(reads).toBe(0);
    expect(signature()).toBe(signature());
    expect(reads).toBe(1);
  });

  it('hashes a function part as what it returns (a nested signature as its text), and joins partition signatures lazily', () => {
    const inner = input();
    expect(signatureOf('rate', inner, 1)()).toBe(signatureOf('rate', inner(), 1)());
    expect(signatureOf('input', () => [['S', false]])()).toBe(signatureOf('input', [['S', false]])());
    expect(joinedSignature(inner, 'keys')()).toBe(`${inner()}/keys`);
  });
});
