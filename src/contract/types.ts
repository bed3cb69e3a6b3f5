/**
 * The contract runner's shapes: its options (what `goldgen contract` and `runContract` take),
 * the stages, a stage's result, and the whole report that --json prints and --record stores.
 */
import type { MetricReport, Registry } from '../../registry/service.ts'
import type { Faults } from '../chaos/faults.ts'
import type { ChaosPlan } from '../chaos/plan.ts'
import type { LoadFigures, SlaVerdict } from './sla.ts'

export const PROTOCOLS = ['oip', 'kserve-v1', 'mlflow', 'json'] as const
export type ProtocolName = (typeof PROTOCOLS)[number]

export const STAGES = ['health', 'metadata', 'replay', 'errors', 'smoke', 'load'] as const
/** The stages `--stages` picks from. */
export type PlainStageName = (typeof STAGES)[number]
/** `chaos` runs only with a chaos plan (--chaos), after the stages picked. */
export type StageName = PlainStageName | 'chaos'

export interface ContractOptions {
  /** The model version whose fixtures are replayed, `model@version`. */
  model: string
  /** The served model's base URL (for `json`: the URL rows are POSTed to). */
  endpoint: string
  /** Default `oip` (Open Inference Protocol, KServe v2). */
  protocol?: ProtocolName | undefined
  /** The model's name on the server (default: the registry's model name). */
  modelName?: string | undefined
  /** `"x=age,income,score"`: pack columns into one `[batch, k]` input (several separated by `;`). */
  inputs?: string | undefined
  /** `"probability=churn_prob"`: which model output answers which expected-output column. */
  outputs?: string | undefined
  /** Rows per replay request (default 32). */
  batch?: number | undefined
  /** Which stages to run (default all), as names or `"health,replay"`. */
  stages?: readonly PlainStageName[] | string | undefined
  /** Concurrent connections of the load stage (default 8). */
  concurrency?: number | undefined
  /** Seconds the load stage runs (default 10). */
  duration?: number | undefined
  /** The load stage's SLA (default: the one stored with the model version, else `error_rate<=0.001`). */
  sla?: string | undefined
  /** Milliseconds a request may take before it counts as timed out (default 5000). */
  timeout?: number | undefined
  /**
   * A chaos plan (its file, or one already loaded): the replay runs again while the plan switches
   * faults through a `goldgen chaos` proxy. Without `stages`, only health runs before it.
   */
  chaos?: string | ChaosPlan | undefined
  /** Store the run in the registry against the model version. */
  record?: boolean | undefined
  /** The registry: an open one, or its folder (default $GOLDGEN_REGISTRY, else ./.goldgen). */
  registry?: Registry | string | undefined
}

export type StageStatus = 'pass' | 'fail' | 'skip'

/** A row the protocol cannot carry as it is (reported instead of being altered). */
export interface NotSendable {
  row: number
  column: string
  value: string
  reason: string
}

export interface StageResult {
  stage: StageName
  /** The fixture dataset version, for stages that run once per fixture (replay, errors). */
  fixture?: string
  status: StageStatus
  /** One line: why it passed, failed or was skipped. */
  reason: string
  /** Further lines: failing rows, names, bodies. */
  details: string[]
  seconds: number
  /** replay: the rows compared, failing and not sendable. */
  rows?: { compared: number; failing: number; notSendable: NotSendable[] }
  /** replay: the metric expectations judged on the answers, overall and per slice. */
  metrics?: MetricReport

  /** load: the figures and the SLA verdicts. */
  figures?: LoadFigures
  sla?: SlaVerdict[]
  /** chaos: the window (or `baseline`, `recovery`) this result judges, and its figures. */
  window?: string
  chaos?: ChaosFigures
}

/** What the chaos stage saw in one part of the run. */
export interface ChaosFigures {
  /** The fault of the window; null for the baseline and the recovery. */
  fault: Faults | null
  /** The planned span, in milliseconds from the start of the run. */
  from_ms: number
  to_ms: number
  /** Requests sent while the fault was on (for recovery: until the first correct answer). */
  requests: number
  /** Answers whose predictions match the expected outputs. */
  correct: number
  /** Valid predictions that differ from the expected outputs (a fallback). */
  fallback: number
  /** Clean 503/504 answers with an error body. */
  unavailable: number
  /** Anything else: another status, a stack trace, no error body, invalid predictions, a hang, a dropped connection. */
  bad: number
  /** Share of requests not answered with predictions. */
  error_rate: number
  p50: number
  p95: number
  p99: number
  max: number
  /** Answers by status, and failures (`timeout`, `dropped`, `refused`) by kind. */
  statuses: Record<string, number>
  /** Requests in the gap after the window, before the next one (judged the same way). */
  after?: { requests: number; bad: number }
  /** recovery: milliseconds from the end of the last window to the first correct answer (null: none in time). */
  recovered_ms?: number | null
  recover_within_ms?: number
}

export interface ContractReport {
  model: string
  version: string
  endpoint: string
  protocol: ProtocolName
  modelName: string
  goldgen: string
  startedAt: string
  seconds: number
  passed: boolean
  /** The fixture dataset versions replayed. */
  datasets: string[]
  stages: StageResult[]
  /** The registry's id of the stored run (with --record). */
  runId?: number
}
