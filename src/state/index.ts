// The state layer's public surface: cells and logged containers for operators,
// the checkpoint manager, envelope codec and stores for the app runtime.

export { ChangeLog, IDENTITY_CODEC, keepingLogs, logsKept, markChanged, type CaptureMode, type CellGroup, type CellRegistry, type ItemCodec, type StateCell } from './cell.js';
export { LoggedQueue, type QueueCapture } from './logged-queue.js';
export { ColumnsSnapshot, LoggedColumns, type ColumnKind, type ColumnsCapture } from './logged-columns.js';
export { LoggedMap, type MapCapture } from './logged-map.js';
export {
  CheckpointManager, fingerprintApp,
  type CellSize, type CheckpointManagerOptions, type CheckpointMetric, type PersistOptions, type RestoreOptions,
} from './checkpoint-manager.js';
export {
  decodeCheckpoint, packCheckpoint, packCheckpointAsync, sealCheckpoint, sealCheckpointAsync, readCheckpointHeader, headerExtent, initZstd,
  FORMAT_VERSION,
  type Captured, type CapturedCell, type CheckpointHeader, type Compression, type DecodedCheckpoint, type PackedCheckpoint,
} from './codec.js';
export { Migrations, type Migration } from './migrations.js';
export { CheckpointMismatchError, type RestoreReport } from './restore-plan.js';
export { InMemoryStore, pruneRevisions, type PersistenceStore, type RetentionOptions } from './stores.js';
export { FileStore } from './file-store.js';
export { nextRevision } from './chain.js';
