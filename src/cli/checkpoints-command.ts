// `siddhi checkpoints list|inspect <dir>`: what a checkpoint directory holds —
// revisions, chains, sizes, cells and checksum verdicts — as text or JSON.
// Called by cli.ts.

import { CliUsageError, EXIT, loadCheckpointReader, type CliIo, parseCommandLine } from './io.js';
import { listApps, readApp, type AppCheckpoints, type RevisionInfo } from './checkpoint-files.js';
import { formatBytes } from './stats.js';
import { listClusterCheckpoints } from './cluster-checkpoints.js';

const HELP = `usage: siddhi checkpoints list <dir> [--app <name>] [--json]
       siddhi checkpoints inspect <dir> [revision] [--app <name>] [--json]
       siddhi checkpoints list --redis <url> --app <name> [--json]

<dir> is a --checkpoint-dir of 'siddhi run' (or any FileStore directory):
one sub-directory per app, one <revision>.sdck file per checkpoint.

list      every revision, oldest first: mode (full/delta), the base and parent
          of a delta, size, cell count, compression, and whether the file's
          checksums hold; the restore point is the newest revision whose whole
          chain reads back.
--redis   the records the workers of a scaled-out app ('siddhi worker')
          committed, one per partition: lease holder, epoch, input offset,
          events, lag, clock, output lines and where the state is.
inspect   one revision (default: the newest): header, inputs, meta, its chain,
          the partition keys with state in it (cells '<id>@<key>'),
          and every cell's id, kind, version and mode.

options:
  --app <name>   only this app (needed when <dir> holds several)
  --json         machine-readable output
  -h, --help     this text

exit codes: 0 ok, 1 a listed revision is damaged (or the inspected one is),
2 usage error`;

