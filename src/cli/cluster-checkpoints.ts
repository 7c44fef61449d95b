// `siddhi checkpoints list --redis <url> --app <name>`: the checkpoint records
// a scaled-out app's workers committed, one per partition, with the lease
// holder and the input still to process. Called by checkpoints-command.ts.

import { CliUsageError, EXIT, type CliIo } from './io.js';
import { formatBytes } from './stats.js';

export async function listClusterCheckpoints(url: string, app: string | undefined, json: boolean, io: CliIo): Promise<number> {
  if (app === undefined) throw new CliUsageError('--redis needs --app <name> (the @app:name of the scaled-out app)');
  const { RedisBroker, parseRecord } = await import('../cluster/index.js');
  const broker = await RedisBroker.open(url, app);
  if (!broker) throw new CliUsageError(`no scaled-out app '${app}' on ${url} (no 'siddhi route' ran for it)`);
  try {
    const [records, owners, routed] = await Promise.all([broker.records(), broker.owners(), broker.routed()]);
    const rows = records.map((text, p) => {
      const r = text === undefined ? undefined : parseRecord(text);
      return {
        partition: p, owner: owners[p]?.owner ?? null, leaseEpoch: owners[p]?.epoch ?? null,
        committedBy: r?.owner ?? null, epoch: r?.epoch ?? null, offset: r?.offset ?? null, events: r?.events ?? 0,
        lag: (routed.perPartition[p] ?? 0) - (r?.events ?? 0), watermark: r?.watermark ?? null, outputLines: r?.outputLines ?? 0,
        bytes: r?.bytes ?? 0, where: r === undefined ? null : 'inline' in r.checkpoint ? 'inline' : `revision ${r.checkpoint.revision}`,
        committedAt: r === undefined ? null : new Date(r.committedAt).toISOString(),
      };
    });
    if (json) {
      io.stdout.write(`${JSON.stringify({ app, partitions: broker.partitions, routed: routed.total ?? null, records: rows }, null, 2)}\n`);
      return EXIT.ok;
    }
    const head = ['p', 'lease', 'committed by', 'epoch', 'offset', 'events', 'lag', 'watermark', 'output', 'state', 'committed at'];
    const cells = rows.map((r) => [String(r.partition), r.owner === null ? '-' : `${r.owner}:${r.leaseEpoch}`, r.committedBy ?? '-',
      String(r.epoch ?? '-'), r.offset ?? '-', String(r.events), String(r.lag), String(r.watermark ?? '-'), String(r.outputLines),
      r.where === null ? '-' : `${formatBytes(r.bytes)} ${r.where}`, r.committedAt ?? '-']);
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    const line = (cols: string[]) => `  ${cols.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
    io.stdout.write(`app '${app}' on ${url}: ${broker.partitions} partitions\n${line(head)}${cells.map(line).join('')}`);
    return EXIT.ok;
  } finally {
    await broker.close();
  }
}
