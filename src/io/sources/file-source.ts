// @source(type='file', file.uri='events.jsonl', tailing='true'): one payload
// per line (json mapper by default: a JSON-lines file). The byte offset of the
// lines consumed is a state cell, so a restored app resumes where its
// checkpoint was taken; with tailing it polls for appended lines.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../contract.js';

const CHUNK = 1 << 16;

export function fileSource(): SourceKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const uri = ctx.options.required('file.uri');
      const path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
      const tailing = ctx.options.bool('tailing', true);
      const interval = ctx.options.number('tailing.interval', 200);
      /** Bytes of complete lines consumed; the checkpointed position. */
      let offset = 0;
      let timer: NodeJS.Timeout | undefined;
      let running = false;
      ctx.keepState<{ offset: number }>({ capture: () => ({ offset }), restore: (s) => { offset = s.offset; } });

      const poll = (): void => {
        timer = undefined;
        if (!running) return;
        try {
          readNewLines();
        } catch (e) {
          // A missing file is expected while tailing (it may appear later).
          if (!tailing || (e as NodeJS.ErrnoException).code !== 'ENOENT') ctx.report(e);
        }
        if (running && tailing) timer = setTimeout(poll, interval);
      };
      const readNewLines = (): void => {
        const fd = openSync(path, 'r');
        try {
          const size = fstatSync(fd).size;
          if (size < offset) offset = 0; // truncated or replaced: start over
          const buffer = Buffer.alloc(CHUNK);
          let carry = Buffer.alloc(0);
          let at = offset;
          while (running && at < size) {
            const n = readSync(fd, buffer, 0, Math.min(CHUNK, size - at), at);
            if (n <= 0) break;
            at += n;
            const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
            let start = 0;
            for (let nl = data.indexOf(10, start); nl >= 0 && running; nl = data.indexOf(10, start)) {
              const line = data.subarray(start, nl).toString('utf8').replace(/\r$/, '');
              offset += nl + 1 - start;
              start = nl + 1;
              if (line.trim() !== '') ctx.deliver(line);
            }
            carry = Buffer.from(data.subarray(start));
          }
          // Without tailing, a last line without a newline is still a line.
          if (!tailing && running && carry.length > 0 && at >= size) {
            offset += carry.length;
            const line = carry.toString('utf8');
            if (line.trim() !== '') ctx.deliver(line);
          }
        } finally {
          closeSync(fd);
        }
      };
      return {
        start: () => {
          running = true;
          // Read on the next tick, so callbacks added after start() see the first events.
          timer = setTimeout(poll, 0);
        },
        stop: () => {
          running = false;
          if (timer) clearTimeout(timer);
          timer = undefined;
        },
        address: () => path,
      };
    },
  };
}
