/** goldgen's public library API. */

export type { ColumnGenerator, GeneratorPlugin, SpecIssue } from '../generators/types.ts'
export { defineGenerator } from '../generators/types.ts'
export {
  type CheckReport,
  type DiffReport,
  openRegistry,
  type PublishResult,
  type Recipe,
  type Registry,
  type RegistryOptions,
  type VerifyResult,
} from '../registry/service.ts'
export type { BlobStore, ExpectationRecord, MetadataStore, VersionRecord } from '../registry/stores.ts'
export { canonicalJson, schemaSha256 } from '../schemas/canonical.ts'
export type { ColumnDef, ColumnType, DatasetDef, DistributionDef } from '../schemas/language.ts'
export { languageJsonSchema } from '../schemas/language.ts'
export { columnArbitrary, type Row, type RowValue, toArbitrary } from './api/arbitrary.ts'
export type { GenerateOptions, GenerateResult, SchemaSource } from './api/generate.ts'
export { createGoldgen, type Goldgen, type GoldgenOptions } from './api/goldgen.ts'
export type { Inspection } from './api/inspect.ts'
export type { Manifest, ManifestColumn, ManifestFile } from './api/manifest.ts'
export { VIOLATION_FIELD, type Violation, type ViolationKind } from './api/negative.ts'
export {
  generateTables,
  generateTablesBuffers,
  type RefReport,
  type TablesManifest,
  type TablesResult,
} from './api/tables.ts'
export type { HostPort } from './chaos/address.ts'
export { type Faults, parseFaults } from './chaos/faults.ts'
export { type ChaosPlan, type ChaosWindow, loadPlan } from './chaos/plan.ts'
export { type Chaos, startChaos } from './chaos/start.ts'
export type { PlannedColumn } from './columns/plan.ts'
export type { Comparison, FailingRow, Tolerance } from './compare/rows.ts'
export { toJunit } from './contract/report/junit.ts'
export { runContract } from './contract/run.ts'
export { formatSla, type LoadFigures, parseSla, type Sla } from './contract/sla.ts'
export type {
  ChaosFigures,
  ContractOptions,
  ContractReport,
  NotSendable,
  ProtocolName,
  StageName,
  StageResult,
} from './contract/types.ts'
export type { BlockKind, ColumnBlock } from './core/blocks.ts'
export { exitCodes, formatError, GoldgenError, type GoldgenErrorCode, type Issue } from './core/errors.ts'
export { ALGORITHM_VERSION, BLOCK_ROWS } from './core/random.ts'
export { VERSION } from './core/version.ts'
export type { Dataset } from './engine/dataset.ts'
export type { Plan, RunOptions } from './engine/plan.ts'
export type { ColumnStats } from './engine/stats.ts'
export { type FormatName, formatNames, formats } from './formats/index.ts'
export { defineFormat, type Encoder, type FormatDef } from './formats/types.ts'
export { parityJunit } from './parity/report.ts'
export { runParity } from './parity/run.ts'
export type { ParityOptions, ParityReport } from './parity/types.ts'