export async function runCheckpoints(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv);
  const [action, dir, revision, ...extra] = positionals;
  if (values.help || action === undefined) {
    (values.help ? io.stdout : io.stderr).write(`${HELP}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (action !== 'list' && action !== 'inspect') throw new CliUsageError(`unknown action '${action}'; available: list, inspect`);
  if (values.redis !== undefined) {
    if (action !== 'list' || dir !== undefined) throw new CliUsageError('--redis goes with \'list\' and no directory');
    return listClusterCheckpoints(values.redis, values.app, values.json, io);
  }
  if (dir === undefined) throw new CliUsageError('missing the checkpoint directory');
  if (extra.length > 0 || (action === 'list' && revision !== undefined)) throw new CliUsageError(`unexpected argument '${extra[0] ?? revision}'`);
  const apps = values.app !== undefined ? [values.app] : listApps(dir);
  if (apps.length === 0) throw new CliUsageError(`no checkpoints in '${dir}'`);
  const engine = await loadCheckpointReader();
  if (action === 'list') {
    const all = await Promise.all(apps.map((app) => readApp(engine, dir, app)));
    io.stdout.write(values.json ? `${JSON.stringify(all.map(listJson), null, 2)}\n` : all.map(listText).join('\n'));
    return all.some((a) => a.revisions.some((r) => r.damaged !== undefined)) ? EXIT.app : EXIT.ok;
  }
  if (apps.length > 1) throw new CliUsageError(`'${dir}' holds checkpoints of several apps (${apps.join(', ')}); choose one with --app`);
  const app = await readApp(engine, dir, apps[0]!);
  const info = revision === undefined ? app.revisions[app.revisions.length - 1] : app.revisions.find((r) => r.revision === revision);
  if (info === undefined) {
    throw new CliUsageError(revision === undefined ? `no checkpoints of app '${app.app}' in '${dir}'` : `no revision '${revision}' of app '${app.app}'; revisions: ${app.revisions.map((r) => r.revision).join(', ')}`);
  }
  io.stdout.write(values.json ? `${JSON.stringify(inspectJson(app, info), null, 2)}\n` : inspectText(app, info));
  return info.damaged !== undefined ? EXIT.app : EXIT.ok;
}

function parseCommandArgs(argv: string[]) {
  return parseCommandLine(argv, {
    app: { type: 'string' },
    redis: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
}

function verdict(r: RevisionInfo): string {
  if (r.damaged !== undefined) return `DAMAGED: ${r.damaged}`;
  return r.broken !== undefined ? `ok, but not restorable: ${r.broken}` : 'ok';
}

function listText(a: AppCheckpoints): string {
  const rows = a.revisions.map((r) => {
    const h = r.header;
    const delta = h?.mode === 'delta';
    return [r.revision, h?.mode ?? '?', delta ? (r.chain?.[0] ?? '?') : '-', delta ? (h?.parent ?? '?') : '-',
      formatBytes(r.bytes), String(h?.cellCount ?? '?'), h?.compression ?? '?', verdict(r)];
  });
  const head = ['revision', 'mode', 'base', 'parent', 'size', 'cells', 'compression', 'check'];
  const widths = head.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) => `  ${cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`;
  const restore = a.restorePoint === undefined ? 'none (no revision restores)' : `${a.restorePoint}${chainNote(a.revisions.find((r) => r.revision === a.restorePoint)!)}`;
  return `app '${a.app}' in ${a.dir}: ${a.revisions.length} revision(s), oldest first\n` +
    line(head) + rows.map(line).join('') + `restore point: ${restore}\n`;
}

function chainNote(r: RevisionInfo): string {
  const n = (r.chain?.length ?? 1) - 1;
  return n === 0 ? ' (full)' : ` (base ${r.chain![0]} + ${n} delta${n > 1 ? 's' : ''})`;
}

function inspectText(a: AppCheckpoints, r: RevisionInfo): string {
  const h = r.header;
  const out = [
    `revision     ${r.revision}`,
    `app          ${a.app}`,
    `file         ${r.file} (${formatBytes(r.bytes)})`,
    `check        ${verdict(r)}`,
  ];
  if (h !== undefined) {
    out.push(
      `mode         ${h.mode}${h.mode === 'delta' ? ` on ${h.parent}` : ''}`,
      `chain        ${r.chain ? r.chain.join(' → ') : '(broken)'}`,
      `created      ${new Date(h.createdAt).toISOString()}`,
      `body         ${formatBytes(h.rawLength)} raw, compression ${h.compression}, codec ${h.codec}`,
      `fingerprint  ${h.fingerprint}`,
      `inputs       ${h.inputs ? Object.entries(h.inputs).map(([s, n]) => `${s}=${n}`).join(', ') || '-' : '-'}`,
      `meta         ${h.meta === undefined ? '-' : JSON.stringify(h.meta)}`,
    );
  }
  if (r.cells !== undefined) {
    const keys = partitionKeys(r.cells);
    if (keys.length > 0) out.push(`keys         ${keys.length} partition key(s) with state here: ${keys.slice(0, 20).join(', ')}${keys.length > 20 ? ', …' : ''}`);
    const widths = [Math.max(2, ...r.cells.map((c) => c.id.length)), Math.max(4, ...r.cells.map((c) => c.kind.length))];
    out.push(`cells (${r.cells.length}):`, `  ${'id'.padEnd(widths[0]!)}  ${'kind'.padEnd(widths[1]!)}  version  mode`);
    for (const c of r.cells) out.push(`  ${c.id.padEnd(widths[0]!)}  ${c.kind.padEnd(widths[1]!)}  ${String(c.version).padEnd(7)}  ${c.mode}`);
  }
  return `${out.join('\n')}\n`;
}

function listJson(a: AppCheckpoints): unknown {
  return {
    app: a.app, dir: a.dir, restorePoint: a.restorePoint ?? null,
    revisions: a.revisions.map((r) => ({
      revision: r.revision, file: r.file, bytes: r.bytes,
      mode: r.header?.mode ?? null, parent: r.header?.mode === 'delta' ? r.header.parent : null, base: r.chain?.[0] ?? null,
      cells: r.header?.cellCount ?? null, compression: r.header?.compression ?? null,
      createdAt: r.header?.createdAt ?? null, ok: r.damaged === undefined, damaged: r.damaged ?? null,
      restorable: r.chain !== undefined, broken: r.broken ?? null,
    })),
  };
}

function inspectJson(a: AppCheckpoints, r: RevisionInfo): unknown {
  return {
    app: a.app, revision: r.revision, file: r.file, bytes: r.bytes,
    ok: r.damaged === undefined, damaged: r.damaged ?? null, chain: r.chain ?? null, broken: r.broken ?? null,
    header: r.header ?? null, cells: r.cells ?? null, keys: r.cells ? partitionKeys(r.cells) : null,
  };
}

/** Partition keys whose instances have cells in the revision: ids `<query>/<pos>:<kind>@<key>` (the runtime's own start with '@'). */
function partitionKeys(cells: readonly { readonly id: string }[]): string[] {
  const keys = new Set<string>();
  for (const { id } of cells) {
    const at = id.indexOf('@', 1);
    if (at > 0) keys.add(id.slice(at + 1));
  }
  return [...keys].sort();
}
