// `siddhi checkpoints` reads directories through the state layer alone
// (io.ts loadCheckpointReader): that layer must not pull in the parser or
// the engine, or the command's start-up pays for Chevrotain again.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const stateDir = join(import.meta.dirname, '..', '..', 'src', 'state');

describe('the checkpoint reader of the CLI', () => {
  it('src/state imports only its own files, src/errors.ts and packages other than chevrotain', () => {
    const offenders: string[] = [];
    for (const f of readdirSync(stateDir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(stateDir, f), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[1]!;
        const ok = spec.startsWith('./') || spec === '../errors.js' || (!spec.startsWith('.') && !spec.includes('chevrotain'));
        if (!ok) offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('loads without the parser', async () => {
    const { loadCheckpointReader } = await import('../../src/cli/io.js');
    const reader = await loadCheckpointReader();
    expect(typeof reader.decodeCheckpoint).toBe('function');
    expect(typeof reader.FileStore).toBe('function');
  });
});
