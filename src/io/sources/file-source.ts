// @source(type='file', file.uri='events.jsonl', tailing='true'): one payload
// per line (json mapper by default: a JSON-lines file). The byte offset of the
// lines consumed is a state cell, so a restored app resumes where its
// checkpoint was taken; with tailing it polls for appended lines. The
// multi-stream sibling is event-file-source.ts; both read with line-reader.ts.

import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../contract.js';
import { LineReader } from './line-reader.js';

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
        const size = statSync(path).size;
        if (size < offset) offset = 0; // truncated or replaced: start over
        else if (size === offset) return; // nothing appended: no reader (it opens the file and takes a 1 MiB buffer)
        const reader = new LineReader(path, { offset, line: 0 });
        try {
          // While tailing, a last line without its end may still be being written: it waits.
          for (let line = reader.next(!tailing); running && line !== undefined; line = reader.next(!tailing)) {
            offset = reader.offset;
            if (line.trim() !== '') ctx.deliver(line);
          }
        } finally {
          reader.close();
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
