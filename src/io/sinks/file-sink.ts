// @sink(type='file', file.uri='out.jsonl', append='true'): one line per
// payload (json mapper by default, so a JSON-lines file).

import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SinkKind } from '../contract.js';

export function fileSink(): SinkKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const uri = ctx.options.required('file.uri');
      const path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
      const append = ctx.options.bool('append', true);
      let fd: number | undefined;
      return {
        start: () => {
          fd ??= openSync(path, append ? 'a' : 'w');
        },
        publish: (payload) => {
          if (fd === undefined) throw new Error(`${path} is not open`);
          const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
          writeSync(fd, text.endsWith('\n') ? text : `${text}\n`);
        },
        stop: () => {
          if (fd !== undefined) closeSync(fd);
          fd = undefined;
        },
      };
    },
  };
}
